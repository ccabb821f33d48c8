"""Fixtures for the risk-analysis tests: members of two parties on one body, a body officer of
that body and another body, and quick ways to make analyses through the real services."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from officials.models import Official
from riskanalyses import services
from riskanalyses.defaults import ensure_default_template
from riskanalyses.models import PartyRiskAnalysis
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory, UserFactory

TODAY = timezone.localdate


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def default_template(db):
    """The shipped starting template (migration 0002), reloaded if a transactional test emptied it."""
    ensure_default_template()


@pytest.fixture
def body(db):
    from officials.models import Body

    return BodyFactory(name="Kommunstyrelsen", kind=Body.Kind.EXECUTIVE)


@pytest.fixture
def other_body(db):
    return BodyFactory(name="Socialnämnden")


@pytest.fixture
def member(official, body) -> Official:
    """Anna Lindqvist (the `official` persona), of `party`, with an assignment in `body`."""
    person = Official.objects.get(user=official)
    AssignmentFactory(official=person, body=body, start=dt.date(2022, 10, 15))
    return person


@pytest.fixture
def second_member(party, body) -> Official:
    person = OfficialFactory(party=party, first_name="Karl", last_name="Nyberg")
    AssignmentFactory(official=person, body=body, start=dt.date(2022, 10, 15))
    return person


@pytest.fixture
def other_member(other_official, body) -> Official:
    """Erik Johansson (the `other_official` persona), of `other_party`, with an assignment in `body`."""
    person = Official.objects.get(user=other_official)
    AssignmentFactory(official=person, body=body, start=dt.date(2022, 10, 15))
    return person


@pytest.fixture
def officer(body_officer, body):
    body_officer.body = body
    body_officer.save()
    return body_officer


@pytest.fixture
def other_officer(db, other_body):
    user = UserFactory(username="bodyofficer2", roles=[Role.BODY_OFFICER])
    user.body = other_body
    user.save()
    return user


def make_party_analysis(actor, members, **extra) -> PartyRiskAnalysis:
    data = {"kind": PartyRiskAnalysis.Kind.PUBLIC_APPEARANCE, "title": "Debatt om skolnedläggningar",
            "occurs_on": in_days(10), "place": "Folkets hus", "risks": "Kända aktivister har aviserat protest."}
    data.update(extra)
    return services.party_analysis_create(actor=actor, members=members, **data)


def make_body_analysis(actor, participants=(), **extra):
    data = {"activity": "meeting", "title": "Sammanträde om budgeten", "occurs_on": in_days(10),
            "place": "Stadshuset, sal A", "risks": "Publik med starka åsikter.", "likelihood": "moderate",
            "consequence": "high"}
    data.update(extra)
    return services.body_analysis_create(actor=actor, participants=list(participants), **data)


@pytest.fixture
def analysis(party_contact, member):
    return make_party_analysis(party_contact, [member])


@pytest.fixture
def escalated(party_contact, member):
    return make_party_analysis(party_contact, [member], judgement="cannot_judge",
                               question="Vi vet inte hur hotbilden mot Anna ser ut.")


@pytest.fixture
def body_analysis(officer, member, other_member):
    return make_body_analysis(officer, [member, other_member])


@pytest.fixture
def shared(officer, body_analysis):
    return services.body_analysis_mark_ready(actor=officer, analysis=body_analysis)


@pytest.fixture
def checklist(officer, body):
    return services.checklist_create_from_template(actor=officer, body=body)
