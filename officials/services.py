"""Every write to the officials registry. Audited; private values never enter the audit row."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_change

from . import permissions
from .models import Assignment, Body, Consent, Official, Party
from .signals import responsibility_ended

EDITABLE_FIELDS = (
    "first_name", "last_name", "user", "work_email", "work_phone", "gender", "birth_year", "protected_identity",
    "home_address", "private_phone", "private_email", "private_social", "municipal_phone",
    "municipal_phone_number",
)


class InvalidTransition(ValidationError):
    """A move the workflow does not allow from the current state. A ValidationError, so that a
    form shows it as a translated error instead of a server error."""


@transaction.atomic
def official_create(*, actor, first_name: str, last_name: str, party: Party | None = None, user=None,
                    **fields) -> Official:
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
def official_update(*, actor, official: Official, **fields) -> list[str]:
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
def official_change_party(*, actor, official: Official, party: Party | None) -> Official:
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
def assignment_add(*, actor, official: Official, body: Body, role: str, start: date, share_percent: int = 0,
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
def assignment_end(*, actor, assignment: Assignment, end: date) -> Assignment:
    """End an assignment on `end` (its last day). When it was the official's last and that day has
    come, the municipality's responsibility ends (see `official_responsibility_end`); an end
    recorded in advance is picked up by the daily planner once the day has passed."""
    assignment = Assignment.objects.select_for_update().select_related("official").get(pk=assignment.pk)
    today = timezone.localdate()
    if assignment.end is not None and assignment.end < today:
        raise InvalidTransition(_("This assignment has already ended."))
    if end < assignment.start:
        raise ValidationError({"end": _("The end cannot be before the start (%(start)s).")
                               % {"start": assignment.start.isoformat()}})
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
def official_responsibility_end(*, actor, official: Official, on: date) -> bool:
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


def plan_responsibility_ended(today: date, policy) -> list[str]:
    """Planner step: officials whose last assignment ended before today and who were not yet
    marked (an end recorded in advance). Idempotent."""
    due = (Official.objects.filter(responsibility_ended_on__isnull=True, assignments__isnull=False)
           .exclude(id__in=Assignment.objects.filter(Q(end__isnull=True) | Q(end__gte=today))
                    .values("official_id"))
           .distinct())
    done = []
    for official in due:
        last_end = max(a.end for a in official.assignments.all())
        if official_responsibility_end(actor=None, official=official, on=last_end):
            done.append(f"responsibility ended: official {official.pk}")
    return done


@transaction.atomic
def consent_record(*, actor, official: Official, field: str, given: bool, decided_on: date | None = None,
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
                                      "published, so no consent is recorded for it."))
        if given:
            raise InvalidTransition(_("Consent to publish this is already given."))
        raise InvalidTransition(_("There is no consent in force to withdraw."))
    decided_on = decided_on or timezone.localdate()
    errors = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif in_force is not None and decided_on < in_force.decided_on:
        errors["decided_on"] = _("The date cannot be before the decision now in force (%(date)s).") % {
            "date": in_force.decided_on.isoformat()}
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
def municipal_phone_change(*, actor, official: Official, to: str, number: str = "") -> Official:
    """Move the official's municipal phone along `permissions.PHONE_TRANSITIONS`. Issuing needs
    the number; returning the phone (issued → none) clears it. The number is the municipality's,
    not private data. When the official asks for a phone the security unit is told."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = official.municipal_phone
    if to not in Official.MunicipalPhone.values:
        raise ValidationError({"to": _("Choose a valid state.")})
    if to not in permissions.PHONE_TRANSITIONS.get(before, frozenset()):
        raise InvalidTransition(_("The municipal phone cannot go from “%(from)s” to “%(to)s”.") % {
            "from": Official.MunicipalPhone(before).label, "to": Official.MunicipalPhone(to).label})
    if to not in permissions.phone_moves(actor, official):
        raise PermissionDenied
    number = number.strip()
    if to == Official.MunicipalPhone.ISSUED and not number:
        raise ValidationError({"number": _("Give the number of the phone that was issued.")})
    official.municipal_phone = to
    if to == Official.MunicipalPhone.ISSUED:
        official.municipal_phone_number = number
    elif to == Official.MunicipalPhone.NONE:
        official.municipal_phone_number = ""
    official.full_clean()
    official.save(update_fields=["municipal_phone", "municipal_phone_number", "updated_at"])
    audit_change(actor=actor, action="municipal_phone_change", obj=official, from_state=before, to_state=to)
    if to == Official.MunicipalPhone.REQUESTED and permissions.is_own_official(actor, official):
        _notify_unit_of_phone_request(official)
    return official


def _notify_unit_of_phone_request(official: Official) -> None:
    from django.urls import reverse

    from accounts.models import Policy
    from core.notify import notify

    policy = Policy.current()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("An official asks for a municipal phone")
        body = _("%(name)s asks for a municipal phone and number tied to the assignment.\n"
                 "Open the registry to offer or issue one: %(path)s") % {
            "name": official.full_name, "path": reverse("officials:official-detail", args=[official.pk])}
    notify([policy.unit_email], subject, body)
