"""Survey fixtures: the item bank, rounds with invitations and tokens, and rounds answered through
the real submission service."""

import secrets
from datetime import date, timedelta

import pytest
from django.utils import timezone

from surveys.models import Invitation, InvitationToken, Item, Round, SurveyType
from surveys.services import hash_token, item_bank_load, response_submit
from tests.factories import AssignmentFactory, OfficialFactory


@pytest.fixture
def item_bank(db):
    item_bank_load()
    return Item.objects.all()


@pytest.fixture
def today():
    return timezone.localdate()


def make_round(*, survey_type=SurveyType.SAFETY, reference_year=2024, opens_on=None, closes_on=None,
               **fields) -> Round:
    """A round asking the type's active items (bank must be loaded); open today by default."""
    today = timezone.localdate()
    opens_on = opens_on or today - timedelta(days=1)
    closes_on = closes_on or today + timedelta(days=20)
    round_ = Round.objects.create(survey_type=survey_type, reference_year=reference_year, opens_on=opens_on,
                                  closes_on=closes_on, **fields)
    round_.items.set(Item.objects.filter(survey_type=survey_type, is_active=True))
    return round_


def invite(round_: Round, official=None, **official_fields) -> tuple[Invitation, str]:
    """An invitation with a known token (the e-mail's secret), for tests."""
    official = official or OfficialFactory(**official_fields)
    invitation = Invitation.objects.create(round=round_, official=official)
    token = secrets.token_urlsafe(32)
    InvitationToken.objects.create(invitation=invitation, token_hash=hash_token(token))
    return invitation, token


def answered_round(sheets: list[dict], *, survey_type=SurveyType.SAFETY, reference_year=2024,
                   opens_on=date(2025, 2, 1), closes_on=date(2025, 3, 14), non_respondents: int = 0) -> Round:
    """A round (closed by default: its dates are in the past) answered with `sheets` through the
    real submission service, plus `non_respondents` invited who did not answer."""
    round_ = make_round(survey_type=survey_type, reference_year=reference_year, opens_on=opens_on,
                        closes_on=closes_on)
    for sheet in sheets:
        _invitation, token = invite(round_)
        response_submit(token=token, answers={k: v if isinstance(v, list) else [v] for k, v in sheet.items()},
                        today=opens_on)
    for _n in range(non_respondents):
        invite(round_)
    return round_


@pytest.fixture
def active_official(db):
    """An official with a current assignment and an e-mail address."""
    official = OfficialFactory(first_name="Maria", last_name="Andersson", work_email="maria@politik.example")
    AssignmentFactory(official=official, start=timezone.localdate() - timedelta(days=400))
    return official


NO_EXPOSURE = {f"E{n}": "no" for n in range(1, 10)}


def safety_sheet(gender=None, age=None, roles=None, **answers) -> dict:
    """A response sheet: no exposure unless `answers` says otherwise."""
    sheet = dict(NO_EXPOSURE)
    if gender:
        sheet["B2"] = gender
    if age:
        sheet["B3"] = age
    if roles:
        sheet["B1"] = roles
    sheet.update(answers)
    return sheet
