"""Walk the whole URL configuration as every persona and fail on any response that shows a
protected object the persona may not see (issue 3: "the URL walk finds no leak").

Each protected object carries a unique marker string. Every GET-able URL pattern is requested
with every plausible id, as anonymous and as each persona; the body of every 200 (pages, files,
exports) must not contain a marker outside that persona's allowed set.

The incidents URLs are walked harder: anonymous is sent to log in (or refused the method) on every
one, by GET and by POST, and the personas who must not reach the official's case (the other
party's people, the approver, the body officer, the on-call duty and the administrator) GET and
POST every one with the ids of that case, its report, evidence and campaign: no error, and no
marker, image or archive of it in any answer.

The objects are made once for the module (tests/built_once.py); each test runs in a savepoint.
"""

import datetime as dt
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.built_once import built_once
from tests.factories import make_persona
from tests.incidents.conftest import PNG, upload

pytestmark = pytest.mark.django_db

REPORT_A, NOTE_A, ATTACH_A, PHONE_A = "RapportA-7Q2K", "HemligNotA-9Z4X", "BilagaA-3M8P", "0739-481-227"
REPORT_B, NOTE_B, ATTACH_B = "RapportB-5T1W", "HemligNotB-2L6R", "BilagaB-8V3N"
TITLE_A, CAMPAIGN_A = "ArendeTitelA-4G7J", "KampanjA-6H2C"
ALL = {REPORT_A, NOTE_A, ATTACH_A, PHONE_A, REPORT_B, NOTE_B, ATTACH_B, TITLE_A, CAMPAIGN_A}

# What each persona may see. Everything else must never appear in a 200.
ALLOWED = {
    "anonymous": set(),
    "official": {REPORT_A, ATTACH_A, PHONE_A, TITLE_A},
    "other_official": {REPORT_B, ATTACH_B},
    "party_contact": {REPORT_A, ATTACH_A, TITLE_A},
    "other_party_contact": {REPORT_B, ATTACH_B},
    "approver": set(),
    "body_officer": set(),
    "on_call": set(),
    "admin_user": set(),
    "handler": ALL,
}
# What the walk must find, or it could never fail: the pages that show the markers.
MUST_SEE = {
    "handler": {REPORT_A, NOTE_A, ATTACH_A, PHONE_A, REPORT_B, NOTE_B, ATTACH_B},
    "official": {REPORT_A, ATTACH_A, PHONE_A},
    "party_contact": {REPORT_A},
    "other_party_contact": {REPORT_B},
}
# Those who must not reach the official's case, walked through every incidents URL.
OUTSIDERS = ["other_official", "other_party_contact", "approver", "body_officer", "on_call", "admin_user"]

SKIP_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/")
OFFICE_HOURS = dt.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


# ---------------------------------------------------------------- the world, made once per module


@built_once
def _world_rows(tmp_path_factory):
    from incidents.models import Kind
    from incidents.services import (
        attachment_add,
        campaign_group,
        case_add_note,
        case_open_from_report,
        report_file,
    )
    from officials.services import official_update

    media_root = tmp_path_factory.mktemp("walk-private")
    with override_settings(MEDIA_ROOT=media_root):
        users = {persona: make_persona(persona) for persona in ALLOWED if persona != "anonymous"}
        handler = users["handler"]
        w = SimpleNamespace(media_root=media_root, users={name: user.pk for name, user in users.items()}, cases=[])
        for persona, report_text, note_text, attach_text in [
            ("official", REPORT_A, NOTE_A, ATTACH_A),
            ("other_official", REPORT_B, NOTE_B, ATTACH_B),
        ]:
            user = users[persona]
            report = report_file(actor=user, officials=[user.official], kinds=[Kind.HARASSMENT], channel="email",
                                 description=f"Beskrivning {report_text}", occurred_at=OFFICE_HOURS,
                                 now=OFFICE_HOURS)
            attachment_add(actor=user, report=report,
                           upload=SimpleUploadedFile("bevis.txt", f"Bevis {attach_text}".encode(), "text/plain"))
            case = case_open_from_report(actor=handler, report=report,
                                         title=TITLE_A if persona == "official" else "")
            case_add_note(actor=handler, case=case, text=f"Anteckning {note_text}", confidential=True)
            w.cases.append(case)
        w.report_a, w.case_a = w.cases[0].reports.get(), w.cases[0]
        w.picture_a = attachment_add(actor=users["official"], report=w.report_a, upload=upload("proof.png", PNG))
        w.campaign_a = campaign_group(actor=handler, cases=[w.case_a], name=CAMPAIGN_A)
        official_update(actor=handler, official=users["official"].official, private_phone=PHONE_A)
    return w


@pytest.fixture
def world(_world_rows, _media_root, settings):
    settings.MEDIA_ROOT = _world_rows.media_root
    return _world_rows


def _login(client, world, persona):
    from accounts.models import User

    client.logout()
    if persona != "anonymous":
        client.force_login(User.objects.get(pk=world.users[persona]))


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    try:
        return data.decode("utf-8", errors="replace")
    except AttributeError:
        return str(data)


# ---------------------------------------------------------------- every URL, every persona


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


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_no_url_shows_a_protected_object_to_the_wrong_persona(client, world, persona):
    from incidents.models import Attachment, Campaign, CaseNote, Report

    cases = world.cases
    # The picture is left out: it holds no marker to find (the incidents walk below looks for it).
    ids = sorted({c.pk for c in cases} | {c.official_id for c in cases}
                 | set(Report.objects.values_list("pk", flat=True))
                 | set(Attachment.objects.exclude(pk=world.picture_a.pk).values_list("pk", flat=True))
                 | set(CaseNote.objects.values_list("pk", flat=True))
                 | set(Campaign.objects.values_list("pk", flat=True)))
    urls = [u for u in _urls(ids) if not u.startswith(SKIP_PREFIXES)]
    assert len(urls) > 20, "the URL walk found suspiciously few URLs"

    leaks = []
    seen: set[str] = set()
    _login(client, world, persona)
    forbidden = ALL - ALLOWED[persona]
    for url in urls:
        try:
            response = client.get(url)
        except Exception as exc:  # a crash is a finding too, but not a leak: report it
            leaks.append(f"{persona} GET {url} raised {type(exc).__name__}: {exc}")
            continue
        if response.status_code != 200:
            continue
        body = _body(response)
        seen.update(m for m in ALL if m in body)
        shown = sorted(m for m in forbidden if m in body)
        if shown:
            leaks.append(f"{persona} GET {url} shows {shown}")
    assert not leaks, "\n".join(leaks[:40])
    # The walk must reach the pages that show the markers, or it could never fail.
    assert seen >= MUST_SEE.get(persona, set())


# ---------------------------------------------------------------- the incidents URLs, GET and POST


def _incidents_urls(world):
    from incidents.urls import urlpatterns

    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        name = f"incidents:{pattern.name}"
        if "<int:pk>" not in route:
            args = []
        elif route.startswith("reports/"):
            args = [world.report_a.pk]
        elif route.startswith("cases/"):
            args = [world.case_a.pk]
        elif route.startswith("attachments/"):
            args = [world.picture_a.pk]
        elif route.startswith("campaigns/<int:pk>/cases/"):
            args = [world.campaign_a.pk, world.case_a.pk]
        elif route.startswith("campaigns/<int:pk>"):
            args = [world.campaign_a.pk]
        else:
            args = []
        yield reverse(name, args=args)


def _leaks(response) -> bool:
    """A 200 that shows the official's case: a marker of it, or its picture or evidence package."""
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(word.encode() in body for word in (REPORT_A, NOTE_A, ATTACH_A, TITLE_A, CAMPAIGN_A)) or (
        body.startswith(b"\x89PNG") or body.startswith(b"PK"))


def test_anonymous_reaches_nothing_in_incidents(client, world):
    for url in _incidents_urls(world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert "login" in response.url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_see_nothing_of_the_case(client, world, persona):
    _login(client, world, persona)
    for url in _incidents_urls(world):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (200, 302, 400, 403, 404, 405), (url, response.status_code)
            assert not _leaks(response), f"{persona} saw protected content at {url}"
