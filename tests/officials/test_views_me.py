""""My data and consents": the official sees their own data and manages their consents."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, OutboxMessage
from officials.models import Official

from .conftest import EMAIL, HOME, PHONE, make_consent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ME = reverse("officials:me")


def give_url(field):
    return reverse("officials:me-consent-give", args=[field])


def withdraw_url(field):
    return reverse("officials:me-consent-withdraw", args=[field])


def upload_url(field):
    return reverse("officials:me-consent-upload", args=[field])


@pytest.fixture
def en(client_for, official):
    client = client_for(official)
    client.cookies["django_language"] = "en"
    return client


# --- access ------------------------------------------------------------------------------------

def test_official_opens_own_page(en, own):
    response = en.get(ME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anna Lindqvist" in html and HOME in html and PHONE in html
    assert AuditEvent.objects.filter(action="official_view_own", official_id=own.pk, kind="read").exists()


def test_anonymous_me_goes_to_login(client):
    for url in (ME, give_url("private_phone"), withdraw_url("private_phone"), reverse("officials:me-phone")):
        response = client.post(url) if url != ME else client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["handler", "party_contact", "admin_user"])
def test_users_without_an_official_record_get_404(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(ME).status_code == 404
    assert client.post(give_url("private_phone"), {}).status_code == 404
    assert client.post(withdraw_url("private_phone")).status_code == 404
    assert client.post(reverse("officials:me-phone"), {"to": "requested"}).status_code == 404


def test_official_role_is_required_even_when_linked(client_for, own, official):
    official.groups.clear()
    official.__dict__.pop("roles", None)
    assert client_for(official).get(ME).status_code == 404


def test_actions_are_post_only(en, own):
    assert en.get(give_url("private_phone")).status_code == 405
    assert en.get(withdraw_url("private_phone")).status_code == 405
    assert en.get(reverse("officials:me-phone")).status_code == 405


def test_unknown_field_is_404(en, own):
    assert en.post(give_url("password"), {}).status_code == 404


def test_other_officials_data_never_shown(en, own, other_official):
    other = other_official.official
    other.private_phone = "076-5554433"
    other.save()
    html = en.get(ME).content.decode()
    assert "Erik" not in html and "076-5554433" not in html


# --- content -----------------------------------------------------------------------------------

def test_page_shows_assignments_and_publication(en, own):
    make_consent(own, "private_email", "in_force", document_reference="D-1")
    html = en.get(ME).content.decode()
    assert "Your current assignments" in html
    assert "What the municipality publishes about you" in html
    card = html.split('class="panel contact-card"')[1].split("</section>")[0]
    assert EMAIL in card and PHONE not in card and HOME not in card


def test_page_shows_consent_history(en, own):
    make_consent(own, "private_phone", "replaced", decided_on=dt.date(2026, 1, 5))
    make_consent(own, "private_phone", "withdrawn", decided_on=dt.date(2026, 2, 5), withdrawn_on=dt.date(2026, 3, 1))
    html = en.get(ME).content.decode()
    assert "History (2 consents)" in html and "Given 5 January 2026" in html and "Withdrawn 1 March 2026" in html
    assert "Replaced by a renewed consent" in html


def test_protected_identity_hides_home_address_consent(en, own):
    Official.objects.filter(pk=own.pk).update(protected_identity=True)
    html = en.get(ME).content.decode()
    assert "your home address is never published" in html
    assert give_url("home_address") not in html


# --- giving and withdrawing --------------------------------------------------------------------

def test_give_consent(en, own):
    response = en.post(give_url("private_phone"), {"private_phone-decided_on": TODAY.isoformat(),
                                                   "private_phone-signed_confirmed": "on"})
    assert response.status_code == 302 and response.url.endswith("#consent-private_phone")
    consent = own.consents.get()
    assert consent.status == "awaiting_document" and consent.field == "private_phone"
    assert consent.recorded_by == own.user
    html = en.get(ME).content.decode()
    assert "Signed document awaited" in html and "Not published yet" in html
    assert withdraw_url("private_phone") in html and upload_url("private_phone") in html
    card = html.split('class="panel contact-card"')[1].split("</section>")[0]
    assert PHONE not in card  # ticking "I have signed, or will sign" publishes nothing


def test_give_consent_needs_confirmation_error_tied_to_field(en, own):
    response = en.post(give_url("private_phone"), {"private_phone-decided_on": TODAY.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_private_phone-signed_confirmed_error"' in html
    assert 'aria-describedby="id_private_phone-signed_confirmed_error"' in html
    assert "Confirm that you have signed or will sign the written consent." in html
    assert not own.consents.exists()


def test_give_consent_future_date_error(en, own):
    future = (TODAY + dt.timedelta(days=5)).isoformat()
    response = en.post(give_url("private_email"), {"private_email-decided_on": future,
                                                   "private_email-signed_confirmed": "on"})
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert f'value="{future}"' in response.content.decode()  # what was typed is kept


def test_give_consent_twice_shows_error(en, own):
    data = {"private_phone-decided_on": TODAY.isoformat(), "private_phone-signed_confirmed": "on"}
    en.post(give_url("private_phone"), data)
    response = en.post(give_url("private_phone"), data, follow=True)
    assert "Consent to publish this is already given." in response.content.decode()
    assert own.consents.count() == 1


def test_give_consent_swedish_error(client_for, official, own):
    response = client_for(official).post(give_url("private_phone"), {"private_phone-decided_on": "nonsense"})
    assert response.status_code == 400
    assert 'lang="sv"' in response.content.decode()


def test_withdraw_consent_is_immediate(en, own):
    make_consent(own, "private_phone", "in_force")
    assert PHONE in en.get(ME).content.decode().split('class="panel contact-card"')[1].split("</section>")[0]
    response = en.post(withdraw_url("private_phone"))
    assert response.status_code == 302
    latest = own.consents.get()
    assert latest.status == "withdrawn" and latest.withdrawn_on == TODAY
    card = en.get(ME).content.decode().split('class="panel contact-card"')[1].split("</section>")[0]
    assert PHONE not in card


def test_withdraw_without_consent_shows_message(en, own):
    response = en.post(withdraw_url("private_phone"), follow=True)
    assert "There is no consent to withdraw." in response.content.decode()
    assert not own.consents.exists()


# --- municipal phone ---------------------------------------------------------------------------

def test_request_municipal_phone(en, own):
    response = en.post(reverse("officials:me-phone"), {"to": "requested"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.municipal_phone == "requested"
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("to", ["issued", "offered", "none", "nonsense"])
def test_official_cannot_make_unit_moves(en, own, to):
    response = en.post(reverse("officials:me-phone"), {"to": to}, follow=True)
    assert "That is not possible for your municipal phone right now." in response.content.decode()
    own.refresh_from_db()
    assert own.municipal_phone == "none"


def test_official_declines_offer(en, own):
    Official.objects.filter(pk=own.pk).update(municipal_phone="offered")
    html = en.get(ME).content.decode()
    assert "Accept the offered phone" in html and "Decline the offer" in html
    en.post(reverse("officials:me-phone"), {"to": "declined"})
    own.refresh_from_db()
    assert own.municipal_phone == "declined"
