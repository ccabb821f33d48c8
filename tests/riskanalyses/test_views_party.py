"""The party offices' pages and the security unit's answer page: every view allowed and denied,
bad input answered with a translated error, list query budgets constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEvent
from riskanalyses.models import Escalation, PartyRiskAnalysis

from .conftest import in_days, make_party_analysis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _post_data(member, **extra):
    data = {"kind": "public_appearance", "title": "Torgmöte", "occurs_on": in_days(7).isoformat(), "ends_on": "",
            "place": "Stora torget", "members": [member.pk], "risks": "Motdemonstration väntas.",
            "measures_taken": "", "notes": "", "judgement": "", "question": ""}
    data.update(extra)
    return data


# ---------------------------------------------------------------- list


def test_list_shows_own_partys_analyses(client_for, party_contact, analysis, other_party_contact, other_member):
    theirs = make_party_analysis(other_party_contact, [other_member], title="Deras möte")
    response = client_for(party_contact).get(reverse("riskanalyses:party-analysis-list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [analysis]
    assert theirs.title not in response.content.decode()


def test_list_is_forbidden_to_an_official(client_for, official):
    assert client_for(official).get(reverse("riskanalyses:party-analysis-list")).status_code == 403


def test_list_filters_by_status(client_for, handler, analysis, escalated):
    response = client_for(handler).get(reverse("riskanalyses:party-analysis-list"), {"status": "escalated"})
    assert list(response.context["page"]) == [escalated]


def _many(party_contact, member, n):
    for i in range(n):
        make_party_analysis(party_contact, [member], title=f"Möte {i}", judgement="low" if i % 2 else "")


@pytest.mark.parametrize("persona", ["party_contact", "handler"])
def test_list_query_count_does_not_grow(request, client_for, party_contact, member, persona,
                                        django_assert_num_queries):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("riskanalyses:party-analysis-list")
    _many(party_contact, member, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url).context["page"]) == 3
    _many(party_contact, member, 20)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 23


# ---------------------------------------------------------------- create


def test_create_form_offers_only_own_members(client_for, party_contact, member, other_member):
    response = client_for(party_contact).get(reverse("riskanalyses:party-analysis-create"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lindqvist, Anna" in page and "Erik Johansson" not in page and "Johansson, Erik" not in page


def test_create_records_and_redirects(client_for, party_contact, member):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-create"), _post_data(member))
    analysis = PartyRiskAnalysis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("riskanalyses:party-analysis-detail", args=[analysis.pk])


def test_create_and_escalate_in_one_step(client_for, party_contact, member):
    client_for(party_contact).post(reverse("riskanalyses:party-analysis-create"),
                                   _post_data(member, judgement="cannot_judge", question="Är det säkert?"))
    assert PartyRiskAnalysis.objects.get().status == "escalated"


def test_create_with_cannot_judge_and_no_question_keeps_the_input(client_for, party_contact, member):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-create"),
                                              _post_data(member, judgement="cannot_judge"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tell the security unit what you need it to assess." in page
    assert 'aria-describedby="id_question_helptext id_question_error"' in page
    assert "Torgmöte" in page  # nothing typed is lost
    assert not PartyRiskAnalysis.objects.exists()


def test_create_with_another_partys_member_is_refused_by_the_form(client_for, party_contact, member, other_member):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-create"),
                                              _post_data(member, members=[member.pk, other_member.pk]))
    assert response.status_code == 400
    assert not PartyRiskAnalysis.objects.exists()


def test_create_with_garbage_is_a_400_not_a_500(client_for, party_contact, member):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-create"),
                                              _post_data(member, occurs_on="31/02", kind="x", members=["abc"]))
    assert response.status_code == 400


@pytest.mark.parametrize("persona", ["handler", "official", "body_officer"])
def test_create_is_forbidden_to_others(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("riskanalyses:party-analysis-create")).status_code == 403


# ---------------------------------------------------------------- detail


def test_detail_for_own_party_is_audited(client_for, party_contact, analysis):
    response = client_for(party_contact).get(reverse("riskanalyses:party-analysis-detail", args=[analysis.pk]))
    assert response.status_code == 200
    assert "Lindqvist" in response.content.decode()
    assert AuditEvent.objects.filter(action="party_analysis_view", actor=party_contact,
                                     object_id=str(analysis.pk)).exists()


def test_detail_for_another_party_is_404(client_for, other_party_contact, analysis):
    url = reverse("riskanalyses:party-analysis-detail", args=[analysis.pk])
    assert client_for(other_party_contact).get(url).status_code == 404


def test_detail_shows_the_answer_to_the_party(client_for, party_contact, handler, escalated):
    from riskanalyses import services

    services.party_analysis_answer(actor=handler, analysis=escalated, advice="Ta med två värdar.",
                                   risk_level="moderate")
    page = client_for(party_contact).get(reverse("riskanalyses:party-analysis-detail", args=[escalated.pk]))
    text = page.content.decode()
    assert "Ta med två värdar." in text and "risk level: Moderate" in text


# ---------------------------------------------------------------- update


def test_update_allowed(client_for, party_contact, analysis, member):
    client = client_for(party_contact)
    url = reverse("riskanalyses:party-analysis-update", args=[analysis.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _post_data(member, place="Rådhuset"))
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.place == "Rådhuset"


def test_update_denied_to_another_party(client_for, other_party_contact, analysis):
    url = reverse("riskanalyses:party-analysis-update", args=[analysis.pk])
    assert client_for(other_party_contact).get(url).status_code == 404


def test_update_denied_to_the_security_unit(client_for, handler, analysis):
    url = reverse("riskanalyses:party-analysis-update", args=[analysis.pk])
    assert client_for(handler).get(url).status_code == 403


# ---------------------------------------------------------------- judge, escalate, close


def test_judge_allowed(client_for, party_contact, analysis):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-judge", args=[analysis.pk]),
                                              {"judgement": "moderate"})
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == "judged"


def test_judge_with_a_bad_value_is_400(client_for, party_contact, analysis):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-judge", args=[analysis.pk]),
                                              {"judgement": "cannot_judge"})
    assert response.status_code == 400
    assert 'id="id_judgement_error"' in response.content.decode()


def test_judge_denied(client_for, other_party_contact, handler, analysis):
    url = reverse("riskanalyses:party-analysis-judge", args=[analysis.pk])
    assert client_for(other_party_contact).post(url, {"judgement": "low"}).status_code == 404
    assert client_for(handler).post(url, {"judgement": "low"}).status_code == 403


def test_judge_needs_post(client_for, party_contact, analysis):
    url = reverse("riskanalyses:party-analysis-judge", args=[analysis.pk])
    assert client_for(party_contact).get(url).status_code == 405


def test_escalate_allowed(client_for, party_contact, analysis):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-escalate", args=[analysis.pk]),
                                              {"question": "Vad tror ni?"})
    assert response.status_code == 302
    assert Escalation.objects.filter(analysis=analysis).exists()


def test_escalate_without_a_question_is_400(client_for, party_contact, analysis):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-escalate", args=[analysis.pk]),
                                              {"question": ""})
    assert response.status_code == 400


def test_escalating_an_escalated_analysis_is_403(client_for, party_contact, escalated):
    url = reverse("riskanalyses:party-analysis-escalate", args=[escalated.pk])
    assert client_for(party_contact).post(url, {"question": "Igen"}).status_code == 403


def test_escalate_denied_to_another_party(client_for, other_party_contact, analysis):
    url = reverse("riskanalyses:party-analysis-escalate", args=[analysis.pk])
    assert client_for(other_party_contact).post(url, {"question": "?"}).status_code == 404


def test_close_allowed(client_for, party_contact, analysis):
    response = client_for(party_contact).post(reverse("riskanalyses:party-analysis-close", args=[analysis.pk]),
                                              {"comment": "Klart."})
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert analysis.status == "closed"


def test_close_denied(client_for, other_party_contact, handler, analysis):
    url = reverse("riskanalyses:party-analysis-close", args=[analysis.pk])
    assert client_for(other_party_contact).post(url).status_code == 404
    assert client_for(handler).post(url).status_code == 403


# ---------------------------------------------------------------- the security unit


def test_escalated_analysis_is_on_the_triage_queue(client_for, handler, escalated):
    response = client_for(handler).get(reverse("incidents:triage"))
    assert response.status_code == 200
    page = response.content.decode()
    assert escalated.reference in page
    assert reverse("riskanalyses:party-analysis-answer", args=[escalated.pk]) in page


def test_triage_provider_gives_nothing_to_others(party_contact, escalated):
    from riskanalyses.selectors import escalations_for_triage

    assert escalations_for_triage(party_contact) == []


def test_answer_page_allowed(client_for, handler, escalated):
    client = client_for(handler)
    url = reverse("riskanalyses:party-analysis-answer", args=[escalated.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Vi vet inte hur hotbilden" in response.content.decode()
    response = client.post(url, {"advice": "Kontakta polisen.", "risk_level": "high", "case": ""})
    assert response.status_code == 302
    escalated.refresh_from_db()
    assert escalated.status == "answered"


def test_answer_without_advice_is_400(client_for, handler, escalated):
    url = reverse("riskanalyses:party-analysis-answer", args=[escalated.pk])
    response = client_for(handler).post(url, {"advice": "", "risk_level": "", "case": ""})
    assert response.status_code == 400
    escalated.refresh_from_db()
    assert escalated.status == "escalated"


def test_answer_with_an_unknown_case_is_400(client_for, handler, escalated):
    url = reverse("riskanalyses:party-analysis-answer", args=[escalated.pk])
    assert client_for(handler).post(url, {"advice": "Råd", "case": "99999"}).status_code == 400


def test_answer_page_denied(client_for, party_contact, other_party_contact, escalated):
    url = reverse("riskanalyses:party-analysis-answer", args=[escalated.pk])
    assert client_for(party_contact).get(url).status_code == 403
    assert client_for(other_party_contact).get(url).status_code == 404


def test_answer_page_for_an_answered_analysis_redirects(client_for, handler, analysis):
    url = reverse("riskanalyses:party-analysis-answer", args=[analysis.pk])
    response = client_for(handler).get(url)
    assert response.status_code == 302
