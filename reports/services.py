"""Every write of the reports app: asking for an export, making it (the Celery task calls
`export_run`), and removing old files. Each status change is one move of `EXPORT_WORKFLOW`
(`reports.models`) through `core.workflow.transition`, with its audit row; the data leaving the
system as a file is audited as an export."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from core.audit import audit_change, audit_read
from core.models import AuditEvent
from core.workflow import transition
from officials.models import Party

from . import permissions as perms
from . import renderers, selectors
from .models import EXPORT_WORKFLOW, Export, ExportKind, ExportStatus
from .periods import Period
from .tables import suppress

log = logging.getLogger(__name__)

S = ExportStatus

# Exported files are removed this many days after they were made (the export row stays).
KEEP_DAYS = 7


def _describe(export: Export) -> str:
    """For the audit row: format, period and scope (no personal data)."""
    scope = f"party:{export.party_id}" if export.party_id else "municipality"
    return f"{export.kind} {export.period_start:%Y-%m-%d}..{export.period_end:%Y-%m-%d} {scope}"


@transaction.atomic
def export_request(*, actor: User, kind: str, period: Period, language: str | None = None) -> Export:
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


def _lock(export_id: int, *, related: tuple[str, ...] = ("requested_by",)) -> Export | None:
    """The export, locked (only its own row: the party may be null, which FOR UPDATE cannot lock)."""
    return (Export.objects.select_for_update(of=("self",)).select_related(*related)
            .filter(pk=export_id).first())


def _set(**values: Any) -> Any:
    """An `update` for `transition`: set these fields, return their names."""
    def update(export: Export, from_state: str) -> list[str]:
        for name, value in values.items():
            setattr(export, name, value)
        return list(values)
    return update


@transaction.atomic
def _start(export_id: int) -> Export | None:
    """Queued → running. A running export is taken up again (the worker died and the task was
    delivered anew); a finished one is left alone."""
    export = _lock(export_id, related=("requested_by", "party"))
    if export is None or export.status not in (S.QUEUED, S.RUNNING):
        return None
    if export.status == S.QUEUED:
        transition(export, EXPORT_WORKFLOW, S.RUNNING, actor=export.requested_by, action="report_export_start",
                   locked=True, stamp={"at": "started_at"}, update=_set(progress=5))
    return export


def _progress(export: Export, percent: int) -> None:
    """Progress for the page; not a state change, so not audited."""
    export.progress = percent
    Export.objects.filter(pk=export.pk, status=S.RUNNING).update(progress=percent)


@transaction.atomic
def _finish(export_id: int, content: bytes, name: str) -> Export:
    export = _lock(export_id)
    if export is None:
        raise Export.DoesNotExist

    def store(export: Export, from_state: str) -> list[str]:
        export.file.save(name, ContentFile(content), save=False)
        export.progress, export.size = 100, len(content)
        return ["file", "progress", "size"]

    # The move is checked before the file is written (`update` runs after the check).
    transition(export, EXPORT_WORKFLOW, S.DONE, actor=export.requested_by, action="report_export_done",
               locked=True, stamp={"at": "finished_at"}, update=store, audit_reason=_describe(export))
    audit_read(actor=export.requested_by, action="report_export", obj=export, kind=AuditEvent.Kind.EXPORT)
    return export


@transaction.atomic
def export_fail(*, export_id: int, message: str) -> Export | None:
    """Mark an export failed with a message for the person who asked for it."""
    export = _lock(export_id)
    if export is None or export.status not in (S.QUEUED, S.RUNNING):
        return export
    return transition(export, EXPORT_WORKFLOW, S.FAILED, actor=export.requested_by, action="report_export_failed",
                      locked=True, stamp={"at": "finished_at"}, update=_set(error=message[:300]),
                      audit_reason=message[:300])


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
            name = export.file.name
            transition(export, EXPORT_WORKFLOW, S.EXPIRED, actor=None, action="report_export_expired", locked=True,
                       update=_set(file=""), audit_reason=f"older than {keep_days} days", clean=False)
            if name:
                transaction.on_commit(partial(export.file.storage.delete, name))
        removed += 1
    return removed
