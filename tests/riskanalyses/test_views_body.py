"""Committees' and companies' pages: activity analyses with their checklist, the body's checklist
and the administrator's template — every view allowed and denied, list budgets constant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riskanalyses import services
from riskanalyses.models import BodyChecklistItem, BodyRiskAnalysis, ChecklistCheck, ChecklistTemplateItem

from .conftest import in_days, make_body_analysis

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _post_data(*participants, **extra):
    data = {"activity": "meeting", "title": "Sammanträde", "occurs_on": in_days(5).isoformat(), "starts_at": "18:00",
            "place": "Sal B", "participants": [p.pk for p in participants], "other_participants": "Allmänheten",
            "risks": "Protester.", "consequences": "Avbrutet möte.", "likelihood": "low", "consequence": "moderate",
            "measures": "Värdar vid entrén."}
    data.update(extra)
    return data


def _url(name, *args):
    return reverse(f"riskanalyses:{name}", args=args)


# ---------------------------------------------------------------- list


def test_list_for_the_officer(client_for, officer, body_analysis, other_officer):
    theirs = make_body_analysis(other_officer, title="Annan nämnd")
    response = client_for(officer).get(_url("body-analysis-list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [body_analysis]
    assert theirs.title not in response.content.decode()


def test_list_for_a_party_contact_shows_only_shared(client_for, party_contact, officer, member, shared):
    draft = make_body_analysis(officer, [member], title="Inte klar")
    response = client_for(party_contact).get(_url("body-analysis-list"))
    assert list(response.context["page"]) == [shared]
    assert draft.title not in response.content.decode()


def test_list_is_forbidden_to_an_official(client_for, official):
    assert client_for(official).get(_url("body-analysis-list")).status_code == 403


def _many(officer, checklist, people, n):
    items = list(checklist.items.all()[:3])
    for i in range(n):
        analysis = make_body_analysis(officer, people, title=f"Möte {i}")
        services.body_analysis_record_checklist(actor=officer, analysis=analysis,
                                                entries=[services.CheckEntry(item, True) for item in items])
        services.body_analysis_mark_ready(actor=officer, analysis=analysis)


@pytest.mark.parametrize("persona", ["officer", "handler", "party_contact"])
def test_list_query_count_does_not_grow(request, client_for, officer, checklist, member, other_member, persona,
                                        django_assert_num_queries):
    client = client_for(request.getfixturevalue(persona))
    url = _url("body-analysis-list")
    _many(officer, checklist, [member, other_member], 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).context["page"]
        assert len(page) == 3 and page[0].checks_done == 3 and page[0].checklist_total == 10
    _many(officer, checklist, [member, other_member], 20)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(url).context["page"]) == 23


# ---------------------------------------------------------------- create, detail, update


def test_create_allowed(client_for, officer, member, other_member):
    client = client_for(officer)
    page = client.get(_url("body-analysis-create"))
    assert page.status_code == 200 and "Lindqvist, Anna (S)" in page.content.decode()
    response = client.post(_url("body-analysis-create"), _post_data(member, other_member))
    analysis = BodyRiskAnalysis.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("body-analysis-detail", analysis.pk)
    assert analysis.participants.count() == 2 and analysis.risk_level == "low"


def test_create_with_bad_input_keeps_it(client_for, officer, member):
    response = client_for(officer).post(_url("body-analysis-create"), _post_data(member, occurs_on="", title=""))
    assert response.status_code == 400
    assert "Allmänheten" in response.content.decode()
    assert not BodyRiskAnalysis.objects.exists()


@pytest.mark.parametrize("persona", ["party_contact", "handler", "body_officer"])
def test_create_denied(request, client_for, persona):
    """A party contact and the security unit are not body officers; a body officer whose account
    is not linked to a body cannot record either."""
    assert client_for(request.getfixturevalue(persona)).get(_url("body-analysis-create")).status_code == 403


def test_detail_for_the_officer_shows_the_checklist_form(client_for, officer, body_analysis, checklist):
    response = client_for(officer).get(_url("body-analysis-detail", body_analysis.pk))
    assert response.status_code == 200
    assert response.context["checklist_form"] is not None
    assert f'action="{_url("body-analysis-checklist", body_analysis.pk)}"' in response.content.decode()


def test_detail_for_a_party_contact_hides_other_parties_members(client_for, party_contact, shared):
    response = client_for(party_contact).get(_url("body-analysis-detail", shared.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Anna Lindqvist" in page and "Erik Johansson" not in page and "Johansson, Erik" not in page
    assert "1 other elected official" in page
    assert "checklist_form" not in response.context or response.context.get("checklist_form") is None


def test_detail_denied(client_for, other_officer, party_contact, body_analysis):
    url = _url("body-analysis-detail", body_analysis.pk)
    assert client_for(other_officer).get(url).status_code == 404
    assert client_for(party_contact).get(url).status_code == 404  # not shared yet


def test_party2_cannot_reach_a_shared_analysis_without_their_members(client_for, officer, member,
                                                                    other_party_contact):
    analysis = services.body_analysis_mark_ready(actor=officer, analysis=make_body_analysis(officer, [member]))
    assert client_for(other_party_contact).get(_url("body-analysis-detail", analysis.pk)).status_code == 404


def test_update_allowed(client_for, officer, body_analysis, member):
    client = client_for(officer)
    url = _url("body-analysis-update", body_analysis.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, _post_data(member, place="Sal C")).status_code == 302
    body_analysis.refresh_from_db()
    assert body_analysis.place == "Sal C" and body_analysis.participants.count() == 1


def test_update_denied(client_for, handler, other_officer, body_analysis):
    url = _url("body-analysis-update", body_analysis.pk)
    assert client_for(handler).get(url).status_code == 403
    assert client_for(other_officer).get(url).status_code == 404


# ---------------------------------------------------------------- checklist on the analysis


def test_checklist_post_allowed(client_for, officer, body_analysis, checklist):
    first, second = checklist.items.order_by("position")[:2]
    response = client_for(officer).post(_url("body-analysis-checklist", body_analysis.pk), {
        f"done_{first.pk}": "on", f"role_{first.pk}": "Nämndsekreterare", f"note_{first.pk}": "Klart 3/12",
        f"done_{second.pk}": "", f"role_{second.pk}": "", f"note_{second.pk}": ""})
    assert response.status_code == 302
    check = ChecklistCheck.objects.get(analysis=body_analysis)
    assert check.item == first and check.done and check.note == "Klart 3/12"


def test_checklist_post_with_a_too_long_role_is_400(client_for, officer, body_analysis, checklist):
    first = checklist.items.first()
    response = client_for(officer).post(_url("body-analysis-checklist", body_analysis.pk),
                                        {f"done_{first.pk}": "on", f"role_{first.pk}": "x" * 200})
    assert response.status_code == 400
    assert not ChecklistCheck.objects.exists()


def test_checklist_post_denied(client_for, handler, party_contact, shared, checklist):
    url = _url("body-analysis-checklist", shared.pk)
    assert client_for(handler).post(url, {}).status_code == 403
    assert client_for(party_contact).post(url, {}).status_code == 403


def test_detail_without_a_checklist_links_to_making_one(client_for, officer, body_analysis):
    page = client_for(officer).get(_url("body-analysis-detail", body_analysis.pk)).content.decode()
    assert _url("checklist-mine") in page


# ---------------------------------------------------------------- moves


def test_ready_allowed(client_for, officer, body_analysis):
    assert client_for(officer).post(_url("body-analysis-ready", body_analysis.pk)).status_code == 302
    body_analysis.refresh_from_db()
    assert body_analysis.status == "ready"


def test_ready_without_a_judgement_shows_why(client_for, officer):
    analysis = make_body_analysis(officer, likelihood="")
    response = client_for(officer).post(_url("body-analysis-ready", analysis.pk))
    assert response.status_code == 400
    assert "Judge the likelihood before marking the analysis ready." in response.content.decode()


def test_ready_denied(client_for, handler, other_officer, body_analysis):
    url = _url("body-analysis-ready", body_analysis.pk)
    assert client_for(handler).post(url).status_code == 403
    assert client_for(other_officer).post(url).status_code == 404


def test_reopen_allowed_and_denied(client_for, officer, handler, shared, body_analysis):
    assert client_for(handler).post(_url("body-analysis-reopen", shared.pk)).status_code == 403
    assert client_for(officer).post(_url("body-analysis-reopen", shared.pk)).status_code == 302
    shared.refresh_from_db()
    assert shared.status == "draft"


def test_cancel_allowed_and_denied(client_for, officer, party_contact, shared):
    assert client_for(party_contact).post(_url("body-analysis-cancel", shared.pk)).status_code == 403
    assert client_for(officer).post(_url("body-analysis-cancel", shared.pk)).status_code == 302


def test_follow_up_allowed(client_for, officer, shared):
    BodyRiskAnalysis.objects.filter(pk=shared.pk).update(occurs_on=in_days(-1))
    response = client_for(officer).post(_url("body-analysis-follow-up", shared.pk), {"follow_up": "Lugnt möte."})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.status == "followed_up"


def test_follow_up_before_the_date_is_400(client_for, officer, shared):
    response = client_for(officer).post(_url("body-analysis-follow-up", shared.pk), {"follow_up": "För tidigt"})
    assert response.status_code == 400
    assert "on or after its date" in response.content.decode()


def test_follow_up_denied(client_for, handler, other_officer, shared):
    url = _url("body-analysis-follow-up", shared.pk)
    assert client_for(handler).post(url, {"follow_up": "x"}).status_code == 403
    assert client_for(other_officer).post(url, {"follow_up": "x"}).status_code == 404


# ---------------------------------------------------------------- the body's checklist


def test_checklist_mine(client_for, officer, body, party_contact):
    response = client_for(officer).get(_url("checklist-mine"))
    assert response.status_code == 302 and response["Location"] == _url("checklist-detail", body.pk)
    assert client_for(party_contact).get(_url("checklist-mine")).status_code == 403


def test_checklist_detail_allowed(client_for, officer, handler, body, checklist):
    assert client_for(officer).get(_url("checklist-detail", body.pk)).status_code == 200
    page = client_for(handler).get(_url("checklist-detail", body.pk))
    assert page.status_code == 200 and page.context["can_edit"] is False


def test_checklist_detail_denied(client_for, other_officer, party_contact, body):
    assert client_for(other_officer).get(_url("checklist-detail", body.pk)).status_code == 404
    assert client_for(party_contact).get(_url("checklist-detail", body.pk)).status_code == 404


def test_checklist_create_allowed_and_denied(client_for, officer, handler, body):
    assert client_for(handler).post(_url("checklist-create", body.pk)).status_code == 403
    assert client_for(officer).post(_url("checklist-create", body.pk)).status_code == 302
    assert BodyChecklistItem.objects.filter(checklist__body=body).count() == 10
    # twice: a message, not an error page
    response = client_for(officer).post(_url("checklist-create", body.pk), follow=True)
    assert "The checklist already exists." in response.content.decode()


def test_checklist_add_template_items_allowed_and_denied(client_for, officer, other_officer, admin_user, body,
                                                         checklist):
    services.template_item_add(actor=admin_user, phase="after", text="Nytt", responsible_role="R")
    assert client_for(other_officer).post(_url("checklist-add-template-items", body.pk)).status_code == 404
    assert client_for(officer).post(_url("checklist-add-template-items", body.pk)).status_code == 302
    assert checklist.items.filter(text="Nytt").exists()


def test_checklist_item_add_allowed_denied_and_invalid(client_for, officer, handler, body, checklist):
    url = _url("checklist-item-add", body.pk)
    data = {"phase": "during", "text": "Lås bakdörren", "responsible_role": "Vaktmästare", "position": ""}
    assert client_for(handler).post(url, data).status_code == 403
    assert client_for(officer).post(url, data).status_code == 302
    assert checklist.items.filter(text="Lås bakdörren").exists()
    assert client_for(officer).post(url, {**data, "text": ""}).status_code == 400


def test_checklist_item_add_before_the_checklist_exists_is_403(client_for, officer, body):
    url = _url("checklist-item-add", body.pk)
    data = {"phase": "during", "text": "X", "responsible_role": "Y"}
    assert client_for(officer).post(url, data).status_code == 403


def test_checklist_item_update_allowed_and_denied(client_for, officer, other_officer, checklist):
    item = checklist.items.first()
    url = _url("checklist-item-update", item.pk)
    assert client_for(other_officer).get(url).status_code == 404
    client = client_for(officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"phase": "before", "text": "Ny lydelse", "responsible_role": "Sekreterare",
                                 "position": "5"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Ny lydelse" and item.position == 5


def test_checklist_item_remove_allowed_and_denied(client_for, officer, handler, checklist):
    item = checklist.items.first()
    url = _url("checklist-item-remove", item.pk)
    assert client_for(handler).post(url).status_code == 403
    assert client_for(officer).post(url).status_code == 302
    item.refresh_from_db()
    assert not item.active
    assert client_for(officer).post(url).status_code == 404  # gone from the checklist


# ---------------------------------------------------------------- the template


def test_template_list_allowed_and_denied(client_for, admin_user, handler):
    assert client_for(admin_user).get(_url("template-list")).status_code == 200
    assert client_for(handler).get(_url("template-list")).status_code == 403


def test_template_item_add_allowed_denied_invalid(client_for, admin_user, handler):
    data = {"phase": "before", "text": "Boka lokal med två utgångar", "responsible_role": "Lokalansvarig"}
    assert client_for(handler).post(_url("template-item-add"), data).status_code == 403
    assert client_for(admin_user).post(_url("template-item-add"), data).status_code == 302
    assert ChecklistTemplateItem.objects.filter(text=data["text"]).exists()
    assert client_for(admin_user).post(_url("template-item-add"), {**data, "phase": "x"}).status_code == 400


def test_template_item_update_allowed_and_denied(client_for, admin_user, officer):
    item = ChecklistTemplateItem.objects.first()
    url = _url("template-item-update", item.pk)
    assert client_for(officer).get(url).status_code == 404
    assert client_for(admin_user).get(url).status_code == 200
    response = client_for(admin_user).post(url, {"phase": "during", "text": "Ändrat", "responsible_role": "R",
                                                 "position": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "Ändrat" and item.phase == "during"


def test_template_item_remove_allowed_and_denied(client_for, admin_user, handler):
    item = ChecklistTemplateItem.objects.first()
    url = _url("template-item-remove", item.pk)
    assert client_for(handler).post(url).status_code == 404
    assert client_for(admin_user).post(url).status_code == 302
    item.refresh_from_db()
    assert not item.active


# ---------------------------------------------------------------- home and navigation


@pytest.mark.parametrize(("persona", "text"), [
    ("officer", "Your body&#x27;s risk analyses"), ("party_contact", "Risk analyses before assignments"),
    ("handler", "escalated risk analys"), ("admin_user", "Checklist template for committees and companies"),
])
def test_home_panels(request, client_for, persona, text):
    response = client_for(request.getfixturevalue(persona)).get(reverse("accounts:home"))
    assert response.status_code == 200
    assert text in response.content.decode()


def test_officer_without_body_is_told(client_for, body_officer):
    page = client_for(body_officer).get(reverse("accounts:home")).content.decode()
    assert "not linked to a committee or company" in page
