"""officials.permissions: one place decides who may do what."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from officials import permissions
from officials.models import Consent

pytestmark = pytest.mark.django_db


def test_security_unit_manages_registry(handler, person):
    assert permissions.can_manage_registry(handler)
    assert permissions.get_official_for_user(handler, person.pk) == person
    assert "record_consent" in permissions.available_actions(person, handler)


@pytest.mark.parametrize("persona", ["official", "party_contact", "approver", "body_officer", "on_call",
                                     "admin_user"])
def test_others_do_not_manage_registry(request, person, persona):
    user = request.getfixturevalue(persona)
    assert not permissions.can_manage_registry(user)
    with pytest.raises(PermissionDenied):
        permissions.require_registry(user)
    with pytest.raises(Http404):
        permissions.get_official_for_user(user, person.pk)
    with pytest.raises(Http404):
        permissions.get_assignment_for_user(user, person.assignments.first().pk)
    assert permissions.available_actions(person, user) == frozenset()


def test_official_sees_only_their_own(official, own, person):
    assert permissions.get_own_official(official) == own
    assert "view_own" in permissions.available_actions(own, official)
    assert permissions.available_actions(person, official) == frozenset()
    assert permissions.consent_moves(official, person, "private_phone", None) == frozenset()


def test_official_consent_moves(official, own):
    def moves(status):
        consent = Consent(official=own, field="private_phone", status=status) if status else None
        return permissions.consent_moves(official, own, "private_phone", consent)

    assert moves(None) == {"give"}
    assert moves("awaiting_document") == {"upload", "withdraw"}
    assert moves("document_submitted") == {"withdraw"}
    assert moves("in_force") == {"withdraw"}
    assert moves("withdrawn") == {"give"}


def test_unit_consent_moves(handler, person):
    def moves(status):
        consent = Consent(official=person, field="private_phone", status=status) if status else None
        return permissions.consent_moves(handler, person, "private_phone", consent)

    assert moves(None) == {"give"}
    assert moves("awaiting_document") == {"record_document", "withdraw"}
    assert moves("document_submitted") == {"accept", "reject", "withdraw"}
    assert moves("in_force") == {"renew", "withdraw"}
    assert moves("replaced") == {"give"}


@pytest.mark.parametrize("persona", ["other_official", "party_contact", "approver", "admin_user", "on_call"])
def test_others_have_no_consent_moves(request, own, persona):
    user = request.getfixturevalue(persona)
    for status in (None, "awaiting_document", "document_submitted", "in_force"):
        consent = Consent(official=own, field="private_phone", status=status) if status else None
        assert permissions.consent_moves(user, own, "private_phone", consent) == frozenset()


def test_no_home_address_consent_with_protected_identity(handler, person):
    person.protected_identity = True
    assert "give" not in permissions.consent_moves(handler, person, "home_address", None)
    in_force = Consent(official=person, field="home_address", status="in_force")
    assert permissions.consent_moves(handler, person, "home_address", in_force) == {"withdraw"}
    assert "give" in permissions.consent_moves(handler, person, "private_phone", None)


def test_consent_is_seen_by_the_unit_and_the_official_only(handler, official, own, other_official, party_contact):
    from .conftest import make_consent

    consent = make_consent(own, "private_phone", "document_submitted")
    assert permissions.get_consent_for_user(handler, consent.pk, manage=True) == consent
    assert permissions.get_consent_for_user(official, consent.pk) == consent
    with pytest.raises(PermissionDenied):
        permissions.get_consent_for_user(official, consent.pk, manage=True)
    for user in (other_official, party_contact):
        with pytest.raises(Http404):
            permissions.get_consent_for_user(user, consent.pk)


def test_phone_moves_by_role(handler, official, own, party_contact):
    assert permissions.phone_moves(handler, own) == {"requested", "offered", "issued"}
    assert permissions.phone_moves(official, own) == {"requested"}
    assert permissions.phone_moves(party_contact, own) == frozenset()
    own.municipal_phone = "issued"
    assert permissions.phone_moves(official, own) == frozenset()


def test_anonymous_user_has_nothing(client, person):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not permissions.can_manage_registry(anonymous)
    assert permissions.available_actions(person, anonymous) == frozenset()
    with pytest.raises(Http404):
        permissions.get_own_official(anonymous)
