"""Reminders: something a role (or one person) must look at by a date — one service for every app.

    from core.reminders import reminder_ensure, reminder_ensure_many, reminders_close_for

    reminder_ensure(kind="measures.review_due", obj=measure, due_on=measure.review_on,
                    recipients_role=Role.SECURITY_HANDLER, message=_("Measure due for review"),
                    url=reverse("measures:measure-detail", args=[measure.pk]), today=today)
    reminders_close_for(kind="measures.review_due", obj=measure)   # its cause went away

The message is plain text, or better a stored text (`core.texts.text(gettext_noop("…"), **params)`): then
each reader sees it in their own language, and `message` keeps it in the municipality's.

A reminder is created once per (kind, object, due date) — the database's unique constraint makes a
second planner run (or two at once) a no-op. New reminders e-mail their recipients a short notice,
each in their own language, with a link to the reminder list (the page an app registers with
`register_list_page`); the message itself (which may name a person) stays in the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import audit_change
from .dates import format_date
from .models import Reminder
from .notify import absolute_url, tell, users_with_role
from .texts import StoredText, is_text, render_in
from .workflow import InvalidTransition

_list_page: list[str] = []


def register_list_page(url_name: str) -> None:
    """The page that lists a person's reminders (the app that shows them registers it), linked
    from the e-mail about new reminders."""
    _list_page[:] = [url_name]


def _tell_new(recipients: list[Any], count: int, first: date) -> None:
    """A short notice, in each recipient's language, of `count` new reminders, the first due
    `first`; the messages themselves (which may name a person) stay in Värn."""

    def body() -> str:
        text = ngettext(
            "You have %(count)d new reminder in Värn, due %(date)s.",
            "You have %(count)d new reminders in Värn, the first due %(date)s.",
            count,
        ) % {"count": count, "date": format_date(first)}
        if _list_page:
            text += "\n\n" + _("See them here: %(url)s") % {"url": absolute_url(_list_page[0])}
        return text

    tell(recipients, lambda: _("New reminders in Värn"), body)


def _notify_new(reminders: list[Reminder]) -> None:
    by_target: dict[tuple[str, int | None], list[Reminder]] = {}
    for reminder in reminders:
        by_target.setdefault((reminder.recipients_role, reminder.recipient_id), []).append(reminder)
    for (role, recipient_id), rows in by_target.items():
        recipients = [rows[0].recipient] if recipient_id else users_with_role(role)
        _tell_new(recipients, len(rows), min(r.due_on for r in rows))


Message = str | StoredText


def _message_columns(message: Message) -> tuple[str, StoredText | None]:
    """(the text in the municipality's language, the stored text or None)."""
    if is_text(message):
        assert isinstance(message, dict)
        return render_in(settings.LANGUAGE_CODE, message)[:300], message
    return str(message)[:300], None


@transaction.atomic
def reminder_ensure_many(*, kind: str, items: Iterable[tuple[models.Model, date, Message, str]],
                         recipients_role: str = "", recipient: AbstractBaseUser | None = None,
                         today: date | None = None, notify_by_email: bool = True) -> list[Reminder]:
    """Create the missing reminders of one kind: `items` are (object, due date, message, url).
    Returns the reminders created now (none when all existed). Two queries when nothing is new."""
    items = list(items)
    if not items:
        return []
    if not recipients_role and recipient is None:
        raise ValueError("A reminder needs recipients_role or recipient")
    today = today or timezone.localdate()
    content_types = ContentType.objects.get_for_models(*{type(obj) for obj, *_rest in items})
    wanted: dict[tuple[int, int, date], Reminder] = {}
    for obj, due_on, message, url in items:
        ct = content_types[type(obj)]
        plain, stored = _message_columns(message)
        wanted[(ct.pk, obj.pk, due_on)] = Reminder(
            kind=kind, content_type=ct, object_id=obj.pk, due_on=due_on, recipients_role=recipients_role,
            # core knows the user model only as AUTH_USER_MODEL; the stubs want the concrete class
            recipient=recipient, message=plain, message_text=stored, url=url[:300],  # type: ignore[misc]
            created_on=today,
        )
    existing = set(
        Reminder.objects.filter(kind=kind, object_id__in={key[1] for key in wanted},
                                content_type_id__in={key[0] for key in wanted})
        .values_list("content_type_id", "object_id", "due_on")
    )
    new = [reminder for key, reminder in wanted.items() if key not in existing]
    if not new:
        return []
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    new_keys = {(r.content_type_id, r.object_id, r.due_on) for r in new}
    created = [
        r for r in Reminder.objects.filter(kind=kind, created_on=today, object_id__in={k[1] for k in new_keys})
        .select_related("recipient")
        if (r.content_type_id, r.object_id, r.due_on) in new_keys
    ]
    for reminder in created:
        audit_change(actor=None, action="reminder_create", obj=reminder, to_state=kind)
    if notify_by_email and created:
        _notify_new(created)
    return created


def reminder_ensure(*, kind: str, obj: models.Model, due_on: date, message: Message, url: str = "",
                    recipients_role: str = "", recipient: AbstractBaseUser | None = None,
                    today: date | None = None, notify_by_email: bool = True) -> tuple[Reminder, bool]:
    """One reminder, created unless it exists: (reminder, created)."""
    created = reminder_ensure_many(kind=kind, items=[(obj, due_on, message, url)], recipients_role=recipients_role,
                                   recipient=recipient, today=today, notify_by_email=notify_by_email)
    if created:
        return created[0], True
    ct = ContentType.objects.get_for_model(type(obj))
    return Reminder.objects.get(kind=kind, content_type=ct, object_id=obj.pk, due_on=due_on), False


@transaction.atomic
def reminder_done(*, actor: AbstractBaseUser, reminder: Reminder) -> Reminder:
    """The person has seen to it (who may is the listing app's rule)."""
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.done_at is not None:
        raise InvalidTransition(_("This reminder is already done."))
    reminder.done_at = timezone.now()
    reminder.done_by = actor  # type: ignore[assignment]  # AUTH_USER_MODEL, as above
    reminder.save(update_fields=["done_at", "done_by"])
    audit_change(actor=actor, action="reminder_done", obj=reminder, from_state="open", to_state="done")
    return reminder


def reminders_close_for(*, kind: str, obj: models.Model) -> int:
    """Mark open reminders of `kind` about `obj` done (their cause went away). Returns how many."""
    ct = ContentType.objects.get_for_model(type(obj))
    return Reminder.objects.filter(kind=kind, content_type=ct, object_id=obj.pk, done_at__isnull=True).update(
        done_at=timezone.now())
