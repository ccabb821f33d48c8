"""The officials registry in a real browser: the security unit finds an official and records a
consent on their behalf; the official opens "my data and consents" and withdraws it. Every page
is checked with axe (WCAG 2.1 AA). The interface is switched to English by the language cookie
after the (Swedish, Django's own) login form."""

import re

from playwright.sync_api import expect


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def test_handler_records_consent_and_official_withdraws_it(page, live_server, login_as, axe_check):
    # The security unit searches the registry.
    login_as(page, "handler")
    _english(page, live_server)
    page.goto("/officials/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Officials")
    axe_check(page, "officials-list")
    page.get_by_label("Search by name or e-mail").fill("Lindqvist")
    page.get_by_label("Active").select_option("yes")
    page.get_by_role("button", name="Search").click()
    result = page.get_by_role("link", name="Lindqvist, Anna")
    expect(result).to_be_visible()
    axe_check(page, "officials-list-search")

    # … opens the official …
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna Lindqvist")
    expect(page.get_by_text("Covered by KL 4:18a")).to_be_visible()
    axe_check(page, "official-detail")

    # … and records her written consent to publish her private phone, first forgetting the document.
    page.get_by_role("link", name="Record consent", exact=True).click()
    page.get_by_role("combobox", name="Data").select_option(label="Private phone")
    page.get_by_role("combobox", name="Decision").select_option(label="Consent given")
    page.get_by_role("button", name="Record consent").click()
    signed = page.get_by_label("Signed document")
    expect(signed).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Give the signed consent document's reference.")).to_be_visible()
    axe_check(page, "consent-form-error")
    signed.fill("KS 2026/123")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("The consent was recorded.")).to_be_visible()
    phone_row = page.locator("#field-private_phone")
    expect(phone_row).to_contain_text("Given")
    expect(phone_row).to_contain_text("KS 2026/123")
    axe_check(page, "official-detail-after-consent")

    # The official sees what is published and withdraws the consent.
    login_as(page, "official")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My data and consents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My data and consents")
    card = page.locator(".contact-card")
    expect(card).to_contain_text("073-1234567")
    expect(card).not_to_contain_text("Storgatan 1")
    axe_check(page, "official-me")

    # Giving consent without confirming the written consent is refused, tied to the checkbox.
    page.get_by_role("button", name="Give consent: Home address").click()
    confirm = page.locator("#consent-home_address").get_by_label(re.compile("I have signed, or will sign"))
    expect(confirm).to_have_attribute("aria-invalid", "true")
    axe_check(page, "official-me-error")

    page.get_by_role("button", name="Withdraw consent: Private phone").click()
    expect(page.get_by_text("Your consent was withdrawn")).to_be_visible()
    expect(page.locator(".contact-card")).not_to_contain_text("073-1234567")
    expect(page.locator("#consent-private_phone")).to_contain_text("Withdrawn")
    axe_check(page, "official-me-after-withdrawal")


def test_registry_forms_are_accessible(page, live_server, login_as, axe_check):
    """Every other page of the registry, including a form with errors, passes axe."""
    from officials.models import Official

    anna = Official.objects.get(user__username="official")
    assignment = anna.assignments.first()
    login_as(page, "handler")
    _english(page, live_server)
    for name, url in [
        ("official-create", "/officials/new/"),
        ("official-update", f"/officials/{anna.pk}/edit/"),
        ("official-party", f"/officials/{anna.pk}/party/"),
        ("official-phone", f"/officials/{anna.pk}/phone/"),
        ("assignment-create", f"/officials/{anna.pk}/assignments/new/"),
        ("assignment-end", f"/officials/assignments/{assignment.pk}/end/"),
    ]:
        page.goto(url)
        axe_check(page, name)
    page.goto("/officials/new/")
    page.get_by_label("Private e-mail").fill("not an address")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("First name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Private e-mail")).to_have_value("not an address")
    axe_check(page, "official-create-errors")


def test_my_data_on_a_phone(page_phone, live_server, login_as, axe_check):
    login_as(page_phone, "official")
    _english(page_phone, live_server)
    page_phone.goto("/officials/me/")
    expect(page_phone.get_by_role("heading", level=1)).to_have_text("My data and consents")
    axe_check(page_phone, "official-me-phone")
