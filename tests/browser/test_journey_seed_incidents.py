"""Issue 15, points 3, 9 and 10, in Chromium under Fagersta's policy (seed 000), at desktop and
phone sizes, axe-clean (WCAG 2.1 AA):

3. "Bedömningen av huruvida hot, våld eller trakasserier mot en förtroendevald hänger samman med
   berörd individs uppdrag … görs i samverkan mellan kommunen och berört politiskt parti": the party
   office records the party's view itself, the security unit the municipality's; both show with who
   and when, to the unit, the party office and the official (the unit's own comment only to the unit);
   another party's office cannot reach the case.
9. The case status follows the work: an assessment → being assessed, an approved alarm → measures,
   the alarm in place → monitoring ("Uppföljning"), never "Ny", for the handler and the official.
10. "Kommunens ansvar gäller inte när en person inte längre har ett politiskt förtroendeuppdrag": the
   handler ends the official's last assignment; the registry, the case timeline and the official's own
   pages say that the responsibility ended, with the date.

Cases are made with the incidents services; the interface is switched to English by the language
cookie after the (Swedish) login form where the strings are new, and back to Swedish for the status."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

UNIT_ONLY = "Enhetens interna anteckning om gärningspersonen"


def _language(page, live_server, code="en"):
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    page.reload()
    page.wait_for_load_state("networkidle")


def _fagersta():
    from accounts.services import policy_load

    policy_load(actor=None, profile="fagersta")


def _case(username="official"):
    """The official reports a threat; the handler opens a case."""
    from accounts.models import User
    from incidents import services
    from officials.models import Official

    person = Official.objects.get(user__username=username)
    report = services.report_file(
        actor=person.user, officials=[person], kinds=["threat"], channel="letter",
        description="Ett brev hemma i brevlådan: 'Vi vet var du bor, och vad du röstade i fullmäktige.'",
        occurred_at=timezone.now() - dt.timedelta(hours=5), linked_to_assignment="yes")
    return services.case_open_from_report(actor=User.objects.get(username="handler"), report=report)


def _name(username: str) -> str:
    from accounts.models import User

    return User.objects.get(username=username).display_name()


def _goto(page, url: str):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


# ---------------------------------------------------------------- 3. the party's own view

@pytest.mark.django_db(transaction=True)
def test_fagersta_the_party_and_the_unit_judge_the_link_together(page, page_phone, live_server, login_as, axe_check):
    from incidents.models import LinkAssessment

    _fagersta()
    case = _case()
    url = f"/incidents/cases/{case.pk}/"

    # The party office of the official's party records the party's view itself, on a phone.
    login_as(page_phone, "party")
    _goto(page_phone, url)
    _language(page_phone, live_server)
    section = page_phone.locator("#link-judgement")
    expect(section).to_contain_text("Neither the party nor the municipality has given its view yet.")
    axe_check(page_phone, "seed-incidents15-link-party-empty-phone")
    form = page_phone.locator("#party-view")
    form.get_by_label("The party's view: is it linked to the assignment?").select_option("yes")
    form.get_by_label("The party's comment").fill("Hotet kom efter hennes inlägg i fullmäktigedebatten.")
    form.get_by_role("button", name="Save the party's view").click()
    expect(page_phone.get_by_text("The party's view on the link to the assignment has been saved.")).to_be_visible()
    party_row = section.locator("#link-view-party")
    expect(party_row).to_contain_text("Yes")
    expect(party_row).to_contain_text(_name("party"))
    expect(party_row.locator("time")).to_have_count(1)
    expect(section.locator("#link-agreement")).to_have_text("Awaiting the municipality's view")
    axe_check(page_phone, "seed-incidents15-link-party-recorded-phone")

    # The security unit records the municipality's view, with a comment for the unit only.
    login_as(page, "handler")
    _goto(page, url)
    _language(page, live_server)
    expect(page.locator("#link-view-party")).to_contain_text(
        _name("party"))
    expect(page.locator("#party-view")).to_have_count(0)  # the unit does not speak for the party
    page.get_by_text("The municipality's view on the link to the assignment", exact=True).click()
    unit_form = page.locator("#link")
    unit_form.get_by_label("The municipality's view: is it linked to the assignment?").select_option("yes")
    unit_form.get_by_label("The official's view, as the official gave it").select_option("yes")
    unit_form.get_by_label("The municipality's comment").fill(UNIT_ONLY)
    unit_form.get_by_label(re.compile("^Comment for the security unit only")).check()
    axe_check(page, "seed-incidents15-link-unit-form")
    unit_form.get_by_role("button", name="Save the municipality's view").click()
    expect(page.get_by_text("The municipality's view on the link to the assignment has been saved.")).to_be_visible()
    section = page.locator("#link-judgement")
    expect(section.locator("#link-agreement")).to_have_text("The party and the municipality agree")
    expect(section).to_contain_text("Linked to the assignment")
    unit_row = section.locator("#link-view-municipality")
    expect(unit_row).to_contain_text(_name("handler"))
    expect(unit_row).to_contain_text(UNIT_ONLY)
    expect(unit_row.locator("time")).to_have_count(1)
    axe_check(page, "seed-incidents15-link-agreed-unit")
    la = LinkAssessment.objects.get(case=case)
    assert (la.outcome, la.party_view_by.username, la.municipality_view_by.username) == ("linked", "party", "handler")

    # The official sees both views with who and when, but not the unit's own comment.
    login_as(page_phone, "official")
    _goto(page_phone, url)
    _language(page_phone, live_server)
    section = page_phone.locator("#link-judgement")
    expect(section.locator("#link-agreement")).to_have_text("The party and the municipality agree")
    expect(section).to_contain_text(_name("party"))
    expect(section).to_contain_text(_name("handler"))
    expect(section).to_contain_text("Hotet kom efter hennes inlägg")
    expect(page_phone.locator("main")).not_to_contain_text(UNIT_ONLY)
    expect(page_phone.locator("#party-view")).to_have_count(0)
    axe_check(page_phone, "seed-incidents15-link-official-phone")

    # The party office sees the outcome too; another party's office cannot reach the case at all.
    login_as(page, "party")
    _goto(page, url)
    _language(page, live_server)
    expect(page.locator("#link-judgement")).to_contain_text("Linked to the assignment")
    expect(page.locator("main")).not_to_contain_text(UNIT_ONLY)
    axe_check(page, "seed-incidents15-link-party-desktop")
    login_as(page, "party2")
    assert _goto(page, url).status == 404
    assert LinkAssessment.objects.get(case=case).party_view_by.username == "party"


# ---------------------------------------------------------------- 9. the status follows the work

@pytest.mark.django_db(transaction=True)
def test_fagersta_the_case_status_follows_the_assessment_and_the_alarm(page, page_phone, live_server, login_as,
                                                                        axe_check):
    from measures.models import Measure

    _fagersta()
    case = _case()
    url = f"/incidents/cases/{case.pk}/"
    status = page.locator("#case-status")

    login_as(page, "handler")
    _goto(page, url)
    _language(page, live_server)
    expect(status).to_have_text("New")

    # An assessment: the case is being assessed.
    page.locator("#measures-panel").get_by_role("link", name="Assess threat and risk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Threat and risk assessment")
    page.get_by_label(re.compile(r"^A1 Explicit threat")).select_option("present")
    page.get_by_label(re.compile(r"^Likelihood")).select_option("4")
    page.get_by_label(re.compile(r"^Consequence")).select_option("4")
    page.get_by_label(re.compile(r"^Conclusion")).fill("Hög risk: hot mot hemmet. Personlarm föreslås.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text(re.compile("The assessment was saved"))).to_be_visible()
    _goto(page, url)
    expect(status).to_have_text("Being assessed")

    # A personal alarm proposed, then approved by the municipal director: measures.
    page.locator("#measures-panel").get_by_role("link", name="Propose a measure").click()
    page.get_by_label(re.compile(r"^Measure")).select_option(label="Personal alarm")
    page.get_by_label("Why this measure").fill("Hot mot hemmet; saknar larm.")
    page.get_by_label("Estimated cost (SEK)").fill("6000")
    page.get_by_role("button", name="Propose for decision").click()
    expect(page.get_by_text("Personal alarm was proposed.")).to_be_visible()
    _goto(page, url)
    expect(status).to_have_text("Being assessed")  # proposed is not decided
    alarm = Measure.objects.get(case=case)

    login_as(page, "approver")
    _goto(page, "/measures/inbox/")
    _language(page, live_server)
    page.locator(f"#proposal-{alarm.pk}").get_by_role(
        "button", name=re.compile(rf"^Approve\W+Personal alarm, {case.reference}")).click()
    expect(page.get_by_text(f"Approved: Personal alarm in case {case.reference}.")).to_be_visible()
    _goto(page, url)
    expect(status).to_have_text("Measures")

    # The handler orders the alarm and marks it in place: monitoring.
    login_as(page, "handler")
    _goto(page, f"/measures/{alarm.pk}/")
    _language(page, live_server)
    page.get_by_role("button", name="Record order").click()
    expect(page.get_by_text("The order was recorded.")).to_be_visible()
    page.get_by_label("Alarm identifier at the alarm centre").fill("PA-1015")
    page.get_by_role("button", name="Mark in place").click()
    expect(page.get_by_text("The measure is in place.")).to_be_visible()
    _goto(page, url)
    expect(status).to_have_text("Monitoring")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Moved on by the work on the case: an assessment was recorded.")
    expect(timeline).to_contain_text("Moved on by the work on the case: a measure was approved.")
    expect(timeline).to_contain_text("Moved on by the work on the case: all measures are in place.")
    axe_check(page, "seed-incidents15-status-monitoring-handler")

    # In Swedish, as Fagersta's handler and official read it: "Uppföljning", never "Ny".
    _language(page, live_server, "sv")
    expect(status).to_have_text("Uppföljning")
    login_as(page_phone, "official")
    _goto(page_phone, "/incidents/mine/")
    mine = page_phone.locator(f"#case-{case.pk}-status")
    expect(mine).to_have_text("Uppföljning")
    expect(page_phone.locator(f"section[aria-labelledby='case-{case.pk}'] dl.facts")).not_to_contain_text("Ny")
    axe_check(page_phone, "seed-incidents15-status-monitoring-official-phone")
    _goto(page_phone, url)
    expect(page_phone.locator("#case-status")).to_have_text("Uppföljning")
    axe_check(page_phone, "seed-incidents15-status-case-official-phone")


# ---------------------------------------------------------------- 10. the end of the municipality's responsibility

@pytest.mark.django_db(transaction=True)
def test_fagersta_the_end_of_responsibility_shows_in_the_app(page, page_phone, live_server, login_as, axe_check):
    from django.utils.formats import date_format
    from django.utils.translation import override

    from officials.models import Official

    _fagersta()
    case = _case("official2")
    erik = Official.objects.get(user__username="official2")
    today = timezone.localdate()
    with override("en"):
        ended = f"The municipality's responsibility ended on {date_format(today)}"
        for_you = f"The municipality's responsibility for your protection ended on {date_format(today)}."

    # The handler ends the official's last assignment in the registry.
    login_as(page, "handler")
    _goto(page, f"/officials/{erik.pk}/")
    _language(page, live_server)
    expect(page.locator("#responsibility-ended")).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^End\b")).first.click()
    page.get_by_label("Last day of the assignment").fill(today.isoformat())
    page.get_by_role("button", name="End assignment").click()
    page.wait_for_load_state("networkidle")
    _goto(page, f"/officials/{erik.pk}/")
    expect(page.locator("#responsibility-ended")).to_have_text(ended)
    axe_check(page, "seed-incidents15-registry-detail-ended")

    # The registry's list says so.
    _goto(page, f"/officials/?q={erik.work_email}")
    row = page.get_by_role("row", name=re.compile(erik.last_name))
    expect(row).to_contain_text(ended)
    axe_check(page, "seed-incidents15-registry-list-ended")

    # The case timeline has the entry, with the date.
    _goto(page, f"/incidents/cases/{case.pk}/")
    expect(page.locator("ol.timeline .timeline-event")).to_contain_text(ended)
    axe_check(page, "seed-incidents15-case-timeline-ended")

    # The official reads it on their own pages, on a phone.
    login_as(page_phone, "official2")
    _goto(page_phone, "/officials/me/")
    _language(page_phone, live_server)
    expect(page_phone.locator("#responsibility-ended")).to_contain_text(for_you)
    axe_check(page_phone, "seed-incidents15-me-ended-phone")
    _goto(page_phone, "/incidents/mine/")
    expect(page_phone.locator("#responsibility-ended")).to_contain_text(for_you)
    axe_check(page_phone, "seed-incidents15-mine-ended-phone")
    _goto(page_phone, "/")
    expect(page_phone.get_by_role("link", name=for_you)).to_be_visible()
    _goto(page_phone, f"/incidents/cases/{case.pk}/")
    expect(page_phone.locator("ol.timeline .timeline-event")).to_contain_text(ended)
    axe_check(page_phone, "seed-incidents15-case-timeline-ended-phone")
