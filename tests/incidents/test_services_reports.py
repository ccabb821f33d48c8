import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEvent, OutboxMessage
from incidents import services
from incidents.models import Kind, PerpetratorIdentifier, Report
from incidents.permissions import reports_for_user
from tests.factories import OfficialFactory

from .conftest import PNG, file_report, official_of, upload

pytestmark = pytest.mark.django_db


def test_official_files_a_report_for_themselves(official):
    report = file_report(official, kinds=[Kind.THREAT, Kind.HATE], description="Hot via e-post.")
    assert report.status == Report.Status.NEW
    assert report.on_behalf is False
    assert sorted(report.kind_values) == ["hate", "threat"]
    assert list(report.affected_officials.all()) == [official_of(official)]
    assert AuditEvent.objects.filter(action="report_file", object_id=str(report.pk)).exists()


def test_official_cannot_file_for_another_official(official, other_official):
    with pytest.raises(PermissionDenied):
        file_report(official, officials=[official_of(other_official)])


def test_party_contact_files_on_behalf_of_own_member(party_contact, official):
    report = file_report(party_contact, official)
    assert report.on_behalf is True
    assert report.filed_by == party_contact


def test_party_contact_cannot_file_for_another_partys_member(party_contact, other_official):
    with pytest.raises(PermissionDenied):
        file_report(party_contact, other_official)


def test_handler_files_on_behalf_of_anyone(handler, official, other_official):
    report = file_report(handler, officials=[official_of(official), official_of(other_official)])
    assert report.on_behalf is True
    assert report.affected_officials.count() == 2


def test_admin_without_unit_role_cannot_file(admin_user, official):
    with pytest.raises(PermissionDenied):
        file_report(admin_user, official)


def test_injury_makes_a_near_miss_an_incident(official):
    report = file_report(official, severity=Report.Severity.NEAR_MISS, injury=True)
    assert report.severity == Report.Severity.INCIDENT


def test_database_refuses_an_injured_near_miss(official):
    report = file_report(official)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(severity="near_miss", injury=True)


def test_a_report_needs_a_kind(official):
    with pytest.raises(ValidationError) as exc:
        file_report(official, kinds=[])
    assert "kinds" in exc.value.error_dict


def test_unknown_kind_is_refused(official):
    with pytest.raises(ValidationError):
        file_report(official, kinds=["gossip"])


def test_future_time_is_refused(official):
    with pytest.raises(ValidationError):
        file_report(official, occurred_at=timezone.now() + dt.timedelta(days=1))


def test_a_period_instead_of_a_time(official):
    today = timezone.localdate()
    report = file_report(official, occurred_at=None, period_start=today - dt.timedelta(days=30), period_end=today)
    assert report.period_start and report.occurred_at is None


def test_a_report_needs_a_time_or_a_period(official):
    with pytest.raises(ValidationError):
        file_report(official, occurred_at=None)


def test_police_details_are_dropped_when_not_reported(official):
    report = file_report(official, police_reported=False, police_reference="5000-K1")
    assert report.police_reference == ""


def test_perpetrator_identifiers_are_normalised(official):
    report = file_report(official, perpetrators=[{
        "known": False, "name": "  Sven   SVENSSON ", "alias": "Arg Medborgare", "handle": "@ArgMedborgare",
        "phone": "+46 70-123 45 67", "email": " Arg@Example.ORG "}])
    values = set(PerpetratorIdentifier.objects.filter(report=report).values_list("kind", "value"))
    assert values == {("name", "sven svensson"), ("name", "arg medborgare"), ("handle", "argmedborgare"),
                      ("phone", "0701234567"), ("email", "arg@example.org")}


def test_empty_perpetrator_rows_are_skipped(official):
    report = file_report(official, perpetrators=[{"known": False, "name": "", "phone": ""}])
    assert report.perpetrators.count() == 0


def test_evidence_is_stored_with_hash(official):
    import hashlib

    report = file_report(official, files=[upload("skärmdump.png", PNG)])
    attachment = report.attachments.get()
    assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()
    assert attachment.mimetype == "image/png"
    assert attachment.size == len(PNG)
    assert attachment.original_name == "skärmdump.png"
    assert "skärmdump" not in attachment.file.name  # stored under a random name
    with attachment.file.open("rb") as f:
        assert f.read() == PNG


def test_filing_grants_each_affected_official(handler, official, other_official):
    report = file_report(handler, officials=[official_of(official), official_of(other_official)])
    assert reports_for_user(official).filter(pk=report.pk).exists()
    assert reports_for_user(other_official).filter(pk=report.pk).exists()


def test_urgent_kind_from_policy_marks_report_urgent(official, policy):
    assert "violence" in policy.urgent_kinds
    assert file_report(official, kinds=[Kind.VIOLENCE]).urgent is True
    assert file_report(official, kinds=[Kind.HARASSMENT]).urgent is False


# ---------------------------------------------------------------- notifications

def _sent(django_capture_on_commit_callbacks, fn):
    with django_capture_on_commit_callbacks(execute=True):
        return fn()


def test_new_report_notifies_the_unit_without_contents(official, handler, on_call, django_capture_on_commit_callbacks,
                                                       monkeypatch):
    from accounts.models import Policy

    # Within office hours whatever the clock says when the suite runs (nights and weekends too).
    monkeypatch.setattr(Policy, "is_office_hours", lambda self, when: True)
    secret = "Han sa att han vet var jag bor på Storgatan 5"
    report = _sent(django_capture_on_commit_callbacks,
                   lambda: file_report(official, description=secret, place="Storgatan 5",
                                       perpetrators=[{"name": "Sven Svensson"}]))
    recipients = {m.to[0] for m in mail.outbox}
    assert handler.email in recipients
    assert official.email in recipients  # the receipt
    assert on_call.email not in recipients  # not urgent and within office hours
    for message in mail.outbox:
        assert secret not in message.body and "Storgatan" not in message.body + message.subject
        assert "Sven" not in message.body
    assert report.reference in mail.outbox[0].body


def test_urgent_report_also_notifies_on_call(official, handler, on_call, django_capture_on_commit_callbacks):
    _sent(django_capture_on_commit_callbacks, lambda: file_report(official, kinds=[Kind.VIOLENCE]))
    assert on_call.email in {m.to[0] for m in mail.outbox}


def test_report_outside_office_hours_notifies_on_call(official, handler, on_call, policy,
                                                      django_capture_on_commit_callbacks):
    policy.office_opens, policy.office_closes = dt.time(8, 0), dt.time(17, 0)
    policy.save()
    saturday_night = timezone.make_aware(dt.datetime(2026, 11, 21, 23, 0))
    _sent(django_capture_on_commit_callbacks, lambda: file_report(
        official, now=saturday_night, occurred_at=saturday_night - dt.timedelta(hours=1)))
    assert on_call.email in {m.to[0] for m in mail.outbox}


def test_report_on_behalf_tells_the_official(party_contact, official, django_capture_on_commit_callbacks):
    _sent(django_capture_on_commit_callbacks, lambda: file_report(party_contact, official))
    assert official.email in {m.to[0] for m in mail.outbox}
    assert party_contact.email in {m.to[0] for m in mail.outbox}


def test_filing_works_with_the_broker_down(official, handler, settings, monkeypatch,
                                          django_capture_on_commit_callbacks):
    """Issue 4 acceptance: with Redis stopped the report is saved and its e-mails wait in the
    outbox; when the broker is back, the flush sends them."""
    from config.celery import app
    from core import notify as notifications

    down = {"task_always_eager": False, "broker_url": "redis://127.0.0.1:1/0",
            "broker_transport_options": {"max_retries": 0}, "task_publish_retry": False}
    saved = {key: app.conf[key] for key in down}
    try:
        app.conf.update(down)
        app._pool = None
        with django_capture_on_commit_callbacks(execute=True):
            report = file_report(official, description="Filed while the broker is down")

        assert Report.objects.filter(pk=report.pk).exists()
        waiting = OutboxMessage.objects.filter(sent_at__isnull=True)
        assert waiting.count() >= 2
        assert mail.outbox == []
    finally:
        # Restore the in-process configuration exactly: later tests rely on eager tasks.
        app.conf.update(saved)
        app._pool = None

    sent = notifications.flush()
    assert sent >= 2
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert {handler.email, official.email} <= {m.to[0] for m in mail.outbox}


def test_officials_without_user_accounts_get_no_grant(handler):
    person = OfficialFactory(user=None)
    report = services.report_file(actor=handler, officials=[person], kinds=["threat"], channel="letter",
                                  description="Brev", occurred_at=timezone.now())
    assert report.pk
