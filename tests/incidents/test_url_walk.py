"""Walk every incidents URL as anonymous and as each persona who must not reach the official's
case: no response may show the case, the report, the note or the evidence."""

import pytest
from django.urls import URLPattern, reverse

from incidents import services
from incidents.urls import urlpatterns

from .conftest import PNG, file_report, upload

pytestmark = pytest.mark.django_db

SECRET = "SECRET-DESCRIPTION-TEXT"
NOTE = "SECRET-NOTE-TEXT"
OUTSIDERS = ["other_official", "other_party_contact", "approver", "body_officer", "on_call", "admin_user"]


@pytest.fixture
def protected(official, handler):
    report = file_report(official, description=SECRET, files=[upload("proof.png", PNG)])
    case = services.case_open_from_report(actor=handler, report=report, title="SECRET-TITLE")
    services.case_add_note(actor=handler, case=case, text=NOTE)
    campaign = services.campaign_group(actor=handler, cases=[case], name="SECRET-CAMPAIGN")
    return {"report": report, "case": case, "attachment": report.attachments.get(),
            "campaign": campaign}


def _urls(world):
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        name = f"incidents:{pattern.name}"
        if "<int:pk>" not in route:
            args = []
        elif route.startswith("reports/"):
            args = [world["report"].pk]
        elif route.startswith("cases/"):
            args = [world["case"].pk]
        elif route.startswith("attachments/"):
            args = [world["attachment"].pk]
        elif route.startswith("campaigns/<int:pk>/cases/"):
            args = [world["campaign"].pk, world["case"].pk]
        elif route.startswith("campaigns/<int:pk>"):
            args = [world["campaign"].pk]
        else:
            args = []
        yield reverse(name, args=args)


def _leaks(response) -> bool:
    if response.status_code != 200:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(word.encode() in body for word in (SECRET, NOTE, "SECRET-TITLE", "SECRET-CAMPAIGN")) or (
        body.startswith(b"\x89PNG") or body.startswith(b"PK"))


def test_anonymous_reaches_nothing(client, protected):
    for url in _urls(protected):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert "login" in response.url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_see_nothing_of_the_case(request, client, protected, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in _urls(protected):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (200, 302, 400, 403, 404, 405), (url, response.status_code)
            assert not _leaks(response), f"{persona} saw protected content at {url}"
