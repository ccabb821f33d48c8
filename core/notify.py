"""Notifications by e-mail through the outbox (see `OutboxMessage`) — the one way Värn tells people.

    tell(users, lambda: _("Subject"), lambda: _("Body %(link)s") % {"link": absolute_url("incidents:case-detail", pk)})
        # inside the service's transaction: one e-mail per person, written in *their* saved language
    notify(addresses_or_users, subject, body)   # text already in the right language
    notify_many([(users, subject, body), (others, subject2, body2)])   # several, in one insert

The rows are saved with the change; after commit a Celery task sends each. If the broker is
down the rows wait, and `core.tasks.flush_outbox` (every minute on beat) sends them later.
Never put a report's contents, confidential notes or private data in a notification.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from .models import OutboxMessage

log = logging.getLogger(__name__)


def absolute_url(url_name_or_path: str, *args: Any) -> str:
    """A link for an e-mail, a calendar file or a PDF: the site's address (`settings.SITE_URL`,
    the one setting) before the path. Takes a URL name (with its arguments) or a path."""
    path = url_name_or_path if url_name_or_path.startswith("/") else reverse(url_name_or_path, args=args)
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def users_with_role(role: str, **filters: Any) -> list[Any]:
    """The active people holding `role` (a group) who have an e-mail address."""
    return list(get_user_model().objects.filter(groups__name=str(role), is_active=True, **filters)
                .exclude(email="").distinct())


def language_of(recipient: Any) -> str:
    """The language a person reads Värn in (saved on their account); the default for others."""
    return getattr(recipient, "language", None) or settings.LANGUAGE_CODE


def each_language(recipients: Iterable[Any], subject: Callable[[], Any], body: Callable[[], Any],
                  attachment: Callable[[], tuple[str, str, str]] | None = None) -> list[tuple[Any, ...]]:
    """One message per language of `recipients` (for `notify_many`), each written with that
    language active: `subject` and `body` (and `attachment`, which returns (file name, content,
    mimetype)) are called once per language. Inactive users and users without an address are
    skipped, and nobody gets it twice."""
    by_language: dict[str, list[Any]] = {}
    seen: set[Any] = set()
    for recipient in recipients:
        if recipient is None:
            continue
        if not isinstance(recipient, str):
            if not getattr(recipient, "is_active", True) or not getattr(recipient, "email", ""):
                continue
        key = recipient if isinstance(recipient, str) else ("user", recipient.pk)
        if key in seen:
            continue
        seen.add(key)
        by_language.setdefault(language_of(recipient), []).append(recipient)
    messages: list[tuple[Any, ...]] = []
    for language, group in by_language.items():
        with translation.override(language):
            message: tuple[Any, ...] = (group, str(subject()), str(body()))
            messages.append((*message, attachment()) if attachment is not None else message)
    return messages


def tell(recipients: Iterable[Any], subject: Callable[[], Any], body: Callable[[], Any], *,
         attachment: Callable[[], tuple[str, str, str]] | None = None) -> list[OutboxMessage]:
    """Queue one e-mail per person, in their own language (see `each_language`), through the
    outbox: saved with the change, sent after commit. Never confidential text."""
    return notify_many(each_language(recipients, subject, body, attachment))


@dataclass(frozen=True)
class Addressee:
    """An address to write to in a given person's language, for `tell` when the address is not
    that person's account address (an official's assignment e-mail, an invited organisation):
    `Addressee(official.work_email, language_of(official.user))`."""

    email: str
    language: str = ""

    @property
    def pk(self) -> str:  # `each_language` sends each address once
        return self.email


def notify(recipients: Iterable[Any], subject: str, body: str, *, attachment: tuple[str, str, str] | None = None
           ) -> list[OutboxMessage]:
    """Queue one e-mail per recipient (users or e-mail addresses) with an address.
    `attachment` is (file name, text content, mimetype)."""
    return notify_many([(recipients, subject, body, attachment)])


def notify_many(messages: Iterable[tuple[Any, ...]]) -> list[OutboxMessage]:
    """`notify` for several messages at once — (recipients, subject, body) or (recipients,
    subject, body, attachment) each — saved in one insert."""
    rows = []
    for recipients, subject, body, *rest in messages:
        attachment = rest[0] if rest else None
        seen = set()
        for recipient in recipients:
            address = recipient if isinstance(recipient, str) else getattr(recipient, "email", "")
            if not address or address in seen:
                continue
            seen.add(address)
            name, content, mimetype = attachment or ("", "", "")
            rows.append(OutboxMessage(to=address, subject=subject[:200], body=body, attachment_name=name,
                                      attachment_content=content, attachment_mimetype=mimetype))
    if not rows:
        return []
    created = OutboxMessage.objects.bulk_create(rows)
    ids = [row.pk for row in created if row.pk] or list(
        OutboxMessage.objects.filter(sent_at__isnull=True).order_by("-id").values_list("pk", flat=True)[: len(rows)]
    )
    transaction.on_commit(lambda: _enqueue(ids))
    return created


# Messages queued by one change go to the broker as one task per this many (a report filed tells
# the whole security unit: one round trip to the broker instead of one per person).
BATCH = 50


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_outbox, deliver_outbox_batch

    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        try:
            if len(batch) == 1:
                deliver_outbox.delay(batch[0])
            else:
                deliver_outbox_batch.delay(batch)
        except Exception:  # broker down: the periodic flush sends them later
            log.warning("outbox messages %s left for the periodic flush: broker unavailable", batch)
            return


def deliver(pk: int) -> bool:
    """Send one outbox message unless already sent. Returns True when it was sent now."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk, sent_at__isnull=True).first()
        if message is None:
            return False
        email = EmailMessage(message.subject, message.body, to=[message.to])
        if message.attachment_name:
            email.attach(message.attachment_name, message.attachment_content, message.attachment_mimetype)
        try:
            email.send()
        except Exception as exc:
            message.attempts += 1
            message.last_error = type(exc).__name__
            message.save(update_fields=["attempts", "last_error"])
            log.warning("outbox message %s not sent: %s", pk, type(exc).__name__)
            return False
        message.sent_at = timezone.now()
        message.attempts += 1
        message.save(update_fields=["sent_at", "attempts"])
        return True


def flush(limit: int = 500) -> int:
    """Send every unsent message (oldest first); returns how many went out."""
    ids = list(OutboxMessage.objects.filter(sent_at__isnull=True).order_by("created_at", "id")
               .values_list("pk", flat=True)[:limit])
    return sum(deliver(pk) for pk in ids)
