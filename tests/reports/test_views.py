"""Every page of the reports app: one allowed and one denied persona each, the progress
fragment, downloads only for the requester, and the small-count rule on the page."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from reports.models import Export, ExportStatus

from .conftest import PERIOD

pytestmark = pytest.mark.django_db
S = ExportStatus

LIST = reverse("reports:export-list")
CREATE = reverse("reports:export-create")
VIEW = reverse("reports:followup-detail")


def detail(export):
    return reverse("reports:export-detail", args=[export.pk])


def status(export):
    return reverse("reports:export-status", args=[export.pk])


def download(export):
    return reverse("reports:export-download", args=[export.pk])


def queued(user, party=None):
    return Export.objects.create(requested_by=user, kind="csv", period_start=PERIOD.start, period_end=PERIOD.end,
                                 party=party)


# ---------------------------------------------------------------- the list and the form


@pytest.mark.parametrize("persona", ["admin_user", "handler", "party_contact"])
def test_the_page_opens_for_those_who_may_export(client_for, request, persona):
    response = client_for(request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 200
    assert f'action="{CREATE}"' in response.content.decode()


def test_the_party_contact_is_told_it_is_the_party_version(client_for, party_contact):
    client = client_for(party_contact)
    client.cookies["django_language"] = "en"
    body = client.get(LIST).content.decode()
    assert "Party version" in body and "Socialdemokraterna" in body


@pytest.mark.parametrize("persona", ["official", "approver", "body_officer", "on_call"])
def test_the_page_is_refused_to_everyone_else(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(LIST).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_list_shows_only_ones_own_exports_with_constant_queries(client_for, admin_user, handler,
                                                                    django_assert_num_queries):
    queued(admin_user)
    other = queued(handler)
    client = client_for(admin_user)
    client.get(LIST)  # warm up (session, policy)
    few = _count(client)
    for _n in range(6):
        queued(admin_user, party=None)
    with django_assert_num_queries(few):
        body = client.get(LIST).content.decode()
    assert other.reference not in body and body.count(reverse("reports:export-detail", args=[0])[:-2]) >= 7


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    return len(ctx.captured_queries)


def test_making_an_export_redirects_to_its_progress(client_for, full_world, handler,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(handler).post(CREATE, {"kind": "xlsx", "year": "2026"})
    export = Export.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(export)
    assert export.kind == "xlsx" and export.period_start.isoformat() == "2026-01-01" and export.status == S.DONE
    assert export.language == "sv"


def test_the_report_is_written_in_the_persons_saved_language(client_for, handler,
                                                            django_capture_on_commit_callbacks):
    handler.language = "en"
    handler.save()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(handler).post(CREATE, {"kind": "csv", "year": "2026"})
    assert Export.objects.get().language == "en"


def test_a_chosen_period_is_used(client_for, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(handler).post(CREATE, {"kind": "pdf", "year": "2026", "start": "2026-03-01", "end": "2026-08-31"})
    export = Export.objects.get()
    assert (export.period_start.isoformat(), export.period_end.isoformat()) == ("2026-03-01", "2026-08-31")


@pytest.mark.parametrize("data,field", [
    ({"kind": "pdf", "start": "2026-05-01", "end": "2026-04-01"}, "end"),
    ({"kind": "pdf", "start": "2026-05-01"}, "end"),
    ({"kind": "pdf", "start": "2020-01-01", "end": "2026-01-01"}, "end"),
    ({"kind": "pdf", "start": "2026-01-01", "end": "2099-12-31"}, "end"),
    ({"kind": "pdf", "year": "1999"}, "year"),
    ({"kind": "exe", "year": "2026"}, "kind"),
    ({"kind": "pdf", "start": "not a date", "end": "2026-01-01"}, "start"),
])
def test_a_bad_period_or_format_is_explained_and_nothing_is_made(client_for, handler, data, field):
    response = client_for(handler).post(CREATE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Export.objects.exists()


def test_making_an_export_is_refused_to_an_official(client_for, official):
    assert client_for(official).post(CREATE, {"kind": "pdf", "year": "2026"}).status_code == 403
    assert not Export.objects.exists()


def test_making_an_export_needs_post(client_for, handler):
    assert client_for(handler).get(CREATE).status_code == 405


# ---------------------------------------------------------------- progress


def test_a_queued_export_polls_for_its_progress(client_for, handler):
    export = queued(handler)
    body = client_for(handler).get(detail(export)).content.decode()
    assert 'hx-trigger="every 2s"' in body and f'hx-get="{status(export)}"' in body
    assert 'aria-live="polite"' in body and "<progress" in body
    fragment = client_for(handler).get(status(export), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_a_finished_export_stops_polling_and_offers_the_download(client_for, made, admin_user):
    body = client_for(admin_user).get(status(made)).content.decode()
    assert "hx-trigger" not in body and download(made) in body


def test_a_failed_export_shows_why_and_offers_to_try_again(client_for, handler):
    export = queued(handler)
    Export.objects.filter(pk=export.pk).update(status=S.FAILED, error="Rapporten kunde inte tas fram.")
    body = client_for(handler).get(status(export)).content.decode()
    assert "Rapporten kunde inte tas fram." in body and f'action="{CREATE}"' in body and "hx-trigger" not in body


@pytest.mark.parametrize("url", [detail, status, download])
def test_another_persons_export_is_not_found_even_for_an_administrator(client_for, made, url, request):
    from tests.factories import UserFactory

    other_admin = UserFactory(username="admin2", roles=["administrator"])
    assert client_for(other_admin).get(url(made)).status_code == 404
    assert client_for(request.getfixturevalue("handler")).get(url(made)).status_code == 404


@pytest.mark.parametrize("url", [detail, status, download])
def test_export_pages_are_refused_to_those_who_may_not_export(client_for, made, official, url):
    assert client_for(official).get(url(made)).status_code == 403


@pytest.mark.parametrize("url", [detail, status])
def test_the_owner_sees_the_progress_pages(client_for, made, admin_user, url):
    assert client_for(admin_user).get(url(made)).status_code == 200


def test_an_unknown_export_is_not_found(client_for, handler):
    assert client_for(handler).get(reverse("reports:export-detail", args=[999999])).status_code == 404


# ---------------------------------------------------------------- downloads


def test_the_requester_downloads_the_file_and_it_is_audited(client_for, made, admin_user):
    response = client_for(admin_user).get(download(made))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert 'filename="uppfoljningsrapport-2026.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="report_export_download")
    assert (event.kind, event.actor_id, event.object_id) == ("export", admin_user.pk, str(made.pk))


def test_an_unfinished_export_has_nothing_to_download(client_for, handler):
    assert client_for(handler).get(download(queued(handler))).status_code == 404


def test_a_party_contact_who_moved_to_another_party_no_longer_reaches_the_old_file(
        client_for, full_world, party_contact, other_party, django_capture_on_commit_callbacks):
    from reports import services

    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(actor=party_contact, kind="pdf", period=PERIOD)
    client = client_for(party_contact)
    assert client.get(download(export)).status_code == 200
    party_contact.party = other_party
    party_contact.save()
    assert client.get(download(export)).status_code == 404
    assert client.get(detail(export)).status_code == 404


# ---------------------------------------------------------------- the report on screen


def test_the_report_on_screen_suppresses_small_counts(client_for, full_world, handler):
    response = client_for(handler).get(VIEW, {"view-year": "2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<td class="num suppressed">&lt;5</td>' in body
    assert "Moderaterna" in body and 'role="img"' in body
    hate = body.split("<th scope=\"row\">Hat</th>", 1)[1].split("</tr>", 1)[0]
    assert "&lt;5" in hate and ">4<" not in hate
    assert AuditEvent.objects.filter(action="report_followup_view", actor=handler).exists()


def test_the_party_contact_sees_only_their_party_on_screen(client_for, full_world, party_contact):
    body = client_for(party_contact).get(VIEW).content.decode()
    assert "Socialdemokraterna" in body
    assert "Moderaterna" not in body and "Vänsterpartiet" not in body
    assert not any(name in body for name in full_world.names)


def test_the_report_on_screen_is_refused_to_an_official(client_for, official):
    assert client_for(official).get(VIEW).status_code == 403


def test_a_bad_period_on_screen_shows_the_year_and_says_so(client_for, handler):
    response = client_for(handler).get(VIEW, {"view-start": "2026-05-01", "view-end": "2026-01-01"})
    assert response.status_code == 400
    assert response.context["period"].is_calendar_year


# ---------------------------------------------------------------- navigation and home


@pytest.mark.parametrize("persona,shown", [("admin_user", True), ("handler", True), ("party_contact", True),
                                           ("official", False), ("approver", False)])
def test_the_menu_and_home_page_lead_to_the_reports(client_for, request, persona, shown):
    body = client_for(request.getfixturevalue(persona)).get(reverse("accounts:home")).content.decode()
    assert (f'href="{LIST}"' in body) is shown
