import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEvent
from core.workflow import InvalidTransition
from incidents import services
from incidents.models import (
    CASE_WORKFLOW,
    Campaign,
    CaseStatus,
    CaseUserObjectPermission,
    Priority,
    Report,
    SupportOffer,
)
from incidents.permissions import cases_for_user

from .conftest import file_report, official_of

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- triage

def test_triage_sets_priority_and_handler(report, handler, other_handler):
    report = services.report_triage(actor=handler, report=report, priority=Priority.HIGH, handler=other_handler)
    assert (report.status, report.priority, report.handler) == (Report.Status.TRIAGED, "high", other_handler)
    assert AuditEvent.objects.filter(action="report_triage", object_id=str(report.pk)).exists()


def test_triage_refuses_a_handler_outside_the_unit(report, handler, official):
    with pytest.raises(ValidationError):
        services.report_triage(actor=handler, report=report, priority=Priority.HIGH, handler=official)


def test_only_the_unit_triages(report, party_contact):
    with pytest.raises(PermissionDenied):
        services.report_triage(actor=party_contact, report=report, priority=Priority.HIGH)


def test_marking_urgent_tells_on_call(report, handler, on_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_triage(actor=handler, report=report, priority=Priority.URGENT)
    assert report.urgent
    assert on_call.email in {m.to[0] for m in mail.outbox}


def test_triage_of_a_report_in_a_case_is_refused(case, handler):
    report = case.reports.get()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.report_triage(actor=handler, report=report, priority=Priority.LOW)


# ---------------------------------------------------------------- opening and joining

def test_open_case_from_report(report, handler, official):
    services.report_triage(actor=handler, report=report, priority=Priority.HIGH, handler=handler)
    case = services.case_open_from_report(actor=handler, report=report, title="Hot via mejl")
    report.refresh_from_db()
    assert report.case == case and report.status == Report.Status.IN_CASE
    assert case.official == official_of(official)
    assert (case.status, case.priority, case.handler) == (CaseStatus.NEW, "high", handler)
    assert case.status_changes.get().to_status == CaseStatus.NEW
    assert CaseUserObjectPermission.objects.filter(content_object=case, user=handler,
                                                   permission__codename="change_case").exists()
    assert cases_for_user(official).filter(pk=case.pk).exists()


def test_open_case_twice_is_refused(case, handler):
    with pytest.raises((ValidationError, PermissionDenied)):
        services.case_open_from_report(actor=handler, report=case.reports.get())


def test_open_case_tells_official_and_party_contacts(report, handler, official, party_contact, other_party_contact,
                                                     django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_open_from_report(actor=handler, report=report)
    recipients = {m.to[0] for m in mail.outbox}
    assert {official.email, party_contact.email} <= recipients
    assert other_party_contact.email not in recipients
    for message in mail.outbox:
        assert report.description not in message.body
        assert "Anna" not in message.body and "Lindqvist" not in message.body


def test_open_case_refused_for_party_contact(report, party_contact):
    with pytest.raises(PermissionDenied):
        services.case_open_from_report(actor=party_contact, report=report)


def test_join_report_to_case(case, handler, official):
    second = file_report(official, description="Ett andra mejl")
    services.report_join_case(actor=handler, report=second, case=case)
    second.refresh_from_db()
    assert second.case == case and second.status == Report.Status.IN_CASE
    assert case.reports.count() == 2


def test_join_grants_the_reports_officials_the_case(case, handler, other_official):
    campaign_report = file_report(handler, other_official)
    assert not cases_for_user(other_official).filter(pk=case.pk).exists()
    services.report_join_case(actor=handler, report=campaign_report, case=case)
    assert cases_for_user(other_official).filter(pk=case.pk).exists()


def test_join_a_closed_case_is_refused(case, handler, official):
    services.case_set_status(actor=handler, case=case, to_status=CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        services.report_join_case(actor=handler, report=file_report(official), case=case)


def test_join_refused_for_official(case, official):
    with pytest.raises(PermissionDenied):
        services.report_join_case(actor=official, report=file_report(official), case=case)


# ---------------------------------------------------------------- status transitions

ALL = list(CaseStatus.values)
TRANSITIONS = CASE_WORKFLOW.table
LEGAL = [(a, b) for a in ALL for b in ALL if b in TRANSITIONS[a]]
ILLEGAL = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


def _case_in(case, status):
    case.status = status
    case.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
    case.save(update_fields=["status", "closed_at"])
    return case


def test_the_main_path_is_allowed():
    path = ["new", "triaged", "being_assessed", "measures", "monitoring", "closed"]
    for a, b in zip(path, path[1:], strict=False):
        assert b in TRANSITIONS[a]


@pytest.mark.parametrize(("start", "target"), LEGAL)
def test_legal_transition(case, handler, start, target):
    _case_in(case, start)
    case = services.case_set_status(actor=handler, case=case, to_status=target, comment="ok")
    assert case.status == target
    assert (case.closed_at is not None) == (target == CaseStatus.CLOSED)
    change = case.status_changes.last()
    assert (change.from_status, change.to_status, change.actor) == (start, target, handler)
    event = AuditEvent.objects.filter(action="case_set_status").latest("id")
    assert (event.from_state, event.to_state, event.case_id, event.official_id) == (start, target, case.pk,
                                                                                     case.official_id)


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_illegal_transition_is_refused(case, handler, start, target):
    _case_in(case, start)
    with pytest.raises(InvalidTransition):
        services.case_set_status(actor=handler, case=case, to_status=target)
    case.refresh_from_db()
    assert case.status == start


def test_unknown_status_is_refused(case, handler):
    with pytest.raises(InvalidTransition):
        services.case_set_status(actor=handler, case=case, to_status="archived")


def test_status_change_refused_for_non_unit(case, official, party_contact, approver, admin_user):
    for user in (official, party_contact, approver, admin_user):
        with pytest.raises(PermissionDenied):
            services.case_set_status(actor=user, case=case, to_status=CaseStatus.TRIAGED)


def test_status_change_tells_the_official_without_notes(case, handler, official,
                                                         django_capture_on_commit_callbacks):
    services.case_add_note(actor=handler, case=case, text="Hemligt: gärningsperson känd av Säpo")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_set_status(actor=handler, case=case, to_status=CaseStatus.TRIAGED, comment="Internt")
    assert [m.to[0] for m in mail.outbox] == [official.email]
    assert "Hemligt" not in mail.outbox[0].body and "Internt" not in mail.outbox[0].body


def test_reopen_clears_closed_at(case, handler):
    services.case_set_status(actor=handler, case=case, to_status=CaseStatus.CLOSED)
    case = services.case_set_status(actor=handler, case=case, to_status=CaseStatus.BEING_ASSESSED)
    assert case.closed_at is None


# ---------------------------------------------------------------- handling

def test_assign_moves_the_grant(case, handler, other_handler):
    services.case_assign(actor=handler, case=case, handler=handler)
    services.case_assign(actor=handler, case=case, handler=other_handler)
    grants = CaseUserObjectPermission.objects.filter(content_object=case, permission__codename="change_case")
    assert list(grants.values_list("user__username", flat=True)) == ["handler2"]


def test_assign_refuses_non_unit_handler(case, handler, approver):
    with pytest.raises(ValidationError):
        services.case_assign(actor=handler, case=case, handler=approver)


def test_priority(case, handler):
    assert services.case_set_priority(actor=handler, case=case, priority=Priority.URGENT).priority == "urgent"
    with pytest.raises(ValidationError):
        services.case_set_priority(actor=handler, case=case, priority="whenever")


def test_note_is_audited_without_its_text(case, handler):
    note = services.case_add_note(actor=handler, case=case, text="Känslig uppgift", confidential=True)
    event = AuditEvent.objects.get(action="case_add_note")
    assert event.case_id == case.pk and "Känslig" not in event.reason
    assert note.confidential


def test_note_refused_for_party_contact(case, party_contact):
    with pytest.raises(PermissionDenied):
        services.case_add_note(actor=party_contact, case=case, text="x")


def test_contact_sets_next_contact(case, handler):
    next_week = timezone.localdate() + dt.timedelta(days=7)
    services.case_add_contact(actor=handler, case=case, with_whom="official", way="phone", summary="Samtal",
                              next_contact_on=next_week)
    case.refresh_from_db()
    assert case.next_contact_on == next_week


def test_contact_refuses_next_contact_in_the_past(case, handler):
    with pytest.raises(ValidationError):
        services.case_add_contact(actor=handler, case=case, with_whom="official", way="phone", summary="x",
                                  next_contact_on=timezone.localdate() - dt.timedelta(days=1))


def test_support_offered(case, handler):
    offer = services.case_record_support(actor=handler, case=case, kind="crisis", answer="accepted")
    assert offer.get_kind_display() and offer.answer == SupportOffer.Answer.ACCEPTED


def test_police_report_recorded_with_help(case, handler):
    report = case.reports.get()
    services.case_record_police_report(actor=handler, case=case, report=report, reported_on=timezone.localdate(),
                                       reference="5000-K123456-26", helped=True)
    report.refresh_from_db()
    assert report.police_reported and report.police_reference == "5000-K123456-26"
    assert case.support_offers.filter(kind="police", answer="given").exists()


def test_police_report_for_a_report_of_another_case_is_refused(case, other_case, handler):
    with pytest.raises(ValidationError):
        services.case_record_police_report(actor=handler, case=case, report=other_case.reports.get(),
                                           reported_on=timezone.localdate(), reference="1")


def test_campaign_groups_cases_across_officials(case, other_case, handler):
    campaign = services.campaign_group(actor=handler, cases=[case], name="Mejlkampanj")
    services.campaign_group(actor=handler, cases=[other_case], campaign=campaign)
    assert set(Campaign.objects.get().cases.all()) == {case, other_case}
    services.campaign_remove_case(actor=handler, campaign=campaign, case=case)
    assert list(campaign.cases.all()) == [other_case]


def test_campaign_refused_outside_unit(case, party_contact):
    with pytest.raises(PermissionDenied):
        services.campaign_group(actor=party_contact, cases=[case], name="x")
