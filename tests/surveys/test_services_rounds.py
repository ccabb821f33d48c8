import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent, OutboxMessage
from core.workflow import InvalidTransition
from surveys.models import Invitation, InvitationToken, Item, Response, Round, SurveyType
from surveys.services import (
    SurveyError,
    hash_token,
    invitation_resend,
    invitations_send,
    link_state,
    reminders_send,
    response_submit,
    round_close,
    round_create,
    round_update,
)
from tests.factories import AssignmentFactory, OfficialFactory, UserFactory

from .conftest import invite, make_round

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/surveys/answer/([A-Za-z0-9_-]+)/")


def _token(message: OutboxMessage) -> str:
    return LINK.search(message.body).group(1)


# --- create, update, close ------------------------------------------------------------------


def test_create_round_asks_the_active_items_and_is_audited(handler, item_bank, today):
    Item.objects.filter(code="E9").update(is_active=False)
    round_ = round_create(actor=handler, survey_type=SurveyType.SAFETY, reference_year=today.year - 1,
                          opens_on=today, closes_on=today + timedelta(days=30))
    codes = set(round_.items.values_list("code", flat=True))
    assert "E9" not in codes and {"E1", "F1", "S3"} <= codes
    assert AuditEvent.objects.filter(action="survey_round_create", actor=handler, object_id=str(round_.pk)).exists()


def test_create_loads_the_default_bank_when_it_is_empty(handler, db, today):
    round_ = round_create(actor=handler, survey_type=SurveyType.INTERNAL_CONTROL, reference_year=today.year,
                          opens_on=today, closes_on=today)
    assert sorted(round_.items.values_list("code", flat=True)) == ["IC1", "IC2", "IC3", "IC4"]


@pytest.mark.parametrize("opens,closes", [(5, 1), (-10, -1)])
def test_create_refuses_bad_dates(handler, item_bank, today, opens, closes):
    with pytest.raises(ValidationError):
        round_create(actor=handler, survey_type=SurveyType.SAFETY, reference_year=2025,
                     opens_on=today + timedelta(days=opens), closes_on=today + timedelta(days=closes))


def test_update_changes_dates_before_invitations(handler, item_bank, today):
    round_ = make_round(opens_on=today + timedelta(days=3), closes_on=today + timedelta(days=30))
    changed = round_update(actor=handler, round_=round_, opens_on=today + timedelta(days=5),
                           closes_on=today + timedelta(days=40), reference_year=2023)
    assert changed == ["opens_on", "closes_on", "reference_year"]
    assert AuditEvent.objects.filter(action="survey_round_update").exists()


def test_update_after_invitations_only_moves_the_closing_date(handler, item_bank, today):
    round_ = make_round(invited_on=today)
    with pytest.raises(ValidationError):
        round_update(actor=handler, round_=round_, opens_on=today, closes_on=round_.closes_on,
                     reference_year=round_.reference_year)
    round_update(actor=handler, round_=round_, opens_on=round_.opens_on, closes_on=today + timedelta(days=60),
                 reference_year=round_.reference_year)
    round_.refresh_from_db()
    assert round_.closes_on == today + timedelta(days=60)


def test_update_refuses_a_closed_round(handler, item_bank, today):
    round_ = make_round(closed_early=True)
    with pytest.raises(SurveyError):
        round_update(actor=handler, round_=round_, opens_on=round_.opens_on, closes_on=today + timedelta(days=9),
                     reference_year=round_.reference_year)


def test_close_ends_answering_and_seals(handler, item_bank):
    round_ = make_round()
    _invitation, token = invite(round_)
    response_submit(token=token, answers={"E1": ["no"]})
    round_close(actor=handler, round_=round_)
    round_.refresh_from_db()
    assert round_.closed_early and round_.sealed
    assert AuditEvent.objects.filter(action="survey_round_close", from_state="open", to_state="closed").exists()
    assert Response.objects.filter(round=round_).count() == 1


@pytest.mark.parametrize("state", ["scheduled", "closed_by_date", "closed_early"])
def test_close_refuses_a_round_that_is_not_open(handler, item_bank, today, state):
    dates = {
        "scheduled": {"opens_on": today + timedelta(days=1), "closes_on": today + timedelta(days=9)},
        "closed_by_date": {"opens_on": today - timedelta(days=9), "closes_on": today - timedelta(days=1)},
        "closed_early": {"closed_early": True},
    }[state]
    round_ = make_round(**dates)
    with pytest.raises(InvalidTransition):
        round_close(actor=handler, round_=round_)


# --- invitations ----------------------------------------------------------------------------


def test_invitations_go_to_active_officials_with_an_email(handler, item_bank, today, active_official):
    start = today - timedelta(days=30)
    no_email = OfficialFactory(work_email="")
    AssignmentFactory(official=no_email, start=start)
    via_account = OfficialFactory(work_email="", user=UserFactory(username="konto", email="konto@example.se"))
    AssignmentFactory(official=via_account, start=start)
    former = OfficialFactory()
    AssignmentFactory(official=former, start=date(2018, 10, 15), end=date(2022, 10, 14))
    round_ = make_round()
    assert invitations_send(actor=handler, round_=round_) == 2
    invited = set(Invitation.objects.filter(round=round_).values_list("official_id", flat=True))
    assert invited == {active_official.pk, via_account.pk}
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == ["konto@example.se", "maria@politik.example"]
    round_.refresh_from_db()
    assert round_.invited_on == today


def test_invitation_email_has_a_working_one_time_link_and_nothing_private(handler, item_bank, active_official):
    round_ = make_round()
    invitations_send(actor=handler, round_=round_)
    message = OutboxMessage.objects.get()
    token = _token(message)
    assert InvitationToken.objects.get().token_hash == hash_token(token)
    assert "Maria" in message.body
    assert message.to == "maria@politik.example"
    assert token not in message.subject
    assert link_state(token).round == round_


def test_invitations_are_idempotent(handler, item_bank, active_official):
    round_ = make_round()
    assert invitations_send(actor=handler, round_=round_) == 1
    assert invitations_send(actor=handler, round_=round_) == 0
    assert OutboxMessage.objects.count() == 1


def test_invitation_email_is_in_the_officials_language(handler, item_bank, today):
    user = UserFactory(username="engelska", email="en@example.se", language="en")
    official = OfficialFactory(work_email="", user=user)
    AssignmentFactory(official=official, start=today - timedelta(days=5))
    invitations_send(actor=handler, round_=make_round())
    assert "Safety survey" in OutboxMessage.objects.get().subject


@pytest.mark.parametrize("state", ["scheduled", "closed"])
def test_invitations_only_while_open(handler, item_bank, today, active_official, state):
    dates = ({"opens_on": today + timedelta(days=1), "closes_on": today + timedelta(days=9)} if state == "scheduled"
             else {"closed_early": True})
    with pytest.raises(SurveyError):
        invitations_send(actor=handler, round_=make_round(**dates))


# --- reminders ------------------------------------------------------------------------------


def test_reminders_go_only_to_those_who_have_not_answered(handler, item_bank, today):
    round_ = make_round(invited_on=today - timedelta(days=3))
    done, done_token = invite(round_, work_email="done@example.se")
    waiting, _token_ = invite(round_, work_email="waiting@example.se")
    response_submit(token=done_token, answers={"E1": ["no"]})
    assert reminders_send(actor=handler, round_=round_) == 1
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["waiting@example.se"]
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 1


def test_both_the_old_and_the_reminders_link_work_until_answered(handler, item_bank, today):
    round_ = make_round(invited_on=today - timedelta(days=3))
    _invitation, first = invite(round_, work_email="w@example.se")
    reminders_send(actor=handler, round_=round_)
    second = _token(OutboxMessage.objects.get())
    assert second != first
    response_submit(token=second, answers={"E1": ["no"]})
    assert link_state(first).answered


def test_one_reminder_a_day(handler, item_bank, today):
    round_ = make_round(invited_on=today - timedelta(days=3))
    invite(round_)
    reminders_send(actor=handler, round_=round_)
    with pytest.raises(SurveyError):
        reminders_send(actor=handler, round_=round_)


def test_no_reminder_before_invitations(handler, item_bank):
    with pytest.raises(SurveyError):
        reminders_send(actor=handler, round_=make_round())


def test_no_reminder_after_closing(handler, item_bank, today):
    round_ = make_round(invited_on=today - timedelta(days=3), closed_early=True)
    with pytest.raises(SurveyError):
        reminders_send(actor=handler, round_=round_)


# --- the official asks for the link again ---------------------------------------------------


def test_official_gets_a_new_link(official, item_bank):
    round_ = make_round()
    invitation, _first = invite(round_, official=official.official)
    invitation_resend(actor=official, invitation=invitation)
    token = _token(OutboxMessage.objects.get())
    assert link_state(token).round == round_
    assert AuditEvent.objects.filter(action="survey_invitation_resend", actor=official).exists()


def test_no_new_link_once_answered(official, item_bank):
    from surveys.services import AlreadyAnswered

    round_ = make_round()
    invitation, token = invite(round_, official=official.official)
    response_submit(token=token, answers={"E1": ["no"]})
    with pytest.raises(AlreadyAnswered):
        invitation_resend(actor=official, invitation=invitation)


def test_no_new_link_after_closing(official, item_bank):
    invitation, _token = invite(make_round(closed_early=True), official=official.official)
    with pytest.raises(SurveyError):
        invitation_resend(actor=official, invitation=invitation)


def test_round_status(item_bank, today):
    assert make_round(opens_on=today + timedelta(days=1)).status(today) == Round.Status.SCHEDULED
    assert make_round(reference_year=2020).status(today) == Round.Status.OPEN
    assert make_round(reference_year=2019, closed_early=True).status(today) == Round.Status.CLOSED
