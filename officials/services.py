"""Every write to the officials registry. Audited; private values never enter the audit row."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_change

from .models import Assignment, Body, Consent, Official, Party
from .signals import responsibility_ended

EDITABLE_FIELDS = (
    "first_name", "last_name", "work_email", "work_phone", "gender", "birth_year", "protected_identity",
    "home_address", "private_phone", "private_email", "private_social", "municipal_phone",
    "municipal_phone_number",
)


@transaction.atomic
def official_create(*, actor, first_name: str, last_name: str, party: Party | None = None, user=None,
                    **fields) -> Official:
    official = Official(first_name=first_name, last_name=last_name, party=party, user=user)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"official_create() got an unexpected field {name!r}")
        setattr(official, name, value)
    official.full_clean()
    official.save()
    audit_change(actor=actor, action="official_create", obj=official)
    return official


@transaction.atomic
def official_update(*, actor, official: Official, **fields) -> list[str]:
    """Change the given fields; returns the names of those that changed."""
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
    assignment = Assignment(official=official, body=body, role=role, share_percent=share_percent, start=start,
                            end=end)
    assignment.full_clean()
    assignment.save()
    audit_change(actor=actor, action="assignment_add", obj=assignment, official_id=official.pk,
                 to_state=f"{role}@{body.pk}")
    return assignment


@transaction.atomic
def assignment_end(*, actor, assignment: Assignment, end: date) -> Assignment:
    """End an assignment. When it was the official's last, their responsibility ends."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.end = end
    assignment.full_clean()
    assignment.save(update_fields=["end"])
    audit_change(actor=actor, action="assignment_end", obj=assignment, official_id=assignment.official_id,
                 to_state=end.isoformat())
    official = assignment.official
    later = Assignment.objects.filter(official=official).exclude(end__isnull=False, end__lte=end)
    if not later.exists():
        transaction.on_commit(lambda: responsibility_ended.send(sender=Official, official=official, actor=actor))
    return assignment


@transaction.atomic
def consent_record(*, actor, official: Official, field: str, given: bool, decided_on: date | None = None,
                   document_reference: str = "") -> Consent:
    """Record that consent to publish one private field was given or withdrawn."""
    consent = Consent(official=official, field=field, given=given, decided_on=decided_on or timezone.localdate(),
                      document_reference=document_reference, recorded_by=actor)
    consent.full_clean()
    consent.save()
    audit_change(actor=actor, action="consent_record", obj=consent, official_id=official.pk,
                 to_state=f"{field}:{'given' if given else 'withdrawn'}")
    return consent
