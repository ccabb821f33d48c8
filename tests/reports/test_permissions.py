"""Who may export what (reports.permissions)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from reports import permissions as perms
from reports.models import Export
from tests.factories import UserFactory

from .conftest import PERIOD

pytestmark = pytest.mark.django_db


def test_administrators_and_the_security_unit_export_the_whole_municipality(admin_user, handler):
    assert perms.export_scope(admin_user) == perms.Scope(None)
    assert perms.export_scope(handler) == perms.Scope(None)


def test_a_party_contact_exports_their_own_party_only(party_contact, party):
    scope = perms.export_scope(party_contact)
    assert scope.party_id == party.pk and scope.is_party
    assert scope.covers(party.pk) and not scope.covers(None) and not scope.covers(party.pk + 1)


def test_a_party_contact_who_is_also_in_the_security_unit_exports_the_whole_municipality(party):
    user = UserFactory(username="both", roles=[Role.PARTY_CONTACT, Role.SECURITY_HANDLER])
    user.party = party
    user.save()
    assert perms.export_scope(user) == perms.Scope(None)


@pytest.mark.parametrize("persona", ["official", "approver", "body_officer", "on_call"])
def test_other_roles_may_not_export(request, persona):
    user = request.getfixturevalue(persona)
    assert perms.export_scope(user) is None
    with pytest.raises(PermissionDenied):
        perms.require_scope(user)


def test_an_inactive_administrator_may_not_export(admin_user):
    admin_user.is_active = False
    admin_user.save()
    assert perms.export_scope(admin_user) is None


def test_an_export_is_fetched_only_by_its_requester(admin_user, handler):
    export = Export.objects.create(requested_by=admin_user, kind="pdf", period_start=PERIOD.start,
                                   period_end=PERIOD.end)
    assert perms.get_export_for_user(admin_user, export.pk) == export
    with pytest.raises(Http404):
        perms.get_export_for_user(handler, export.pk)
