"""The account-security pages reached from the menu, in English and Swedish, with no WCAG 2.1 AA
violations: the audit trail (security unit), staff two-factor login (administrator) and
"who has read my data" (official)."""

from accounts.models import User
from core.audit import audit_read


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    page.wait_for_load_state("networkidle")


def test_security_unit_filters_the_audit_trail(page, live_server, login_as, axe_check):
    login_as(page, "handler")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Audit trail"
    axe_check(page, "audit-list")
    page.get_by_label("Kind").select_option("login")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    assert "kind=login" in page.url
    assert page.get_by_role("cell", name="Logged in", exact=True).first.is_visible()  # the label, not "login"
    page.get_by_label("From date").fill("2026-03-09")
    page.get_by_label("To date").fill("2026-03-01")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_date_to_error").is_visible()
    axe_check(page, "audit-list-error")


def test_administrator_sees_staff_two_factor_status(page, live_server, login_as, axe_check):
    login_as(page, "admin")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff two-factor login").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Two-factor login of staff"
    assert page.get_by_role("rowheader", name="Sara Holm").is_visible()
    axe_check(page, "2fa-admin")


def test_official_sees_who_read_their_data(page, live_server, login_as, axe_check):
    official = User.objects.get(username="official").official
    audit_read(actor=User.objects.get(username="handler"), action="official_view_private", obj=official)
    login_as(page, "official")
    _english(page, live_server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Who has read my data").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("cell", name="Sara Holm").is_visible()
    assert page.get_by_role("cell", name="Security unit").is_visible()
    axe_check(page, "my-access-log")
