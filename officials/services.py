"""Every write to the officials registry. Audited; private values never enter the audit row."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from core.audit import audit_change
from core.dates import format_date
from core.notify import absolute_url, tell
from core.workflow import InvalidTransition, transition

from . import permissions
from .models import (
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    CONSENT_WORKFLOW,
    PHONE_WORKFLOW,
    Assignment,
    Body,
    Consent,
    Official,
    Party,
    consent_state,
)
from .signals import responsibility_ended

EDITABLE_FIELDS = (
    "first_name", "last_name", "user", "work_email", "work_phone", "gender", "birth_year", "protected_identity",
    "home_address", "private_phone", "private_email", "private_social", "municipal_phone",
    "municipal_phone_number",
)


@transaction.atomic
def official_create(*, actor: User | None, first_name: str, last_name: str, party: Party | None = None,
                    user: User | None = None, **fields: Any) -> Official:
    official = Official(first_name=first_name, last_name=last_name, party=party, user=user)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS or name == "user":
            raise TypeError(f"official_create() got an unexpected field {name!r}")
        setattr(official, name, value)
    official.full_clean()
    official.save()
    audit_change(actor=actor, action="official_create", obj=official)
    return official


@transaction.atomic
def official_update(*, actor: User | None, official: Official, **fields: Any) -> list[str]:
    """Change the given fields; returns the names of those that changed (names only are audited)."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    changed = []
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"official_update() got an unexpected field {name!r}")
        if getattr(official, name) != value:
            setattr(official, name, value)
            changed.append(name)
    if changed:
        official.full_clean()
        official.save(update_fields=[*changed, "updated_at"])
        audit_change(actor=actor, action="official_update", obj=official, reason=", ".join(changed))
    return changed


@transaction.atomic
def official_change_party(*, actor: User | None, official: Official, party: Party | None) -> Official:
    """Move an official to another party (or none). Party contacts of the old party lose access
    to the official's cases from this moment: access is derived from the current party."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = official.party.abbreviation if official.party else ""
    if official.party_id == (party.pk if party else None):
        return official
    official.party = party
    official.save(update_fields=["party", "updated_at"])
    audit_change(actor=actor, action="official_change_party", obj=official, from_state=before,
                 to_state=party.abbreviation if party else "")
    return official


@transaction.atomic
def assignment_add(*, actor: User | None, official: Official, body: Body, role: str, start: date, share_percent: int = 0,
                   end: date | None = None) -> Assignment:
    if end is not None and end < start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    assignment = Assignment(official=official, body=body, role=role, share_percent=share_percent, start=start,
                            end=end)
    assignment.full_clean()
    assignment.save()
    audit_change(actor=actor, action="assignment_add", obj=assignment, official_id=official.pk,
                 to_state=f"{role}@{body.pk}")
    today = timezone.localdate()
    if end is None or end >= today:
        # A new assignment: the municipality is responsible again.
        locked = Official.objects.select_for_update().get(pk=official.pk)
        if locked.responsibility_ended_on is not None:
            locked.responsibility_ended_on = None
            locked.save(update_fields=["responsibility_ended_on", "updated_at"])
            audit_change(actor=actor, action="official_responsibility_resume", obj=locked,
                         from_state="ended", to_state="active")
    return assignment


@transaction.atomic
def assignment_end(*, actor: User | None, assignment: Assignment, end: date) -> Assignment:
    """End an assignment on `end` (its last day). When it was the official's last and that day has
    come, the municipality's responsibility ends (see `official_responsibility_end`); an end
    recorded in advance is picked up by the daily planner once the day has passed."""
    assignment = Assignment.objects.select_for_update().select_related("official").get(pk=assignment.pk)
    today = timezone.localdate()
    if assignment.end is not None and assignment.end < today:
        raise InvalidTransition(_("This assignment has already ended."))
    if end < assignment.start:
        raise ValidationError({"end": _("The end cannot be before the start (%(start)s).")
                               % {"start": format_date(assignment.start)}})
    before = assignment.end.isoformat() if assignment.end else ""
    assignment.end = end
    assignment.full_clean()
    assignment.save(update_fields=["end"])
    audit_change(actor=actor, action="assignment_end", obj=assignment, official_id=assignment.official_id,
                 from_state=before, to_state=end.isoformat())
    official = assignment.official
    if end <= today and not _has_assignment_after(official, end):
        official_responsibility_end(actor=actor, official=official, on=end)
    return assignment


def _has_assignment_after(official: Official, day: date) -> bool:
    return Assignment.objects.filter(official=official).filter(Q(end__isnull=True) | Q(end__gt=day)).exists()


@transaction.atomic
def official_responsibility_end(*, actor: User | None, official: Official, on: date) -> bool:
    """The official's last assignment has ended: mark it once and send `responsibility_ended`
    (receivers review and end open measures and tell the official). Idempotent; returns whether
    it was sent now."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    if official.responsibility_ended_on is not None or _has_assignment_after(official, on):
        return False
    if not Assignment.objects.filter(official=official).exists():
        return False
    official.responsibility_ended_on = on
    official.save(update_fields=["responsibility_ended_on", "updated_at"])
    audit_change(actor=actor, action="official_responsibility_end", obj=official, from_state="active",
                 to_state="ended")
    transaction.on_commit(lambda: responsibility_ended.send(sender=Official, official=official, actor=actor))
    return True


def plan_responsibility_ended(today: date, policy: Policy) -> list[str]:
    """Planner step: officials whose last assignment ended before today and who were not yet
    marked (an end recorded in advance). Idempotent."""
    due = (Official.objects.filter(responsibility_ended_on__isnull=True, assignments__isnull=False)
           .exclude(id__in=Assignment.objects.filter(Q(end__isnull=True) | Q(end__gte=today))
                    .values("official_id"))
           .distinct())
    done = []
    for official in due:
        last_end = max(a.end for a in official.assignments.all() if a.end is not None)  # all have ended
        if official_responsibility_end(actor=None, official=official, on=last_end):
            done.append(f"responsibility ended: official {official.pk}")
    return done


@transaction.atomic
def consent_record(*, actor: User | None, official: Official, field: str, given: bool, decided_on: date | None = None,
                   document_reference: str = "", signed_confirmed: bool = False) -> Consent:
    """Record that consent to publish one private field was given or withdrawn.

    Giving needs written consent: the signed document's reference, or the official's confirmation
    that they have signed or will sign it (the security unit then adds the reference by recording
    the consent again). Withdrawing takes effect at once. The date may not lie in the future nor
    before the decision now in force."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    if field not in Consent.Field.values:
        raise ValidationError({"field": _("Choose one of the private fields.")})
    in_force = official.consents.filter(field=field).order_by("-created_at", "-id").first()
    moves = permissions.consent_moves(actor, official, field, in_force)
    move = "give" if given else "withdraw"
    if move not in moves:
        if actor is not None and not (permissions.can_manage_registry(actor)
                                      or permissions.is_own_official(actor, official)):
            raise PermissionDenied
        if given and field == Consent.Field.HOME_ADDRESS and official.protected_identity:
            raise InvalidTransition(_("The home address of someone with protected personal data is never "
                                      "published, so no consent is recorded for it."), code="invalid_transition")
        state, target = consent_state(in_force), CONSENT_GIVEN if given else CONSENT_WITHDRAWN
        CONSENT_WORKFLOW.check(state, target)
        # The workflow allows it, but not to the official: renewing a consent in force is the unit's.
        raise InvalidTransition(_("Consent to publish this is already given."), code="invalid_transition")
    decided_on = decided_on or timezone.localdate()
    errors = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif in_force is not None and decided_on < in_force.decided_on:
        errors["decided_on"] = _("The date cannot be before the decision now in force (%(date)s).") % {
            "date": format_date(in_force.decided_on)}
    document_reference = document_reference.strip()
    if given and not document_reference and not signed_confirmed:
        errors["document_reference"] = _("Give the signed consent document's reference.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(official=official, field=field, given=given, decided_on=decided_on,
                      document_reference=document_reference,
                      recorded_by=actor if getattr(actor, "is_authenticated", False) else None)
    consent.full_clean()
    consent.save()
    audit_change(actor=actor, action="consent_record", obj=consent, official_id=official.pk,
                 from_state=f"{field}:{'given' if in_force and in_force.given else 'none'}",
                 to_state=f"{field}:{'given' if given else 'withdrawn'}")
    return consent


@transaction.atomic
def municipal_phone_change(*, actor: User | None, official: Official, to: str, number: str = "") -> Official:
    """Move the official's municipal phone along `PHONE_WORKFLOW`. Issuing needs the number;
    returning the phone (issued → none) clears it. The number is the municipality's, not private
    data. When the official asks for a phone the security unit is told."""
    if to not in Official.MunicipalPhone.values:
        raise ValidationError({"to": _("Choose a valid state.")})
    number = number.strip()

    def set_number(locked: Official, from_state: str) -> list[str]:
        if to == Official.MunicipalPhone.ISSUED:
            if not number:
                raise ValidationError({"number": _("Give the number of the phone that was issued.")})
            locked.municipal_phone_number = number
        elif to == Official.MunicipalPhone.NONE:
            locked.municipal_phone_number = ""
        return ["municipal_phone_number"]

    def tell_unit(locked: Official, from_state: str) -> None:
        if to == Official.MunicipalPhone.REQUESTED and permissions.is_own_official(actor, locked):
            _tell_unit_of_phone_request(locked)

    return transition(official, PHONE_WORKFLOW, to, actor=actor, action="municipal_phone_change",
                      field_name="municipal_phone", authorize=lambda o: permissions.require_phone_move(actor, o, to),
                      update=set_number, notify=tell_unit)


def _tell_unit_of_phone_request(official: Official) -> None:
    """The security unit's mailbox (no account, so the site's language): a link, no private data."""
    tell([Policy.current().unit_email],
         lambda: _("An official asks for a municipal phone"),
         lambda: _("%(name)s asks for a municipal phone and number tied to the assignment.\n"
                   "Open the registry to offer or issue one: %(path)s") % {
             "name": official.full_name, "path": absolute_url("officials:official-detail", official.pk)})
