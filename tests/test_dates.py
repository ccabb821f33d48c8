"""One date format per language (config/formats/<language>/formats.py): "4 december 2026" and
"4 december 2026 kl. 14.30" in Swedish, "4 December 2026" and "4 December 2026, 14:30" in
English — in pages, e-mails and PDFs — and nothing written for people in another pattern."""

import ast
import datetime as dt
import io
import pathlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.services import policy_load
from core.dates import format_date, format_datetime, format_time
from core.models import OutboxMessage
from incidents import services as incidents
from incidents.models import Kind
from officials.models import Assignment
from tests.factories import AssignmentFactory

TZ = ZoneInfo("Europe/Stockholm")
ROOT = pathlib.Path(settings.BASE_DIR)
APPS = ["core", "accounts", "officials", "incidents", "training", "measures", "riskanalyses", "surveys", "reports"]
# The machine formats a template may use, and only as the value of an HTML attribute
# (`<time datetime="…">`, `<input value="…">`): ISO 8601.
MACHINE = {"c", "Y-m-d"}
# A month's or a weekday's name alone is not a date ("Februari" as a row, "feb" on a chart's axis).
NAMES = {"F", "b", "l"}
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT", "TIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT",
         "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT"}
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


# ---------------------------------------------------------------- the formats


@pytest.mark.parametrize(("language", "date", "datetime", "time"), [
    ("sv", "4 december 2026", "4 december 2026 kl. 14.30", "14.30"),
    ("en", "4 December 2026", "4 December 2026, 14:30", "14:30"),
])
def test_one_format_per_language_in_python_and_templates(language, date, datetime, time):
    moment = dt.datetime(2026, 12, 4, 13, 30, tzinfo=dt.UTC)  # 14.30 in Stockholm
    with translation.override(language):
        assert format_date(moment.date()) == date
        assert format_datetime(moment) == datetime
        assert format_time(moment) == time
        assert render('{{ d|date:"DATE_FORMAT" }}|{{ m|date:"DATETIME_FORMAT" }}|{{ m|date:"TIME_FORMAT" }}',
                      d=moment.date(), m=moment) == f"{date}|{datetime}|{time}"
        # The short formats are the same: a table reads like a sentence.
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}',
                      d=moment.date(), m=moment) == f"{date}|{datetime}"
        # A date printed without a filter is written the same way.
        assert render("{{ d }}", d=moment.date()) == date


def test_a_datetime_is_written_in_the_municipalitys_time_zone_and_a_date_of_it_too():
    late = dt.datetime(2026, 12, 4, 23, 30, tzinfo=dt.UTC)  # already 5 December in Stockholm
    assert format_datetime(late) == "5 december 2026 kl. 00.30"
    assert format_date(late) == "5 december 2026"
    assert format_date(None) == format_datetime(None) == ""


def test_form_inputs_still_read_and_write_iso_dates():
    from core.forms import DateInput

    assert DateInput().format_value(dt.date(2026, 12, 4)) == "2026-12-04"
    with translation.override("sv"):
        from django import forms

        field = forms.DateField()
        assert field.clean("2026-12-04") == dt.date(2026, 12, 4)


# ---------------------------------------------------------------- nothing else in the source


def _template_date_filters():
    pattern = re.compile(r"""\|(date|time):(["'])([^"']*)\2""")
    for path in (ROOT / "templates").rglob("*"):
        if not path.is_file():
            continue
        text = path.read_text()
        for match in pattern.finditer(text):
            start = text.rfind("{{", 0, match.start())
            in_attribute = text[max(0, start - 2):start] in ('="', "='")
            yield path.relative_to(ROOT), match.group(3), in_attribute


def test_templates_write_dates_for_people_only_with_the_named_formats():
    found = list(_template_date_filters())
    assert len(found) > 100  # the scan sees the templates
    wrong = [(str(path), fmt) for path, fmt, in_attribute in found
             if not (fmt in NAMED or fmt in NAMES or (in_attribute and fmt in MACHINE))]
    assert wrong == []


def _python_sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_python_formats_dates_for_people_only_through_the_named_formats():
    """`date_format`/`dateformat.format` only with a named format (or a month's name alone);
    `strftime` only for the machine formats (ICS, file names)."""
    explicit, strftime = [], []
    for path in _python_sources():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("date_format", "time_format", "format") and len(node.args) == 2:
                fmt = node.args[1]
                if isinstance(fmt, ast.Constant) and isinstance(fmt.value, str) and fmt.value not in NAMED | NAMES:
                    explicit.append(f"{path.relative_to(ROOT)}:{node.lineno} {fmt.value}")
            if name == "strftime":
                strftime.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert explicit == []
    assert {line.split(":")[0] for line in strftime} <= {"training/ics.py", "accounts/views.py"}  # ICS, file name


# ---------------------------------------------------------------- a page, an e-mail, a PDF


@pytest.fixture
def policy(db):
    return policy_load(actor=None, profile="sigtuna")


def _report(official_user, occurred_at):
    return incidents.report_file(actor=official_user, officials=[official_user.official], kinds=[Kind.THREAT],
                                 channel="email", description="Hotfullt mejl.", occurred_at=occurred_at)


@pytest.mark.parametrize(("language", "expected"), [
    ("sv", "4 mars 2026 kl. 14.30"),
    ("en", "4 March 2026, 14:30"),
])
def test_the_report_page_writes_dates_in_the_readers_format(client_for, policy, official, handler, language,
                                                          expected):
    report = _report(official, dt.datetime(2026, 3, 4, 14, 30, tzinfo=TZ))
    handler.language = language
    handler.save(update_fields=["language"])
    response = client_for(handler).get(reverse("incidents:report-detail", args=[report.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    shown = re.sub(r'(datetime|value)="[^"]*"', "", page)  # machine values are ISO, as they must be
    assert not ISO_DATE.search(shown), ISO_DATE.search(shown)


@pytest.mark.parametrize(("language", "expected"), [
    ("sv", "kl. 14.30"),
    ("en", ", 14:30"),
])
def test_an_email_writes_the_time_in_the_recipients_format(policy, official, handler, language, expected):
    from training import services as training

    AssignmentFactory(official=official.official, role=Assignment.Role.COMMISSIONER, share_percent=100,
                      start=dt.date(2020, 1, 1))
    official.language = language
    official.save(update_fields=["language"])
    conversation = training.conversation_request(actor=handler, official=official.official,
                                                 due_by=timezone.localdate() + dt.timedelta(days=30))
    when = timezone.localtime().replace(hour=14, minute=30, second=0, microsecond=0) + dt.timedelta(days=3)
    training.conversation_book(actor=handler, conversation=conversation, booked_for=when, place="Rum 3")
    message = OutboxMessage.objects.filter(to=official.email).latest("id")
    with translation.override(language):
        written = format_datetime(when)
    assert written.endswith(expected)
    assert written in message.subject and written in message.body
    assert not ISO_DATE.search(message.subject + message.body)


@pytest.mark.parametrize(("language", "period", "made"), [
    ("sv", "1 mars 2026 – 30 juni 2026", "23 november 2026 kl. 09.30"),
    ("en", "1 March 2026 – 30 June 2026", "23 November 2026, 09:30"),
])
def test_the_follow_up_report_pdf_writes_dates_in_its_language(policy, language, period, made):
    from reports import renderers, selectors
    from reports.periods import Period
    from reports.tables import suppress

    with translation.override(language):
        data = suppress(selectors.followup_data(Period(dt.date(2026, 3, 1), dt.date(2026, 6, 30)),
                                                party_id=None, today=dt.date(2026, 11, 23)))
        pdf = renderers.render("pdf", data, renderers.Made(author="Eva Nordin",
                                                           at=dt.datetime(2026, 11, 23, 9, 30, tzinfo=TZ)))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")
    text = re.sub(r"\s+", " ", text)
    assert period in text
    assert made in text
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
