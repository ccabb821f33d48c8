"""Reads for account security: the audit trail for the security unit, "who has read my data"
for an official, and the second-factor status of staff for the administrator."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import hooks
from core.audit import actions_matching
from core.models import AuditEvent

from .models import User
from .roles import PROPOSING_ROLES, STAFF_ROLES, Role

# ---------------------------------------------------------------- the audit trail


@cache
def _object_type_names() -> dict[str, Any]:
    """Model label -> verbose name (lazy: translated when shown), for Värn's own models: the
    audit trail is about them (the libraries' models — sessions, devices, lockouts — never are)."""
    base = Path(settings.BASE_DIR).resolve()
    return {m._meta.label_lower: m._meta.verbose_name for m in apps.get_models()
            if Path(m._meta.app_config.path).resolve().is_relative_to(base)}


def object_type_choices() -> list[tuple[str, str]]:
    """Every model as (label, name) for the object-type filter: known without a query. The name
    only, as people read it; two models of one name are told apart by their app's name."""
    names = {label: str(name).capitalize() for label, name in _object_type_names().items()}
    counts = Counter(names.values())
    shown = {label: name if counts[name] == 1 else f"{name} ({apps.get_app_config(label.split('.')[0]).verbose_name})"
             for label, name in names.items()}
    return sorted(shown.items(), key=lambda choice: choice[1].lower())


def object_type_label(label: str) -> str:
    return str(_object_type_names().get(label, label))


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(*, actor: str = "", kind: str = "", action: str = "", object_type: str = "",
                 object_id: str = "", case_id: int | None = None, official_id: int | None = None,
                 date_from: dt.date | None = None, date_to: dt.date | None = None) -> QuerySet[AuditEvent]:
    """Audit rows, newest first, filtered. `actor` matches a username or name (every word);
    the dates are whole days in the municipality's time zone, both included."""
    qs = AuditEvent.objects.select_related("actor").order_by("-created_at", "-id")
    for word in actor.split()[:5]:
        qs = qs.filter(Q(actor__username__iexact=word) | Q(actor__first_name__icontains=word)
                       | Q(actor__last_name__icontains=word))
    if kind:
        qs = qs.filter(kind=kind)
    if action:  # the words people see (the label, in the active language) or the code
        qs = qs.filter(Q(action__icontains=action) | Q(action__in=actions_matching(action)))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if official_id is not None:
        qs = qs.filter(official_id=official_id)
    if date_from is not None:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(created_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs


# ---------------------------------------------------------------- who has read my data


@dataclass(frozen=True)
class ReadRow:
    when: dt.datetime
    who: str
    roles: str
    action: str
    what: str


def reads_of_official(official_id: int, *, exclude_actor: User | None = None) -> QuerySet[AuditEvent]:
    """Audit read rows about the official's own data and cases: rows tied to the official, and
    rows tied to one of their cases (the apps that hold cases say which, through
    `core.hooks.register_official_audit_scope`) unless tied to another official. The official's own reads
    are left out when `exclude_actor` is the official's user. Readers' roles are prefetched."""
    about = Q(official_id=official_id)
    for scope in hooks.official_audit_scopes():
        about |= scope(official_id) & Q(official_id__isnull=True)
    qs = AuditEvent.objects.filter(kind=AuditEvent.Kind.READ).filter(about)
    if exclude_actor is not None:
        qs = qs.exclude(actor=exclude_actor)
    return qs.select_related("actor").prefetch_related(
        Prefetch("actor__groups")
    ).order_by("-created_at", "-id")


def _role_names(user: User | None) -> str:
    if user is None:
        return _("The system")
    roles = [r for r in Role if r in user.roles]
    shown = [r for r in roles if r != Role.OFFICIAL] or roles
    return ", ".join(str(r.label) for r in shown)


def describe_read(event: AuditEvent) -> ReadRow:
    """One read as the official sees it: when, who (name), in which role, what they did (the
    action's label), and what they read."""
    if event.case_id:
        what = _("Your case C-%(number)05d (%(object)s)") % {
            "number": event.case_id, "object": object_type_label(event.object_type)}
    elif event.object_type == "officials.official":
        what = _("Your details in the registry of officials")
    else:
        what = _("Your data (%(object)s)") % {"object": object_type_label(event.object_type)}
    who = event.actor.display_name() if event.actor is not None else _("The system")
    return ReadRow(when=event.created_at, who=who, roles=_role_names(event.actor), action=event.action_label, what=what)


# ---------------------------------------------------------------- second factor of staff


def two_factor_users(*, search: str = "") -> QuerySet[User]:
    """Active users who hold a staff role, may use the admin site, or have a second factor, with
    their 2FA status:
    `has_totp` (a confirmed authenticator), `pending_totp` (enrolment started),
    `codes_left` (unused recovery codes) and `last_used` (last successful code)."""
    membership = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name__in=STAFF_ROLES)
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)
    pending = TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=False)
    codes = (StaticToken.objects.filter(device__user_id=OuterRef("pk"), device__confirmed=True)
             .order_by().values("device__user_id").annotate(n=Count("pk")).values("n"))
    last_used = (TOTPDevice.objects.filter(user_id=OuterRef("pk")).order_by()
                 .values("user_id").annotate(m=Max("last_used_at")).values("m"))
    qs = (User.objects.filter(is_active=True)
          .annotate(is_staff_member=Exists(membership), has_totp=Exists(confirmed), pending_totp=Exists(pending),
                    codes_left=Coalesce(Subquery(codes), 0), last_used=Subquery(last_used))
          .filter(Q(is_staff_member=True) | Q(is_staff=True) | Q(is_superuser=True) | Q(has_totp=True)
                  | Q(pending_totp=True))
          .prefetch_related("groups")
          .order_by("last_name", "first_name", "username"))
    for word in search.split()[:5]:
        qs = qs.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return qs


def role_names(user: User) -> str:
    """The user's roles as words, in the order of `Role`."""
    return ", ".join(str(r.label) for r in Role if r in user.roles)


# ---------------------------------------------------------------- the policy's approval chain


def approval_gaps(policy: Any) -> list[str]:
    """Why proposed measures could not be decided under `policy` as the accounts stand now, for
    the administrator's warnings (empty when someone can decide every proposal): nobody active
    holds the deciding role, or its only holder also proposes (and never decides their own)."""
    role = str(policy.approver_role)
    label = str(Role(role).label) if role in Role.values else role
    holders = list(User.objects.filter(groups__name=role, is_active=True).distinct()
                   .prefetch_related("groups")[:2])
    if not holders:
        return [_("No active user holds the role “%(role)s”, which decides on measures under the active policy "
                  "(%(title)s): proposed measures cannot be decided. Give the role to someone in Users.")
                % {"role": label, "title": policy.approver_title}]
    if len(holders) == 1 and holders[0].roles & PROPOSING_ROLES:
        return [_("Only %(name)s holds the role “%(role)s”, which decides on measures (%(title)s), and also "
                  "proposes measures: their own proposals cannot be decided (four eyes). Give the role to one more "
                  "person.") % {"name": holders[0].display_name(), "role": label, "title": policy.approver_title}]
    return []
