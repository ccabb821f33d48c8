"""Walk the whole URL configuration as every persona and fail on any response that shows a
protected object the persona may not see (issue 3: "the URL walk finds no leak").

Each protected object carries a unique marker string. Every GET-able URL pattern is requested
with every plausible id, as anonymous and as each persona; the body of every 200 (pages, files,
exports) must not contain a marker outside that persona's allowed set.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from officials.services import official_update

pytestmark = pytest.mark.django_db

REPORT_A, NOTE_A, ATTACH_A, PHONE_A = "RapportA-7Q2K", "HemligNotA-9Z4X", "BilagaA-3M8P", "0739-481-227"
REPORT_B, NOTE_B, ATTACH_B = "RapportB-5T1W", "HemligNotB-2L6R", "BilagaB-8V3N"
ALL = {REPORT_A, NOTE_A, ATTACH_A, PHONE_A, REPORT_B, NOTE_B, ATTACH_B}

# What each persona may see. Everything else must never appear in a 200.
ALLOWED = {
    "anonymous": set(),
    "official": {REPORT_A, ATTACH_A, PHONE_A},
    "other_official": {REPORT_B, ATTACH_B},
    "party_contact": {REPORT_A, ATTACH_A},
    "other_party_contact": {REPORT_B, ATTACH_B},
    "approver": set(),
    "body_officer": set(),
    "on_call": set(),
    "admin_user": set(),
    "handler": ALL,
}

SKIP_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/")
OFFICE_HOURS = dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if hasattr(entry.pattern, "_regex") and not hasattr(entry.pattern, "_route"):
            # A regex pattern: keep only the literal ones (admin app index patterns are skipped).
            literal = route.lstrip("^").rstrip("$")
            if re.search(r"[()\[\]?*+\\]", literal):
                continue
            route = literal
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _urls(ids):
    uuid = "00000000-0000-4000-8000-000000000000"
    for route in sorted(set(_routes())):
        names = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if not names:
            yield "/" + route
            continue
        for value in ids:
            url = route
            for conv, _name in names:
                replacement = {"int": str(value), "path": str(value), "uuid": uuid}.get(conv or "str", str(value))
                url = re.sub(r"<(?:\w+:)?\w+>", replacement, url, count=1)
            yield "/" + url


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    try:
        return data.decode("utf-8", errors="replace")
    except AttributeError:
        return str(data)


@pytest.fixture
def world(official, other_official, party_contact, other_party_contact, handler, approver, body_officer, on_call,
          admin_user):
    from incidents.models import Kind
    from incidents.services import attachment_add, case_add_note, case_open_from_report, report_file

    cases = []
    for user, report_text, note_text, attach_text in [
        (official, REPORT_A, NOTE_A, ATTACH_A),
        (other_official, REPORT_B, NOTE_B, ATTACH_B),
    ]:
        report = report_file(actor=user, officials=[user.official], kinds=[Kind.HARASSMENT], channel="email",
                             description=f"Beskrivning {report_text}", occurred_at=OFFICE_HOURS,
                             now=OFFICE_HOURS)
        attachment_add(actor=user, report=report,
                       upload=SimpleUploadedFile("bevis.txt", f"Bevis {attach_text}".encode(), "text/plain"))
        case = case_open_from_report(actor=handler, report=report)
        case_add_note(actor=handler, case=case, text=f"Anteckning {note_text}", confidential=True)
        cases.append(case)
    official_update(actor=handler, official=official.official, private_phone=PHONE_A)
    return cases


def test_no_url_shows_a_protected_object_to_the_wrong_persona(client, world, request):
    from incidents.models import Attachment, CaseNote, Report

    cases = world
    ids = sorted({c.pk for c in cases} | {c.official_id for c in cases}
                 | set(Report.objects.values_list("pk", flat=True))
                 | set(Attachment.objects.values_list("pk", flat=True))
                 | set(CaseNote.objects.values_list("pk", flat=True)))
    urls = [u for u in _urls(ids) if not u.startswith(SKIP_PREFIXES)]
    assert len(urls) > 20, "the URL walk found suspiciously few URLs"

    leaks = []
    seen: dict[str, set[str]] = {}
    for persona, allowed in ALLOWED.items():
        client.logout()
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        forbidden = ALL - allowed
        for url in urls:
            try:
                response = client.get(url)
            except Exception as exc:  # a crash is a finding too, but not a leak: report it
                leaks.append(f"{persona} GET {url} raised {type(exc).__name__}: {exc}")
                continue
            if response.status_code != 200:
                continue
            body = _body(response)
            seen.setdefault(persona, set()).update(m for m in ALL if m in body)
            shown = sorted(m for m in forbidden if m in body)
            if shown:
                leaks.append(f"{persona} GET {url} shows {shown}")
    assert not leaks, "\n".join(leaks[:40])
    # The walk must reach the pages that show the markers, or it could never fail.
    assert seen.get("handler", set()) >= {REPORT_A, NOTE_A, ATTACH_A, PHONE_A, REPORT_B, NOTE_B, ATTACH_B}
    assert seen.get("official", set()) >= {REPORT_A, ATTACH_A, PHONE_A}
    assert seen.get("party_contact", set()) >= {REPORT_A}
    assert seen.get("other_party_contact", set()) >= {REPORT_B}
