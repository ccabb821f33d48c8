"""Two-factor login in a real browser: a security handler logs in with REQUIRE_2FA on, is sent to
enrolment, scans (here: reads) the key, confirms with a code from the authenticator, sees the
recovery codes once and reaches home; at the next login a recovery code lets them in. The setup,
recovery-code and verify pages have no WCAG 2.1 AA violations."""

from base64 import b32decode

import pytest
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import wait_until


@pytest.fixture
def two_factor_on(demo, settings):
    settings.REQUIRE_2FA = True
    return demo


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    page.wait_for_load_state("networkidle")


def _code_from_key(text: str) -> str:
    secret = text.replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def test_handler_enrols_with_totp_sees_recovery_codes_and_logs_in_again_with_one(
        page, live_server, two_factor_on, login_as, axe_check):
    login_as(page, "handler")
    assert "/accounts/2fa/setup/" in page.url
    _english(page, live_server)
    assert page.get_by_role("heading", level=1).inner_text() == "Set up two-factor login"
    assert page.get_by_role("img", name="QR code").is_visible()
    axe_check(page, "2fa-setup")

    shown_key = page.get_by_test_id("totp-secret").inner_text()
    device = TOTPDevice.objects.get(user__username="handler", confirmed=False)
    code = _code_from_key(shown_key)
    assert code == f"{TOTP(device.bin_key).token():06d}"  # the key on the page is the device's key

    # a wrong code first: the error is tied to the field and the page stays accessible
    page.get_by_label("Code from the app").fill("12345")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_code_error").is_visible()
    axe_check(page, "2fa-setup-error")

    page.get_by_label("Code from the app").fill(code)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes"
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user__username="handler").count() == 10
    axe_check(page, "2fa-recovery-codes")

    page.get_by_role("link", name="I have saved the codes, continue").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")

    # next login: password, then the second factor (a recovery code this time)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Username").fill("handler")
    page.get_by_label("Password").fill(two_factor_on)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/2fa/verify/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Two-factor login"
    axe_check(page, "2fa-verify")

    page.get_by_role("textbox", name="Code", exact=True).fill("zzzz zzzz")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_code_error").is_visible()
    axe_check(page, "2fa-verify-error")
    # django-otp throttles a device for a second after one failure (then 2, 4 … s): a person
    # typing the right code takes longer than that, a fast browser may not.
    handler = device.user
    wait_until(lambda: all(d.verify_is_allowed()[0] for d in devices_for_user(handler)),
               "django-otp to let the handler try again")
    page.get_by_role("textbox", name="Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert StaticToken.objects.filter(device__user__username="handler").count() == 9


def test_two_factor_status_page_is_accessible(page, live_server, two_factor_on, login_as, axe_check):
    login_as(page, "handler")
    _english(page, live_server)
    device = TOTPDevice.objects.get(user__username="handler", confirmed=False)
    page.get_by_label("Code from the app").fill(f"{TOTP(device.bin_key).token():06d}")
    page.get_by_role("button", name="Confirm").click()
    page.goto("/accounts/2fa/setup/")
    assert page.get_by_role("heading", level=1).inner_text() == "Two-factor login"
    axe_check(page, "2fa-status")
