"""Every demo account logs in through the real form and opens its home page with zero axe
violations (WCAG 2.1 AA), on a desktop and a phone-sized screen."""

import pytest

from demo.registry import DEMO_ACCOUNTS

USERNAMES = [username for username, *_ in DEMO_ACCOUNTS]


@pytest.mark.parametrize("username", USERNAMES)
def test_demo_account_logs_in_and_home_is_accessible(page, login_as, axe_check, username):
    login_as(page, username)
    assert page.locator("h1").inner_text().startswith("Välkommen")
    axe_check(page, f"home-{username}")


def test_login_page_is_accessible_on_a_phone(page_phone, demo, axe_check):
    page_phone.goto("/accounts/login/")
    assert page_phone.locator("html").get_attribute("lang") == "sv"
    axe_check(page_phone, "login-phone")


def test_wrong_password_shows_error_tied_to_form(page, demo, axe_check):
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill("official")
    page.get_by_label("Lösenord").fill("wrong-password")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_role("alert").is_visible()
    axe_check(page, "login-error")


def test_language_switch_to_english_on_every_page(page, login_as, axe_check):
    login_as(page, "official")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")
    axe_check(page, "home-official-en")
