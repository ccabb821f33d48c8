"""Issue 15, points 4, 5 and 6 (the technical office) in a real browser, for the seed
municipalities they come from, at desktop and phone sizes, every page checked with axe (WCAG 2.1
AA):

* Västerås (seed 003): the report form shows the action plan's own definitions of hot, hat, våld
  and otillåten påverkan beside the kinds — and a municipality without them shows none.
* Sigtuna (seed 004): the deputy municipal director (biträdande kommundirektör) decides; the
  proposing handler sees the proposal but cannot decide it.
* Sigtuna: the technical office (Teknik- och servicekontoret) has its own queue of approved
  measures and orders an approved alarm from it; it never sees what it may not order.
* Sigtuna / Stockholm: the official's pages name the unit as the policy does (Trygghetsenheten)
  with its contact hours, and promise a yearly security conversation only where the policy gives
  one (Stockholm's covered officials), never in Sigtuna.

Cases and proposals are made with the services; the interface is switched to English by the
language cookie after the (Swedish) login form, since the new texts are asserted in English."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

SIZES = ["page", "page_phone"]


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _case_with_proposal(code="personal-alarm"):
    """Anna Lindqvist reports a threat; the handler opens a case, assesses it and proposes `code`."""
    from accounts.models import User
    from incidents import services as incidents
    from measures import services as measures
    from measures.models import MeasureType
    from officials.models import Official

    anna = Official.objects.get(user__username="official")
    handler = User.objects.get(username="handler")
    report = incidents.report_file(actor=anna.user, officials=[anna], kinds=["threat"], channel="letter",
                                   description="Ett brev i brevlådan: 'Vi vet var du bor.'",
                                   occurred_at=timezone.now() - dt.timedelta(hours=5))
    case = incidents.case_open_from_report(actor=handler, report=report)
    measures.assessment_create(actor=handler, case=case, answers={"A1": {"answer": "present", "comment": ""}},
                               likelihood=4, consequence=4, level="", level_reason="", conclusion="Hög risk.",
                               with_official=True, with_police=True)
    measure = measures.measure_propose(actor=handler, case=case, measure_type=MeasureType.objects.get(code=code),
                                       reason="Hot mot hemmet.", estimated_cost_sek=6000)
    return case, measure


def _approved(code):
    from accounts.models import User
    from measures import services as measures

    case, measure = _case_with_proposal(code)
    return case, measures.measure_approve(actor=User.objects.get(username="approver"), measure=measure)


# ---------------------------------------------------------------- point 4: Västerås' definitions

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_vasteras_report_form_shows_its_own_definitions(request, size, live_server, login_as, axe_check):
    from accounts.services import policy_load

    page = request.getfixturevalue(size)
    policy_load(actor=None, profile="vasteras")
    login_as(page, "official")
    page.goto("/incidents/report/")
    definitions = page.locator("#kind-definitions")
    expect(definitions).to_be_visible()
    expect(definitions.locator("dd").first).to_be_hidden()  # folded away until asked for
    definitions.locator("summary").click()
    # The action plan's own words (seed 003), beside the kinds of the form.
    expect(definitions.get_by_text("Hot innebär att någon hotar att skada dig eller din egendom.",
                                   exact=False)).to_be_visible()
    expect(definitions).to_contain_text("Hat kan ta sig uttryck på många olika sätt")
    expect(definitions).to_contain_text("Våld är när någon uppsåtligen tillfogar en annan person kroppsskada")
    expect(definitions).to_contain_text("Ett gemensamt samlingsnamn för hot, hat och våld är begreppet otillåten "
                                        "påverkan.")
    expect(page.locator("main")).to_contain_text("Trygghet- och säkerhetsprocessen, stadsledningskontoret")
    axe_check(page, f"seed-policy-vasteras-report-form-{size}")

    # The English reader gets the translation, headed by the municipality's name.
    _english(page, live_server)
    definitions = page.locator("#kind-definitions")
    definitions.locator("summary").click()
    expect(definitions.locator("summary")).to_have_text("What the words mean: the definitions of Västerås stad")
    expect(definitions).to_contain_text("A threat means that someone threatens to harm you or your property.")

    # Sigtuna's plan defines no kinds: nothing is shown.
    policy_load(actor=None, profile="sigtuna")
    page.reload()
    expect(page.get_by_label("Threat", exact=True)).to_be_visible()
    expect(page.locator("#kind-definitions")).to_have_count(0)


# ---------------------------------------------------------------- point 5: Sigtuna's decider

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_sigtuna_the_deputy_municipal_director_decides_and_the_handler_cannot(request, size, live_server, login_as,
                                                                             axe_check):
    from measures.models import Measure

    page = request.getfixturevalue(size)
    case, measure = _case_with_proposal()

    # The proposing handler follows the proposal, told who decides, and has no way to decide it.
    login_as(page, "handler")
    page.goto("/measures/inbox/")
    _english(page, live_server)
    expect(page.get_by_text("Proposals waiting for a decision by: Biträdande kommundirektör.")).to_be_visible()
    expect(page.locator(f"#proposal-{measure.pk}")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)
    axe_check(page, f"seed-policy-sigtuna-inbox-handler-{size}")
    page.goto(f"/measures/{measure.pk}/")
    expect(page.get_by_text("Waiting for the decision of: Biträdande kommundirektör.")).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # The approver role, titled as the policy names it, decides.
    login_as(page, "approver")
    _english(page, live_server)
    page.get_by_role("link", name="1 proposal waits for your decision").click()
    expect(page.get_by_text("Proposals from Trygghetsenheten waiting for your decision as Biträdande "
                            "kommundirektör.")).to_be_visible()
    axe_check(page, f"seed-policy-sigtuna-inbox-approver-{size}")
    page.get_by_role("button", name=re.compile(rf"^Approve\W+Personal alarm, {case.reference}")).click()
    expect(page.get_by_text(f"Approved: Personal alarm in case {case.reference}.")).to_be_visible()
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.status, measure.decided_by.username) == ("approved", "approver")


# ---------------------------------------------------------------- point 6: the technical office

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_sigtuna_technical_office_orders_an_approved_alarm_from_its_queue(request, size, live_server, login_as,
                                                                          axe_check):
    from measures.models import Measure

    page = request.getfixturevalue(size)
    _case, alarm = _approved("personal-alarm")
    _other, guarding = _approved("guarding")

    login_as(page, "technical")
    _english(page, live_server)
    page.get_by_role("link", name="1 approved measure waits for your order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures to order")
    item = page.locator(f"#order-{alarm.pk}")
    expect(item.get_by_role("heading")).to_have_text("Personal alarm for Anna Lindqvist")
    expect(page.locator(f"#order-{guarding.pk}")).to_have_count(0)  # guarding is not the office's to order
    expect(page.locator("main")).not_to_contain_text("Hot mot hemmet.")  # the reason stays with the unit
    axe_check(page, f"seed-policy-sigtuna-order-queue-{size}")
    item.get_by_label("Supplier").fill("Larmbolaget AB")
    item.get_by_label("Order reference").fill("TSK-2026-17")
    item.get_by_role("button", name=re.compile(r"^Record the order\W+Personal alarm, Anna Lindqvist")).click()
    expect(page.get_by_text("Ordered: Personal alarm for Anna Lindqvist.")).to_be_visible()
    expect(page.get_by_text("No approved measures are waiting to be ordered.")).to_be_visible()
    axe_check(page, f"seed-policy-sigtuna-order-queue-done-{size}")
    alarm = Measure.objects.get(pk=alarm.pk)
    assert (alarm.status, alarm.ordered_via, alarm.ordered_by.username, alarm.order_reference) == (
        "ordered", "technical_office", "technical", "TSK-2026-17")
    # The measure's own page (reasons, assessment, case) stays closed to the technical office.
    response = page.goto(f"/measures/{alarm.pk}/")
    assert response.status == 404

    # The security unit sees it ordered, and the guarding still waiting in its own queue.
    login_as(page, "handler")
    _english(page, live_server)
    page.goto("/measures/to-order/")
    expect(page.locator(f"#order-{guarding.pk}")).to_be_visible()
    expect(page.locator(f"#order-{alarm.pk}")).to_have_count(0)


# ---------------------------------------------------------------- point 4: the unit's name and the promise

@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_officials_pages_follow_the_policy(request, size, live_server, login_as, axe_check):
    from accounts.services import policy_load

    page = request.getfixturevalue(size)
    login_as(page, "official")
    _english(page, live_server)
    # Sigtuna: Trygghetsenheten with its hours; no yearly security conversation is promised.
    main = page.locator("main")
    expect(main).to_contain_text("Trygghetsenheten: 08-591 260 00, trygghetsenheten@sigtuna.example (office hours: "
                                 "Vardagar 08.00–16.30)")
    expect(main).to_contain_text("The municipality's policy gives no yearly security conversations. Ask "
                                 "Trygghetsenheten for one")
    axe_check(page, f"seed-policy-sigtuna-official-home-{size}")
    page.goto("/officials/me/")
    promise = page.locator("#conversation-promise")
    expect(promise).to_contain_text("gives no yearly security conversations")
    expect(page.locator("main")).not_to_contain_text("a yearly security conversation.")
    axe_check(page, f"seed-policy-sigtuna-official-me-{size}")
    page.goto("/incidents/report/")
    expect(page.locator("main")).to_contain_text("Tell Trygghetsenheten what happened.")
    expect(page.locator("main")).to_contain_text("Trygghetsenheten — office hours: Vardagar 08.00–16.30")
    page.goto("/accounts/my-access-log/")
    expect(page.locator("main")).to_contain_text("contact Trygghetsenheten: 08-591 260 00 (Vardagar 08.00–16.30)")

    # Stockholm: its unit's name, and Anna — a full-time commissioner, covered — is promised the
    # yearly conversation the application instruction gives the specially remunerated.
    policy_load(actor=None, profile="stockholm")
    page.goto("/officials/me/")
    expect(page.locator("#conversation-promise")).to_have_text(
        "Säkerhetsavdelningen, stadsledningskontoret offers you a security conversation about your personal safety "
        "at least once a year, and whenever you need one.")
    axe_check(page, f"seed-policy-stockholm-official-me-{size}")
