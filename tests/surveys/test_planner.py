from datetime import date

import pytest

from accounts.policy_profiles import policy_from_profile
from core.models import OutboxMessage
from core.planner import steps
from surveys.models import Invitation, Round, SurveyType
from surveys.services import is_survey_year, plan_survey_rounds
from tests.factories import AssignmentFactory, OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy():
    policy = policy_from_profile("fagersta")
    policy.survey_around_elections = True
    policy.internal_control_survey = True
    return policy


@pytest.fixture
def officials(db):
    for n in range(3):
        AssignmentFactory(official=OfficialFactory(work_email=f"o{n}@politik.example"), start=date(2022, 10, 15))


def test_the_step_is_registered_with_the_planner():
    assert steps()["surveys.rounds"] is plan_survey_rounds


@pytest.mark.parametrize("year,expected", [
    (2025, True), (2026, False), (2027, True), (2028, False), (2029, True), (2030, False), (2031, True),
    (2023, True), (2021, True), (2024, False),
])
def test_survey_years_are_the_years_before_and_after_each_election(year, expected):
    assert is_survey_year(year) is expected


def test_safety_round_in_the_year_before_the_election(policy, item_bank):
    policy.internal_control_survey = False
    done = plan_survey_rounds(date(2025, 1, 2), policy)
    round_ = Round.objects.get()
    assert (round_.survey_type, round_.reference_year) == (SurveyType.SAFETY, 2024)
    assert (round_.opens_on, round_.closes_on) == (date(2025, 2, 1), date(2025, 3, 14))
    assert round_.planned and done


def test_safety_round_in_the_year_after_the_election_asks_about_the_election_year(policy, item_bank):
    policy.internal_control_survey = False
    plan_survey_rounds(date(2027, 1, 10), policy)
    assert Round.objects.get().reference_year == 2026


@pytest.mark.parametrize("day", [date(2026, 1, 5), date(2026, 9, 13), date(2028, 2, 1), date(2030, 6, 1)])
def test_no_safety_round_in_election_years_or_midterm(policy, item_bank, day):
    policy.internal_control_survey = False
    plan_survey_rounds(day, policy)
    assert not Round.objects.exists()


def test_late_first_run_opens_today(policy, item_bank):
    policy.internal_control_survey = False
    plan_survey_rounds(date(2029, 5, 20), policy)
    round_ = Round.objects.get()
    assert round_.opens_on == date(2029, 5, 20) and round_.closes_on == date(2029, 6, 30)


def test_internal_control_round_every_year(policy, item_bank):
    policy.survey_around_elections = False
    for year in (2026, 2027, 2028):
        plan_survey_rounds(date(year, 1, 3), policy)
    rounds = list(Round.objects.order_by("opens_on").values_list("survey_type", "reference_year", "opens_on"))
    assert rounds == [(SurveyType.INTERNAL_CONTROL, y, date(y, 9, 1)) for y in (2026, 2027, 2028)]


def test_policy_without_surveys_plans_nothing(item_bank):
    policy = policy_from_profile("sigtuna")
    assert not policy.survey_around_elections and not policy.internal_control_survey
    plan_survey_rounds(date(2025, 1, 2), policy)
    assert not Round.objects.exists()


def test_the_step_is_idempotent(policy, item_bank, officials):
    for day in (date(2025, 1, 2), date(2025, 1, 2), date(2025, 2, 1), date(2025, 2, 1), date(2025, 2, 2)):
        plan_survey_rounds(day, policy)
    assert Round.objects.count() == 2  # one safety, one internal control
    assert Invitation.objects.count() == 3
    assert OutboxMessage.objects.count() == 3


def test_a_round_made_by_hand_that_year_is_not_doubled(policy, item_bank):
    from .conftest import make_round

    policy.internal_control_survey = False
    make_round(reference_year=2024, opens_on=date(2025, 4, 1), closes_on=date(2025, 4, 30))
    plan_survey_rounds(date(2025, 1, 2), policy)
    assert Round.objects.count() == 1


def test_invitations_on_the_opening_day_and_for_officials_who_became_active_later(policy, item_bank, officials):
    policy.internal_control_survey = False
    plan_survey_rounds(date(2025, 1, 2), policy)
    assert not Invitation.objects.exists()
    plan_survey_rounds(date(2025, 2, 1), policy)
    assert Invitation.objects.count() == 3
    AssignmentFactory(official=OfficialFactory(work_email="new@politik.example"), start=date(2025, 2, 5))
    plan_survey_rounds(date(2025, 2, 6), policy)
    assert Invitation.objects.count() == 4


def test_one_reminder_a_week_before_closing(policy, item_bank, officials):
    policy.internal_control_survey = False
    plan_survey_rounds(date(2025, 2, 1), policy)
    sent = OutboxMessage.objects.count()
    plan_survey_rounds(date(2025, 3, 6), policy)
    assert OutboxMessage.objects.count() == sent
    plan_survey_rounds(date(2025, 3, 7), policy)  # closes 14 March
    assert OutboxMessage.objects.count() == sent + 3
    plan_survey_rounds(date(2025, 3, 8), policy)
    assert OutboxMessage.objects.count() == sent + 3
    assert Round.objects.get().reminded_on == date(2025, 3, 7)


def test_closed_rounds_are_sealed_after_closing(policy, item_bank, officials):
    policy.internal_control_survey = False
    plan_survey_rounds(date(2025, 2, 1), policy)
    plan_survey_rounds(date(2025, 3, 14), policy)
    assert not Round.objects.get().sealed
    plan_survey_rounds(date(2025, 3, 15), policy)
    assert Round.objects.get().sealed
