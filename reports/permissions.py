"""Who may make and fetch follow-up reports — the ONE place for these rules.

* Administrators and the security unit export the report for the whole municipality.
* A party security contact (role party_contact with `user.party` set) exports the party version:
  the same report for the members of their own party only. The scope is read from the role and
  party on every request, never from what the browser sends.
* Everyone else gets 403 on every page of the app.
* An export is fetched (progress page, status, download) only by the person who asked for it,
  and only while they may still export that scope: a party contact who has moved to another
  party or lost the role no longer reaches the old party's file. Everyone else — administrators
  included — gets 404: the file was made for one person's request and is audited as theirs; an
  administrator who needs the figures makes their own export.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from accounts.roles import Role

from .models import Export


@dataclass(frozen=True)
class Scope:
    """What a person's exports cover: the whole municipality (`party_id` None) or one party."""

    party_id: int | None
    party_name: str = ""

    @property
    def is_party(self) -> bool:
        return self.party_id is not None

    def covers(self, party_id: int | None) -> bool:
        return self.party_id is None or self.party_id == party_id


def _active(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def export_scope(user: User | AnonymousUser | None) -> Scope | None:
    """The widest scope the person may export, or None when they may not export at all."""
    if not _active(user):
        return None
    if user.has_role(Role.ADMINISTRATOR, Role.SECURITY_HANDLER):
        return Scope(None)
    if user.has_role(Role.PARTY_CONTACT) and user.party is not None:
        return Scope(user.party.pk, user.party.name)
    return None


def can_export(user: User | AnonymousUser | None) -> bool:
    return export_scope(user) is not None


def require_scope(user: User | AnonymousUser | None) -> Scope:
    """The person's scope; 403 when they may not export."""
    scope = export_scope(user)
    if scope is None:
        raise PermissionDenied
    return scope


def get_export_for_user(user: User, pk: int) -> Export:
    """An export the person may see and download: 403 without the right to export, 404 for an
    export that is not theirs or no longer within their scope."""
    scope = require_scope(user)
    export = Export.objects.select_related("party", "requested_by").filter(pk=pk, requested_by=user).first()
    if export is None or not scope.covers(export.party_id):
        raise Http404
    return export
