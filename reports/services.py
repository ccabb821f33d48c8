"""Every write of the reports app: asking for an export, making it (the Celery task calls
`export_run`), and removing old files. Each status change is one guarded move of `TRANSITIONS`
with an audit row; the data leaving the system as a file is audited as an export."""

from __future__ import annotations

import datetime as dt
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Policy
from core.audit import audit_change, audit_read
from core.models import AuditEvent
from officials.models import Party

from . import permissions as perms
from . import renderers, selectors
from .models import Export, ExportKind, ExportStatus
from .periods import Period
from .tables import suppress

log = logging.getLogger(__name__)

S = ExportStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.QUEUED: frozenset({S.RUNNING, S.FAILED}),
    S.RUNNING: frozenset({S.DONE, S.FAILED}),
    S.DONE: frozenset({S.EXPIRED}),
    S.FAILED: frozenset(),
    S.EXPIRED: frozenset(),
}

# Exported files are removed this many days after they were made (the export row stays).
KEEP_DAYS = 7


class InvalidTransition(ValidationError):
    pass


def _guard(export: Export, target: str) -> None:
    if target not in TRANSITIONS[export.status]:
        raise InvalidTransition(_("An export that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ExportStatus(export.status).label, "to": ExportStatus(target).label})


def _describe(export: Export) -> str:
    """For the audit row: format, period and scope (no personal data)."""
    scope = f"party:{export.party_id}" if export.party_id else "municipality"
    return f"{export.kind} {export.period_start:%Y-%m-%d}..{export.period_end:%Y-%m-%d} {scope}"


@transaction.atomic
def export_request(*, actor, kind: str, period: Period, language: str | None = None) -> Export:
    """Queue a follow-up report for `actor`'s scope (the whole municipality, or their party's
    members for a party contact). The task starts after commit."""
    scope = perms.require_scope(actor)
    if kind not in ExportKind.values:
        raise ValidationError({"kind": _("Choose PDF, CSV or XLSX.")})
    supported = {code for code, _name in settings.LANGUAGES}
    export = Export(
        requested_by=actor, kind=kind, period_start=period.start, period_end=period.end,
        party=Party.objects.get(pk=scope.party_id) if scope.party_id else None,
        language=language if language in supported else (getattr(actor, "language", "") or settings.LANGUAGE_CODE),
    )
    export.full_clean()
    export.save()
    audit_change(actor=actor, action="report_export_request", obj=export, to_state=S.QUEUED, reason=_describe(export))
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.delay(export.pk))
    return export


@transaction.atomic
def _start(export_id: int) -> Export | None:
    """Queued → running. A running export is taken up again (the worker died and the task was
    delivered anew); a finished one is left alone."""
    export = (Export.objects.select_for_update(of=("self",)).select_related("requested_by", "party")
              .filter(pk=export_id).first())
    if export is None or export.status not in (S.QUEUED, S.RUNNING):
        return None
    if export.status == S.QUEUED:
        _guard(export, S.RUNNING)
        export.status, export.started_at, export.progress = S.RUNNING, timezone.now(), 5
        export.full_clean()
        export.save(update_fields=["status", "started_at", "progress"])
        audit_change(actor=export.requested_by, action="report_export_start", obj=export, from_state=S.QUEUED,
                     to_state=S.RUNNING)
    return export


def _progress(export: Export, percent: int) -> None:
    """Progress for the page; not a state change, so not audited."""
    export.progress = percent
    Export.objects.filter(pk=export.pk, status=S.RUNNING).update(progress=percent)


@transaction.atomic
def _finish(export_id: int, content: bytes, name: str) -> Export:
    export = Export.objects.select_for_update(of=("self",)).select_related("requested_by").get(pk=export_id)
    _guard(export, S.DONE)
    export.file.save(name, ContentFile(content), save=False)
    export.status, export.progress, export.size, export.finished_at = S.DONE, 100, len(content), timezone.now()
    export.full_clean()
    export.save(update_fields=["file", "status", "progress", "size", "finished_at"])
    audit_change(actor=export.requested_by, action="report_export_done", obj=export, from_state=S.RUNNING,
                 to_state=S.DONE, reason=_describe(export))
    audit_read(actor=export.requested_by, action="report_export", obj=export, kind=AuditEvent.Kind.EXPORT)
    return export


@transaction.atomic
def export_fail(*, export_id: int, message: str) -> Export | None:
    """Mark an export failed with a message for the person who asked for it."""
    export = (Export.objects.select_for_update(of=("self",)).select_related("requested_by")
              .filter(pk=export_id).first())
    if export is None or export.status not in (S.QUEUED, S.RUNNING):
        return export
    before = export.status
    _guard(export, S.FAILED)
    export.status, export.error, export.finished_at = S.FAILED, message[:300], timezone.now()
    export.full_clean()
    export.save(update_fields=["status", "error", "finished_at"])
    audit_change(actor=export.requested_by, action="report_export_failed", obj=export, from_state=before,
                 to_state=S.FAILED, reason=message[:300])
    return export


def export_build(export: Export, *, today: dt.date | None = None) -> bytes:
    """Gather, suppress and render the export's report, in the requester's language."""
    with translation.override(export.language):
        period = export.period
        data = selectors.followup_data(period, party_id=export.party_id, today=today, policy=Policy.current())
        _progress(export, 45)
        data = suppress(data)
        _progress(export, 55)
        made = renderers.Made(author=export.requested_by.display_name(), at=timezone.now())
        return renderers.render(export.kind, data, made)


def export_run(*, export_id: int) -> Export | None:
    """Make the export (called by the Celery task). Never raises for a failure of its own: the
    export is marked failed with a clear message and the person can try again."""
    try:
        export = _start(export_id)
    except Exception as exc:
        log.error("report export %s could not start: %s", export_id, type(exc).__name__, exc_info=settings.DEBUG)
        return export_fail(export_id=export_id, message=_("The report could not be started. Try again; if it fails "
                                                          "again, tell the administrator."))
    if export is None:
        return None
    try:
        content = export_build(export)
        _progress(export, 90)
        with translation.override(export.language):
            name = f"export.{renderers.EXTENSIONS[export.kind]}"
        return _finish(export.pk, content, name)
    except SoftTimeLimitExceeded:
        with translation.override(export.language):
            message = _("The report took too long to make. Try a shorter period, or try again later.")
        log.warning("report export %s timed out", export.pk)
        return export_fail(export_id=export.pk, message=message)
    except Exception as exc:
        with translation.override(export.language):
            message = _("The report could not be made because of an error in the system. Try again; if it fails "
                        "again, tell the administrator (export %(ref)s).") % {"ref": export.reference}
        # The exception's text may quote data: only its type goes to the log.
        log.error("report export %s failed: %s", export.pk, type(exc).__name__, exc_info=settings.DEBUG)
        return export_fail(export_id=export.pk, message=message)


def export_purge(*, now: dt.datetime | None = None, keep_days: int = KEEP_DAYS) -> int:
    """Remove the files of exports made more than `keep_days` ago (done → expired). Returns how
    many were removed."""
    now = now or timezone.now()
    removed = 0
    for pk in Export.objects.filter(status=S.DONE, finished_at__lt=now - dt.timedelta(days=keep_days)).values_list(
            "pk", flat=True):
        with transaction.atomic():
            export = Export.objects.select_for_update(of=("self",)).filter(pk=pk, status=S.DONE).first()
            if export is None:
                continue
            _guard(export, S.EXPIRED)
            name = export.file.name
            export.status = S.EXPIRED
            export.file = ""
            export.save(update_fields=["status", "file"])
            audit_change(actor=None, action="report_export_expired", obj=export, from_state=S.DONE,
                         to_state=S.EXPIRED, reason=f"older than {keep_days} days")
            if name:
                transaction.on_commit(lambda name=name: Export._meta.get_field("file").storage.delete(name))
        removed += 1
    return removed
