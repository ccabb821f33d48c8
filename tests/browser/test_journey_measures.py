"""The Sigtuna chain in a real browser (seed 004): the security unit assesses the threat with the
official and the police and proposes a personal alarm and cameras; the deputy municipal director
approves one and rejects the other with a reason; the unit orders the approved alarm through the
technical office, marks it in place and books its cost; the budget dashboard shows it. Every page
is checked with axe (WCAG 2.1 AA). The same flow under Stockholm's profile is decided by the
security chief (a role of its own), never the proposer nor another handler.

The case is made with the incidents services; the interface is switched to English by the
language cookie after the (Swedish) login form."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _case():
    """Anna Lindqvist reports a threat; the handler opens a case."""
    from accounts.models import User
    from incidents import services
    from officials.models import Official

    anna = Official.objects.get(user__username="official")
    report = services.report_file(
        actor=anna.user, officials=[anna], kinds=["threat"], channel="letter",
        description="Ett brev hemma i brevlådan: 'Vi vet var du bor.'",
        occurred_at=timezone.now() - dt.timedelta(hours=5))
    return services.case_open_from_report(actor=User.objects.get(username="handler"), report=report)


def _assess_and_propose(page, live_server, axe_check, case):
    page.goto(f"/incidents/cases/{case.pk}/")
    _english(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    panel = page.locator("#measures-panel")
    expect(panel).to_contain_text("The case has not been assessed yet.")
    axe_check(page, "measures-case-panel-empty")

    # The threat and risk assessment, with the official and the police.
    panel.get_by_role("link", name="Assess threat and risk").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Threat and risk assessment")
    axe_check(page, "measures-assessment-form")
    page.get_by_label("The official took part").check()
    page.get_by_label("The police took part").check()
    page.get_by_label(re.compile(r"^A1 Explicit threat")).select_option("present")
    page.get_by_label("Comment on A1", exact=True).fill("Hot mot hemmet i brev.")
    page.get_by_label(re.compile(r"^A5 Knows or has visited")).select_option("present")
    page.get_by_label(re.compile(r"^C7 Lacks alarm")).select_option("present")
    page.get_by_label(re.compile(r"^Likelihood")).select_option("4")
    page.get_by_label(re.compile(r"^Consequence")).select_option("5")
    page.get_by_label("Risk level", exact=True).select_option("high")
    page.get_by_role("button", name="Save assessment").click()
    # A level other than the matrix's (very high) needs a reason; nothing typed is lost.
    reason = page.get_by_label("Reason for a level other than the matrix's")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Comment on A1", exact=True)).to_have_value("Hot mot hemmet i brev.")
    axe_check(page, "measures-assessment-form-errors")
    page.get_by_label("Risk level", exact=True).select_option("")
    page.get_by_label(re.compile(r"^Conclusion")).fill("Mycket hög risk: känd adress och hot mot hemmet. "
                                                      "Personlarm och kamera vid entrén föreslås.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("The assessment was saved: very high risk.")).to_be_visible()
    expect(panel).to_contain_text("Very high")
    axe_check(page, "measures-case-panel-assessed")

    # Two proposals: a personal alarm and cameras.
    for name, cost in (("Personal alarm", "6000"), ("Cameras", "25000")):
        panel.get_by_role("link", name="Propose a measure").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Propose a measure")
        page.get_by_label(re.compile(r"^Measure")).select_option(label=name)
        page.get_by_label("Why this measure").fill("Hot mot hemmet; saknar larm (A1, A5, C7).")
        page.get_by_label("Estimated cost (SEK)").fill(cost)
        if name == "Personal alarm":
            axe_check(page, "measures-propose-form")
        page.get_by_role("button", name="Propose for decision").click()
        expect(page.get_by_text(f"{name} was proposed.")).to_be_visible()
    expect(panel.get_by_role("row", name=re.compile("Personal alarm"))).to_contain_text("Proposed")
    expect(panel.get_by_role("row", name=re.compile("Cameras"))).to_contain_text("Proposed")


@pytest.mark.django_db(transaction=True)
def test_the_sigtuna_chain(page, live_server, login_as, axe_check):
    from measures.models import Measure

    case = _case()
    login_as(page, "handler")
    _assess_and_propose(page, live_server, axe_check, case)
    alarm = Measure.objects.get(case=case, measure_type__code="personal-alarm")
    cameras = Measure.objects.get(case=case, measure_type__code="cameras")

    # The handler cannot decide (the deputy municipal director does): the inbox is read-only.
    page.goto("/measures/inbox/")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)

    # The deputy municipal director decides.
    login_as(page, "approver")
    _english(page, live_server)
    expect(page.get_by_text("2 proposals wait for your decision")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decisions on measures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decisions on measures")
    proposal = page.locator(f"#proposal-{alarm.pk}")
    expect(proposal).to_contain_text("Very high")
    expect(proposal).to_contain_text(re.compile(r"6\s000 SEK"))
    axe_check(page, "measures-inbox")
    proposal.get_by_role("button", name=re.compile(rf"^Approve\W+Personal alarm, {case.reference}")).click()
    expect(page.get_by_text(f"Approved: Personal alarm in case {case.reference}.")).to_be_visible()
    # Rejecting without a reason is refused, tied to the field.
    rejected = page.locator(f"#proposal-{cameras.pk}")
    rejected.get_by_role("button", name=re.compile(rf"^Reject\W+Cameras, {case.reference}")).click()
    reason = page.locator(f"#proposal-{cameras.pk}").get_by_label("Reason for your decision")
    expect(reason).to_have_attribute("aria-invalid", "true")
    axe_check(page, "measures-inbox-error")
    reason.fill("Personlarmet räcker tills vidare; ny bedömning om 7 dagar.")
    page.locator(f"#proposal-{cameras.pk}").get_by_role("button", name=re.compile(rf"^Reject\W+Cameras, {case.reference}")).click()
    expect(page.get_by_text(f"Rejected: Cameras in case {case.reference}.")).to_be_visible()
    expect(page.get_by_text("No proposals are waiting for a decision.")).to_be_visible()

    # The handler orders the approved alarm through the technical office and marks it in place.
    login_as(page, "handler")
    page.goto(f"/incidents/cases/{case.pk}/")
    _english(page, live_server)
    panel = page.locator("#measures-panel")
    expect(panel.get_by_role("row", name=re.compile("Cameras"))).to_contain_text("Rejected")
    panel.get_by_role("link", name="Personal alarm", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personal alarm")
    axe_check(page, "measures-measure-approved")
    page.get_by_label("Ordered by").select_option(label="The technical office")
    page.get_by_label("Supplier").fill("Larmbolaget AB")
    page.get_by_role("button", name="Record order").click()
    expect(page.get_by_text("The order was recorded.")).to_be_visible()
    page.get_by_role("button", name="Mark in place").click()
    expect(page.get_by_label("Alarm identifier at the alarm centre")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "measures-measure-in-place-error")
    page.get_by_label("Alarm identifier at the alarm centre").fill("PA-0042")
    page.get_by_role("button", name="Mark in place").click()
    expect(page.get_by_text("The measure is in place.")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("In place")
    axe_check(page, "measures-measure-in-place")

    # The budget dashboard shows the cost: committed until the invoice is booked, then spent.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget for measures")
    expect(page.locator("#budget-committed")).to_have_text(re.compile(r"^6\s000 SEK$"))
    expect(page.locator("#budget-remaining")).to_contain_text(re.compile(r"1\s994\s000 SEK"))
    axe_check(page, "measures-budget")
    page.goto(f"/measures/{alarm.pk}/")
    page.get_by_label("Amount (SEK)").fill("5900")
    page.get_by_label("Invoice or note").fill("Faktura 2026-118")
    page.get_by_role("button", name="Book cost").click()
    expect(page.get_by_text("The cost was booked.")).to_be_visible()
    page.goto("/measures/budget/")
    expect(page.locator("#budget-committed")).to_have_text("0 SEK")
    expect(page.locator("#budget-spent")).to_have_text(re.compile(r"^5\s900 SEK$"))
    expect(page.get_by_role("row", name=re.compile("Personal alarm"))).to_contain_text(re.compile(r"5\s900"))

    # The history and the case timeline.
    page.goto(f"/measures/cases/{case.pk}/assessments/")
    expect(page.get_by_role("cell", name="First assessment")).to_be_visible()
    axe_check(page, "measures-assessment-history")
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Threat and risk assessment")
    axe_check(page, "measures-assessment-detail")
    page.goto("/measures/")
    axe_check(page, "measures-list")

    # The official sees the decided measures on their own case, not the costs or reasons.
    login_as(page, "official")
    page.goto(f"/incidents/cases/{case.pk}/")
    _english(page, live_server)
    expect(page.get_by_text(re.compile("Personal alarm: in place since"))).to_be_visible()
    expect(page.get_by_text("Cameras: not granted")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(re.compile(r"5\s?900"))
    axe_check(page, "measures-official-case")


@pytest.mark.django_db(transaction=True)
def test_the_same_flow_under_stockholm_is_decided_by_the_security_chief(page, live_server, login_as, axe_check, demo):
    from accounts.services import policy_load

    policy_load(actor=None, profile="stockholm")
    case = _case()
    login_as(page, "handler")
    _assess_and_propose(page, live_server, axe_check, case)

    # The proposer, a handler, follows the inbox but does not decide: the security chief does.
    page.goto("/measures/inbox/")
    expect(page.get_by_text("Proposals waiting for a decision by: Säkerhetschef.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)

    # The approver role (Sigtuna's) has no say under Stockholm's policy.
    login_as(page, "approver")
    _english(page, live_server)
    expect(page.get_by_text("Under the current policy, measures are decided by: Säkerhetschef.")).to_be_visible()

    # The security chief (the demo account `chief`, role security_chief) decides.
    login_as(page, "chief")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Decisions on measures").click()
    page.get_by_role("button", name=re.compile(rf"^Approve\W+Personal alarm, {case.reference}")).click()
    expect(page.get_by_text(f"Approved: Personal alarm in case {case.reference}.")).to_be_visible()
    axe_check(page, "measures-inbox-stockholm")
