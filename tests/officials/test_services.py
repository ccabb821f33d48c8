"""officials.services: every write, its audit row and its guards."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from officials import services
from officials.models import Assignment, Consent, Official
from officials.signals import responsibility_ended
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory, PartyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def received():
    calls = []

    def receiver(sender, official, actor, **kwargs):
        calls.append((official.pk, actor))

    responsibility_ended.connect(receiver)
    yield calls
    responsibility_ended.disconnect(receiver)


# --- create / update / party -------------------------------------------------------------------

def test_official_create_audits_without_private_values(handler, party):
    official = services.official_create(actor=handler, first_name="Ida", last_name="Ek", party=party,
                                        home_address="Gatan 1", private_phone="070-1")
    row = AuditEvent.objects.get(action="official_create")
    assert row.actor == handler and row.official_id == official.pk
    assert "Gatan" not in f"{row.reason}{row.from_state}{row.to_state}"


def test_official_create_rejects_unknown_field(handler):
    with pytest.raises(TypeError):
        services.official_create(actor=handler, first_name="A", last_name="B", party_id=3)


def test_official_update_records_changed_names_only(handler, person):
    changed = services.official_update(actor=handler, official=person, private_phone="070-000", last_name="Ström")
    assert changed == ["private_phone"]
    row = AuditEvent.objects.get(action="official_update")
    assert row.reason == "private_phone" and "070-000" not in row.reason
    person.refresh_from_db()
    assert person.private_phone == "070-000"


def test_official_update_without_change_writes_no_audit(handler, person):
    assert services.official_update(actor=handler, official=person, first_name="Maja") == []
    assert not AuditEvent.objects.filter(action="official_update").exists()


def test_official_change_party_audits_from_and_to(handler, person, other_party):
    services.official_change_party(actor=handler, official=person, party=other_party)
    row = AuditEvent.objects.get(action="official_change_party")
    assert (row.from_state, row.to_state) == ("S", "M")
    person.refresh_from_db()
    assert person.party == other_party


def test_official_change_party_to_same_party_is_a_no_op(handler, person, party):
    services.official_change_party(actor=handler, official=person, party=party)
    assert not AuditEvent.objects.filter(action="official_change_party").exists()


# --- assignments and the end of responsibility ------------------------------------------------

def test_assignment_add_rejects_end_before_start(handler, person, body):
    with pytest.raises(ValidationError) as exc:
        services.assignment_add(actor=handler, official=person, body=body, role="ledamot",
                                start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 1))
    assert "end" in exc.value.message_dict


def test_assignment_add_rejects_share_over_100(handler, person, body):
    with pytest.raises(ValidationError):
        services.assignment_add(actor=handler, official=person, body=body, role="ledamot", start=TODAY,
                                share_percent=120)


def test_ending_the_last_assignment_sends_responsibility_ended(handler, person, received,
                                                                django_capture_on_commit_callbacks):
    assignment = person.assignments.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_end(actor=handler, assignment=assignment, end=TODAY)
    assert received == [(person.pk, handler)]
    person.refresh_from_db()
    assert person.responsibility_ended_on == TODAY
    assert AuditEvent.objects.filter(action="official_responsibility_end", official_id=person.pk).exists()


def test_ending_one_of_two_assignments_does_not_end_responsibility(handler, person, body, received,
                                                                    django_capture_on_commit_callbacks):
    AssignmentFactory(official=person, body=BodyFactory(), start=dt.date(2022, 10, 15))
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_end(actor=handler, assignment=person.assignments.first(), end=TODAY)
    assert received == []


def test_end_recorded_in_advance_is_picked_up_by_the_planner(handler, person, received,
                                                              django_capture_on_commit_callbacks):
    later = TODAY + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_end(actor=handler, assignment=person.assignments.get(), end=later)
    assert received == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_responsibility_ended(later, None) == []  # still the last day
        done = services.plan_responsibility_ended(later + dt.timedelta(days=1), None)
    assert len(done) == 1 and received == [(person.pk, None)]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.plan_responsibility_ended(later + dt.timedelta(days=2), None) == []  # idempotent
    assert len(received) == 1


def test_planner_step_is_registered():
    from core.planner import steps

    assert "officials.responsibility_ended" in steps()


def test_ending_an_already_ended_assignment_is_refused(handler, person):
    assignment = person.assignments.get()
    services.assignment_end(actor=handler, assignment=assignment, end=TODAY - dt.timedelta(days=2))
    with pytest.raises(InvalidTransition):
        services.assignment_end(actor=handler, assignment=assignment, end=TODAY)


def test_ending_before_the_start_is_refused(handler, person):
    with pytest.raises(ValidationError) as exc:
        services.assignment_end(actor=handler, assignment=person.assignments.get(), end=dt.date(2020, 1, 1))
    assert "end" in exc.value.message_dict


def test_a_new_assignment_resumes_responsibility(handler, person, body):
    services.assignment_end(actor=handler, assignment=person.assignments.get(), end=TODAY)
    services.assignment_add(actor=handler, official=person, body=body, role="ersattare", start=TODAY)
    person.refresh_from_db()
    assert person.responsibility_ended_on is None
    assert AuditEvent.objects.filter(action="official_responsibility_resume").exists()


# Consents: tests/officials/test_services_consent.py


# --- municipal phone ---------------------------------------------------------------------------

PHONE_ILLEGAL = [
    ("none", "declined"), ("none", "none"), ("requested", "requested"), ("offered", "offered"),
    ("issued", "offered"), ("issued", "requested"), ("issued", "issued"), ("issued", "declined"),
    ("declined", "declined"), ("declined", "issued"),
]


@pytest.mark.parametrize(("start", "to"), PHONE_ILLEGAL)
def test_phone_illegal_moves_are_refused(handler, person, start, to):
    Official.objects.filter(pk=person.pk).update(municipal_phone=start)
    person.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.municipal_phone_change(actor=handler, official=person, to=to, number="08-1")


def test_issuing_a_phone_needs_a_number(handler, person):
    with pytest.raises(ValidationError) as exc:
        services.municipal_phone_change(actor=handler, official=person, to="issued")
    assert "number" in exc.value.message_dict


def test_issue_and_return_phone(handler, person):
    services.municipal_phone_change(actor=handler, official=person, to="issued", number="08-508 000 00")
    person.refresh_from_db()
    assert (person.municipal_phone, person.municipal_phone_number) == ("issued", "08-508 000 00")
    services.municipal_phone_change(actor=handler, official=person, to="none")
    person.refresh_from_db()
    assert (person.municipal_phone, person.municipal_phone_number) == ("none", "")
    assert list(AuditEvent.objects.filter(action="municipal_phone_change").order_by("id")
                .values_list("from_state", "to_state")) == [("none", "issued"), ("issued", "none")]


def test_official_request_tells_the_security_unit(official, own, django_capture_on_commit_callbacks):
    services.municipal_phone_change(actor=official, official=own, to="requested")
    message = OutboxMessage.objects.get()
    assert own.full_name in message.body
    assert own.private_phone not in message.body and own.home_address not in message.body


def test_phone_request_mail_links_to_the_official_with_the_sites_address(official, own, settings):
    settings.SITE_URL = "https://varn.example.se/"
    services.municipal_phone_change(actor=official, official=own, to="requested")
    body = OutboxMessage.objects.get().body
    path = reverse("officials:official-detail", args=[own.pk])
    assert f"https://varn.example.se{path}" in body
    assert body.count(path) == body.count(f"https://varn.example.se{path}")  # no relative link


def test_phone_request_mail_is_in_the_units_language_not_the_officials(official, own):
    official.language = "en"
    official.save(update_fields=["language"])
    with translation.override("en"):  # the official clicks in English
        services.municipal_phone_change(actor=official, official=own, to="requested")
    with translation.override("sv"):  # the unit's mailbox has no account: the site's language
        expected = translation.gettext("An official asks for a municipal phone")
    assert OutboxMessage.objects.get().subject == expected


@pytest.mark.parametrize(("start", "to"), [("none", "issued"), ("none", "offered"), ("requested", "declined"),
                                           ("offered", "issued")])
def test_official_may_not_make_the_units_moves(official, own, start, to):
    Official.objects.filter(pk=own.pk).update(municipal_phone=start)
    own.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.municipal_phone_change(actor=official, official=own, to=to, number="08-1")


def test_official_may_decline_an_offer(official, own):
    Official.objects.filter(pk=own.pk).update(municipal_phone="offered")
    own.refresh_from_db()
    services.municipal_phone_change(actor=official, official=own, to="declined")
    own.refresh_from_db()
    assert own.municipal_phone == "declined"


def test_other_roles_may_not_change_the_phone(party_contact, person):
    with pytest.raises(PermissionDenied):
        services.municipal_phone_change(actor=party_contact, official=person, to="requested")


# --- derived -----------------------------------------------------------------------------------

def test_derived_covered_active_and_employee(db):
    person = OfficialFactory(party=PartyFactory())
    assert not person.is_active()
    AssignmentFactory(official=person, share_percent=40, start=dt.date(2022, 1, 1))
    person = Official.objects.prefetch_related("assignments").get(pk=person.pk)
    assert person.is_active() and person.is_covered() and not person.is_treated_as_employee()
    AssignmentFactory(official=person, role=Assignment.Role.COMMISSIONER, start=dt.date(2022, 1, 1))
    person = Official.objects.prefetch_related("assignments").get(pk=person.pk)
    assert person.is_treated_as_employee()
    assert set(Consent.Field.values) == {"home_address", "private_phone", "private_email", "private_social"}
