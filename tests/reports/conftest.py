"""A known municipality for the follow-up report tests.

The year 2026 of the Sigtuna profile, with three parties:

* Socialdemokraterna (S, the `party` fixture): s1–s8. s1–s6 each got a threat by e-mail in
  February; s1–s4 each got hate and harassment on social media on 1 September (election period),
  linked to the assignment and reported to the police.
* Moderaterna (M, `other_party`): m1–m6 each got a threat by letter in May, m1 twice.
* Vänsterpartiet (V): v1 got two extortion attempts by phone in May (a group of one).
* One report in November about s5 and m2 together (violence, in person); one threat over a period
  from 1 January about m3 (damage, at home); one report on New Year's Eve 2025 (outside).

Totals for the municipality: 21 reports about 13 officials; threat 13 reports about 12 officials,
e-mail 6, letter 7. The S version: 11 reports about 6 officials, threat 6, letter 0.
"""

from __future__ import annotations

import datetime as dt
from copy import deepcopy
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest

from accounts.services import policy_load
from incidents.models import Case, CaseStatus, LinkAssessment, Report
from incidents.services import report_file
from measures.models import Measure, MeasureCost, MeasureStatus, MeasureType
from officials.models import Assignment, Official, Party
from reports.periods import Period
from tests.built_once import built_once
from tests.factories import AssignmentFactory, OfficialFactory, PartyFactory, make_party, make_persona
from training.models import Completion, Course, SecurityConversation, TrainingOffer

TZ = ZoneInfo("Europe/Stockholm")
YEAR = 2026
PERIOD = Period.year(YEAR)
TODAY = dt.date(2026, 11, 23)


def at(month: int, day: int, hour: int = 12, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def policy(db):
    return policy_load(actor=None, profile="sigtuna")


@pytest.fixture(autouse=True)
def _swedish():
    """Swedish, the default language, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("sv"):
        yield


@dataclass
class World:
    s: list[Official] = field(default_factory=list)
    m: list[Official] = field(default_factory=list)
    v: list[Official] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [o.full_name for o in self.s + self.m + self.v]

    def other_party_names(self) -> list[str]:
        return [o.full_name for o in self.m + self.v]


def _official(party: Party, tag: str, n: int, gender: str, birth_year: int) -> Official:
    official = OfficialFactory(party=party, first_name=f"Förnamn{tag}{n}", last_name=f"Efternamn{tag}{n}",
                               gender=gender, birth_year=birth_year)
    AssignmentFactory(official=official, start=dt.date(2022, 10, 15))
    return official


def build_world(*, handler, party: Party, other_party: Party, copies: int = 1, tag: str = "") -> World:
    """The municipality described above; `copies` > 1 repeats everything with new people (for the
    query-count tests)."""
    v_party = PartyFactory(name="Vänsterpartiet", abbreviation="V")
    world = World()
    for copy in range(copies):
        t = f"{tag}{copy}"
        world.s += [_official(party, f"S{t}-", n, "woman" if n <= 5 else "man", 1960 + 3 * n) for n in range(1, 9)]
        world.m += [_official(other_party, f"M{t}-", n, "man" if n <= 4 else "woman", 1970 + n) for n in range(1, 7)]
        world.v += [_official(v_party, f"V{t}-", n, "woman", 1990) for n in range(1, 3)]
    s, m, v = world.s, world.m, world.v

    def file(officials, kinds, channel, occurred_at=None, **extra):
        report = report_file(actor=handler, officials=officials, kinds=kinds, channel=channel,
                             description="Beskrivning", occurred_at=occurred_at, now=at(11, 23), **extra)
        world.reports.append(report)
        return report

    for copy in range(copies):
        cs, cm, cv = s[8 * copy: 8 * copy + 8], m[6 * copy: 6 * copy + 6], v[2 * copy: 2 * copy + 2]
        for n in range(6):
            file([cs[n]], ["threat"], "email", at(2, 10))
        for n in range(4):
            file([cs[n]], ["hate", "harassment"], "social", at(9, 1), linked_to_assignment="yes",
                 police_reported=True, police_report_date=dt.date(2026, 9, 2), police_reference="5000-K1-26")
        for n in range(6):
            file([cm[n]], ["threat"], "letter", at(5, 5))
        file([cm[0]], ["threat"], "letter", at(5, 6))
        file([cv[0]], ["extortion"], "phone", at(5, 20))
        file([cv[0]], ["extortion"], "phone", at(5, 21))
        file([cs[4], cm[1]], ["violence"], "in_person", at(11, 2))
        file([cm[2]], ["damage"], "home", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 2, 1))
        file([cs[0]], ["threat"], "email", dt.datetime(2025, 12, 31, 23, 30, tzinfo=TZ))
    return world


def add_cases_and_measures(world: World, handler, approver) -> dict:
    """s1: a case opened in February, closed in June, with an approved personal alarm and a booked
    cost; s2: a case opened in September with the link assessment "not linked" (which overrides
    the report's "yes"); m1: an open case from May."""
    s1, s2, m1 = world.s[0], world.s[1], world.m[0]
    case_s1 = Case.objects.create(official=s1, status=CaseStatus.CLOSED, opened_at=at(2, 11), closed_at=at(6, 1),
                                  opened_by=handler)
    case_s2 = Case.objects.create(official=s2, status=CaseStatus.BEING_ASSESSED, opened_at=at(9, 2),
                                  opened_by=handler)
    case_m1 = Case.objects.create(official=m1, status=CaseStatus.MEASURES, opened_at=at(5, 6), opened_by=handler)
    september_s2 = next(r for r in world.reports if r.occurred_at == at(9, 1) and s2 in r.affected_officials.all())
    Report.objects.filter(pk=september_s2.pk).update(case=case_s2, status=Report.Status.IN_CASE)
    LinkAssessment.objects.create(case=case_s2, outcome=LinkAssessment.Outcome.NOT_LINKED, recorded_by=handler)
    alarm = MeasureType.objects.get(code="personal-alarm")
    measure = Measure.objects.create(case=case_s1, measure_type=alarm, status=MeasureStatus.IN_PLACE, reason="Hot",
                                     estimated_cost_sek=6000, proposed_by=handler, proposed_at=at(2, 12),
                                     decided_by=approver, decided_at=at(2, 15))
    MeasureCost.objects.create(measure=measure, amount_sek=5500, booked_on=dt.date(2026, 3, 1), booked_by=handler)
    for n, official in enumerate(world.m[:6]):
        case = case_m1 if n == 0 else Case.objects.create(official=official, status=CaseStatus.MEASURES,
                                                          opened_at=at(5, 7), opened_by=handler)
        Measure.objects.create(case=case, measure_type=alarm, status=MeasureStatus.ORDERED, reason="Hot",
                               estimated_cost_sek=7000, proposed_by=handler, proposed_at=at(5, 8),
                               decided_by=approver, decided_at=at(5, 9))
    return {"s1": case_s1, "s2": case_s2, "m1": case_m1}


def add_training(world: World, handler) -> None:
    """Six S officials are covered (municipal commissioners); five of them completed the required
    introduction; four had a yearly security conversation."""
    course, _created = Course.objects.get_or_create(title="Introduktion", kind=Course.Kind.INTRODUCTION)
    offer, _created = TrainingOffer.objects.get_or_create(
        kind=TrainingOffer.Kind.TERM_START_INTRODUCTION, term=2026, period="",
        defaults={"course": course, "title": "Introduktion 2026", "target_group": "covered",
                  "opens_on": dt.date(2026, 10, 15), "closes_on": dt.date(2026, 12, 31), "required": True})
    for n, official in enumerate(world.s[:6]):
        Assignment.objects.create(official=official, body=official.assignments.first().body,
                                  role=Assignment.Role.COMMISSIONER, share_percent=100, start=dt.date(2026, 10, 15))
        if n < 5:
            Completion.objects.create(official=official, offer=offer, completed_on=dt.date(2026, 10, 20),
                                      source=Completion.Source.RECORDED)
        if n < 4:
            SecurityConversation.objects.create(official=official, reason="yearly", term=2026, period=1,
                                                status="held", due_by=dt.date(2026, 11, 30),
                                                held_on=dt.date(2026, 11, 10))


@pytest.fixture
def world(handler, party, other_party):
    return build_world(handler=handler, party=party, other_party=other_party)


@built_once
def _full_world_rows():
    """The municipality with its cases, measures and training, made once for the module."""
    policy_load(actor=None, profile="sigtuna")
    handler, approver = make_persona("handler"), make_persona("approver")
    world = build_world(handler=handler, party=make_party("S"), other_party=make_party("M"))
    add_cases_and_measures(world, handler, approver)
    add_training(world, handler)
    return world


@pytest.fixture
def full_world(_full_world_rows, db):
    """`world` with cases, measures and training (its own copy of the objects: the rows are
    shared with the module's other tests, and each test's changes to them are rolled back)."""
    return deepcopy(_full_world_rows)


@built_once
def _made_export(_full_world_rows, tmp_path_factory):
    from django.test import TestCase, override_settings

    from reports import services
    from reports.models import ExportStatus

    media_root = tmp_path_factory.mktemp("reports-made")
    with override_settings(MEDIA_ROOT=media_root), TestCase.captureOnCommitCallbacks(execute=True):
        export = services.export_request(actor=make_persona("admin_user"), kind="pdf", period=PERIOD, language="sv")
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE
    return export, media_root


@pytest.fixture
def made(_made_export, full_world, settings, db):
    """A finished PDF export of the administrator's (made once for the module; its file is kept in
    a folder of its own, the MEDIA_ROOT of the tests that use it)."""
    export, media_root = _made_export
    settings.MEDIA_ROOT = media_root
    return deepcopy(export)


def add_surveys(world: World) -> list:
    """Two closed safety rounds answered by world's officials: 2023 (12 answers, 6 exposed) and
    2025 (10 answers, 3 exposed — a group below five)."""
    import secrets

    from surveys.models import Invitation, InvitationToken, Item, Round, SurveyType
    from surveys.services import hash_token, item_bank_load, response_submit

    item_bank_load()
    people = world.s + world.m + world.v
    rounds = []
    for year, answers, exposed in [(2023, 12, 6), (2025, 10, 3)]:
        round_ = Round.objects.create(survey_type=SurveyType.SAFETY, reference_year=year - 1,
                                      opens_on=dt.date(year, 2, 1), closes_on=dt.date(year, 3, 14))
        round_.items.set(Item.objects.filter(survey_type=SurveyType.SAFETY, is_active=True))
        for n in range(answers + 2):  # two invited did not answer
            invitation = Invitation.objects.create(round=round_, official=people[n])
            token = secrets.token_urlsafe(16)
            InvitationToken.objects.create(invitation=invitation, token_hash=hash_token(token))
            if n < answers:
                sheet = {f"E{k}": ["no"] for k in range(1, 10)}
                if n < exposed:
                    sheet["E1"] = ["yes_once"]
                response_submit(token=token, answers=sheet, today=dt.date(year, 2, 2))
        rounds.append(round_)
    return rounds


@built_once
def _surveyed_world_rows(_full_world_rows):
    add_surveys(_full_world_rows)
    return _full_world_rows


@pytest.fixture
def surveyed_world(_surveyed_world_rows, db):
    """`full_world` with two closed survey rounds."""
    return deepcopy(_surveyed_world_rows)
