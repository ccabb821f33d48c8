"""Issue 15 point 10: when the official's last assignment ends, so does the municipality's
responsibility — and it shows in the app, not only in an e-mail: an entry on the timeline of each
of their open cases (written when `officials.signals.responsibility_ended` is sent), a statement
with the date on the official's own pages, and the registry's status."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from core.models import AuditEvent
from incidents import services
from incidents.models import CaseEvent, CaseStatus
from officials.models import Assignment
from officials.services import assignment_end

from .conftest import file_report, official_of

pytestmark = pytest.mark.django_db

ENDED = "The municipality's responsibility ended on"
FOR_YOU = "The municipality's responsibility for your protection ended on"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _end_last_assignment(handler, user, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        for assignment in Assignment.objects.filter(official=official_of(user)):
            assignment_end(actor=handler, assignment=assignment, end=today)
    return today


def _get(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_end_goes_on_the_timeline_of_each_open_case_of_the_official(case, handler, official, other_case,
                                                                       django_capture_on_commit_callbacks):
    second = services.case_open_from_report(actor=handler, report=file_report(official))
    closed = services.case_open_from_report(actor=handler, report=file_report(official))
    services.case_set_status(actor=handler, case=closed, to_status=CaseStatus.CLOSED)
    day = _end_last_assignment(handler, official, django_capture_on_commit_callbacks)
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.RESPONSIBILITY_ENDED)
    assert sorted(events.values_list("case_id", flat=True)) == sorted([case.pk, second.pk])
    assert {(e.day, e.actor) for e in events} == {(day, handler)}
    assert AuditEvent.objects.filter(action="case_responsibility_ended", case_id=case.pk,
                                     to_state=day.isoformat()).exists()
    assert not CaseEvent.objects.filter(case=other_case).exists()  # another official's case


def test_recording_the_end_twice_writes_one_entry(case, handler, official, django_capture_on_commit_callbacks):
    _end_last_assignment(handler, official, django_capture_on_commit_callbacks)
    person = official_of(official)
    assert services.cases_record_responsibility_ended(official=person) == []
    assert CaseEvent.objects.count() == 1


def test_no_entry_while_the_responsibility_lasts(case, official):
    assert services.cases_record_responsibility_ended(official=official_of(official)) == []
    assert not CaseEvent.objects.exists()


def test_the_planner_writes_the_entry_without_an_actor(case, official):
    person = official_of(official)
    person.responsibility_ended_on = timezone.localdate()
    events = services.cases_record_responsibility_ended(official=person, actor=None)
    assert len(events) == 1 and events[0].actor is None


def test_the_case_timeline_shows_the_end_with_its_date_to_unit_official_and_party(
        en, case, handler, official, party_contact, django_capture_on_commit_callbacks):
    day = _end_last_assignment(handler, official, django_capture_on_commit_callbacks)
    with override("en"):
        shown = date_format(day)
    for user in (handler, official, party_contact):
        html = _get(en, user, "incidents:case-detail", case.pk)
        assert f"{ENDED} {shown}" in html and "timeline-event" in html


def test_the_officials_own_pages_state_the_end_with_the_date(en, case, handler, official,
                                                             django_capture_on_commit_callbacks):
    day = _end_last_assignment(handler, official, django_capture_on_commit_callbacks)
    with override("en"):
        shown = date_format(day)
    for name in ("incidents:my-cases", "officials:me", "accounts:home"):
        assert f"{FOR_YOU} {shown}" in _get(en, official, name), name


def test_an_official_still_in_office_sees_no_such_statement(en, case, official):
    for name in ("incidents:my-cases", "officials:me", "accounts:home"):
        assert "responsibility for your protection ended" not in _get(en, official, name)


def test_the_registry_shows_the_end_in_the_list_and_on_the_official(en, case, handler, official, other_official,
                                                                    django_capture_on_commit_callbacks):
    day = _end_last_assignment(handler, official, django_capture_on_commit_callbacks)
    with override("en"):
        shown = date_format(day)
    html = _get(en, handler, "officials:official-list")
    assert html.count(ENDED) == 1 and f"{ENDED} {shown}" in html
    assert f"{ENDED} {shown}" in _get(en, handler, "officials:official-detail", official_of(official).pk)
    assert ENDED not in _get(en, handler, "officials:official-detail", official_of(other_official).pk)
