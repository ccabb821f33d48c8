"""Risk analyses outside cases in a real browser (issue 9): the party office records an analysis
for a public appearance and escalates it; the security unit finds it on the triage queue and
answers; the answer comes back to the party; the other party cannot reach it. A committee's body
officer makes its checklist from the template and records an analysis of a committee meeting with
its checklist. Every page is checked with axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from riskanalyses.defaults import ensure_default_template


@pytest.fixture(autouse=True)
def default_template(demo):
    """The shipped checklist template; an earlier browser test's flush may have emptied it."""
    ensure_default_template()


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def test_party_escalates_and_the_security_unit_answers(page, live_server, login_as, axe_check):
    day = (timezone.localdate() + dt.timedelta(days=12)).isoformat()

    # The party office records an analysis before a public appearance.
    login_as(page, "party")
    _english(page, live_server)
    _nav(page, "Risk analyses")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk analyses before assignments")
    axe_check(page, "riskanalyses-party-list-empty")
    page.get_by_role("link", name="Record a risk analysis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a risk analysis")
    axe_check(page, "riskanalyses-party-form")
    page.get_by_label("Public appearance").check()
    page.get_by_role("textbox", name="What", exact=True).fill("Debatt om äldreboendet på torget")
    page.locator("#id_occurs_on").fill(day)
    page.get_by_label("Place").fill("Stora torget")
    page.get_by_label("Members involved").select_option(label="Lindqvist, Anna")
    page.get_by_label("Identified risks").fill("En grupp har hotat att störa. Anna har fått hatmejl om frågan.")
    page.get_by_label("Cannot be judged within the party").check()
    # Forgetting to say what the security unit should assess is caught, tied to the field.
    page.get_by_role("button", name="Save the analysis").click()
    question = page.get_by_label("What do you need the security unit to assess?")
    expect(question).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Tell the security unit what you need it to assess.").first).to_be_visible()
    expect(page.get_by_label("Place")).to_have_value("Stora torget")
    axe_check(page, "riskanalyses-party-form-error")
    question.fill("Behöver Anna skydd på plats? Vi kan inte bedöma hotbilden själva.")
    page.get_by_role("button", name="Save the analysis").click()
    expect(page.get_by_text("The risk analysis was saved and sent to the security unit.")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Debatt om äldreboendet på torget")
    reference = re.search(r"RA-\d{5}", heading.inner_text()).group(0)
    expect(page.locator("dl.facts")).to_contain_text("Escalated to the security unit")
    expect(page.locator("dl.facts")).to_contain_text("Cannot be judged within the party")
    expect(page.get_by_text("Waiting for the answer from Trygghetsenheten.")).to_be_visible()  # the policy's name
    axe_check(page, "riskanalyses-party-detail-escalated")
    detail_url = page.url

    # The security unit sees it on the triage queue and answers.
    login_as(page, "handler")
    _english(page, live_server)
    _nav(page, "Triage")
    item = page.get_by_role("link", name=re.compile(f"Escalated risk analysis {reference}"))
    expect(item).to_be_visible()
    axe_check(page, "riskanalyses-triage")
    item.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Escalated risk analysis {reference}")
    expect(page.get_by_text("Behöver Anna skydd på plats?")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Anna Lindqvist")
    axe_check(page, "riskanalyses-answer")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_label("Advice to the party")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "riskanalyses-answer-error")
    page.get_by_label("Advice to the party").fill(
        "Vi ordnar två ordningsvakter och kontaktar polisen. Anna bör ha sitt personlarm och inte stanna kvar efteråt.")
    page.get_by_label("Risk level").select_option(label="High")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("The answer was sent to the party office.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Answered by the security unit")
    axe_check(page, "riskanalyses-party-detail-answered-unit")
    _nav(page, "Triage")
    expect(page.get_by_role("link", name=re.compile(f"Escalated risk analysis {reference}"))).to_have_count(0)

    # The answer comes back to the party.
    login_as(page, "party")
    _english(page, live_server)
    page.goto(detail_url)
    expect(page.get_by_text("Trygghetsenheten has answered.")).to_be_visible()
    expect(page.get_by_text("Vi ordnar två ordningsvakter")).to_be_visible()
    expect(page.get_by_text("risk level: High")).to_be_visible()
    axe_check(page, "riskanalyses-party-detail-answered")
    page.get_by_label("Comment").fill("Debatten genomfördes utan incidenter.")
    page.get_by_role("button", name="Close the analysis").click()
    expect(page.get_by_text("The risk analysis was closed.")).to_be_visible()
    _nav(page, "Risk analyses")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    axe_check(page, "riskanalyses-party-list")

    # The other party cannot reach it, nor see it in its list.
    login_as(page, "party2")
    _english(page, live_server)
    response = page.goto(detail_url)
    assert response.status == 404
    page.goto("/")
    _nav(page, "Risk analyses")
    expect(page.get_by_role("link", name=reference)).to_have_count(0)
    expect(page.get_by_text("No risk analyses match.")).to_be_visible()
    axe_check(page, "riskanalyses-party2-list")


def test_body_officer_records_a_committee_meeting_with_its_checklist(page, live_server, login_as, axe_check):
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    login_as(page, "bodyofficer")
    _english(page, live_server)

    # The body makes its own checklist from the template and adds an item of its own.
    _nav(page, "Our checklist")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist: Kommunstyrelsen")
    axe_check(page, "riskanalyses-checklist-empty")
    page.get_by_role("button", name="Make our checklist from the template").click()
    expect(page.get_by_text("Your checklist was created from the template.")).to_be_visible()
    page.get_by_label("When").select_option(label="During")
    page.get_by_label("What to do").fill("Låt dörren till sessionssalen vara låst under pausen")
    page.get_by_label("Responsible role").fill("Vaktmästare")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_text("The item was added.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Låt dörren till sessionssalen vara låst under pausen")).to_be_visible()
    axe_check(page, "riskanalyses-checklist")

    # … and records an analysis of a committee meeting.
    _nav(page, "Activity risk analyses")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kommunstyrelsen")
    axe_check(page, "riskanalyses-body-list-empty")
    page.get_by_role("link", name="Record an activity risk analysis").click()
    axe_check(page, "riskanalyses-body-form")
    page.get_by_label("Meeting of the committee or board").check()
    page.get_by_role("textbox", name="What", exact=True).fill("Sammanträde om nedläggning av bibliotek")
    page.locator("#id_occurs_on").fill(day)
    page.get_by_label("Starts at").fill("18:00")
    page.get_by_label("Place").fill("Stadshuset, sessionssalen")
    page.get_by_label("Elected officials taking part").select_option(label="Lindqvist, Anna (S)")
    page.get_by_label("Others taking part").fill("Allmänheten, omkring 60 personer")
    page.get_by_role("textbox", name="Risks", exact=True).fill("Protester från allmänheten; tidigare hot i sociala medier.")
    page.get_by_role("textbox", name="Consequences").fill("Mötet kan behöva avbrytas; ledamöter kan utsättas för hot.")
    page.locator("#id_likelihood_2").check()  # moderate
    page.locator("#id_consequence_3").check()  # high
    page.get_by_label("Measures").fill("Två värdar i entrén, ordningsvakt, utrymningsplan genomgången.")
    page.get_by_role("button", name="Save the analysis").click()
    expect(page.get_by_text("The risk analysis was saved as a draft.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("High")
    axe_check(page, "riskanalyses-body-detail-draft")

    # The checklist: two items done, one by another role than the responsible one.
    checklist = page.locator("#checklist")
    checklist.get_by_label(re.compile("^Done: Gör en risk- och konsekvensanalys")).check()
    checklist.get_by_label(re.compile("^Done: Stäm av med partikanslierna")).check()
    checklist.get_by_label(re.compile(r"^Done by \(role\): Stäm av med partikanslierna")).fill("Kommunsekreterare")
    checklist.get_by_label(re.compile("^Done: Låt dörren")).check()
    checklist.get_by_role("button", name="Save the checklist").click()
    expect(page.get_by_text("The checklist was saved.")).to_be_visible()
    expect(page.locator("#checklist").get_by_label(re.compile("^Done: Stäm av med partikanslierna"))).to_be_checked()
    axe_check(page, "riskanalyses-body-detail-checklist")

    # Ready: shared with the party offices of the members taking part.
    page.get_by_role("button", name="Mark ready and share with the party offices").click()
    expect(page.get_by_text("The analysis is ready and shared")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Ready and shared")
    axe_check(page, "riskanalyses-body-detail-ready")
    _nav(page, "Activity risk analyses")
    expect(page.get_by_role("cell", name="3 of 11 done")).to_be_visible()
    axe_check(page, "riskanalyses-body-list")
    detail = page.get_by_role("link", name=re.compile(r"AA-\d{5}"))
    detail_href = detail.get_attribute("href")

    # Anna's party office sees it, with her name; the checklist read-only.
    login_as(page, "party")
    _english(page, live_server)
    page.goto(detail_href)
    expect(page.locator("dl.facts")).to_contain_text("Anna Lindqvist")
    expect(page.get_by_role("button", name="Save the checklist")).to_have_count(0)
    axe_check(page, "riskanalyses-body-detail-party")

    # A party with no members taking part cannot reach it.
    login_as(page, "party2")
    assert page.goto(detail_href).status == 404


def test_administrator_edits_the_checklist_template(page, live_server, login_as, axe_check):
    login_as(page, "admin")
    _english(page, live_server)
    _nav(page, "Checklist template")
    expect(page.get_by_role("heading", level=1)).to_have_text("Checklist template for committees and companies")
    axe_check(page, "riskanalyses-template")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_label("What to do")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "riskanalyses-template-error")
    page.get_by_label("What to do").fill("Kontrollera att ordföranden har personlarm med sig")
    page.get_by_label("Responsible role").fill("Ordförande")
    page.get_by_role("button", name="Add the item").click()
    expect(page.get_by_text("The item was added to the template.")).to_be_visible()
    page.get_by_role("link", name="Change: Kontrollera att ordföranden har personlarm med sig").click()
    axe_check(page, "riskanalyses-template-item-form")
    page.get_by_label("Responsible role").fill("Ordförande eller vice ordförande")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Ordförande eller vice ordförande")).to_be_visible()
