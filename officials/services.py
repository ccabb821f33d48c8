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
from .documents import check_document
from .models import (
    CONSENT_NONE,
    CONSENT_WORKFLOW,
    PHONE_WORKFLOW,
    STAFF_ROLES,
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
                   end: date | None = None, designated_by_party: bool = False) -> Assignment:
    if end is not None and end < start:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if designated_by_party and role in STAFF_ROLES:
        raise ValidationError({"designated_by_party": _("A secretary's assignment cannot be designated as "
                                                        "specially remunerated.")})
    assignment = Assignment(official=official, body=body, role=role, share_percent=share_percent, start=start,
                            end=end, designated_by_party=designated_by_party)
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


@transaction.atomic
def assignment_designate(*, actor: User, assignment: Assignment, designated: bool) -> Assignment:
    """Record that the party has designated the assignment as specially remunerated (Stockholm:
    group leaders, the council's presidium), or no longer does: it then covers its holder under
    KL 4:18a whatever its share of full time (`models.COVERING`)."""
    if not permissions.can_manage_registry(actor):
        raise PermissionDenied
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.end is not None and assignment.end < timezone.localdate():
        raise InvalidTransition(_("This assignment has already ended."))
    if assignment.designated_by_party == designated:
        raise InvalidTransition(_("The assignment is already designated by the party.") if designated
                                else _("The assignment is not designated by the party."))
    if designated and assignment.role in STAFF_ROLES:
        raise InvalidTransition(_("A secretary's assignment cannot be designated as specially remunerated."))
    assignment.designated_by_party = designated
    assignment.full_clean()
    assignment.save(update_fields=["designated_by_party"])
    audit_change(actor=actor, action="assignment_designate", obj=assignment, official_id=assignment.official_id,
                 from_state="designated" if not designated else "", to_state="designated" if designated else "")
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


# --- publication consents ----------------------------------------------------------------------
# A consent publishes nothing until the signed document is recorded (Fagersta: "lämnat skriftligt
# medgivande"); its moves are `CONSENT_WORKFLOW`, who may make them `permissions.CONSENT_MOVES`.

_C = Consent.Status


def _open_consent(official: Official, field: str) -> Consent | None:
    return Consent.objects.open().select_for_update().filter(official=official, field=field).first()


def _check_date(errors: dict[str, Any], name: str, day: date, not_before: date | None = None) -> None:
    if day > timezone.localdate():
        errors[name] = _("The date cannot be in the future.")
    elif not_before is not None and day < not_before:
        errors[name] = _("The date cannot be before the consent was given (%(date)s).") % {
            "date": format_date(not_before)}


def _field_label(field: str) -> str:
    return str(Consent.Field(field).label)


@transaction.atomic
def consent_give(*, actor: User | None, official: Official, field: str, decided_on: date | None = None,
                 document_reference: str = "", received_on: date | None = None,
                 signed_confirmed: bool = False) -> Consent:
    """Give consent to publish one private field.

    Without the signed document (the official on the web, confirming that they have signed or
    will sign the written consent) the consent awaits that document and publishes nothing. With
    the signed document's reference (the security unit, the paper in hand) it is in force at once;
    a consent already in force is then renewed: the old one is replaced."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    if field not in Consent.Field.values:
        raise ValidationError({"field": _("Choose one of the private fields.")})
    if actor is not None and not (permissions.can_manage_registry(actor)
                                  or permissions.is_own_official(actor, official)):
        raise PermissionDenied
    document_reference = document_reference.strip()
    target = _C.IN_FORCE if document_reference else _C.AWAITING
    current = _open_consent(official, field)
    state = consent_state(current)
    renewal = current is not None and state == _C.IN_FORCE and target == _C.IN_FORCE
    if (state == CONSENT_NONE or renewal) and field == Consent.Field.HOME_ADDRESS and official.protected_identity:
        raise InvalidTransition(_("The home address of someone with protected personal data is never published, "
                                  "so no consent is recorded for it."), code="invalid_transition")
    if state != CONSENT_NONE and not renewal:
        raise InvalidTransition(_("Consent to publish this is already given."), code="invalid_transition")
    CONSENT_WORKFLOW.check(CONSENT_NONE, target)
    if not permissions.may_move_consent(actor, official, field, CONSENT_NONE, target):
        if target == _C.AWAITING:  # the unit records consent only with the signed document
            raise ValidationError({"document_reference": _("Give the signed consent document's reference.")})
        raise PermissionDenied
    decided_on = decided_on or timezone.localdate()
    errors: dict[str, Any] = {}
    _check_date(errors, "decided_on", decided_on, current.decided_on if current is not None else None)
    if target == _C.AWAITING and not signed_confirmed:
        errors["signed_confirmed"] = _("Confirm that you have signed or will sign the written consent.")
    received_on = received_on or decided_on
    if target == _C.IN_FORCE and "decided_on" not in errors:
        _check_date(errors, "received_on", received_on, decided_on)
    if errors:
        raise ValidationError(errors)
    if renewal:
        assert current is not None
        transition(current, CONSENT_WORKFLOW, _C.REPLACED, actor=actor, action="consent_renew", locked=True,
                   authorize=lambda c: permissions.require_consent_move(actor, official, field, c.status, _C.REPLACED),
                   audit_reason=field)
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    consent = Consent(official=official, field=field, status=target, decided_on=decided_on, recorded_by=recorder)
    if target == _C.IN_FORCE:
        consent.document_reference = document_reference
        consent.document_received_on = received_on
        consent.document_recorded_by = recorder
        consent.document_recorded_at = timezone.now()
    consent.full_clean()
    consent.save()
    audit_change(actor=actor, action="consent_give", obj=consent, from_state=state if renewal else CONSENT_NONE,
                 to_state=target, reason=field)
    if target == _C.IN_FORCE and actor is not None and not permissions.is_own_official(actor, official):
        _tell_official_in_force(consent)
    return consent


def _consent_move(consent: Consent, to: str, *, actor: User | None, action: str, starts: tuple[str, ...],
                  wrong_start: Any, **kwargs: Any) -> Consent:
    """One move of `CONSENT_WORKFLOW` through `core.workflow.transition`: the table decides the
    states, `starts` narrows them to this service's own move (two moves may reach the same
    state), `permissions.require_consent_move` decides the actor."""

    def authorize(locked: Consent) -> None:
        if locked.status not in starts:
            raise InvalidTransition(str(wrong_start), code="invalid_transition")
        permissions.require_consent_move(actor, locked.official, locked.field, locked.status, to)

    return transition(consent, CONSENT_WORKFLOW, to, actor=actor, action=action, authorize=authorize,
                      related=("official",), audit_reason=consent.field, **kwargs)


@transaction.atomic
def consent_record_document(*, actor: User | None, consent: Consent, document_reference: str,
                            received_on: date | None = None) -> Consent:
    """The security unit records that the signed paper was received (its reference, the date it
    came): the consent is in force and the field published from now on."""
    document_reference = document_reference.strip()
    received_on = received_on or timezone.localdate()
    errors: dict[str, Any] = {}
    if not document_reference:
        errors["document_reference"] = _("Give the signed consent document's reference.")
    _check_date(errors, "received_on", received_on, consent.decided_on)

    def record(locked: Consent, from_state: str) -> list[str]:
        if errors:
            raise ValidationError(errors)
        locked.document_reference = document_reference
        locked.document_received_on = received_on
        return ["document_reference", "document_received_on"]

    return _consent_move(consent, _C.IN_FORCE, actor=actor, action="consent_record_document", starts=(_C.AWAITING,),
                         wrong_start=_("The official has sent in the signed document: accept it or say why not."),
                         stamp={"by": "document_recorded_by", "at": "document_recorded_at"}, update=record,
                         notify=lambda c, from_: _tell_official_in_force(c))


@transaction.atomic
def consent_upload_document(*, actor: User | None, consent: Consent, upload: Any) -> Consent:
    """The official sends in the signed consent form (a scan or photo) for the security unit to
    check. Nothing is published until the unit accepts it."""
    try:
        checked = check_document(upload)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error

    def store(locked: Consent, from_state: str) -> list[str]:
        locked.document_file.save(checked.original_name, upload, save=False)
        locked.document_name = checked.original_name
        locked.document_mimetype = checked.mimetype
        locked.document_size = checked.size
        locked.document_sha256 = checked.sha256
        locked.document_uploaded_at = timezone.now()
        locked.rejection_reason, locked.rejected_by, locked.rejected_at = "", None, None
        return ["document_file", "document_name", "document_mimetype", "document_size", "document_sha256",
                "document_uploaded_at", "rejection_reason", "rejected_by", "rejected_at"]

    return _consent_move(consent, _C.SUBMITTED, actor=actor, action="consent_upload_document", starts=(_C.AWAITING,),
                         wrong_start=_("No signed document is awaited for this consent."), update=store,
                         notify=lambda c, from_: _tell_unit_of_document(c))


@transaction.atomic
def consent_accept_document(*, actor: User | None, consent: Consent, document_reference: str = "") -> Consent:
    """The security unit accepts the document the official sent in: the consent is in force and
    the field published from now on. The reference (e.g. a registration number) is optional."""
    document_reference = document_reference.strip()

    def accept(locked: Consent, from_state: str) -> list[str]:
        locked.document_reference = document_reference
        uploaded = locked.document_uploaded_at
        locked.document_received_on = timezone.localdate(uploaded) if uploaded else timezone.localdate()
        return ["document_reference", "document_received_on"]

    return _consent_move(consent, _C.IN_FORCE, actor=actor, action="consent_accept_document",
                         starts=(_C.SUBMITTED,), wrong_start=_("No signed document has been sent in to check."),
                         stamp={"by": "document_recorded_by", "at": "document_recorded_at"}, update=accept,
                         notify=lambda c, from_: _tell_official_in_force(c))


@transaction.atomic
def consent_reject_document(*, actor: User | None, consent: Consent, reason: str) -> Consent:
    """The security unit cannot accept the document the official sent in (unreadable, unsigned,
    the wrong form): the consent awaits a signed document again, the file is deleted, and the
    official is told to look at the reason on their page (the e-mail carries no reason)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the document cannot be accepted, so that the official can "
                                           "send a new one.")})
    old_files: list[Any] = []

    def discard(locked: Consent, from_state: str) -> list[str]:
        if locked.document_file:
            old_files.append((locked.document_file.storage, locked.document_file.name))
        locked.document_file = ""
        locked.document_name, locked.document_mimetype, locked.document_sha256 = "", "", ""
        locked.document_size, locked.document_uploaded_at = None, None
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in old_files])
        return ["document_file", "document_name", "document_mimetype", "document_size", "document_sha256",
                "document_uploaded_at"]

    return _consent_move(consent, _C.AWAITING, actor=actor, action="consent_reject_document",
                         starts=(_C.SUBMITTED,), wrong_start=_("No signed document has been sent in to check."),
                         stamp={"by": "rejected_by", "at": "rejected_at", "why": "rejection_reason"}, reason=reason,
                         update=discard, notify=lambda c, from_: _tell_official_rejected(c))


@transaction.atomic
def consent_withdraw(*, actor: User | None, consent: Consent, withdrawn_on: date | None = None) -> Consent:
    """Withdraw a consent — the official themselves, or the unit on their written word. It takes
    effect at once: from this moment nothing of the field is published anywhere. The date may be
    that of the official's letter (not in the future, not before the consent)."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    errors: dict[str, Any] = {}
    _check_date(errors, "decided_on", withdrawn_on, consent.decided_on)

    def record(locked: Consent, from_state: str) -> list[str]:
        if errors:
            raise ValidationError(errors)
        locked.withdrawn_on = withdrawn_on
        return ["withdrawn_on"]

    def tell(locked: Consent, from_state: str) -> None:
        if permissions.is_own_official(actor, locked.official):
            if from_state == _C.IN_FORCE:
                _tell_unit_of_withdrawal(locked)
        else:
            _tell_official(locked, lambda: _("Your consent was withdrawn"),
                           lambda: _("Your consent to publish %(field)s has been withdrawn. It is no longer "
                                     "published.\nSee your data and consents: %(link)s")
                           % {"field": _field_label(locked.field), "link": absolute_url("officials:me")})

    return _consent_move(consent, _C.WITHDRAWN, actor=actor, action="consent_withdraw", starts=tuple(Consent.OPEN),
                         wrong_start=_("There is no consent to withdraw."),
                         stamp={"by": "withdrawn_by", "at": "withdrawn_at"}, update=record, notify=tell)


@transaction.atomic
def consent_record(*, actor: User | None, official: Official, field: str, given: bool, decided_on: date | None = None,
                   document_reference: str = "", signed_confirmed: bool = False) -> Consent:
    """A decision recorded on the official's behalf (the security unit's "Record a decision",
    seed data): consent given with its signed document — in force at once, or the document of a
    consent given on the web — or consent withdrawn. Each goes through the one service for it."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    if field not in Consent.Field.values:
        raise ValidationError({"field": _("Choose one of the private fields.")})
    if actor is not None and not (permissions.can_manage_registry(actor)
                                  or permissions.is_own_official(actor, official)):
        raise PermissionDenied
    current = _open_consent(official, field)
    if given:
        if current is not None and current.status == _C.AWAITING and document_reference.strip():
            try:
                return consent_record_document(actor=actor, consent=current, document_reference=document_reference,
                                               received_on=decided_on)
            except InvalidTransition:
                raise
            except ValidationError as error:  # this form's date is the decision's
                if hasattr(error, "error_dict") and "received_on" in error.error_dict:
                    error.error_dict["decided_on"] = error.error_dict.pop("received_on")
                raise
        return consent_give(actor=actor, official=official, field=field, decided_on=decided_on,
                            document_reference=document_reference, signed_confirmed=signed_confirmed)
    if current is None:
        raise InvalidTransition(_("There is no consent to withdraw."), code="invalid_transition")
    return consent_withdraw(actor=actor, consent=current, withdrawn_on=decided_on)


def _tell_official(consent: Consent, subject: Any, body: Any) -> None:
    """The official in their own language, when they have an account: a link, no private data."""
    user = consent.official.user
    if user is not None:
        tell([user], subject, body)


def _tell_official_in_force(consent: Consent) -> None:
    unit = Policy.current().unit_name
    _tell_official(consent, lambda: _("Your consent is in force"),
                   lambda: _("%(unit)s has recorded your signed consent document: the municipality may now publish "
                             "%(field)s. You can withdraw your consent at any time.\n"
                             "See your data and consents: %(link)s")
                   % {"unit": unit, "field": _field_label(consent.field), "link": absolute_url("officials:me")})


def _tell_official_rejected(consent: Consent) -> None:
    unit = Policy.current().unit_name
    _tell_official(consent, lambda: _("Your signed consent document could not be accepted"),
                   lambda: _("%(unit)s could not accept the document you sent in for %(field)s, so nothing is "
                             "published. See why and send a new one: %(link)s")
                   % {"unit": unit, "field": _field_label(consent.field), "link": absolute_url("officials:me")})


def _tell_unit_of_document(consent: Consent) -> None:
    """The security unit's mailbox (no account, so the site's language): a link, no private data."""
    official = consent.official
    tell([Policy.current().unit_email],
         lambda: _("A signed consent document to check"),
         lambda: _("%(name)s has sent in a signed consent document (%(field)s). Check it, and accept it or say why "
                   "not: %(path)s") % {"name": official.full_name, "field": _field_label(consent.field),
                                       "path": absolute_url("officials:consent-review", consent.pk)})


def _tell_unit_of_withdrawal(consent: Consent) -> None:
    official = consent.official
    tell([Policy.current().unit_email],
         lambda: _("A consent to publish was withdrawn"),
         lambda: _("%(name)s has withdrawn the consent to publish %(field)s. Värn no longer shows it; if the "
                   "municipality has published it anywhere else, remove it there too: %(path)s")
         % {"name": official.full_name, "field": _field_label(consent.field),
            "path": absolute_url("officials:official-detail", official.pk)})


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
