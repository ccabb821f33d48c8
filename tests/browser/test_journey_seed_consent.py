"""Issue 15 point 1 in a real browser, for Fagersta — its guideline: private data is published
"endast … om förtroendevalda själv godkänt det och lämnat skriftligt medgivande".

The official gives consent on the web → the page says the signed document is awaited and the field
is published nowhere (their own "what the municipality publishes", the unit's card of what others
see, the CSV export) → the security unit records the signed paper → published → the official
withdraws → gone at once. At desktop and phone size. And the other way to the document: the
official sends a photo of the signed form from the phone, the unit does not accept it (with a
reason the official reads), a new one is sent and accepted. Every page is checked with axe
(WCAG 2.1 AA). The interface is switched to English after the (Swedish) login form."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.services import policy_load
from officials.models import Official
from officials.selectors import published_private_data

PHONE = "073-1234567"  # the demo official's private phone and home address (demo/registry.py)
HOME = "Storgatan 1"
UNIT = "Säkerhetsfunktionen"  # Fagersta's name for the security unit (accounts/policy_profiles.py)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def fagersta(demo):
    policy_load(actor=None, profile="fagersta")
    return Official.objects.get(user__username="official")


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def _as(page, live_server, login_as, username):
    login_as(page, username)
    _english(page, live_server)


def _export(page) -> str:
    page.goto("/officials/?q=Lindqvist")
    with page.expect_download() as info:
        page.get_by_role("link", name="Export contact list (CSV)").click()
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def _what_others_see(page, anna):
    page.goto(f"/officials/{anna.pk}/")
    return page.locator("section[aria-labelledby='public-h'] .contact-card")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_nothing_is_published_until_the_signed_document_is_recorded(size, request, live_server, login_as,
                                                                     axe_check, fagersta):
    page = request.getfixturevalue("page" if size == "desktop" else "page_phone")
    anna = fagersta

    # The official gives consent to publish her private phone on the web.
    _as(page, live_server, login_as, "official")
    page.goto("/officials/me/")
    section = page.locator("#consent-private_phone")
    section.get_by_label("I have signed, or will sign").check()
    section.get_by_role("button", name="Give consent: Private phone").click()
    expect(page.get_by_role("status")).to_contain_text("Your consent was recorded")
    section = page.locator("#consent-private_phone")
    expect(section).to_contain_text("Signed document awaited")
    expect(section).to_contain_text(f"Not published yet: {UNIT} needs your signed consent form")
    expect(section.locator("dd").nth(2)).to_have_text("No")  # "Published now"
    expect(page.locator(".contact-card")).not_to_contain_text(PHONE)
    expect(page.get_by_text("The municipality publishes none of your private data.")).to_be_visible()
    axe_check(page, f"seed-consent-{size}-official-awaiting")

    # The security unit sees the document awaited; the phone is published nowhere.
    _as(page, live_server, login_as, "handler")
    page.goto("/")
    # (The demo registry holds one more consent given on the web.)
    page.get_by_role("link", name=re.compile(r"^\d+ officials? ha(s|ve) given consent on the web: signed document "
                                             r"awaited$")).click()
    expect(page.get_by_role("link", name="Lindqvist, Anna")).to_be_visible()
    axe_check(page, f"seed-consent-{size}-awaited-list")
    assert PHONE not in _export(page)
    card = _what_others_see(page, anna)
    expect(card).to_be_visible()
    expect(card).not_to_contain_text(PHONE)
    row = page.locator("#field-private_phone")
    expect(row).to_contain_text("Signed document awaited")
    expect(row).to_contain_text("not until the signed document is recorded")
    axe_check(page, f"seed-consent-{size}-detail-awaiting")
    assert published_private_data(Official.objects.get(pk=anna.pk)) == {}

    # The signed paper arrives: the unit records it (first forgetting the reference).
    row.get_by_role("link", name="Record the signed document").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the signed document")
    expect(page.get_by_label("Received on")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the signed document").click()
    expect(page.get_by_label("Signed document")).to_have_attribute("aria-invalid", "true")
    axe_check(page, f"seed-consent-{size}-record-document-error")
    page.get_by_label("Signed document").fill("KS 2026/42")
    page.get_by_role("button", name="Record the signed document").click()
    expect(page.get_by_role("status")).to_contain_text("The signed document was recorded: Private phone is now published.")
    row = page.locator("#field-private_phone")
    expect(row).to_contain_text("In force since")
    expect(row).to_contain_text("KS 2026/42")
    expect(page.locator("section[aria-labelledby='public-h'] .contact-card")).to_contain_text(PHONE)
    axe_check(page, f"seed-consent-{size}-detail-in-force")
    assert PHONE in _export(page)

    # The official sees it published, and withdraws: gone at once.
    _as(page, live_server, login_as, "official")
    page.goto("/officials/me/")
    expect(page.locator(".contact-card")).to_contain_text(PHONE)
    expect(page.locator("#consent-private_phone")).to_contain_text("In force since")
    axe_check(page, f"seed-consent-{size}-official-in-force")
    page.get_by_role("button", name="Withdraw consent: Private phone").click()
    expect(page.get_by_role("status")).to_contain_text("Your consent was withdrawn")
    expect(page.locator(".contact-card")).not_to_contain_text(PHONE)
    expect(page.locator("#consent-private_phone")).to_contain_text("Withdrawn")
    axe_check(page, f"seed-consent-{size}-official-withdrawn")

    _as(page, live_server, login_as, "handler")
    expect(_what_others_see(page, anna)).not_to_contain_text(PHONE)
    assert PHONE not in _export(page)
    assert published_private_data(Official.objects.get(pk=anna.pk)) == {}


def test_the_official_sends_the_signed_form_from_the_phone_and_the_unit_checks_it(
        page, page_phone, live_server, login_as, axe_check, fagersta):
    anna = fagersta
    photo = {"name": "medgivande.pdf", "mimeType": "application/pdf", "buffer": PDF}

    # On the phone: consent to publish the home address, then the signed form.
    _as(page_phone, live_server, login_as, "official")
    page_phone.goto("/officials/me/")
    section = page_phone.locator("#consent-home_address")
    section.get_by_label("I have signed, or will sign").check()
    section.get_by_role("button", name="Give consent: Home address").click()
    section = page_phone.locator("#consent-home_address")
    section.get_by_role("button", name="Send the signed form: Home address").click()  # no file chosen
    expect(section.get_by_label("Signed consent form (scan or photo)")).to_have_attribute("aria-invalid", "true")
    axe_check(page_phone, "seed-consent-upload-error-phone")
    section.get_by_label("Signed consent form (scan or photo)").set_input_files(photo)
    section.get_by_role("button", name="Send the signed form: Home address").click()
    expect(page_phone.get_by_role("status")).to_contain_text(f"{UNIT} will check the signed document")
    expect(page_phone.locator("#consent-home_address")).to_contain_text("Signed document sent in, to be checked")
    expect(page_phone.locator(".contact-card")).not_to_contain_text(HOME)
    axe_check(page_phone, "seed-consent-uploaded-phone")

    # The unit: the document waits to be checked; it is not accepted, with a reason.
    _as(page, live_server, login_as, "handler")
    page.goto("/")
    page.get_by_role("link", name=re.compile(r"^1 official has sent in a signed consent document to check$")).click()
    page.get_by_role("link", name="Lindqvist, Anna").click()
    expect(page.locator("section[aria-labelledby='public-h'] .contact-card")).not_to_contain_text(HOME)
    page.locator("#field-home_address").get_by_role("link", name="Check the signed document").click()
    expect(page.get_by_role("link", name="medgivande.pdf")).to_be_visible()
    axe_check(page, "seed-consent-review")
    page.get_by_role("button", name="Do not accept").click()
    expect(page.get_by_label("Why it cannot be accepted")).to_have_attribute("aria-invalid", "true")
    axe_check(page, "seed-consent-review-error")
    page.get_by_label("Why it cannot be accepted").fill("The form is not signed.")
    page.get_by_role("button", name="Do not accept").click()
    expect(page.get_by_role("status")).to_contain_text("The document was not accepted")
    assert published_private_data(Official.objects.get(pk=anna.pk)) == {}

    # The official reads why and sends a new one.
    page_phone.goto("/officials/me/")
    section = page_phone.locator("#consent-home_address")
    expect(section).to_contain_text("The form is not signed.")
    axe_check(page_phone, "seed-consent-not-accepted-phone")
    section.get_by_label("Signed consent form (scan or photo)").set_input_files(photo)
    section.get_by_role("button", name="Send the signed form: Home address").click()
    expect(page_phone.locator("#consent-home_address")).to_contain_text("Signed document sent in, to be checked")

    # The unit accepts it: published.
    page.goto(f"/officials/{anna.pk}/")
    page.locator("#field-home_address").get_by_role("link", name="Check the signed document").click()
    page.get_by_label("Reference (optional)").fill("KS 2026/43")
    page.get_by_role("button", name="Accept: publish").click()
    expect(page.get_by_role("status")).to_contain_text("Home address is now published")
    expect(page.locator("section[aria-labelledby='public-h'] .contact-card")).to_contain_text(HOME)

    page_phone.reload()
    expect(page_phone.locator(".contact-card")).to_contain_text(HOME)
    page_phone.get_by_role("button", name="Withdraw consent: Home address").click()
    expect(page_phone.locator(".contact-card")).not_to_contain_text(HOME)
    page.reload()
    expect(page.locator("section[aria-labelledby='public-h'] .contact-card")).not_to_contain_text(HOME)
