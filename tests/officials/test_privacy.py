"""Private data: encrypted at rest, and shown to others only with consent in force."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from officials import selectors
from officials.models import Consent, Official

from .conftest import EMAIL, HOME, PHONE, SOCIAL, make_consent

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PRIVATE_VALUES = (HOME, PHONE, EMAIL, SOCIAL)


def render_card(official):
    return Template("{% load officials_tags %}{% contact_card official %}").render(Context({"official": official}))


def test_private_fields_are_stored_encrypted(person):
    with connection.cursor() as cursor:
        cursor.execute("SELECT home_address, private_phone, private_email, private_social FROM officials_official "
                       "WHERE id = %s", [person.pk])
        raw = cursor.fetchone()
    for stored, plain in zip(raw, PRIVATE_VALUES, strict=True):
        assert stored and plain not in stored and stored.startswith("gAAAA")  # a Fernet token
    fresh = Official.objects.get(pk=person.pk)
    assert (fresh.home_address, fresh.private_phone, fresh.private_email, fresh.private_social) == PRIVATE_VALUES


def test_no_table_holds_plaintext(person):
    """Scan every text column of the officials table for the values."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM officials_official WHERE id = %s", [person.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    for value in PRIVATE_VALUES:
        assert value not in row


def test_private_fields_without_consent_appear_nowhere_for_others(client_for, handler, person):
    client = client_for(handler)
    pages = {
        "list": client.get(reverse("officials:official-list")).content.decode(),
        "search": client.get(reverse("officials:official-list"), {"q": "Maja"}).content.decode(),
        "export": client.get(reverse("officials:official-export")).content.decode(),
        "card": render_card(person),
        "card (bulk)": Template("{% load officials_tags %}{% for c in cards %}{% contact_card c %}{% endfor %}")
        .render(Context({"cards": selectors.public_contacts(Official.objects.all())})),
    }
    for name, html in pages.items():
        assert "Maja" in html, name  # the official is there …
        for value in PRIVATE_VALUES:
            assert value not in html, f"{value} leaked in {name}"  # … their private data is not


def test_consent_in_force_publishes_only_that_field(client_for, handler, person):
    make_consent(person, "private_email", "in_force")
    export = client_for(handler).get(reverse("officials:official-export")).content.decode()
    card = render_card(person)
    for html in (export, card):
        assert EMAIL in html
        assert HOME not in html and PHONE not in html and SOCIAL not in html
    # The list shows no private data at all, consent or not.
    assert EMAIL not in client_for(handler).get(reverse("officials:official-list")).content.decode()


def test_withdrawn_consent_stops_publication(person):
    consent = make_consent(person, "private_phone", "in_force", decided_on=dt.date(2026, 1, 1))
    assert PHONE in render_card(person)
    Consent.objects.filter(pk=consent.pk).update(status="withdrawn", withdrawn_on=dt.date(2026, 2, 1))
    assert PHONE not in render_card(Official.objects.get(pk=person.pk))


def test_home_address_never_published_with_protected_identity(person):
    make_consent(person, "home_address", "in_force")
    assert HOME in render_card(person)
    person.protected_identity = True
    person.save()
    assert HOME not in render_card(Official.objects.get(pk=person.pk))
    assert "home_address" not in selectors.published_private_data(person)


def test_municipal_phone_number_shown_only_when_issued(person):
    person.municipal_phone_number = "08-555 000"
    person.municipal_phone = Official.MunicipalPhone.DECLINED
    person.save()
    assert "08-555 000" not in render_card(person)
    person.municipal_phone = Official.MunicipalPhone.ISSUED
    person.save()
    assert "08-555 000" in render_card(person)


def test_private_data_never_in_urls_or_audit(client_for, handler, person):
    client = client_for(handler)
    html = client.get(reverse("officials:official-detail", args=[person.pk])).content.decode()
    import re

    for href in re.findall(r'href="([^"]+)"', html):
        for value in PRIVATE_VALUES:
            assert value not in href
    client.post(reverse("officials:official-update", args=[person.pk]), {
        "first_name": "Maja", "last_name": "Ström", "home_address": "Annan väg 9", "private_phone": PHONE,
        "private_email": EMAIL, "private_social": SOCIAL,
    })
    from core.models import AuditEvent

    for row in AuditEvent.objects.all():
        text = f"{row.reason}{row.from_state}{row.to_state}"
        assert "Annan väg" not in text and HOME not in text
