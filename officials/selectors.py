"""Reads of the officials registry.

Private fields (home address, private phone, private e-mail, private social media) leave this
module for others' eyes only through `published_fields` — the one rule: a consent in force, i.e.
with its signed document recorded, and never the home address of someone with protected personal
data — by way of `published_private_data` / `public_contact(s)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import AuditEvent

from .models import Assignment, AssignmentQuerySet, Body, Consent, Official, consent_state

PRIVATE_FIELDS: tuple[str, ...] = tuple(Consent.Field.values)
PUBLISHED_ATTR = "published_consents"


def _assignments_prefetch() -> Prefetch[str, QuerySet[Assignment], str]:
    return Prefetch("assignments", queryset=Assignment.objects.select_related("body").order_by("start", "id"))


def _consents_prefetch() -> Prefetch[str, QuerySet[Consent], str]:
    """Every consent, for the history shown to the security unit and the official themselves."""
    return Prefetch("consents", queryset=Consent.objects.select_related(
        "recorded_by", "document_recorded_by", "rejected_by", "withdrawn_by").order_by("-created_at", "-id"))


def _published_prefetch() -> Prefetch[str, QuerySet[Consent], str]:
    """The consents in force only — what `published_fields` reads for many officials at once."""
    return Prefetch("consents", queryset=Consent.objects.in_force().only("id", "official_id", "field", "status"),
                    to_attr=PUBLISHED_ATTR)


def official_detail_queryset() -> QuerySet[Official]:
    """One official with everything their page shows, in a fixed number of queries."""
    return Official.objects.select_related("party", "user").prefetch_related(
        _assignments_prefetch(), _consents_prefetch(), _published_prefetch()
    )


# --- THE rule: what the municipality publishes ------------------------------------------------

def published_fields(official: Official) -> frozenset[str]:
    """The private fields the municipality may publish about this official now — the one rule
    every reader of published data goes through (cards, exports, the official's own "what the
    municipality publishes about me", any listing): a consent in force for the field
    (`Consent.objects.in_force()`: the signed document recorded, not withdrawn), and never the home
    address of someone with protected personal data. A consent still awaiting its signed document,
    or whose document is being checked, publishes nothing."""
    rows = getattr(official, PUBLISHED_ATTR, None)
    if rows is None:
        rows = Consent.objects.in_force().filter(official=official).only("field")
    fields = {consent.field for consent in rows}
    if official.protected_identity:
        fields.discard(Consent.Field.HOME_ADDRESS)
    return frozenset(fields)


def published_private_data(official: Official) -> dict[str, str]:
    """The values of the published private fields (`published_fields`) that are filled in."""
    published = published_fields(official)
    shown = {}
    for name in PRIVATE_FIELDS:
        if name in published:
            value = getattr(official, name)
            if value:
                shown[name] = value
    return shown


# --- consents as the security unit and the official see them ----------------------------------

def _consents_newest_first(official: Official) -> list[Consent]:
    """Uses prefetched consents when present (then ordered newest first by the prefetch)."""
    consents = list(official.consents.all())
    return sorted(consents, key=lambda c: (c.created_at, c.pk), reverse=True)


def latest_consents(official: Official) -> dict[str, Consent]:
    """The latest consent per private field (open or ended)."""
    latest: dict[str, Consent] = {}
    for consent in _consents_newest_first(official):
        latest.setdefault(consent.field, consent)
    return latest


def consent_history(official: Official) -> dict[str, list[Consent]]:
    """Every consent per private field, newest first."""
    history: dict[str, list[Consent]] = {f: [] for f in PRIVATE_FIELDS}
    for consent in _consents_newest_first(official):
        history[consent.field].append(consent)
    return history


@dataclass(frozen=True)
class PrivateFieldState:
    """One private field as the security unit and the official themselves see it."""

    name: str
    label: str
    value: str
    consent: Consent | None  # the latest consent for the field, open or ended
    state: str  # its `CONSENT_WORKFLOW` state ("none" when no consent is open)
    published: bool
    history: list[Consent]
    protected: bool = False  # the home address of someone with protected personal data: never published

    @property
    def awaiting(self) -> bool:
        return self.state == Consent.Status.AWAITING

    @property
    def submitted(self) -> bool:
        return self.state == Consent.Status.SUBMITTED

    @property
    def in_force(self) -> bool:
        return self.state == Consent.Status.IN_FORCE


def private_field_states(official: Official) -> list[PrivateFieldState]:
    """Value, consent, publication and history of each private field. Shows the values: only for
    the security unit and the official themselves — callers audit the read."""
    latest = latest_consents(official)
    history = consent_history(official)
    published = published_fields(official)
    return [
        PrivateFieldState(
            name=name, label=str(Consent.Field(name).label), value=getattr(official, name) or "",
            consent=latest.get(name), state=consent_state(latest.get(name)),
            published=name in published and bool(getattr(official, name)), history=history[name],
            protected=name == Consent.Field.HOME_ADDRESS and official.protected_identity,
        )
        for name in PRIVATE_FIELDS
    ]


@dataclass(frozen=True)
class PublicContact:
    """What anyone other than the security unit and the official may see: assignment contact
    data, the municipal phone number when issued, and the published private data
    (`published_fields`)."""

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
          .prefetch_related(_assignments_prefetch(), _published_prefetch()))
    return [public_contact(o, on) for o in qs]


def _current_assignments(on: date | None) -> AssignmentQuerySet:
    return Assignment.objects.current(on or timezone.localdate())


ATTENTION = {
    "phone_requested": lambda: Official.objects.filter(municipal_phone=Official.MunicipalPhone.REQUESTED)
    .values("id"),
    # Given on the web: the signed document is still to come (nothing is published meanwhile).
    "document_awaited": lambda: Consent.objects.filter(status=Consent.Status.AWAITING).values("official_id"),
    # The official sent in the signed document: the unit checks it.
    "document_submitted": lambda: Consent.objects.filter(status=Consent.Status.SUBMITTED).values("official_id"),
}


def own_consents_awaiting(official: Official) -> int:
    """How many of the official's consents wait for their signed document (their home page)."""
    return Consent.objects.filter(official=official, status=Consent.Status.AWAITING).count()


def official_count() -> int:
    """How many officials the registry holds (the security unit's home page)."""
    return Official.objects.count()


def attention_counts() -> dict[str, int]:
    """How many officials need the security unit for each reason (home page)."""
    return {name: Official.objects.filter(id__in=officials()).count() for name, officials in ATTENTION.items()}


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
