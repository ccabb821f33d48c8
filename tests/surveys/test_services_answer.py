from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from surveys.models import Answer, Invitation, Item, Response
from surveys.services import (
    AlreadyAnswered,
    RoundNotOpen,
    UnknownLink,
    link_state,
    response_submit,
    shown_answers,
)

from .conftest import invite, make_round

pytestmark = pytest.mark.django_db


def _stored(round_) -> set[tuple[str, str]]:
    return set(Answer.objects.filter(response__round=round_).values_list("item__code", "option__code"))


@pytest.fixture
def items(item_bank):
    return list(Item.objects.filter(survey_type="safety").order_by("position").prefetch_related("options"))


def test_submit_stores_one_response_and_marks_the_invitation(item_bank):
    round_ = make_round()
    invitation, token = invite(round_)
    response_submit(token=token, answers={"B1": ["kf_member", "ks"], "B2": ["woman"], "E1": ["no"]})
    invitation.refresh_from_db()
    assert invitation.answered
    assert Response.objects.filter(round=round_).count() == 1
    assert _stored(round_) == {("B1", "kf_member"), ("B1", "ks"), ("B2", "woman"), ("E1", "no")}


def test_a_token_answers_once(item_bank):
    round_ = make_round()
    _invitation, token = invite(round_)
    response_submit(token=token, answers={"E1": ["no"]})
    with pytest.raises(AlreadyAnswered):
        response_submit(token=token, answers={"E1": ["yes_once"]})
    assert Response.objects.count() == 1
    assert link_state(token).answered


def test_every_link_of_an_invitation_is_spent_by_one_answer(item_bank):
    from surveys.models import InvitationToken
    from surveys.services import hash_token

    round_ = make_round()
    invitation, first = invite(round_)
    InvitationToken.objects.create(invitation=invitation, token_hash=hash_token("second-link-token"))
    response_submit(token="second-link-token", answers={"E1": ["no"]})
    with pytest.raises(AlreadyAnswered):
        response_submit(token=first, answers={"E1": ["no"]})


def test_unknown_token_is_rejected(item_bank):
    make_round()
    with pytest.raises(UnknownLink):
        response_submit(token="not-a-token", answers={"E1": ["no"]})
    with pytest.raises(UnknownLink):
        link_state("not-a-token")


def test_no_answers_after_the_closing_date(item_bank, today):
    round_ = make_round(opens_on=today - timedelta(days=10), closes_on=today - timedelta(days=1))
    invitation, token = invite(round_)
    with pytest.raises(RoundNotOpen):
        response_submit(token=token, answers={"E1": ["no"]})
    invitation.refresh_from_db()
    assert not invitation.answered and not Response.objects.exists()


def test_the_closing_day_itself_is_open(item_bank, today):
    round_ = make_round(opens_on=today - timedelta(days=10), closes_on=today)
    _invitation, token = invite(round_)
    response_submit(token=token, answers={"E1": ["no"]})
    assert Response.objects.count() == 1


def test_no_answers_in_a_round_closed_early(item_bank):
    round_ = make_round(closed_early=True)
    _invitation, token = invite(round_)
    with pytest.raises(RoundNotOpen):
        response_submit(token=token, answers={"E1": ["no"]})


def test_no_answers_before_opening(item_bank, today):
    round_ = make_round(opens_on=today + timedelta(days=2), closes_on=today + timedelta(days=20))
    _invitation, token = invite(round_)
    with pytest.raises(RoundNotOpen):
        response_submit(token=token, answers={"E1": ["no"]})


@pytest.mark.parametrize("answers", [
    {},
    {"E1": []},
    {"E1": ["no", "yes_once"]},  # two answers to a single-choice item
    {"E1": ["perhaps"]},  # no such option
])
def test_bad_answers_are_refused_and_the_token_is_kept(item_bank, answers):
    round_ = make_round()
    invitation, token = invite(round_)
    with pytest.raises(ValidationError):
        response_submit(token=token, answers=answers)
    invitation.refresh_from_db()
    assert not invitation.answered and not Response.objects.exists()
    response_submit(token=token, answers={"E1": ["no"]})


def test_answers_to_items_not_in_the_round_are_ignored(item_bank):
    round_ = make_round()
    _invitation, token = invite(round_)
    response_submit(token=token, answers={"E1": ["no"], "IC1": ["yes"], "ZZ9": ["x"]})
    assert _stored(round_) == {("E1", "no")}


# --- conditional items ----------------------------------------------------------------------


def test_f_block_is_dropped_without_a_yes_in_the_e_block(items):
    kept = shown_answers(items, {"E1": ["no"], "E9": ["dont_know"], "F1": ["email"], "F3": ["very"]})
    assert kept == {"E1": ["no"], "E9": ["dont_know"]}


@pytest.mark.parametrize("code,answer", [("E1", "yes_once"), ("E7", "yes_many"), ("E9", "yes_once")])
def test_f_block_is_kept_after_any_e_yes(items, code, answer):
    kept = shown_answers(items, {code: [answer], "F1": ["email", "sms"], "F3": ["very"]})
    assert kept["F1"] == ["email", "sms"] and kept["F3"] == ["very"]


def test_c2_only_after_c1_yes(items):
    assert "C2" not in shown_answers(items, {"C1": ["no"], "C2": ["left"]})
    assert "C2" not in shown_answers(items, {"C2": ["left"]})
    assert shown_answers(items, {"C1": ["yes"], "C2": ["left"]})["C2"] == ["left"]


def test_conditions_chain_f6_needs_f5_no_which_needs_an_e_yes(items):
    assert "F6" not in shown_answers(items, {"E1": ["no"], "F5": ["no"], "F6": ["minor"]})
    assert "F6" not in shown_answers(items, {"E1": ["yes_once"], "F5": ["yes"], "F6": ["minor"]})
    assert shown_answers(items, {"E1": ["yes_once"], "F5": ["no"], "F6": ["minor"]})["F6"] == ["minor"]


def test_submission_applies_the_skip_logic(item_bank):
    round_ = make_round()
    _invitation, token = invite(round_)
    response_submit(token=token, answers={"E1": ["no"], "F1": ["email"], "C1": ["no"], "C2": ["left"]})
    assert _stored(round_) == {("E1", "no"), ("C1", "no")}


def test_only_conditional_answers_count_as_no_answer(item_bank):
    round_ = make_round()
    invitation, token = invite(round_)
    with pytest.raises(ValidationError):
        response_submit(token=token, answers={"F1": ["email"]})
    assert not Invitation.objects.get(pk=invitation.pk).answered
