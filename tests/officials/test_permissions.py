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
    assert permissions.consent_moves(official, own, "private_phone", None) == {"give"}
    given = Consent(official=own, field="private_phone", given=True)
    assert permissions.consent_moves(official, own, "private_phone", given) == {"withdraw"}


def test_handler_may_renew_a_given_consent(handler, person):
    given = Consent(official=person, field="private_phone", given=True)
    assert permissions.consent_moves(handler, person, "private_phone", given) == {"give", "withdraw"}


def test_no_home_address_consent_with_protected_identity(handler, person):
    person.protected_identity = True
    assert "give" not in permissions.consent_moves(handler, person, "home_address", None)
    assert "give" in permissions.consent_moves(handler, person, "private_phone", None)


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
