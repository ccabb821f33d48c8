"""Issue 15's training points in a real browser, for the seed municipality each comes from, at
desktop and phone sizes; every page visited is checked with axe (WCAG 2.1 AA).

* Sigtuna (seed 004): the unit previews the planner for 1 September 2029 (nothing is written),
  runs it — the targeted on-site training before the 2030 election is planned months ahead for
  the most exposed — adds someone to its target list, schedules a session with an estimated cost,
  invites, books a cost; the training budget shows 300 000 SEK with what is committed, spent and
  remaining (points 6, 7, 12). The person added opens the invitation — an offer that opens later —
  and enrols (point 8); the title reads in English and in Swedish (point 11).
* Stockholm (seed 002): the unit marks a group leader at 30 % as designated by the party, and
  the KL 4:18a view lists him (point 7).
* Västerås (seed 003): a committee secretary is in the half-yearly training's target group; the
  planner run from the page creates it; the secretary opens the invitation (points 7, 8, 12).
* A policy change in the admin takes effect the same day (point 12).

The interface is switched to English by the language cookie after the (Swedish) login form, as
the other journeys do; point 11 checks the Swedish page too."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

ELECTION_TITLE = "On-site training before the election (election 2030-09-08)"


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _swedish(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "sv", "url": live_server.url}])
    page.reload()


@pytest.fixture(params=["desktop", "phone"])
def screen(request):
    """The journey's page: desktop size, then phone size."""
    return request.getfixturevalue("page" if request.param == "desktop" else "page_phone"), request.param


def _go(page, path):
    page.goto(path)
    page.wait_for_load_state("networkidle")


def _invitation_path(address):
    from core.models import OutboxMessage

    message = OutboxMessage.objects.filter(to=address, body__contains="/training/sessions/").order_by("-id").first()
    return re.search(r"https?://[^/\s]+(/training/sessions/\d+/)", message.body).group(1)


# ---------------------------------------------------------------- Sigtuna


def test_sigtuna_plans_the_election_training_ahead_invites_and_follows_its_budget(screen, live_server, login_as,
                                                                                   axe_check):
    from training.models import OfferAddedOfficial, Session, TrainingCost, TrainingOffer

    page, size = screen
    login_as(page, "handler")
    _english(page, live_server)

    # Point 12: preview the planner for a chosen date — nothing is written.
    _go(page, "/training/plan/planner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Run the planner")
    page.get_by_label("Run for the date").fill("2029-09-01")
    page.get_by_role("button", name="Preview").click()
    result = page.locator(".planner-result")
    expect(page.get_by_role("heading", name="Preview for 1 September 2029: would be created")).to_be_visible()
    expect(result).to_contain_text(ELECTION_TITLE)
    assert not TrainingOffer.objects.filter(kind=TrainingOffer.Kind.PRE_ELECTION).exists()
    axe_check(page, f"t15-planner-preview-{size}")

    # … and run it now: the targeted training is planned, months before it opens (point 7).
    page.get_by_role("button", name="Run now").click()
    expect(page.get_by_role("heading", name="Created for 1 September 2029")).to_be_visible()
    expect(page.locator(".planner-result")).to_contain_text(ELECTION_TITLE)
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.PRE_ELECTION)
    assert (offer.opens_on, offer.target_group) == (dt.date(2030, 3, 1), "exposed")
    axe_check(page, f"t15-planner-ran-{size}")

    # The unit adds Erik Johansson (a council member, not among the most exposed) to its target list.
    _go(page, f"/training/plan/offers/{offer.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ELECTION_TITLE)
    page.locator("#id_add-official").select_option(label="Erik Johansson")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("Erik Johansson is added to the target group of this offer.")).to_be_visible()
    assert OfferAddedOfficial.objects.filter(offer=offer, official__user__username="official2").exists()
    axe_check(page, f"t15-offer-target-list-{size}")

    # A session in March 2030 with its estimated cost; the invitations go out now.
    page.get_by_label("Starts").fill("2030-03-10T13:00")
    page.get_by_label("Ends").fill("2030-03-10T16:00")
    page.locator("#id_place").fill("Sigtuna rådhus, sessionssalen")
    page.locator("#id_capacity").fill("25")
    page.get_by_label("Estimated cost (SEK)").fill("45000")
    page.get_by_role("button", name="Add session").click()
    expect(page.get_by_role("button", name="Send invitations")).to_be_visible()
    session = Session.objects.get(offer=offer)
    assert session.estimated_cost_sek == 45_000
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("invitations are on their way")).to_be_visible()
    axe_check(page, f"t15-session-invited-{size}")

    # Point 6: a cost booked on the offer; the training budget follows it like the measures budget.
    _go(page, f"/training/plan/offers/{offer.pk}/")
    page.get_by_label("Amount (SEK)").fill("4200")
    page.get_by_label("Invoice or note").fill("Föreläsare, förskott")
    page.get_by_role("button", name="Book the cost").click()
    expect(page.get_by_text("The cost is booked against the training budget.")).to_be_visible()
    assert TrainingCost.objects.get(offer=offer).amount_sek == 4200
    _go(page, "/training/plan/budget/")
    this_year = timezone.localdate().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Training budget {this_year}")
    expect(page.locator("#training-budget")).to_have_text("300\u00a0000 SEK")
    expect(page.locator("#training-spent")).to_have_text("4\u00a0200 SEK")
    expect(page.locator("#training-remaining")).to_contain_text("295\u00a0800 SEK")
    axe_check(page, f"t15-training-budget-{size}")
    page.get_by_role("combobox", name="Year").select_option("2030")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#training-committed")).to_have_text("45\u00a0000 SEK")
    expect(page.locator("#training-remaining")).to_contain_text("255\u00a0000 SEK")
    axe_check(page, f"t15-training-budget-2030-{size}")

    # Point 11: the planner's reminder reads in the reader's language.
    _go(page, "/training/reminders/")
    expect(page.get_by_role("main")).to_contain_text(f"Schedule sessions and send invitations: {ELECTION_TITLE}")
    _swedish(page, live_server)
    expect(page.get_by_role("main")).not_to_contain_text("Schedule sessions")
    expect(page.get_by_role("main")).to_contain_text("Utbildning på plats före valet")
    axe_check(page, f"t15-reminders-sv-{size}")

    # Point 8: the person added opens the invitation — the offer opens only in March — and enrols.
    login_as(page, "official2")
    _english(page, live_server)
    _go(page, _invitation_path("official2@demo.example"))
    expect(page.get_by_role("heading", level=1)).to_have_text(ELECTION_TITLE)
    axe_check(page, f"t15-invited-session-{size}")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("status")).to_contain_text("You are enrolled")
    assert session.enrolments.get().official.user.username == "official2"
    _go(page, "/training/")
    expect(page.get_by_role("main")).to_contain_text("Opens on 1 March 2030")
    axe_check(page, f"t15-my-training-opens-later-{size}")
    # … and in Swedish, the same title in Swedish (point 11).
    _swedish(page, live_server)
    heading = page.get_by_role("main").locator("h3").first
    expect(heading).to_contain_text("Utbildning på plats före valet")
    expect(heading).not_to_contain_text("On-site training")


# ---------------------------------------------------------------- Stockholm


@pytest.fixture
def stockholm(demo):
    from accounts.services import policy_load
    from officials.models import Assignment, Body
    from officials.services import assignment_add, official_create

    policy_load(actor=None, profile="stockholm")
    kf = Body.objects.get(name="Kommunfullmäktige")
    leader = official_create(actor=None, first_name="Gunnar", last_name="Gruppledarsson",
                             work_email="gunnar@politik.example")
    assignment_add(actor=None, official=leader, body=kf, role=Assignment.Role.GROUP_LEADER, share_percent=30,
                   start=dt.date(2026, 10, 15))
    return leader


def test_stockholm_marks_a_party_designated_group_leader_covered_under_forty_percent(screen, live_server, login_as,
                                                                                       axe_check, stockholm):
    from officials.models import Official

    page, size = screen
    login_as(page, "handler")
    _english(page, live_server)
    _go(page, f"/officials/{stockholm.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gunnar Gruppledarsson")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kommunfullmäktige"))
    expect(row.locator("td").first).to_have_text("Group leader")
    axe_check(page, f"t15-group-leader-before-{size}")
    row.get_by_role("button", name=re.compile("^Designated by the party")).click()
    expect(page.get_by_role("status")).to_contain_text("designated by the party")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kommunfullmäktige"))
    expect(row.locator("td").first).to_contain_text("KL 4:18a")
    expect(row.locator("td").first).to_contain_text("Designated by the party")
    expect(row.get_by_role("button", name=re.compile("^Remove the party's designation"))).to_be_visible()
    assert Official.objects.covered().filter(pk=stockholm.pk).exists()
    axe_check(page, f"t15-group-leader-designated-{size}")
    _go(page, "/training/plan/compliance/?page=1")
    expect(page.get_by_role("main")).to_contain_text("Gruppledarsson")
    axe_check(page, f"t15-compliance-designated-{size}")


# ---------------------------------------------------------------- Västerås


@pytest.fixture
def vasteras(demo):
    from django.conf import settings

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import policy_load, user_set_roles
    from officials.models import Assignment, Body
    from officials.services import assignment_add, official_create

    policy_load(actor=None, profile="vasteras")
    user = User.objects.create(username="namndsek", first_name="Nora", last_name="Nämndsekreterare",
                               email="namndsek@demo.example")
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    user_set_roles(actor=None, user=user, roles={Role.OFFICIAL})
    body = Body.objects.filter(kind=Body.Kind.COMMITTEE).order_by("name").first()
    secretary = official_create(actor=None, first_name="Nora", last_name="Nämndsekreterare", user=user,
                                work_email="namndsek@demo.example")
    assignment_add(actor=None, official=secretary, body=body, role=Assignment.Role.COMMITTEE_SECRETARY,
                   share_percent=100, start=dt.date(2026, 10, 15))
    return secretary


def test_vasteras_committee_secretary_is_invited_to_the_half_yearly_training(screen, live_server, login_as,
                                                                             axe_check, vasteras):
    from training.models import TrainingOffer

    page, size = screen
    login_as(page, "handler")
    _english(page, live_server)
    _go(page, "/training/plan/planner/")
    page.get_by_label("Run for the date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Run now").click()
    expect(page.get_by_role("heading", name=re.compile("^Created for"))).to_be_visible()
    offer = TrainingOffer.objects.get(kind=TrainingOffer.Kind.RECURRING)
    assert offer.target_group == "everyone"
    _go(page, f"/training/plan/offers/{offer.pk}/")
    expect(page.get_by_role("main")).to_contain_text("Elected officials, political secretaries and committee "
                                                     "secretaries")
    start = (timezone.localtime() + dt.timedelta(days=21)).replace(hour=13, minute=0)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("Stadshuset, sal B")
    page.locator("#id_capacity").fill("40")
    page.get_by_role("button", name="Add session").click()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("invitations are on their way")).to_be_visible()
    axe_check(page, f"t15-vasteras-session-{size}")

    login_as(page, "namndsek")
    _english(page, live_server)
    _go(page, "/training/")
    expect(page.get_by_role("main")).to_contain_text("Detect, prevent and handle threats, hate and violence, 1/8")
    axe_check(page, f"t15-secretary-my-training-{size}")
    _go(page, _invitation_path("namndsek@demo.example"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Detect, prevent and handle threats")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("status")).to_contain_text("You are enrolled")
    axe_check(page, f"t15-secretary-enrolled-{size}")


# ---------------------------------------------------------------- a policy change takes effect today


def test_a_policy_saved_in_the_admin_takes_effect_the_same_day(screen, live_server, login_as, axe_check):
    from accounts.models import Policy
    from training.models import SecurityConversation

    page, size = screen
    assert not SecurityConversation.objects.exists()
    login_as(page, "admin")
    _english(page, live_server)
    _go(page, f"/admin/accounts/policy/{Policy.objects.get(is_active=True).pk}/change/")
    page.get_by_label("Yearly security conversations").select_option(label="Covered officials (KL 4:18a)")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    # The planner ran on commit: the covered officials' yearly conversations are there to book.
    assert SecurityConversation.objects.filter(official__user__username="official").exists()

    login_as(page, "handler")
    _english(page, live_server)
    _go(page, "/training/plan/conversations/?status=due")
    expect(page.get_by_role("heading", level=1)).to_have_text("Security conversations")
    expect(page.locator("main tbody tr").first).to_contain_text("Yearly")
    axe_check(page, f"t15-conversations-after-policy-change-{size}")
