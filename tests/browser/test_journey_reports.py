"""Follow-up reports in a real browser: the administrator asks for the year's PDF, watches its
progress (the page polls with htmx) until the download link appears, downloads it, and looks at
the report on screen; the party office exports the party version, which holds its own party
only. Every page is checked with axe (WCAG 2.1 AA).

The first page of the administrator's PDF is rendered to test-artifacts/screenshots/ with
pdftoppm (poppler-utils) so a person can look at it."""

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()


def _reports():
    """Forty incident reports from January to October 2026 about demo officials, filed by the security unit."""
    from zoneinfo import ZoneInfo

    from accounts.models import User
    from incidents import services
    from officials.models import Official

    handler = User.objects.get(username="handler")
    officials = list(Official.objects.order_by("id")[:24])
    kinds = ["threat", "hate", "harassment", "threat", "threat", "damage"]
    channels = ["email", "social", "letter", "phone", "social", "in_person"]
    tz = ZoneInfo("Europe/Stockholm")
    for n in range(40):
        month = 1 + (n * 7) % 10  # January to October
        services.report_file(
            actor=handler, officials=[officials[n % len(officials)]], kinds=[kinds[n % 6]], channel=channels[n % 6],
            description="Hot i samband med uppdraget.", occurred_at=dt.datetime(2026, month, 1 + n % 27, 12, tzinfo=tz),
            linked_to_assignment="yes" if n % 3 else "unsure", police_reported=n % 4 == 0,
            police_report_date=dt.date(2026, month, 28) if n % 4 == 0 else None,
            now=dt.datetime(2026, 11, 23, 9, tzinfo=tz))


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db(transaction=True)
def test_admin_exports_the_year_and_the_party_office_its_party_version(page, live_server, login_as, axe_check,
                                                                       monkeypatch):
    from reports.models import Export
    from reports.services import export_run

    _reports()
    login_as(page, "admin")
    page.goto("/reports/")
    _english(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up reports")
    axe_check(page, "reports-export-list")

    # Hold the task back so that the progress can be watched, then let it run.
    with monkeypatch.context() as held:
        held.setattr("reports.tasks.run_export.delay", lambda *args, **kwargs: None)
        make = page.get_by_role("region", name="Make a report")
        make.get_by_label("PDF report").check()
        make.get_by_label("Year").select_option("2026")
        make.get_by_role("button", name="Make the report").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Export U-")
        status = page.get_by_role("status")
        expect(status).to_contain_text("Waiting to start")
        expect(page.locator("progress")).to_be_visible()
        axe_check(page, "reports-export-progress")
    export = Export.objects.get()
    export_run(export_id=export.pk)
    link = page.get_by_role("link", name="Download (PDF report)")
    expect(link).to_be_visible()  # swapped in by the htmx poll
    expect(status).to_contain_text("The report is ready.")
    axe_check(page, "reports-export-ready")
    with page.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert download.value.suggested_filename.endswith("2026.pdf")
    text = _pdf_text(content)  # in the administrator's saved language: Swedish
    assert "Uppföljningsrapport 2026" in text and "Rapporter per typ" in text and "Sida 3 av" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "reports-admin.pdf").write_bytes(content)
    if shutil.which("pdftoppm"):
        for first, name in [(1, "reports-pdf-page1"), (4, "reports-pdf-page4"), (6, "reports-pdf-page6")]:
            subprocess.run(["pdftoppm", "-f", str(first), "-l", str(first), "-r", "80", "-png", "-singlefile",
                            str(ARTIFACTS / "reports-admin.pdf"), str(ARTIFACTS / name)], check=True)

    # The same report on screen.
    page.goto("/reports/")
    page.get_by_role("region", name="Show the report on screen").get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up report 2026")
    expect(page.get_by_role("heading", name="Reports by kind")).to_be_visible()
    expect(page.get_by_role("img", name="Reports by month")).to_be_visible()
    axe_check(page, "reports-followup-on-screen")

    # The party office's version: Socialdemokraterna's members only.
    login_as(page, "party")
    page.goto("/reports/")
    _english(page, live_server)
    expect(page.get_by_text("Party version: the report covers the members of Socialdemokraterna only")).to_be_visible()
    axe_check(page, "reports-export-list-party")
    page.get_by_role("region", name="Make a report").get_by_role("button", name="Make the report").click()
    link = page.get_by_role("link", name="Download (PDF report)")
    expect(link).to_be_visible()
    expect(page.get_by_text("Party version: Socialdemokraterna")).to_be_visible()
    axe_check(page, "reports-export-ready-party")
    with page.expect_download() as download:
        link.click()
    party_pdf = Path(download.value.path()).read_bytes()
    text = _pdf_text(party_pdf)
    assert "Socialdemokraterna" in text
    assert "Moderaterna" not in text and "Sverigedemokraterna" not in text
    assert download.value.suggested_filename.endswith("2026-s.pdf")
    (ARTIFACTS / "reports-party.pdf").write_bytes(party_pdf)
