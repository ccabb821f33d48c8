"""Browser harness: Playwright for Python driving the system Chromium, axe-core for WCAG 2.1 AA.

Fixtures:
    demo            the demo municipality (small scale) with every demo account
    page            a fresh Playwright page (phone-sized with `page_phone`)
    login_as        login_as(page, "handler") — logs in through the real login form
    axe_check       axe_check(page, "name") — fails on any WCAG 2.1 A/AA violation; saves a screenshot

Screenshots go to test-artifacts/screenshots/ (git-ignored).

Waits: every step waits for a condition (Playwright's auto-waiting actions, `expect`, a load
state, or `wait_until` for a condition in the database), never for a fixed time. The limits are
generous (TIMEOUT), because a condition met early costs nothing and a busy machine (a shared CI
runner, two pytest-xdist workers beside a PDF being made) can take many seconds for one page.
"""

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TIMEOUT = 60  # seconds: the limit of every wait, for actions, navigations and `expect` alike


def wait_until(condition: Callable[[], object], what: str, timeout: float = TIMEOUT) -> object:
    """Poll `condition` (e.g. a database query) until it is true; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)
    return value


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`")
    expect.set_options(timeout=TIMEOUT * 1000)
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def _browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    )
    yield browser
    browser.close()


@pytest.fixture
def demo(transactional_db, settings):
    from accounts.services import policy_load
    from demo.registry import build_registry, ensure_demo_accounts

    settings.REQUIRE_2FA = False
    policy_load(actor=None, profile="sigtuna")
    build_registry(scale=0.1)
    ensure_demo_accounts()
    return settings.DEMO_PASSWORD


def _new_page(browser, live_server, **context_args):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **context_args)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    page.set_default_navigation_timeout(TIMEOUT * 1000)
    return context, page


@pytest.fixture
def page(_browser, live_server):
    context, page = _new_page(_browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def page_phone(_browser, live_server):
    context, page = _new_page(_browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True)
    yield page
    context.close()


@pytest.fixture
def login_as(demo):
    def login(page, username: str, password: str | None = None):
        page.context.clear_cookies()
        page.goto("/accounts/login/")
        page.get_by_label("Användarnamn").fill(username)
        page.get_by_label("Lösenord").fill(password or demo)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state("networkidle")
        return page

    return login


@pytest.fixture
def axe_check():
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in violations
        )
        assert not violations, f"axe found {len(violations)} violation(s) on {name} ({page.url}):\n{report}"

    return check
