"""Asking for an export, making it in the Celery task, failures, the allowed status moves and
removing old files."""

import datetime as dt
import logging
import zipfile
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from core.models import AuditEvent
from core.workflow import InvalidTransition
from reports import renderers, services, tasks
from reports.models import EXPORT_WORKFLOW, Export, ExportStatus

from .conftest import PERIOD

pytestmark = pytest.mark.django_db
S = ExportStatus


def audit_rows(export):
    return list(AuditEvent.objects.filter(object_type="reports.export", object_id=str(export.pk))
                .order_by("created_at", "id").values_list("action", "kind", "from_state", "to_state"))


def export_for(actor, capture, kind="pdf", language="sv"):
    with capture(execute=True):
        export = services.export_request(actor=actor, kind=kind, period=PERIOD, language=language)
    export.refresh_from_db()
    return export


def make(actor, status, **fields):
    """An export put straight into `status` (valid for every constraint)."""
    export = Export(requested_by=actor, kind="pdf", period_start=PERIOD.start, period_end=PERIOD.end, status=status,
                    **fields)
    if status == S.DONE:
        export.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        export.finished_at = timezone.now()
    export.save()
    return export


def test_an_export_is_queued_made_by_the_task_and_audited(full_world, admin_user, django_capture_on_commit_callbacks):
    export = export_for(admin_user, django_capture_on_commit_callbacks)
    assert export.status == S.DONE and export.progress == 100 and export.finished_at and export.started_at
    assert export.party is None
    path = Path(export.file.path)
    assert path.read_bytes().startswith(b"%PDF")
    assert export.size == path.stat().st_size
    # kept under MEDIA_ROOT with a random name, outside the static files
    assert path.is_relative_to(Path(settings.MEDIA_ROOT)) and not path.is_relative_to(Path(settings.STATIC_ROOT))
    assert "uppfoljning" not in path.name and "2026" not in path.name
    assert audit_rows(export) == [
        ("report_export_request", "change", "", "queued"),
        ("report_export_start", "change", "queued", "running"),
        ("report_export_done", "change", "running", "done"),
        ("report_export", "export", "", ""),
    ]
    assert all(e.actor_id == admin_user.pk for e in AuditEvent.objects.filter(object_type="reports.export"))


def test_a_party_contact_gets_the_party_version(full_world, party_contact, party, django_capture_on_commit_callbacks):
    export = export_for(party_contact, django_capture_on_commit_callbacks, kind="csv")
    assert export.status == S.DONE and export.party == party
    with zipfile.ZipFile(export.file.path) as archive:
        text = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert "Socialdemokraterna" in text and "Moderaterna" not in text


@pytest.mark.parametrize("persona", ["official", "approver", "body_officer", "on_call"])
def test_only_administrators_the_security_unit_and_party_contacts_may_export(persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.export_request(actor=user, kind="pdf", period=PERIOD)
    assert not Export.objects.exists()


def test_a_party_contact_without_a_party_may_not_export(party_contact):
    party_contact.party = None
    party_contact.save()
    with pytest.raises(PermissionDenied):
        services.export_request(actor=party_contact, kind="pdf", period=PERIOD)


def test_the_export_is_made_in_the_requesters_language(full_world, handler, django_capture_on_commit_callbacks):
    export = export_for(handler, django_capture_on_commit_callbacks, language="en")
    text = "\n".join(p.extract_text() for p in PdfReader(export.file.path).pages)
    assert "Follow-up report 2026" in text and "Reports by kind" in text


def test_a_failure_leaves_the_export_failed_with_a_clear_message(full_world, admin_user, monkeypatch, caplog,
                                                                 django_capture_on_commit_callbacks):
    def broken(kind, data, made):
        raise RuntimeError("Förnamn Efternamn Storgatan 1")

    monkeypatch.setattr(renderers, "render", broken)
    with caplog.at_level(logging.INFO):
        export = export_for(admin_user, django_capture_on_commit_callbacks)
    assert export.status == S.FAILED and not export.file and export.finished_at
    with translation.override("sv"):
        expected = gettext("The report could not be made because of an error in the system. Try again; if it "
                           "fails again, tell the administrator (export %(ref)s).") % {"ref": export.reference}
    assert export.error == expected
    assert "Storgatan" not in export.error and "Storgatan" not in caplog.text
    assert "RuntimeError" in caplog.text
    assert audit_rows(export)[-1] == ("report_export_failed", "change", "running", "failed")


def test_a_timeout_says_so(full_world, admin_user, monkeypatch, django_capture_on_commit_callbacks):
    def slow(kind, data, made):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(renderers, "render", slow)
    export = export_for(admin_user, django_capture_on_commit_callbacks, language="en")
    assert export.status == S.FAILED
    assert "took too long" in export.error


def test_progress_is_recorded_while_the_report_is_made(full_world, admin_user, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    seen = []
    real = renderers.render

    def spy(kind, data, made):
        seen.append(Export.objects.values_list("status", "progress").get())
        return real(kind, data, made)

    monkeypatch.setattr(renderers, "render", spy)
    export_for(admin_user, django_capture_on_commit_callbacks, kind="xlsx")
    assert seen == [(S.RUNNING, 55)]


# ---------------------------------------------------------------- status moves


@pytest.mark.parametrize("start", [S.DONE, S.FAILED, S.EXPIRED])
def test_the_task_leaves_a_finished_export_alone(admin_user, start):
    export = make(admin_user, start, **({"error": "x"} if start == S.FAILED else {}))
    assert tasks.run_export.delay(export.pk).get() == "skipped"
    export.refresh_from_db()
    assert export.status == start
    assert not audit_rows(export)


def test_a_redelivered_running_export_is_made(full_world, admin_user):
    export = make(admin_user, S.RUNNING, started_at=timezone.now())
    assert tasks.run_export.delay(export.pk).get() == S.DONE


@pytest.mark.parametrize("start", [S.DONE, S.EXPIRED, S.FAILED])
def test_a_finished_export_cannot_fail(admin_user, start):
    export = make(admin_user, start, **({"error": "x"} if start == S.FAILED else {}))
    services.export_fail(export_id=export.pk, message="no")
    export.refresh_from_db()
    assert export.status == start


@pytest.mark.parametrize("start", [S.QUEUED, S.DONE, S.FAILED, S.EXPIRED])
def test_only_a_running_export_can_be_finished(admin_user, start):
    export = make(admin_user, start, **({"error": "x"} if start == S.FAILED else {}))
    with pytest.raises(InvalidTransition):
        services._finish(export.pk, b"%PDF", "x.pdf")


@pytest.mark.parametrize("start,target", [(a, b) for a in S.values for b in S.values
                                           if not EXPORT_WORKFLOW.allows(a, b)])
def test_every_move_outside_the_table_is_refused(admin_user, start, target):
    export = Export(requested_by=admin_user, kind="pdf", period_start=PERIOD.start, period_end=PERIOD.end,
                    status=start)
    with pytest.raises(InvalidTransition):
        EXPORT_WORKFLOW.check(export.status, target)


def test_old_files_are_removed_and_the_export_expires(admin_user, django_capture_on_commit_callbacks):
    old = make(admin_user, S.DONE)
    Export.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    recent = make(admin_user, S.DONE)
    failed = make(admin_user, S.FAILED, error="x")
    old_path = Path(old.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_exports.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    failed.refresh_from_db()
    assert old.status == S.EXPIRED and not old.file and not old_path.exists()
    assert recent.status == S.DONE and Path(recent.file.path).exists()
    assert failed.status == S.FAILED
    assert audit_rows(old) == [("report_export_expired", "change", "done", "expired")]


def test_an_export_that_cannot_start_is_failed_not_left_queued(admin_user, monkeypatch):
    export = make(admin_user, S.QUEUED)

    def broken(export_id):
        raise RuntimeError("database trouble")

    monkeypatch.setattr(services, "_start", broken)
    assert tasks.run_export.delay(export.pk).get() == S.FAILED
    export.refresh_from_db()
    assert export.status == S.FAILED and export.error
