"""Issue 15 › 2, Fagersta (the local safety survey comparable with PTU, followed up by the
municipal executive board): no count under five reveals a person — anywhere — and money is not
a head count.

Fagersta's security function ran last year's safety survey: 23 officials answered, three of them
as "other / prefer not to say", aged 70 or older, on the municipal executive board — and all
three were harassed in person (E3). On the results page, on a desktop and on a phone, those
three show as "<5" in the breakdowns AND in the questions' own tables below them (with one more
group hidden beside them, the same one in both), and no table cell or chart on the page holds a
count of one to four. Last year a personal alarm for one official cost 4 200 kr: the follow-up
report — on screen, as the PDF the security function downloads, and the party office's own
version — shows "4 200 kr" spent, not "<5", while the count of that one measure reads "<5".
Every page is checked with axe (WCAG 2.1 AA)."""

import datetime as dt
import io
import re
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

TZ = ZoneInfo("Europe/Stockholm")
SMALL = re.compile(r"^[1-4]$")
SPENT_LABEL = re.compile(r"^(Förbrukat på åtgärder|Spent on measures)")  # before / after the catalogue merge
KR_4200 = re.compile(r"^4\s200\skr$")


def _last_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


def _fagersta():
    from accounts.services import policy_load

    policy_load(actor=None, profile="fagersta")


def _survey_round(year: int):
    """Last year's safety round, closed, answered through the real submission service."""
    from officials.models import Official
    from officials.services import official_create
    from surveys.models import Invitation, InvitationToken, Item, Round, SurveyType
    from surveys.services import hash_token, item_bank_load, response_submit
    from tests.surveys.test_small_counts import three_in_a_group

    item_bank_load()
    round_ = Round.objects.create(survey_type=SurveyType.SAFETY, reference_year=year - 1,
                                  opens_on=dt.date(year, 2, 1), closes_on=dt.date(year, 3, 14))
    round_.items.set(Item.objects.filter(survey_type=SurveyType.SAFETY, is_active=True))
    sheets = three_in_a_group()
    officials = list(Official.objects.order_by("id")[: len(sheets) + 2])
    while len(officials) < len(sheets) + 2:
        officials.append(official_create(actor=None, first_name="Svarande", last_name=f"Nummer{len(officials)}"))
    for n, official in enumerate(officials):
        invitation = Invitation.objects.create(round=round_, official=official)
        token = secrets.token_urlsafe(24)
        InvitationToken.objects.create(invitation=invitation, token_hash=hash_token(token))
        if n < len(sheets):
            response_submit(token=token, answers={k: v if isinstance(v, list) else [v] for k, v in sheets[n].items()},
                            today=dt.date(year, 2, 2))
    return round_


def _alarm_for_one_official(year: int):
    """A personal alarm for Anna Lindqvist (S), decided last year; its invoice: 4 200 kr."""
    from accounts.models import User
    from incidents.models import Case, CaseStatus
    from measures.models import Measure, MeasureCost, MeasureStatus, MeasureType
    from officials.models import Official

    handler, approver = User.objects.get(username="handler"), User.objects.get(username="approver")
    official = Official.objects.get(user__username="official")
    case = Case.objects.create(official=official, status=CaseStatus.MONITORING,
                               opened_at=dt.datetime(year, 4, 2, 10, tzinfo=TZ), opened_by=handler)
    measure = Measure.objects.create(
        case=case, measure_type=MeasureType.objects.get(code="personal-alarm"), status=MeasureStatus.IN_PLACE,
        reason="Hot i samband med uppdraget.", estimated_cost_sek=4000, proposed_by=handler,
        proposed_at=dt.datetime(year, 4, 3, 10, tzinfo=TZ), decided_by=approver,
        decided_at=dt.datetime(year, 4, 4, 10, tzinfo=TZ))
    MeasureCost.objects.create(measure=measure, amount_sek=4200, booked_on=dt.date(year, 5, 2), booked_by=handler)


def _tables_hold_no_small_count(page):
    cells = page.locator("main td").all_inner_texts()
    assert cells and not [c for c in cells if SMALL.match(c.strip())], "a table cell holds a count of 1–4"
    texts = page.locator("main svg text").all_text_contents()
    assert texts and not [t for t in texts if SMALL.match(t.strip())], "a chart writes a count of 1–4"


def _the_three_read_lt5(page):
    """The group in its breakdown and in the question's own table: "<5", never their number."""
    for label in ("^Annat", "^70 år eller äldre", "^Kommunstyrelsen"):  # B2, B3, B1
        rows = page.get_by_role("row", name=re.compile(label))
        expect(rows).to_have_count(2)
        for row in rows.all():
            cells = [c.strip() for c in row.locator("td").all_inner_texts()]
            assert cells and all(c in ("<5", "..") for c in cells), (label, cells)
    gender = page.get_by_role("table", name="Kön", exact=True)
    expect(gender.get_by_role("row", name=re.compile("^Annat")).get_by_role("cell").first).to_have_text("<5")
    expect(gender.get_by_role("row", name=re.compile("^Kvinna")).get_by_role("cell").first).to_have_text("..")
    question = page.get_by_role("table", name=re.compile(r"^B2\b"))
    expect(question.get_by_role("row", name=re.compile("^Annat")).get_by_role("cell").first).to_have_text("<5")
    expect(question.get_by_role("row", name=re.compile("^Kvinna")).get_by_role("cell").first).to_have_text("..")
    expect(question.get_by_role("row", name=re.compile("^Man")).get_by_role("cell").first).to_have_text("10")


def _spent_reads_in_kronor(page):
    key_figures = page.get_by_role("table", name="Nyckeltal")
    spent = key_figures.get_by_role("row", name=SPENT_LABEL)
    expect(spent.get_by_role("cell")).to_have_text(KR_4200)
    by_type = page.get_by_role("table", name="Åtgärder per typ")
    alarm = by_type.get_by_role("row", name=re.compile("^Personlarm"))
    expect(alarm).to_contain_text("<5")  # one measure about one official
    expect(alarm.get_by_role("cell").last).to_have_text(KR_4200)


@pytest.mark.django_db(transaction=True)
def test_fagersta_survey_group_of_three_shows_nowhere_and_the_report_shows_money(
        page, page_phone, live_server, login_as, axe_check):
    year = _last_year()
    _fagersta()
    round_ = _survey_round(year)
    _alarm_for_one_official(year)

    # The security function reads the results on a desktop.
    login_as(page, "handler")
    page.get_by_role("navigation", name=re.compile("Huvud|Main")).get_by_role("link", name="Enkäter").click()
    page.get_by_role("link", name=re.compile(f"^Resultat.*{round_.label}$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Resultat: {round_.label}")
    _the_three_read_lt5(page)
    _tables_hold_no_small_count(page)
    expect(page.get_by_text("<5: siffran gäller färre än fem personer och visas inte.")).to_be_visible()
    axe_check(page, "smallcounts-survey-results")

    # … and on a phone.
    login_as(page_phone, "handler")
    page_phone.goto(f"/surveys/{round_.pk}/results/")
    _the_three_read_lt5(page_phone)
    _tables_hold_no_small_count(page_phone)
    axe_check(page_phone, "smallcounts-survey-results-phone")

    # The follow-up report for last year on screen: spent 4 200 kr, not "<5".
    page.goto("/reports/")
    view = page.get_by_role("region", name="Visa rapporten på skärmen")
    view.get_by_label("År").select_option(str(year))
    view.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uppföljningsrapport {year}")
    _spent_reads_in_kronor(page)
    e3 = page.get_by_role("table", name=re.compile("^Trygghetsundersökning")).get_by_role(
        "row", name=re.compile("^E3 "))
    expect(e3.get_by_role("cell").last).to_have_text("<5")  # the three harassed in person
    axe_check(page, "smallcounts-followup-on-screen")

    # … and as the PDF the security function downloads.
    page.goto("/reports/")
    make = page.get_by_role("region", name="Skapa en rapport")
    make.get_by_label("PDF-rapport").check()
    make.get_by_label("År").select_option(str(year))
    make.get_by_role("button", name="Skapa rapporten").click()
    link = page.get_by_role("link", name="Ladda ned (PDF-rapport)")  # made in-process (no broker)
    expect(link).to_be_visible(timeout=60_000)
    axe_check(page, "smallcounts-export-ready")
    with page.expect_download() as download:
        link.click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.splitlines()]
    spent = [line for line in lines if re.match(r"(Förbrukat på åtgärder|Spent on measures) ", line)]
    assert spent and spent[0].endswith(" 4 200 kr"), spent

    # The party office's own version, on a phone: its member's alarm, in kronor.
    login_as(page_phone, "party")
    page_phone.goto(f"/reports/followup/?view-year={year}")
    expect(page_phone.get_by_role("heading", level=1)).to_have_text(f"Uppföljningsrapport {year}")
    _spent_reads_in_kronor(page_phone)
    axe_check(page_phone, "smallcounts-followup-party-phone")
