"""Two-factor login for staff: enrolment with a QR code, recovery codes, verification, the
administrator's reset, and that no staff page is reachable without a verified second factor."""

import re

import pytest
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import RECOVERY_CODE_COUNT
from core.models import AuditEvent, OutboxMessage

from .conftest import current_code, wrong_code

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:2fa-setup")
VERIFY = reverse("accounts:2fa-verify")
CODES = reverse("accounts:2fa-recovery-codes")
NEW_CODES = reverse("accounts:2fa-recovery-new")
ADMIN = reverse("accounts:2fa-admin")
HOME = reverse("accounts:home")


# ---------------------------------------------------------------- enrolment


def test_staff_without_device_is_sent_from_verify_to_setup(require_2fa, client_for, handler):
    client = client_for(handler)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(SETUP)


def test_setup_shows_inline_svg_qr_code_and_key_as_text(require_2fa, client_for, handler):
    response = client_for(handler).get(SETUP)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=handler, confirmed=False)
    assert "<svg" in html and 'role="img"' in html and "aria-label=" in html
    assert "<img" not in html.split('id="main"')[1]  # generated on the server, inline, no external request
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'data-testid="totp-secret">([^<]+)<', html).group(1)
    assert shown.replace(" ", "") == secret
    assert response["Cache-Control"].startswith("max-age=0")


def test_setup_page_reload_keeps_the_same_pending_device(require_2fa, client_for, handler):
    client = client_for(handler)
    client.get(SETUP)
    client.get(SETUP)
    assert TOTPDevice.objects.filter(user=handler).count() == 1


def test_setup_confirm_with_code_enrols_and_shows_ten_recovery_codes_once(require_2fa, client_for, handler):
    client = client_for(handler)
    client.get(SETUP + "?next=/officials/")
    device = TOTPDevice.objects.get(user=handler)
    response = client.post(SETUP + "?next=/officials/", {"code": current_code(device), "next": "/officials/"})
    assert response.status_code == 302 and response.url == CODES
    device.refresh_from_db()
    assert device.confirmed
    tokens = list(StaticToken.objects.filter(device__user=handler).values_list("token", flat=True))
    assert len(tokens) == RECOVERY_CODE_COUNT == 10

    page = client.get(CODES)
    html = page.content.decode()
    assert page.status_code == 200
    for token in tokens:
        assert f"{token[:4]} {token[4:]}" in html
    assert 'href="/officials/"' in html
    # shown once
    again = client.get(CODES)
    assert again.status_code == 302 and again.url == SETUP
    # verified for the rest of the session: staff pages open
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor_enrol", actor=handler).exists()
    assert AuditEvent.objects.filter(action="recovery_codes_generate", actor=handler).exists()
    # no secret in the audit trail
    for event in AuditEvent.objects.all():
        assert not any(token in f"{event.reason}{event.to_state}{event.from_state}" for token in tokens)


def test_setup_with_wrong_code_shows_error_and_keeps_device_pending(require_2fa, client_for, handler):
    client = client_for(handler)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=handler)
    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "code_error" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    assert client.get(HOME).status_code == 302


def test_setup_with_malformed_code_is_a_form_error_not_a_crash(require_2fa, client_for, handler):
    client = client_for(handler)
    client.get(SETUP)
    for bad in ("", "abc", "1234567", "12 34 5x", "x" * 200):
        response = client.post(SETUP, {"code": bad})
        assert response.status_code == 200
        assert "errors" in response.content.decode()


def test_setup_after_repeated_wrong_codes_is_throttled_with_a_clear_message(require_2fa, client, handler):
    from django.utils import timezone

    client.force_login(handler)
    client.cookies["django_language"] = "en"
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=handler)
    device.throttling_failure_count, device.throttling_failure_timestamp = 5, timezone.now()  # 16 s back-off
    device.save()
    response = client.post(SETUP, {"code": current_code(device)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_verify_after_repeated_wrong_codes_is_throttled(require_2fa, client, handler, totp_device):
    from django.utils import timezone

    device = totp_device(handler)
    device.throttling_failure_count, device.throttling_failure_timestamp = 5, timezone.now()
    device.save()
    client.force_login(handler)
    client.cookies["django_language"] = "en"
    response = client.post(VERIFY, {"code": current_code(device)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_enrolled_but_unverified_staff_cannot_enrol_a_new_device(require_2fa, client_for, handler, totp_device):
    """Only the password is known at this point: it must not be enough to add an authenticator."""
    totp_device(handler)
    response = client_for(handler).get(SETUP + "?replace=1")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=handler, confirmed=False).exists()


def test_enrolled_and_verified_staff_see_status(verified_client, handler):
    response = verified_client(handler).get(SETUP)
    assert response.status_code == 200
    assert NEW_CODES in response.content.decode()


def test_move_to_new_phone_replaces_the_authenticator(require_2fa, verified_client, handler):
    client = verified_client(handler)
    old = TOTPDevice.objects.get(user=handler)
    client.get(SETUP + "?replace=1")
    new = TOTPDevice.objects.get(user=handler, confirmed=False)
    response = client.post(SETUP + "?replace=1", {"code": current_code(new), "replace": "1"})
    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=handler).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert StaticToken.objects.filter(device__user=handler).count() == 3  # codes kept
    assert AuditEvent.objects.filter(action="two_factor_replace").exists()
    assert client.get(HOME).status_code == 200


def test_setup_is_refused_to_non_staff(client_for, official):
    assert client_for(official).get(SETUP).status_code == 403
    assert not TOTPDevice.objects.exists()


def test_recovery_codes_page_without_new_codes_redirects(verified_client, handler):
    response = verified_client(handler).get(CODES)
    assert response.status_code == 302 and response.url == SETUP


def test_recovery_codes_page_refused_to_non_staff(client_for, official):
    assert client_for(official).get(CODES).status_code == 403


def test_new_recovery_codes_replace_the_old_ones(verified_client, handler):
    client = verified_client(handler)
    response = client.post(NEW_CODES)
    assert response.status_code == 302 and response.url == CODES
    tokens = set(StaticToken.objects.filter(device__user=handler).values_list("token", flat=True))
    assert len(tokens) == 10 and "abcd2345" not in tokens
    assert client.get(CODES).status_code == 200


def test_new_recovery_codes_need_a_verified_session(require_2fa, client_for, handler, totp_device):
    totp_device(handler)
    response = client_for(handler).post(NEW_CODES)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=handler).count() == 3


def test_new_recovery_codes_refused_to_non_staff(client_for, official):
    assert client_for(official).post(NEW_CODES).status_code == 403


def test_new_recovery_codes_get_not_allowed(verified_client, handler):
    assert verified_client(handler).get(NEW_CODES).status_code == 405


# ---------------------------------------------------------------- verification at login


def test_verify_with_authenticator_code_opens_staff_pages(require_2fa, client_for, handler, totp_device):
    device = totp_device(handler)
    client = client_for(handler)
    response = client.post(VERIFY + "?next=/officials/", {"code": current_code(device)})
    assert response.status_code == 302 and response.url == "/officials/"
    assert client.get(HOME).status_code == 200
    assert AuditEvent.objects.filter(kind="login", action="two_factor_verify", actor=handler).exists()


def test_verify_accepts_a_recovery_code_once(require_2fa, client, handler, totp_device):
    totp_device(handler)
    client.force_login(handler)
    response = client.post(VERIFY, {"code": "ABCD-2345"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == HOME
    assert not StaticToken.objects.filter(token="abcd2345").exists()
    assert AuditEvent.objects.filter(action="recovery_code_used", actor=handler).exists()
    client.logout()
    client.force_login(handler)
    response = client.post(VERIFY, {"code": "abcd2345"})
    assert response.status_code == 200  # used up
    assert client.get(HOME).status_code == 302


def test_verify_wrong_code_is_refused_and_audited(require_2fa, client_for, handler, totp_device):
    device = totp_device(handler)
    client = client_for(handler)
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "code_error" in response.content.decode()
    assert client.get(HOME).status_code == 302
    assert AuditEvent.objects.filter(action="two_factor_verify_failed", actor=handler).exists()


def test_verify_rejects_an_unsafe_next(require_2fa, client_for, handler, totp_device):
    device = totp_device(handler)
    response = client_for(handler).post(VERIFY + "?next=https://evil.example/", {"code": current_code(device)})
    assert response.status_code == 302 and response.url == HOME


def test_verify_does_not_ask_non_staff(require_2fa, client_for, official):
    response = client_for(official).get(VERIFY)
    assert response.status_code == 302 and response.url == HOME


def test_verify_page_renders_for_enrolled_staff(require_2fa, client_for, handler, totp_device):
    totp_device(handler)
    response = client_for(handler).get(VERIFY)
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in response.content.decode()


# ---------------------------------------------------------------- no staff page without it


def _sample_paths():
    """Every URL in the configuration, with sample values for its parameters."""
    samples = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}

    def walk(patterns, prefix):
        for p in patterns:
            pattern = p.pattern
            route = getattr(pattern, "_route", None)
            if route is None:  # a regular expression: only those without groups
                regex = pattern.regex.pattern
                if "(" in regex:
                    continue
                route = regex.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
            route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples.get(m.group(1) or "str", "x"), route)
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern):
                yield "/" + prefix + route

    return sorted(set(walk(get_resolver().url_patterns, "")))


EXEMPT = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/")


@pytest.mark.parametrize("role_fixture", ["handler", "approver", "on_call", "admin_user"])
def test_every_staff_url_redirects_to_two_factor_when_required(require_2fa, client, role_fixture, request):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    paths = [p for p in _sample_paths() if not p.startswith(EXEMPT)]
    assert len(paths) > 10
    leaks = []
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            location = response.get("Location", "")
            if response.status_code != 302 or not location.startswith((VERIFY, SETUP)):
                leaks.append(f"{method.__name__.upper()} {path}: {response.status_code} {location}")
    assert not leaks, "\n".join(leaks)


def test_htmx_request_without_second_factor_gets_hx_redirect(require_2fa, client_for, handler):
    response = client_for(handler).get(HOME, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(VERIFY)


def test_verified_staff_reach_staff_pages(require_2fa, verified_client, handler):
    assert verified_client(handler).get(HOME).status_code == 200


@pytest.mark.parametrize("role_fixture", ["official", "party_contact", "body_officer"])
def test_non_staff_roles_are_not_asked_for_a_second_factor(require_2fa, client, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(HOME).status_code == 200


def test_admin_site_user_without_a_staff_role_is_asked_too(require_2fa, client):
    from tests.factories import UserFactory

    root = UserFactory(username="root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    for path in (HOME, "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_staff_are_not_asked_when_two_factor_is_off(settings, client_for, handler):
    settings.REQUIRE_2FA = False
    assert client_for(handler).get(HOME).status_code == 200


# ---------------------------------------------------------------- the administrator's page


def test_admin_sees_staff_with_their_two_factor_status(client_for, admin_user, handler, approver, official,
                                                       totp_device):
    totp_device(handler)
    response = client_for(admin_user).get(ADMIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert handler.display_name() in html and approver.display_name() in html
    assert official.display_name() not in html
    assert reverse("accounts:2fa-reset", args=[handler.pk]) in html
    assert reverse("accounts:2fa-reset", args=[approver.pk]) not in html  # nothing to reset


def test_admin_page_search(client_for, admin_user, handler, approver):
    html = client_for(admin_user).get(ADMIN, {"q": handler.last_name}).content.decode()
    assert handler.display_name() in html and approver.display_name() not in html


@pytest.mark.parametrize("role_fixture", ["handler", "official", "approver"])
def test_admin_page_refused_to_others(client, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(ADMIN).status_code == 403


def test_admin_page_query_count_is_constant(client_for, admin_user, totp_device, django_assert_num_queries):
    from tests.factories import UserFactory

    client = client_for(admin_user)
    client.get(ADMIN)

    def make(n, start):
        for i in range(n):
            user = UserFactory(username=f"staff{start + i}", roles=["security_handler"])
            totp_device(user)

    make(2, 0)
    with django_assert_num_queries(6) as small:
        client.get(ADMIN)
    make(20, 100)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(ADMIN)


def test_admin_resets_a_second_factor(client_for, admin_user, handler, totp_device):
    totp_device(handler)
    response = client_for(admin_user).post(reverse("accounts:2fa-reset", args=[handler.pk]))
    assert response.status_code == 302 and response.url == ADMIN
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert not StaticDevice.objects.filter(user=handler).exists()
    event = AuditEvent.objects.get(action="two_factor_reset")
    assert event.actor == admin_user and event.object_id == str(handler.pk) and event.kind == "change"
    assert OutboxMessage.objects.filter(to=handler.email).exists() or len(mail.outbox) == 1


def test_the_reset_is_told_in_the_users_language_not_the_admins(admin_user, handler, totp_device):
    from django.utils import translation

    from accounts.security import two_factor_reset

    totp_device(handler)
    handler.language = "sv"
    handler.save(update_fields=["language"])
    with translation.override("en"):  # the administrator works in English
        two_factor_reset(actor=admin_user, user=handler)
    assert OutboxMessage.objects.get(to=handler.email).subject == "Din tvåfaktorsinloggning har återställts"


def test_reset_user_must_enrol_again(require_2fa, client, admin_user, handler, totp_device, verified_client):
    verified_client(handler)
    assert client.get(HOME).status_code == 200
    from accounts.security import two_factor_reset

    two_factor_reset(actor=admin_user, user=handler)
    response = client.get(HOME)  # the session's device is gone
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get(response.url).url.startswith(SETUP)


def test_admin_cannot_reset_own_second_factor(verified_client, admin_user):
    client = verified_client(admin_user)
    response = client.post(reverse("accounts:2fa-reset", args=[admin_user.pk]), follow=True)
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert "message-error" in response.content.decode()
    assert not AuditEvent.objects.filter(action="two_factor_reset").exists()


def test_reset_of_user_without_second_factor_is_an_error_message(client_for, admin_user, approver):
    response = client_for(admin_user).post(reverse("accounts:2fa-reset", args=[approver.pk]), follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()


def test_reset_refused_to_non_admin(client_for, handler, approver, totp_device):
    totp_device(approver)
    response = client_for(handler).post(reverse("accounts:2fa-reset", args=[approver.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=approver).exists()


def test_reset_of_unknown_user_is_404(client_for, admin_user):
    assert client_for(admin_user).post(reverse("accounts:2fa-reset", args=[999999])).status_code == 404


def test_reset_needs_post(client_for, admin_user, handler):
    assert client_for(admin_user).get(reverse("accounts:2fa-reset", args=[handler.pk])).status_code == 405
