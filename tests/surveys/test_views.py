"""Every view: allowed and denied; the answering page without login; query counts."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent, OutboxMessage
from surveys.models import Invitation, Response, Round

from .conftest import answered_round, invite, make_round, safety_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round(item_bank):
    return make_round()


def _url(name, round_=None):
    return reverse(f"surveys:{name}", args=[round_.pk] if round_ is not None else [])


# --- list, detail, create, update -----------------------------------------------------------


@pytest.mark.parametrize("persona", ["handler", "admin_user"])
def test_round_list_allowed_for_security_unit_and_administrator(request, client_for, open_round, persona):
    response = client_for(request.getfixturevalue(persona)).get(_url("round-list"))
    assert response.status_code == 200
    assert open_round.label in response.content.decode()


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "on_call", "body_officer"])
def test_round_list_denied_to_other_roles(request, client_for, open_round, persona):
    assert client_for(request.getfixturevalue(persona)).get(_url("round-list")).status_code == 403


def test_anonymous_is_sent_to_login(client, open_round):
    for url in (_url("round-list"), _url("round-detail", open_round), _url("round-results", open_round),
                _url("invitation-list")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_round_list_query_count_is_constant(client_for, handler, item_bank, django_assert_num_queries):
    client = client_for(handler)
    make_round()
    client.get(_url("round-list"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(_url("round-list"))
    for year in range(2010, 2020):
        round_ = make_round(reference_year=year, opens_on=date(year + 1, 2, 1), closes_on=date(year + 1, 3, 1))
        invite(round_)
    with django_assert_num_queries(len(small)):
        client.get(_url("round-list"))


def test_round_detail_allowed_for_handler(client_for, handler, open_round):
    response = client_for(handler).get(_url("round-detail", open_round))
    assert response.status_code == 200
    page = response.content.decode()
    assert _url("round-invite", open_round) in page and _url("round-close", open_round) in page


@pytest.mark.parametrize("persona", ["admin_user", "official"])
def test_round_detail_denied_to_non_handlers(request, client_for, open_round, persona):
    assert client_for(request.getfixturevalue(persona)).get(_url("round-detail", open_round)).status_code == 403


def test_unknown_round_is_404(client_for, handler, item_bank):
    assert client_for(handler).get(reverse("surveys:round-detail", args=[999])).status_code == 404


def test_create_round(client_for, handler, item_bank):
    today = date.today()
    response = client_for(handler).post(_url("round-create"), {
        "survey_type": "internal_control", "reference_year": today.year, "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat()})
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == _url("round-detail", round_)
    assert round_.items.count() == 4 and not round_.planned


def test_create_round_with_bad_dates_shows_errors(client_for, handler, item_bank):
    today = date.today()
    response = client_for(handler).post(_url("round-create"), {
        "survey_type": "safety", "reference_year": "x", "opens_on": today.isoformat(),
        "closes_on": (today - timedelta(days=3)).isoformat()})
    assert response.status_code == 200 and not Round.objects.exists()
    assert 'class="errors"' in response.content.decode()


@pytest.mark.parametrize("persona", ["admin_user", "official"])
def test_create_round_denied(request, client_for, item_bank, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("round-create")).status_code == 403
    assert client.post(_url("round-create"), {}).status_code == 403


def test_update_round(client_for, handler, open_round):
    closes = open_round.closes_on + timedelta(days=7)
    response = client_for(handler).post(_url("round-update", open_round), {
        "reference_year": 2023, "opens_on": open_round.opens_on.isoformat(), "closes_on": closes.isoformat()})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert (open_round.closes_on, open_round.reference_year) == (closes, 2023)


def test_update_after_invitations_keeps_opening_date_fixed(client_for, handler, open_round):
    open_round.invited_on = date.today()
    open_round.save()
    response = client_for(handler).post(_url("round-update", open_round), {
        "reference_year": 2001, "opens_on": "2020-01-01", "closes_on": open_round.closes_on.isoformat()})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.reference_year == 2024 and open_round.opens_on != date(2020, 1, 1)  # disabled fields


def test_update_denied_for_closed_round_and_other_roles(client_for, handler, official, item_bank):
    closed = make_round(closed_early=True)
    assert client_for(handler).get(_url("round-update", closed)).status_code == 403
    assert client_for(official).get(_url("round-update", make_round(reference_year=2020))).status_code == 403


# --- actions --------------------------------------------------------------------------------


def test_invite_sends_emails(client_for, handler, open_round, active_official):
    response = client_for(handler).post(_url("round-invite", open_round), follow=True)
    assert response.status_code == 200
    assert Invitation.objects.filter(round=open_round).count() == 1 and OutboxMessage.objects.count() == 1


def test_invite_denied(client_for, official, admin_user, open_round):
    assert client_for(official).post(_url("round-invite", open_round)).status_code == 403
    assert client_for(admin_user).post(_url("round-invite", open_round)).status_code == 403


def test_invite_needs_post(client_for, handler, open_round):
    assert client_for(handler).get(_url("round-invite", open_round)).status_code == 405


def test_invite_denied_for_scheduled_round(client_for, handler, item_bank):
    scheduled = make_round(opens_on=date.today() + timedelta(days=3))
    assert client_for(handler).post(_url("round-invite", scheduled)).status_code == 403


def test_remind(client_for, handler, item_bank):
    round_ = make_round(invited_on=date.today() - timedelta(days=2))
    invite(round_)
    response = client_for(handler).post(_url("round-remind", round_), follow=True)
    assert response.status_code == 200 and OutboxMessage.objects.count() == 1


def test_remind_twice_a_day_gives_a_message_not_an_error(client_for, handler, item_bank):
    round_ = make_round(invited_on=date.today() - timedelta(days=2), reminded_on=date.today())
    response = client_for(handler).post(_url("round-remind", round_), follow=True)
    assert response.status_code == 200 and 'message-error' in response.content.decode()


def test_remind_denied(client_for, official, handler, open_round):
    assert client_for(official).post(_url("round-remind", open_round)).status_code == 403
    assert client_for(handler).post(_url("round-remind", open_round)).status_code == 403  # not yet invited


def test_close(client_for, handler, open_round):
    assert client_for(handler).post(_url("round-close", open_round)).status_code == 302
    open_round.refresh_from_db()
    assert open_round.closed_early and open_round.sealed


def test_close_denied(client_for, official, handler, item_bank):
    closed = make_round(closed_early=True)
    assert client_for(handler).post(_url("round-close", closed)).status_code == 403
    assert client_for(official).post(_url("round-close", make_round(reference_year=2020))).status_code == 403


def test_nonrespondents_allowed_and_audited(client_for, handler, open_round):
    invite(open_round, first_name="Olle", last_name="Ohörd")
    response = client_for(handler).get(_url("round-nonrespondents", open_round))
    assert response.status_code == 200 and "Olle Ohörd" in response.content.decode()
    assert AuditEvent.objects.filter(action="survey_nonrespondents_view", actor=handler).exists()


@pytest.mark.parametrize("persona", ["admin_user", "official", "party_contact"])
def test_nonrespondents_denied(request, client_for, open_round, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("round-nonrespondents", open_round)).status_code == 403


# --- results --------------------------------------------------------------------------------


@pytest.fixture
def closed_round(item_bank):
    return answered_round([safety_sheet("woman", E1="yes_once")] * 3 + [safety_sheet("man")] * 3)


@pytest.mark.parametrize("persona", ["handler", "admin_user"])
def test_results_allowed(request, client_for, closed_round, persona):
    response = client_for(request.getfixturevalue(persona)).get(_url("round-results", closed_round))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "29 %" in page  # national 2022
    assert "50 %" not in page and "50\u00a0%" not in page  # 3 of 6 exposed: about three people
    assert "&lt;5" in page


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver"])
def test_results_denied(request, client_for, closed_round, persona):
    assert client_for(request.getfixturevalue(persona)).get(_url("round-results", closed_round)).status_code == 403


def test_results_of_an_open_round_say_when_they_come(client_for, handler, open_round):
    response = client_for(handler).get(_url("round-results", open_round))
    assert response.status_code == 200 and "<svg" not in response.content.decode()


def test_results_page_query_count_is_constant(client_for, handler, item_bank, django_assert_num_queries):
    client = client_for(handler)
    answered_round([safety_sheet("woman", E1="yes_once")] * 3 + [safety_sheet("man")] * 3, reference_year=2022,
                   opens_on=date(2023, 2, 1), closes_on=date(2023, 3, 1))
    small = answered_round([safety_sheet("woman", "40_49", ["ks"], E1="yes_once", F3="very")] * 5)
    client.get(_url("round-results", small))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("round-results", small)).status_code == 200
    sheets = [safety_sheet(g, a, ["ks", "committee"], E2="yes_many", F1=["sms"], C1="yes", C2=["left"])
              for g in ("woman", "man", "other") for a in ("u29", "40_49", "70plus")] * 3
    large = answered_round(sheets, reference_year=2026, opens_on=date(2026, 2, 1), closes_on=date(2026, 3, 1),
                           non_respondents=10)
    with django_assert_num_queries(len(queries)):
        assert client.get(_url("round-results", large)).status_code == 200


# --- the official's own invitations ---------------------------------------------------------


def test_official_sees_own_invitations(client_for, official, open_round):
    invite(open_round, official=official.official)
    response = client_for(official).get(_url("invitation-list"))
    assert response.status_code == 200 and open_round.label in response.content.decode()


def test_resend_own_link(client_for, official, open_round):
    invitation, _token = invite(open_round, official=official.official)
    response = client_for(official).post(reverse("surveys:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 302 and OutboxMessage.objects.count() == 1


def test_resend_someone_elses_link_is_404(client_for, official, other_official, open_round):
    invitation, _token = invite(open_round, official=other_official.official)
    response = client_for(official).post(reverse("surveys:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 404 and not OutboxMessage.objects.exists()


def test_handler_without_official_record_sees_an_empty_list(client_for, handler, open_round):
    response = client_for(handler).get(_url("invitation-list"))
    assert response.status_code == 200


# --- answering ------------------------------------------------------------------------------


def answer_url(token):
    return reverse("surveys:response-create", args=[token])


def test_answer_page_works_without_login(client, open_round):
    _invitation, token = invite(open_round)
    response = client.get(answer_url(token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<fieldset" in page and "<legend>" in page
    assert token not in page.split("<title>")[1].split("</title>")[0]
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


def test_answer_and_thank_you(client, open_round):
    invitation, token = invite(open_round)
    response = client.post(answer_url(token), {"E1": "yes_once", "F1": ["email", "sms"], "B2": "woman"})
    assert response.status_code == 302 and response.url.startswith(reverse("surveys:response-done"))
    invitation.refresh_from_db()
    assert invitation.answered and Response.objects.count() == 1
    assert client.get(response.url).status_code == 200


def test_a_used_link_gets_410(client, open_round):
    _invitation, token = invite(open_round)
    client.post(answer_url(token), {"E1": "no"})
    for method in (client.get, client.post):
        response = method(answer_url(token), {"E1": "yes_once"} if method == client.post else None)
        assert response.status_code == 410
    assert Response.objects.count() == 1


def test_an_unknown_link_gets_404_with_a_clear_page(client, open_round):
    response = client.get(answer_url("no-such-token"))
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()


def test_a_closed_round_gets_410(client, item_bank):
    round_ = make_round(opens_on=date.today() - timedelta(days=30), closes_on=date.today() - timedelta(days=1))
    _invitation, token = invite(round_)
    assert client.get(answer_url(token)).status_code == 410
    assert client.post(answer_url(token), {"E1": "no"}).status_code == 410
    assert not Response.objects.exists()


def test_an_empty_answer_sheet_is_refused_and_the_link_kept(client, open_round):
    invitation, token = invite(open_round)
    response = client.post(answer_url(token), {})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.answered


def test_a_tampered_answer_is_an_error_not_a_500(client, open_round):
    invitation, token = invite(open_round)
    response = client.post(answer_url(token), {"E1": "hacked", "B2": "woman"})
    assert response.status_code == 200
    assert 'id="error-E1"' in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.answered
    response = client.post(answer_url(token), {"E1": ["no", "yes_once"]})  # a radio sends one value: the last counts
    assert response.status_code == 302
    assert Response.objects.get().answers.count() == 1


def test_conditional_questions_carry_a_hint_and_data_for_the_script(client, open_round):
    _invitation, token = invite(open_round)
    page = client.get(answer_url(token)).content.decode()
    assert 'data-condition-items="C1"' in page and 'data-condition-options="yes"' in page
    assert 'id="hint-F1"' in page and 'id="hint-C2"' in page
    assert 'id="hint-F2"' not in page  # one hint per run of questions with the same condition


def test_reference_year_in_the_exposure_intro(client, open_round):
    _invitation, token = invite(open_round)
    page = client.get(answer_url(token)).content.decode()
    assert "2024" in page


def test_thank_you_page_is_public(client):
    assert client.get(reverse("surveys:response-done")).status_code == 200


# --- navigation and home --------------------------------------------------------------------


def test_nav_and_home_panel_for_the_security_unit(client_for, handler, open_round):
    page = client_for(handler).get(reverse("accounts:home")).content.decode()
    assert _url("round-list") in page and _url("round-detail", open_round) in page


def test_home_panel_asks_the_official_to_answer(client_for, official, open_round):
    invite(open_round, official=official.official)
    page = client_for(official).get(reverse("accounts:home")).content.decode()
    assert _url("invitation-list") in page


def test_home_panel_hidden_once_answered(client_for, official, open_round):
    from surveys.services import response_submit

    _invitation, token = invite(open_round, official=official.official)
    response_submit(token=token, answers={"E1": ["no"]})
    page = client_for(official).get(reverse("accounts:home")).content.decode()
    assert _url("invitation-list") not in page


def test_emails_never_hold_answers(client, open_round):
    _invitation, token = invite(open_round)
    client.post(answer_url(token), {"E1": "yes_many"})
    assert not OutboxMessage.objects.exists()
    assert not re.search(token, " ".join(AuditEvent.objects.values_list("reason", flat=True)))
