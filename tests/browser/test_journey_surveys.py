"""The safety survey in a real browser: the security unit creates a round and sends the
invitations; an official answers from the e-mailed link on a phone without logging in (the
follow-up questions appear as they apply); the link cannot be used twice; the handler closes the
round and reads the results beside the national figures. Every page is checked with axe."""

import re

from playwright.sync_api import expect

from core.models import OutboxMessage
from surveys.services import item_bank_load, response_submit

LINK = re.compile(r"https?://[^/\s]+(/surveys/answer/[A-Za-z0-9_-]+/)")


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _link_path(address: str) -> str:
    message = OutboxMessage.objects.filter(to=address).latest("id")
    return LINK.search(message.body).group(1)


def test_official_answers_on_a_phone_and_handler_reads_results(page, page_phone, live_server, login_as,
                                                               axe_check):
    item_bank_load()

    # The security unit creates a round (today to six weeks ahead) and sends the invitations.
    login_as(page, "handler")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
    axe_check(page, "surveys-list-empty")
    page.get_by_role("link", name="New round").click()
    axe_check(page, "surveys-round-form")
    page.get_by_label("Survey").select_option(label="Safety survey")
    page.get_by_role("button", name="Create the round").click()
    expect(page.get_by_text("The round has been created.")).to_be_visible()
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text(re.compile(r"\d+ officials invited\."))).to_be_visible()
    axe_check(page, "surveys-round-detail")

    # The official opens the link from the e-mail on a phone, without logging in.
    phone = page_phone
    phone.goto(_link_path("official@demo.example"))
    _english(phone, live_server)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Safety survey")
    follow_up = phone.get_by_role("heading", name="The latest or most serious incident")
    expect(follow_up).to_be_hidden()
    axe_check(phone, "surveys-answer-phone")

    phone.get_by_role("group", name="Which assignments did you hold?").get_by_label(
        "Member of the municipal council").check()
    phone.get_by_role("group", name="Gender").get_by_label("Woman").check()
    phone.get_by_role("group", name=re.compile("has anyone threatened you")).get_by_label("Yes, once").check()
    expect(follow_up).to_be_visible()
    expect(phone.get_by_role("status")).to_have_text("More questions have been shown below.")
    phone.get_by_role("group", name=re.compile("How did the latest")).get_by_label("E-mail").check()
    phone.get_by_role("group", name=re.compile("How frightening")).get_by_label("Fairly").check()
    in_what_way = phone.get_by_role("group", name="In what way?")
    expect(in_what_way).to_be_hidden()
    phone.get_by_role("group", name=re.compile("affected you in your assignment")).get_by_label("Yes").check()
    expect(in_what_way).to_be_visible()
    in_what_way.get_by_label("Reduced your presence on social media").check()
    axe_check(phone, "surveys-answer-phone-follow-up")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you for answering")
    axe_check(phone, "surveys-thank-you-phone")

    # The link cannot be used again.
    phone.goto(_link_path("official@demo.example"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Already answered")
    axe_check(phone, "surveys-link-used-phone")

    # Five more officials answer (through the same service the page uses).
    others = list(OutboxMessage.objects.exclude(to="official@demo.example").order_by("id")[:5])
    for n, message in enumerate(others):
        token = LINK.search(message.body).group(1).rstrip("/").rsplit("/", 1)[1]
        exposed = {"E2": ["yes_many"]} if n < 2 else {"E1": ["no"]}
        response_submit(token=token, answers={"B2": ["man" if n % 2 else "woman"], **exposed})

    # The handler sees who has not answered (names only), closes the round and reads the results.
    page.reload()
    page.get_by_role("link", name="Who has not answered").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has not answered")
    expect(page.get_by_role("cell", name="Anna Lindqvist")).to_have_count(0)
    axe_check(page, "surveys-not-answered")
    page.go_back()
    page.get_by_role("button", name="Close the round now").click()
    expect(page.get_by_text("The round is closed. No more answers are accepted.")).to_be_visible()
    page.get_by_role("link", name="Results", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    # 3 of 6 said yes to an E1–E7 question: a share about three people is not shown (issue 15 › 2)
    expect(page.locator(".key-figure")).to_contain_text("<5")
    expect(page.get_by_role("img", name=re.compile("Share exposed by reference year"))).to_be_visible()
    national = page.get_by_role("table", name="Share exposed by reference year")
    expect(national.get_by_role("row", name=re.compile("^2022"))).to_contain_text("29 %")
    gender = page.get_by_role("table", name="Gender", exact=True)
    expect(gender.get_by_role("row", name=re.compile("^Woman"))).to_contain_text("<5")
    axe_check(page, "surveys-results")

    # The official's answer is gone from the phone's link too: the round is closed for everyone.
    other_link = _link_path(OutboxMessage.objects.exclude(to="official@demo.example").order_by("-id")[0].to)
    phone.goto(other_link)
    expect(phone.get_by_role("heading", level=1)).to_have_text(re.compile("closed|Already answered"))
    axe_check(phone, "surveys-closed-phone")
