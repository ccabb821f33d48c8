"""Issue 15, point 13 — the language, in a real browser, for Västerås (the profile whose action
plan words its own definitions): one Swedish date format ("4 mars 2026", "4 mars 2026 kl. 14.30"),
the municipality's words ("E-post, Kontonamn, Telefon", not "email, handle, phone"; "Format"),
and no raw codes ("case_view") on the pages people read:

* the security unit opens a case, reads the report (what two reports share is named in Swedish)
  and the audit trail (every action by its label, states by their names, dates in the one format);
* the official reads "who has read my data";
* the administrator reads the follow-up report for a period on screen.

At desktop and phone sizes; every page axe-clean (WCAG 2.1 AA)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

TZ = ZoneInfo("Europe/Stockholm")
MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
SWEDISH_DATE = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b")
SWEDISH_DATETIME = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}} kl\. \d\d\.\d\d\b")
OTHER_DATES = [
    re.compile(r"\b(19|20)\d\d-\d\d-\d\d\b"),  # ISO: a machine format, not for people
    re.compile(r"\b\d{1,2} (jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}\b", re.I),  # "4 dec 2026"
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d\d:\d\d\b"),  # Swedish time is written 14.30
]
ENGLISH = re.compile(r"\b(email|e-mail|handle|phone|number|form|viewed|changed|the|and|of|with|other change)\b",
                     re.I)


def _world():
    """Västerås; a threat by e-mail against the official on 4 March 2026 at 14.30, another report
    with the same perpetrator about another official, and a case opened from the first."""
    from accounts.models import User
    from accounts.services import policy_load
    from incidents import services
    from officials.models import Official

    policy_load(actor=None, profile="vasteras")
    official = User.objects.get(username="official")
    handler = User.objects.get(username="handler")
    other = Official.objects.exclude(pk=official.official.pk).order_by("id").first()
    perpetrator = {"email": "troll@example.org", "handle": "@ArgMedborgare", "phone": "070-123 45 67"}
    first = services.report_file(actor=official, officials=[official.official], kinds=["threat"], channel="email",
                                 description="Hotfullt mejl efter fullmäktige.", perpetrators=[perpetrator],
                                 occurred_at=dt.datetime(2026, 3, 4, 14, 30, tzinfo=TZ),
                                 now=dt.datetime(2026, 3, 4, 15, 10, tzinfo=TZ))
    second = services.report_file(actor=handler, officials=[other], kinds=["harassment"], channel="social",
                                  description="Kommentarer i sociala medier.", perpetrators=[perpetrator],
                                  occurred_at=dt.datetime(2026, 3, 6, 9, 5, tzinfo=TZ),
                                  now=dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ))
    case = services.case_open_from_report(actor=handler, report=first, title="Hot efter fullmäktige")
    return case, first, second


def _codes() -> set[str]:
    from core.audit import action_labels

    return set(action_labels())


def _readable(page, name: str, axe_check, *, dates: bool = True, datetimes: bool = False) -> str:
    """The page's main text is Swedish as the municipality writes it: no English words, no raw
    codes, dates only in the one format. Checked with axe too."""
    text = page.locator("main").inner_text()
    found_english = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert found_english == [], f"English on {name}: {found_english}"
    words = set(re.findall(r"\b[a-z][a-z0-9_.]*[a-z0-9]\b", text))
    assert words & _codes() == set(), f"raw codes on {name}: {sorted(words & _codes())}"
    for pattern in OTHER_DATES:
        assert not pattern.search(text), f"{pattern.search(text).group(0)!r} on {name}"  # type: ignore[union-attr]
    if dates:
        assert SWEDISH_DATE.search(text), f"no date on {name}"
    if datetimes:
        assert SWEDISH_DATETIME.search(text), f"no date and time on {name}"
    axe_check(page, name)
    return text


def _security_unit_reads(page, login_as, axe_check, case, second, size: str) -> None:
    login_as(page, "handler")

    # The case page: the report's time in the one format.
    page.goto(f"/incidents/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    text = _readable(page, f"language-case-{size}", axe_check, datetimes=True)
    assert "4 mars 2026" in text  # the report, filed that day

    # The other report: what the two share is named as the municipality names it.
    page.goto(f"/incidents/reports/{second.pk}/")
    shares = page.get_by_role("region", name="Samma gärningsperson på andra ställen")
    expect(shares).to_contain_text("gemensamt: E-post, Kontonamn, Telefon")
    text = _readable(page, f"language-report-{size}", axe_check, datetimes=True)
    assert "6 mars 2026 kl. 09.05" in text

    # The audit trail: labels, never codes; the case page's read is there.
    page.goto("/accounts/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logg")
    table = page.get_by_role("table", name="Logg")
    expect(table).to_contain_text("Ärendet läst")
    expect(table).to_contain_text("Händelserapport inlämnad")
    _readable(page, f"language-audit-{size}", axe_check, datetimes=True)

    # … and the filter finds an action by the words people see.
    page.get_by_label("Händelsen innehåller").fill("ärendet läst")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("status")).to_contain_text("rad")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("Ärendet läst")
    for n in range(rows.count()):
        expect(rows.nth(n)).to_contain_text("Ärendet läst")


def test_swedish_pages_read_as_the_municipality_writes(page, live_server, login_as, axe_check):
    case, _first, second = _world()
    _security_unit_reads(page, login_as, axe_check, case, second, "desktop")

    # The official sees who read their case, what they did and when, in Swedish.
    login_as(page, "official")
    page.goto("/accounts/my-access-log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vem har läst mina uppgifter")
    log = page.get_by_role("table", name="Vem har läst mina uppgifter")
    expect(log).to_contain_text("Ärendet läst")
    _readable(page, "language-access-log-desktop", axe_check, datetimes=True)

    # The administrator reads the follow-up report for a period on screen, and asks for one:
    # the file type is a "Format".
    login_as(page, "admin")
    page.goto("/reports/followup/?view-start=2026-03-01&view-end=2026-06-30")
    expect(page.locator("main")).to_contain_text("1 mars 2026 – 30 juni 2026")
    _readable(page, "language-followup-desktop", axe_check)
    page.goto("/reports/")
    make = page.get_by_role("region", name="Skapa en rapport")
    expect(make.get_by_role("group", name="Format")).to_be_visible()
    axe_check(page, "language-export-list-desktop")


def test_swedish_pages_read_as_the_municipality_writes_on_a_phone(page_phone, live_server, login_as, axe_check):
    case, _first, second = _world()
    _security_unit_reads(page_phone, login_as, axe_check, case, second, "phone")
    login_as(page_phone, "official")
    page_phone.goto("/accounts/my-access-log/")
    expect(page_phone.get_by_role("table", name="Vem har läst mina uppgifter")).to_contain_text("Ärendet läst")
    _readable(page_phone, "language-access-log-phone", axe_check, datetimes=True)
