"""The consent screens: the unit records the signed paper, checks an upload (accept / reject), and
the official sends in the signed form. One allowed and one denied test per view, and what each
screen promises."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from officials.models import Consent

from .conftest import EMAIL, PDF, PHONE, make_consent, signed_pdf

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ME = reverse("officials:me")


def _url(name, consent):
    return reverse(f"officials:{name}", args=[consent.pk])


def upload_url(field):
    return reverse("officials:me-consent-upload", args=[field])


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def _as(client, user):
    client.force_login(user)
    return client


def _card(html):
    return html.split('class="panel contact-card"')[1].split("</section>")[0]


# --- access: allowed and denied per view -------------------------------------------------------

UNIT_PAGES = [("consent-document", "awaiting_document"), ("consent-review", "document_submitted")]
UNIT_ACTIONS = [("consent-document", "awaiting_document"), ("consent-accept", "document_submitted"),
                ("consent-reject", "document_submitted")]


@pytest.mark.parametrize(("view", "status"), UNIT_PAGES)
def test_unit_may_open(en, handler, own, view, status):
    consent = make_consent(own, "private_phone", status)
    assert _as(en, handler).get(_url(view, consent)).status_code == 200


@pytest.mark.parametrize(("view", "status"), UNIT_ACTIONS + UNIT_PAGES)
def test_the_official_sees_their_consent_but_may_not_act_for_the_unit(en, official, own, view, status):
    consent = make_consent(own, "private_phone", status)
    client = _as(en, official)
    assert client.get(_url(view, consent)).status_code in (403, 405)
    assert client.post(_url(view, consent), {"document_reference": "Mine", "received_on": TODAY.isoformat(),
                                             "reason": "x"}).status_code in (403, 405)
    consent.refresh_from_db()
    assert consent.status == status


@pytest.mark.parametrize("persona", ["other_official", "party_contact", "approver", "admin_user", "on_call"])
@pytest.mark.parametrize(("view", "status"), UNIT_ACTIONS + UNIT_PAGES + [("consent-file", "document_submitted")])
def test_others_get_404(en, request, own, persona, view, status):
    consent = make_consent(own, "private_phone", status)
    client = _as(en, request.getfixturevalue(persona))
    assert client.get(_url(view, consent)).status_code in (404, 405)
    assert client.post(_url(view, consent), {"document_reference": "X", "reason": "x"}).status_code in (404, 405)
    consent.refresh_from_db()
    assert consent.status == status


@pytest.mark.parametrize("view", ["consent-document", "consent-review", "consent-file"])
def test_anonymous_is_sent_to_login(client, own, view):
    consent = make_consent(own, "private_phone", "document_submitted")
    response = client.get(_url(view, consent))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_accept_and_reject_are_post_only(en, handler, own):
    consent = make_consent(own, "private_phone", "document_submitted")
    client = _as(en, handler)
    assert client.get(_url("consent-accept", consent)).status_code == 405
    assert client.get(_url("consent-reject", consent)).status_code == 405


def test_upload_is_the_officials_own(en, own, handler, party_contact):
    make_consent(own, "private_email", "awaiting_document")
    for user in (handler, party_contact):
        response = _as(en, user).post(upload_url("private_email"), {"private_email-document": signed_pdf()})
        assert response.status_code == 404
    assert Consent.objects.get().status == "awaiting_document"


def test_upload_is_post_only_and_unknown_field_is_404(en, official, own):
    client = _as(en, official)
    assert client.get(upload_url("private_email")).status_code == 405
    assert client.post(upload_url("password"), {}).status_code == 404


# --- the unit records the signed paper --------------------------------------------------------

def test_unit_records_the_signed_paper(en, handler, own):
    consent = make_consent(own, "private_phone", "awaiting_document")
    client = _as(en, handler)
    detail = client.get(reverse("officials:official-detail", args=[own.pk])).content.decode()
    assert _url("consent-document", consent) in detail and "Signed document awaited" in detail
    assert PHONE not in _card(detail)
    response = client.post(_url("consent-document", consent), {"document_reference": "KS 2026/42",
                                                               "received_on": TODAY.isoformat()})
    assert response.status_code == 302 and response.url.endswith("#field-private_phone")
    consent.refresh_from_db()
    assert consent.status == "in_force" and consent.document_recorded_by == handler
    detail = client.get(reverse("officials:official-detail", args=[own.pk])).content.decode()
    assert PHONE in _card(detail) and "In force since" in detail and "KS 2026/42" in detail


def test_record_paper_errors_are_tied_to_fields(en, handler, own):
    consent = make_consent(own, "private_phone", "awaiting_document", decided_on=TODAY - dt.timedelta(days=2))
    client = _as(en, handler)
    response = client.post(_url("consent-document", consent), {"document_reference": "",
                                                               "received_on": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="id_document_reference_helptext id_document_reference_error"' in html
    assert 'aria-describedby="id_received_on_error"' in html
    response = client.post(_url("consent-document", consent), {
        "document_reference": "KS", "received_on": (TODAY - dt.timedelta(days=5)).isoformat()})
    assert response.status_code == 400 and "received_on" in response.context["form"].errors
    consent.refresh_from_db()
    assert consent.status == "awaiting_document"


def test_record_paper_on_a_consent_already_in_force_shows_the_refusal(en, handler, own):
    consent = make_consent(own, "private_phone", "in_force")
    response = _as(en, handler).post(_url("consent-document", consent), {"document_reference": "KS",
                                                                         "received_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "already recorded" in " ".join(response.context["form"].non_field_errors())


# --- the unit checks an upload ----------------------------------------------------------------

def test_review_page_links_the_document(en, handler, own):
    consent = make_consent(own, "private_email", "document_submitted")
    client = _as(en, handler)
    detail = client.get(reverse("officials:official-detail", args=[own.pk])).content.decode()
    assert _url("consent-review", consent) in detail and "Signed document sent in, to be checked" in detail
    html = client.get(_url("consent-review", consent)).content.decode()
    assert _url("consent-file", consent) in html and "medgivande.pdf" in html
    assert "Accept: publish" in html and "Do not accept" in html


def test_unit_accepts_an_upload(en, handler, own):
    consent = make_consent(own, "private_email", "document_submitted")
    response = _as(en, handler).post(_url("consent-accept", consent), {"document_reference": "KS 8"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == "in_force" and consent.document_reference == "KS 8"


def test_unit_rejects_an_upload_and_the_official_reads_why(en, handler, official, own):
    consent = make_consent(own, "private_email", "document_submitted")
    client = _as(en, handler)
    response = client.post(_url("consent-reject", consent), {"reason": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in response.content.decode()
    response = client.post(_url("consent-reject", consent), {"reason": "Underskriften saknas."})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.status == "awaiting_document"
    html = _as(en, official).get(ME).content.decode()
    assert "Underskriften saknas." in html and "was not accepted" in html
    assert upload_url("private_email") in html  # a new one can be sent


def test_accepting_twice_shows_the_refusal_not_an_error_page(en, handler, own):
    consent = make_consent(own, "private_email", "document_submitted")
    client = _as(en, handler)
    client.post(_url("consent-accept", consent), {})
    response = client.post(_url("consent-accept", consent), {})
    assert response.status_code == 400
    assert "already recorded" in response.content.decode()


# --- the official sends in the signed form -----------------------------------------------------

def test_official_uploads_the_signed_form(en, official, own):
    make_consent(own, "private_email", "awaiting_document")
    client = _as(en, official)
    html = client.get(ME).content.decode()
    assert 'enctype="multipart/form-data"' in html and upload_url("private_email") in html
    response = client.post(upload_url("private_email"), {"private_email-document": signed_pdf()})
    assert response.status_code == 302 and response.url.endswith("#consent-private_email")
    consent = Consent.objects.get()
    assert consent.status == "document_submitted"
    html = client.get(ME).content.decode()
    assert "is checking the signed form you sent in" in html and EMAIL not in _card(html)
    assert _url("consent-file", consent) in html


def test_a_bad_file_is_a_message_next_to_the_field(en, official, own):
    make_consent(own, "private_email", "awaiting_document")
    response = _as(en, official).post(upload_url("private_email"),
                                      {"private_email-document": signed_pdf("x.pdf", b"MZ" + b"\0" * 100)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_private_email-document_error"' in html
    assert 'aria-describedby="id_private_email-document_helptext id_private_email-document_error"' in html
    assert "is not a scan or photo of the signed form" in html and "Your document was not sent" in html
    assert Consent.objects.get().status == "awaiting_document"


def test_upload_without_a_file_is_a_field_error(en, official, own):
    make_consent(own, "private_email", "awaiting_document")
    response = _as(en, official).post(upload_url("private_email"), {})
    assert response.status_code == 400
    assert "Choose the file with the signed consent form." in response.content.decode()


def test_upload_without_a_consent_is_a_message(en, official, own):
    response = _as(en, official).post(upload_url("private_email"), {"private_email-document": signed_pdf()},
                                      follow=True)
    assert "There is no consent for this yet." in response.content.decode()
    assert not Consent.objects.exists()


def test_upload_twice_is_a_message(en, official, own):
    make_consent(own, "private_email", "document_submitted")
    response = _as(en, official).post(upload_url("private_email"), {"private_email-document": signed_pdf()},
                                      follow=True)
    assert "already been sent in" in response.content.decode()


# --- the document download ---------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["handler", "official"])
def test_document_download_is_hardened_and_audited(en, request, own, persona):
    consent = make_consent(own, "private_email", "document_submitted")
    user = request.getfixturevalue(persona)
    response = _as(en, user).get(_url("consent-file", consent))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="consent_document_download", actor=user, official_id=own.pk,
                                     kind="read").exists()


def test_no_document_no_download(en, handler, own):
    consent = make_consent(own, "private_email", "awaiting_document")
    assert _as(en, handler).get(_url("consent-file", consent)).status_code == 404


# --- the queues on the home pages --------------------------------------------------------------

def test_home_panels_show_what_waits(en, handler, official, own, person):
    make_consent(own, "private_phone", "awaiting_document")
    make_consent(person, "private_email", "document_submitted")
    home = _as(en, handler).get(reverse("accounts:home")).content.decode()
    assert "1 official has given consent on the web: signed document awaited" in home
    assert "1 official has sent in a signed consent document to check" in home
    assert "?attention=document_submitted" in home
    page = en.get(reverse("officials:official-list"), {"attention": "document_submitted"}).context["page"]
    assert [o.pk for o in page] == [person.pk]
    mine = _as(en, official).get(reverse("accounts:home")).content.decode()
    assert "1 consent waits for your signed consent form" in mine
