"""Login throttling (django-axes), the audit rows for logins, the idle timeout for staff and the
password validators."""

import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Policy
from accounts.services import policy_load
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
HOME = reverse("accounts:home")
LOCKED_HEADING = "Too many failed login attempts"


def _fail(client, username="handler", times=1):
    for _ in range(times):
        client.post(LOGIN, {"username": username, "password": "not-the-password"})


# ---------------------------------------------------------------- throttling


def test_failures_below_the_limit_show_the_form_error_and_the_fifth_locks(client, handler):
    for _ in range(4):
        response = client.post(LOGIN, {"username": "handler", "password": "wrong"})
        assert response.status_code == 200
        assert response.context["form"].errors
    # the fifth failure reaches AXES_FAILURE_LIMIT: it is recorded and the account is locked
    assert client.post(LOGIN, {"username": "handler", "password": "wrong"}).status_code == 429


def test_sixth_attempt_is_refused_with_a_clear_translated_message(client, handler):
    _fail(client, times=5)
    response = client.post(LOGIN, {"username": "handler", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    with translation.override("sv"):
        swedish = gettext(LOCKED_HEADING)
    assert swedish != LOCKED_HEADING  # the page is in Swedish by default, and translated
    assert swedish in html
    assert 'role="alert"' in html


def test_lockout_message_in_english(client, handler):
    client.cookies["django_language"] = "en"
    _fail(client, times=5)
    response = client.post(LOGIN, {"username": "handler", "password": "wrong"})
    assert response.status_code == 429
    assert LOCKED_HEADING in response.content.decode()
    assert "15 minutes" in response.content.decode()


def test_correct_password_is_refused_during_lockout(client, handler):
    _fail(client, times=6)
    response = client.post(LOGIN, {"username": "handler", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302


def test_lockout_is_audited_without_the_typed_username(client, handler):
    _fail(client, times=6)
    events = AuditEvent.objects.filter(kind="login", action="login_locked_out")
    assert events.exists()
    assert all(e.actor is None and e.object_id == str(handler.pk) for e in events)


def test_lockout_of_one_account_leaves_another_alone(client, handler, approver):
    _fail(client, times=6)
    response = client.post(LOGIN, {"username": "approver", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(client, handler):
    _fail(client, times=4)
    assert client.post(LOGIN, {"username": "handler", "password": settings.DEMO_PASSWORD}).status_code == 302
    client.logout()
    _fail(client, times=4)
    assert client.post(LOGIN, {"username": "handler", "password": settings.DEMO_PASSWORD}).status_code == 302


# ---------------------------------------------------------------- login audit


def test_successful_login_is_audited(client, official):
    client.post(LOGIN, {"username": "official", "password": settings.DEMO_PASSWORD})
    event = AuditEvent.objects.get(kind="login", action="login")
    assert event.actor == official
    assert event.object_type == "accounts.user" and event.object_id == str(official.pk)


def test_failed_login_writes_no_login_row(client, official):
    _fail(client, "official")
    assert not AuditEvent.objects.filter(kind="login", action="login").exists()


def test_logout_is_audited(client_for, official):
    client = client_for(official)
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(kind="login", action="logout", actor=official).exists()


# ---------------------------------------------------------------- idle timeout


def _age_session(client, minutes: float):
    session = client.session
    session["varn_last_seen"] = time.time() - minutes * 60
    session.save()


def test_staff_idle_past_the_policy_limit_are_logged_out(client_for, handler):
    client = client_for(handler)
    assert client.get(HOME).status_code == 200
    _age_session(client, Policy.current().idle_timeout_minutes + 1)
    response = client.get(reverse("officials:official-list") + "?q=a")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fofficials%2F%3Fq%3Da"
    assert client.get(HOME).status_code == 302  # the session is gone
    client.cookies["django_language"] = "en"
    page = client.get(response.url)
    assert "logged out after a period of inactivity" in page.content.decode()
    assert AuditEvent.objects.filter(kind="login", action="logout_idle", actor=handler).exists()


def test_staff_active_within_the_limit_stay_logged_in(client_for, handler):
    client = client_for(handler)
    client.get(HOME)
    _age_session(client, Policy.current().idle_timeout_minutes - 1)
    assert client.get(HOME).status_code == 200


def test_idle_limit_comes_from_the_policy(client_for, handler):
    policy = policy_load(actor=None, profile="uppsala")
    policy.idle_timeout_minutes = 5
    policy.save()
    client = client_for(handler)
    client.get(HOME)
    _age_session(client, 4)
    assert client.get(HOME).status_code == 200
    _age_session(client, 6)
    assert client.get(HOME).status_code == 302


def test_the_last_seen_time_is_written_at_most_every_granularity(client_for, handler):
    """Writing the session costs queries on every page; the time is refreshed only when it is
    older than IDLE_GRANULARITY, and the limit gets that much slack, never less."""
    from accounts.middleware import IDLE_GRANULARITY

    client = client_for(handler)
    client.get(HOME)
    first = client.session["varn_last_seen"]
    client.get(HOME)
    assert client.session["varn_last_seen"] == first  # not rewritten a moment later
    _age_session(client, IDLE_GRANULARITY / 60 + 0.1)
    aged = client.session["varn_last_seen"]
    client.get(HOME)
    assert client.session["varn_last_seen"] > aged  # refreshed once older than the granularity


def test_staff_are_not_logged_out_before_the_limit_even_with_the_slack(client_for, handler):
    client = client_for(handler)
    client.get(HOME)
    _age_session(client, Policy.current().idle_timeout_minutes)  # exactly at the limit
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("role_fixture", ["official", "party_contact", "body_officer"])
def test_official_and_party_roles_are_not_timed_out(client, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    client.get(HOME)
    _age_session(client, 600)
    assert client.get(HOME).status_code == 200


# ---------------------------------------------------------------- password validators


@pytest.mark.parametrize("weak", ["kort", "password123", "1234567890123", "official12345"])
def test_weak_password_is_refused_on_change(client_for, official, weak):
    client = client_for(official)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:password-change"), {
        "old_password": settings.DEMO_PASSWORD, "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    official.refresh_from_db()
    assert official.check_password(settings.DEMO_PASSWORD)


def test_strong_password_is_accepted_on_change(client_for, official):
    response = client_for(official).post(reverse("accounts:password-change"), {
        "old_password": settings.DEMO_PASSWORD, "new_password1": "Lingon-Tunnel-Fyra-92",
        "new_password2": "Lingon-Tunnel-Fyra-92"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.check_password("Lingon-Tunnel-Fyra-92")


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)
