"""The one rule for published private data (issue 15 point 1): `selectors.published_fields` —
a consent in force, i.e. with its signed document recorded — and every reader goes through it.

- Every reader of published data (the contact card, the bulk cards, the CSV export, the card on
  the unit's page, the official's own "what the municipality publishes about you") shows nothing
  while a consent awaits its document, is being checked, or has ended; and shows it once in force.
- Each reader asks the rule: with the rule patched to say "nothing", a consent in force publishes
  nothing; with it patched to say "everything", every reader shows the values. A reader that
  decided by itself would fail one of the two.
- A walk over every URL of every app, as every persona, finds the private values of a consent
  awaiting its document nowhere — but on the unit's and the official's own (unpublished) views of
  the private data.
"""

import pytest
from django.template import Context, Template
from django.urls import Resolver404, resolve, reverse

from officials import selectors
from officials.models import Consent, Official
from tests.security.test_url_walk import SKIP_PREFIXES, _body, _urls

from .conftest import EMAIL, HOME, PHONE, SOCIAL, make_consent

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = (HOME, PHONE, EMAIL, SOCIAL)
FIELDS = tuple(Consent.Field.values)
NOT_PUBLISHING = ["awaiting_document", "document_submitted", "withdrawn", "replaced"]


@pytest.fixture
def subject(own):
    """The official persona's record with every private field filled in."""
    own.private_social = SOCIAL
    own.save()
    return own


def _card(html: str) -> str:
    return html.split('class="panel contact-card"')[1].split("</section>")[0]


def _readers(client, handler, official, subject):
    """Every place that shows published private data, each as a function returning its text."""

    def as_(user, url):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return _body(client.get(url))

    def fresh():
        return Official.objects.get(pk=subject.pk)

    return {
        "CSV export": lambda: as_(handler, reverse("officials:official-export")),
        "card on the unit's page (what others see)": lambda: _card(
            as_(handler, reverse("officials:official-detail", args=[subject.pk]))),
        "official's own page: what the municipality publishes": lambda: as_(official, reverse("officials:me"))
        .split('id="published-h"')[1].split("</section>")[0],
        "contact_card tag": lambda: Template("{% load officials_tags %}{% contact_card o %}")
        .render(Context({"o": fresh()})),
        "public_contacts (bulk cards)": lambda: Template(
            "{% load officials_tags %}{% for c in cards %}{% contact_card c %}{% endfor %}")
        .render(Context({"cards": selectors.public_contacts(Official.objects.filter(pk=subject.pk))})),
        "public_contact": lambda: repr(selectors.public_contact(fresh())),
        "published_private_data": lambda: repr(selectors.published_private_data(fresh())),
    }


def _shown(readers):
    return {name: [v for v in PRIVATE_VALUES if v in read()] for name, read in readers.items()}


@pytest.mark.parametrize("status", NOT_PUBLISHING)
def test_no_reader_publishes_without_the_signed_document(client, handler, official, subject, status):
    for field in FIELDS:
        make_consent(subject, field, status)
    shown = _shown(_readers(client, handler, official, subject))
    assert all(not values for values in shown.values()), shown


def test_every_reader_publishes_once_in_force(client, handler, official, subject):
    """The other side: the readers above can show the values, so their emptiness means something."""
    for field in FIELDS:
        make_consent(subject, field, "in_force")
    shown = _shown(_readers(client, handler, official, subject))
    assert all(set(values) == set(PRIVATE_VALUES) for values in shown.values()), shown


def test_every_reader_asks_the_one_rule(client, handler, official, subject, monkeypatch):
    readers = _readers(client, handler, official, subject)
    for field in FIELDS:
        make_consent(subject, field, "in_force")
    monkeypatch.setattr(selectors, "published_fields", lambda official: frozenset())
    shown = _shown(readers)
    assert all(not values for values in shown.values()), f"these readers bypass the rule: {shown}"
    Consent.objects.all().delete()
    monkeypatch.setattr(selectors, "published_fields", lambda official: frozenset(FIELDS))
    shown = _shown(readers)
    assert all(set(values) == set(PRIVATE_VALUES) for values in shown.values()), \
        f"these readers do not read through the rule: {shown}"


def test_protected_identity_is_part_of_the_rule(subject):
    make_consent(subject, "home_address", "in_force")
    make_consent(subject, "private_phone", "in_force")
    subject.protected_identity = True
    subject.save()
    assert selectors.published_fields(subject) == {"private_phone"}


# The unit's and the official's own views of the (unpublished) private data: there the values
# may appear, but never in the card of what is published.
OWN_VIEWS = {"officials:official-detail", "officials:official-update", "officials:me"}
PERSONAS = ["handler", "official", "other_official", "party_contact", "approver", "admin_user"]


def test_no_page_of_any_app_shows_unpublished_private_data(client, request, subject):
    consents = [make_consent(subject, field, status) for field, status in zip(
        FIELDS, ["awaiting_document", "document_submitted", "awaiting_document", "withdrawn"], strict=True)]
    ids = sorted({subject.pk, *(c.pk for c in consents), *subject.assignments.values_list("pk", flat=True)})
    # Django admin's "view on site" redirector (/admin/r/<type>/<id>/) is left out: it is Django's,
    # staff-only, redirects to a page walked here anyway, and parses any id as the key of any type.
    urls = [u for u in _urls(ids) if not u.startswith((*SKIP_PREFIXES, "/admin/r/"))]
    assert any(u.startswith("/officials/consents/") for u in urls), "the walk misses the consent pages"
    leaks, own_views_seen = [], set()
    for persona in PERSONAS:
        client.logout()
        client.force_login(request.getfixturevalue(persona))
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = _body(response)
            try:
                match = resolve(url.split("?")[0])
                name = f"{match.namespace}:{match.url_name}"
            except Resolver404:
                name = ""
            if name in OWN_VIEWS and persona in ("handler", "official"):
                own_views_seen.add(name)
                body = _card(body) if 'class="panel contact-card"' in body else ""
            shown = [v for v in PRIVATE_VALUES if v in body]
            if shown:
                leaks.append(f"{persona} GET {url} shows {shown}")
    assert not leaks, "\n".join(leaks)
    assert own_views_seen == OWN_VIEWS  # the walk reached the pages where a leak would show first
