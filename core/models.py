"""The tables every app writes through core: the audit trail, the e-mail outbox and reminders.
(Their tables keep the names they were created with in `accounts` and `training`.)"""

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("The audit trail is append-only."))

    def delete(self) -> NoReturn:
        raise ValidationError(_("The audit trail is append-only."))


class AuditEvent(models.Model):
    """One row per state change or read of protected data. Append-only: never updated or
    deleted. Holds no private data: only who, when, what (type and id), from → to, why."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("Change")
        READ = "read", _("Read")
        LOGIN = "login", _("Login")
        EXPORT = "export", _("Export")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("case"), null=True, blank=True)
    official_id = models.BigIntegerField(_("official"), null=True, blank=True)
    from_state = models.CharField(_("from"), max_length=64, blank=True)
    to_state = models.CharField(_("to"), max_length=64, blank=True)
    reason = models.TextField(_("why"), blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        db_table = "accounts_auditevent"
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["case_id", "-created_at"]),
            models.Index(fields=["official_id", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

    # What people see (core.audit): the action's label, never its code; the states by their labels.
    @property
    def action_label(self) -> str:
        from .audit import action_label

        return action_label(self.action, self.kind)

    @property
    def from_label(self) -> str:
        from .audit import state_label

        return state_label(self.object_type, self.from_state)

    @property
    def to_label(self) -> str:
        from .audit import state_label

        return state_label(self.object_type, self.to_state)

    @property
    def reason_label(self) -> str:
        from .audit import reason_label

        return reason_label(self.object_type, self.reason)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("The audit trail is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("The audit trail is append-only."))


class OutboxMessage(models.Model):
    """An e-mail waiting to be sent. Written in the same transaction as the change it reports,
    so a notification is never lost when the broker or the mail server is down: a task sends it
    after commit, and the periodic `flush_outbox` task retries whatever is still unsent.
    Callers put no confidential content in subject or body."""

    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(pgettext_lazy("e-mail", "body"))
    attachment_name = models.CharField(_("attachment name"), max_length=100, blank=True)
    attachment_mimetype = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment_content = models.TextField(_("attachment"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        db_table = "accounts_outboxmessage"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_unsent_idx")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class Reminder(models.Model):
    """Something a role (or one person) must look at by a date, about any object (content type
    and id). Every app plans them through `core.reminders` (`reminder_ensure_many` and friends);
    created once per (kind, object, due date) — the database enforces it. `recipients_role` is a
    role's name (a group); core knows no roles, so it holds no choices."""

    kind = models.CharField(_("kind"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    due_on = models.DateField(_("due"))
    recipients_role = models.CharField(_("for role"), max_length=32, blank=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("for"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="reminders")
    message = models.CharField(_("message"), max_length=300)
    # The message as a message id and parameters (core.texts), shown in the reader's language;
    # `message` holds it in the municipality's language. Empty for reminders written as plain text.
    message_text = models.JSONField(_("message (for translation)"), null=True, blank=True, editable=False)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "training_reminder"
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "content_type", "object_id", "due_on"],
                                    name="reminder_once_per_kind_object_due"),
            models.CheckConstraint(condition=~Q(recipients_role="") | Q(recipient__isnull=False),
                                   name="reminder_has_recipient"),
        ]
        indexes = [models.Index(fields=["recipients_role", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.due_on:%Y-%m-%d} {self.text}"

    @property
    def text(self) -> str:
        """The message in the reader's (the active) language."""
        from .texts import render

        return render(self.message_text, self.message)
