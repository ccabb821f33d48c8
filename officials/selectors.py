"""Reads of the officials registry.

Private fields (home address, private phone, private e-mail, private social media) leave this
module for others' eyes only through `published_private_data` / `public_contact`: with a consent
in force, and never the home address of someone with protected personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import AuditEvent

from .models import Assignment, AssignmentQuerySet, Body, Consent, Official

PRIVATE_FIELDS: tuple[str, ...] = tuple(Consent.Field.values)


def _assignments_prefetch() -> Prefetch[str, QuerySet[Assignment], str]:
    return Prefetch("assignments", queryset=Assignment.objects.select_related("body").order_by("start", "id"))


def _consents_prefetch() -> Prefetch[str, QuerySet[Consent], str]:
    return Prefetch("consents", queryset=Consent.objects.select_related("recorded_by").order_by("-created_at", "-id"))


def official_detail_queryset() -> QuerySet[Official]:
    """One official with everything their page shows, in a fixed number of queries."""
    return Official.objects.select_related("party", "user").prefetch_related(
        _assignments_prefetch(), _consents_prefetch()
    )


def _consents_newest_first(official: Official) -> list[Consent]:
    """Uses prefetched consents when present (then ordered newest first by the prefetch)."""
    consents = list(official.consents.all())
    return sorted(consents, key=lambda c: (c.created_at, c.pk), reverse=True)


def consents_in_force(official: Official) -> dict[str, Consent]:
    """The latest consent row per private field."""
    latest: dict[str, Consent] = {}
    for consent in _consents_newest_first(official):
        latest.setdefault(consent.field, consent)
    return latest


def consent_history(official: Official) -> dict[str, list[Consent]]:
    """Every recorded decision per private field, newest first."""
    history: dict[str, list[Consent]] = {f: [] for f in PRIVATE_FIELDS}
    for consent in _consents_newest_first(official):
        history[consent.field].append(consent)
    return history


def is_published(official: Official, field_name: str, in_force: Consent | None) -> bool:
    if in_force is None or not in_force.given:
        return False
    return not (field_name == Consent.Field.HOME_ADDRESS and official.protected_identity)


def published_private_data(official: Official) -> dict[str, str]:
    """The private fields that may be shown to others: only with consent in force, and never the
    home address of someone with protected personal data."""
    shown = {}
    in_force = consents_in_force(official)
    for name in PRIVATE_FIELDS:
        if is_published(official, name, in_force.get(name)):
            value = getattr(official, name)
            if value:
                shown[name] = value
    return shown


@dataclass(frozen=True)
class PrivateFieldState:
    """One private field as the security unit and the official themselves see it."""

    name: str
    label: str
    value: str
    in_force: Consent | None
    published: bool
    history: list[Consent]

    @property
    def given(self) -> bool:
        return bool(self.in_force and self.in_force.given)

    @property
    def awaiting_document(self) -> bool:
        return self.in_force is not None and self.in_force.given and not self.in_force.document_reference


def private_field_states(official: Official) -> list[PrivateFieldState]:
    """Value, consent in force, publication and history of each private field. Shows the values:
    only for the security unit and the official themselves — callers audit the read."""
    in_force = consents_in_force(official)
    history = consent_history(official)
    return [
        PrivateFieldState(
            name=name, label=str(Consent.Field(name).label), value=getattr(official, name) or "",
            in_force=in_force.get(name), published=is_published(official, name, in_force.get(name))
            and bool(getattr(official, name)), history=history[name],
        )
        for name in PRIVATE_FIELDS
    ]


@dataclass(frozen=True)
class PublicContact:
    """What anyone other than the security unit and the official may see: assignment contact
    data, the municipal phone number when issued, and private data only with consent in force."""

    official_id: int
    name: str
    party: str
    work_email: str
    work_phone: str
    municipal_phone_number: str
    assignments: list[str]
    published: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    published_by_field: dict[str, str] = field(default_factory=dict)  # field name → value


def public_contact(official: Official, on: date | None = None) -> PublicContact:
    published = published_private_data(official)
    issued = official.municipal_phone == Official.MunicipalPhone.ISSUED
    return PublicContact(
        official_id=official.pk,
        name=official.full_name,
        party=official.party.name if official.party is not None else "",
        work_email=official.work_email,
        work_phone=official.work_phone,
        municipal_phone_number=official.municipal_phone_number if issued else "",
        assignments=[str(a) for a in official.current_assignments(on)],
        published=[(str(Consent.Field(name).label), value) for name, value in published.items()],
        published_by_field=published,
    )


def public_contacts(officials: QuerySet[Official], on: date | None = None) -> list[PublicContact]:
    """Cards for many officials in a fixed number of queries."""
    qs = (officials.defer(None).prefetch_related(None).select_related("party")
          .prefetch_related(_assignments_prefetch(), _consents_prefetch()))
    return [public_contact(o, on) for o in qs]


def _current_assignments(on: date | None) -> AssignmentQuerySet:
    return Assignment.objects.current(on or timezone.localdate())


def _awaiting_document() -> QuerySet[Consent]:
    """Consents in force (no later decision on the same field) given without the signed document's
    reference yet: the official confirmed on the web, the paper is still to come."""
    later = Consent.objects.filter(official=OuterRef("official"), field=OuterRef("field"), id__gt=OuterRef("id"))
    return Consent.objects.filter(given=True, document_reference="").filter(~Exists(later))


ATTENTION = {
    "phone_requested": lambda: Official.objects.filter(municipal_phone=Official.MunicipalPhone.REQUESTED)
    .values("id"),
    "document_awaited": lambda: _awaiting_document().values("official_id"),
}


def official_count() -> int:
    """How many officials the registry holds (the security unit's home page)."""
    return Official.objects.count()


def attention_counts() -> dict[str, int]:
    """How many officials need the security unit for each reason (home page)."""
    return {
        "phone_requested": Official.objects.filter(municipal_phone=Official.MunicipalPhone.REQUESTED).count(),
        "document_awaited": Official.objects.filter(id__in=_awaiting_document().values("official_id")).count(),
    }


def officials_list(*, search: str = "", body: Body | int | None = None, role: str = "", covered: bool | None = None,
                   active: bool | None = None, attention: str = "", on: date | None = None) -> QuerySet[Official]:
    """The registry list for the security unit: no private fields, assignments prefetched.

    `body` and `role` match a current assignment (both on the same one when both are given).
    Party is deliberately not a filter: party membership is a special category of personal data
    and no list may select people by it."""
    qs = Official.objects.select_related("party").prefetch_related(_assignments_prefetch()).defer(*PRIVATE_FIELDS)
    if search:
        for word in search.split()[:5]:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                           | Q(work_email__icontains=word))
    current = _current_assignments(on)
    if body is not None or role:
        holding = current
        if body is not None:
            holding = holding.filter(body=body)
        if role:
            holding = holding.filter(role=role)
        qs = qs.filter(id__in=holding.values("official_id"))
    if covered is not None:
        covering = current.covering().values("official_id")
        qs = qs.filter(id__in=covering) if covered else qs.exclude(id__in=covering)
    if active is not None:
        holding_any = current.values("official_id")
        qs = qs.filter(id__in=holding_any) if active else qs.exclude(id__in=holding_any)
    if attention in ATTENTION:
        qs = qs.filter(id__in=ATTENTION[attention]())
    return qs


def official_audit_trail(official: Official, limit: int = 25) -> QuerySet[AuditEvent]:
    """The latest audit rows about this official (changes and reads), for the security unit."""
    return AuditEvent.objects.filter(official_id=official.pk).select_related("actor").order_by("-created_at", "-id")[
        :limit
    ]
