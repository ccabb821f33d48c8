"""Every permission-scoped read of risk analyses outside cases. Lists use a constant number of
queries whatever their length (guarded by query-budget tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_date
from incidents.hooks import TimelineItem, TimelineRow, TimelineSource, TriageItem, timeline_values
from officials.models import Official

from . import permissions as perms
from .models import (
    BodyChecklist,
    BodyChecklistItem,
    BodyRiskAnalysis,
    ChecklistCheck,
    ChecklistTemplateItem,
    Escalation,
    PartyRiskAnalysis,
)

if TYPE_CHECKING:
    from accounts.models import User
    from incidents.models import Case as IncidentCase
    from officials.models import Body

UPCOMING_DAYS = 14


def phase_order() -> Case:
    """Checklist items are listed before, during, after — then by their order number."""
    return Case(When(phase="before", then=Value(0)), When(phase="during", then=Value(1)), default=Value(2),
                output_field=IntegerField())


# ---------------------------------------------------------------- party analyses


def party_analysis_list(user: User, *, status: str = "", when: str = "") -> QuerySet[PartyRiskAnalysis]:
    """The party's own analyses (the security unit: every party's). No filter by party: party
    membership is a special category of personal data (DOMAIN.md)."""
    qs = perms.party_analyses_for_user(user).select_related("party").annotate(
        members_count=Count("members", distinct=True))
    return _filtered(qs, PartyRiskAnalysis.Status.values, status=status, when=when)


Analyses = TypeVar("Analyses", QuerySet[PartyRiskAnalysis], QuerySet[BodyRiskAnalysis])


def _filtered(qs: Analyses, statuses: list[str], *, status: str, when: str) -> Analyses:
    """A list page's filters: one status (of `statuses`), and upcoming (soonest first) or past;
    newest first otherwise."""
    qs = qs.order_by("-occurs_on", "-id")
    if status in statuses:
        qs = qs.filter(status=status)
    today = timezone.localdate()
    if when == "upcoming":
        qs = qs.filter(occurs_on__gte=today).order_by("occurs_on", "id")
    elif when == "past":
        qs = qs.filter(occurs_on__lt=today)
    return qs


def party_analysis_members(analysis: PartyRiskAnalysis) -> list[Official]:
    return list(analysis.members.select_related("party").order_by("last_name", "first_name", "pk"))


def escalations_of(analysis: PartyRiskAnalysis) -> list[Escalation]:
    return list(analysis.escalations.select_related("asked_by", "answered_by", "case").order_by("asked_at", "pk"))


def open_cases_of_members(analysis: PartyRiskAnalysis) -> list[IncidentCase]:
    """Open cases about the analysis's members, for the security unit to link its answer to."""
    from incidents.models import Case, CaseStatus

    return list(Case.objects.filter(official__in=analysis.members.all())
                .exclude(status=CaseStatus.CLOSED).select_related("official").order_by("-last_activity_at", "-pk"))


def escalations_for_triage(user: User) -> list[TriageItem]:
    """Escalated analyses waiting for the security unit's answer, for the triage queue
    (`incidents.hooks.register_triage_provider`). One query."""
    if not perms.is_security_unit(user):
        return []
    rows = (Escalation.objects.filter(answered_at__isnull=True, withdrawn_at__isnull=True,
                                      analysis__status=PartyRiskAnalysis.Status.ESCALATED)
            .select_related("analysis__party").order_by("analysis__occurs_on", "asked_at"))
    items = []
    for escalation in rows:
        analysis = escalation.analysis
        items.append(TriageItem(
            at=escalation.asked_at, kind="risk_analysis",
            title=_("Escalated risk analysis %(ref)s: %(kind)s on %(date)s (%(party)s)") % {
                "ref": analysis.reference, "kind": analysis.get_kind_display(),
                "date": format_date(analysis.occurs_on), "party": analysis.party.abbreviation},
            url=reverse("riskanalyses:party-analysis-answer", args=[analysis.pk])))
    return items


def _answer_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]] | None:
    """Answers to escalated analyses that the security unit linked to the case, for those who may see the
    analysis (the security unit, the party's contacts); None for everyone else."""
    answers = Escalation.objects.filter(case_id=case_id, answered_at__isnull=False)
    if not perms.is_security_unit(user):
        party_id = perms.contact_party_id(user)
        if party_id is None:
            return None
        answers = answers.filter(analysis__party_id=party_id)
    return timeline_values(answers, "risk_analysis", at="answered_at", ref="analysis_id", code="analysis__kind",
                           day="analysis__occurs_on", body="advice", actor="answered_by")


def _answer_item(row: TimelineRow, user: User) -> TimelineItem:
    return TimelineItem(
        at=row.at, kind=row.kind,
        title=_("Risk analysis %(ref)s (%(kind)s, %(date)s) answered") % {
            "ref": f"RA-{row.ref:05d}",  # as PartyRiskAnalysis.reference
            "kind": dict(PartyRiskAnalysis.Kind.choices).get(row.code, row.code),
            "date": format_date(row.day)},
        body=row.body, actor=row.actor, url=reverse("riskanalyses:party-analysis-detail", args=[row.ref]))


# The answers on the case timeline (`incidents.hooks.register_timeline_source`).
CASE_TIMELINE_SOURCE = TimelineSource("risk_analysis", _answer_rows, _answer_item)


# ---------------------------------------------------------------- body analyses


def _checklist_total() -> Coalesce:
    return Coalesce(Subquery(
        BodyChecklistItem.objects.filter(checklist__body_id=OuterRef("body_id"), active=True).order_by()
        .values("checklist__body_id").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0))


def body_analysis_list(user: User, *, status: str = "", when: str = "") -> QuerySet[BodyRiskAnalysis]:
    qs = perms.body_analyses_for_user(user).select_related("body").annotate(
        checks_done=Count("checks", filter=Q(checks__done=True), distinct=True),
        checklist_total=_checklist_total())
    return _filtered(qs, BodyRiskAnalysis.Status.values, status=status, when=when)


@dataclass
class Participants:
    named: list[Official]
    others: int  # officials taking part who are not shown by name to this user


def visible_participants(analysis: BodyRiskAnalysis, user: User) -> Participants:
    """The officials taking part as this user may see them: the body's officer and the security
    unit see everyone; a party contact sees their own party's members by name and only a count of
    the others (see `permissions`)."""
    people = list(analysis.participants.select_related("party").order_by("last_name", "first_name", "pk"))
    if perms.officer_body_id(user) == analysis.body_id or perms.is_security_unit(user):
        return Participants(people, 0)
    party_id = perms.contact_party_id(user)
    named = [p for p in people if party_id and p.party_id == party_id]
    return Participants(named, len(people) - len(named))


@dataclass
class ChecklistRow:
    item: BodyChecklistItem | None
    check: ChecklistCheck | None

    @property
    def text(self) -> str:
        """The item's text; for an item since removed, as the analysis recorded it."""
        return self.item.text if self.item is not None else self._recorded.item_text

    @property
    def responsible_role(self) -> str:
        return self.item.responsible_role if self.item is not None else self._recorded.responsible_role

    @property
    def _recorded(self) -> ChecklistCheck:
        assert self.check is not None  # a row has its item, its record, or both
        return self.check


def checklist_rows(analysis: BodyRiskAnalysis) -> list[ChecklistRow]:
    """The body's items in use, each with what this analysis recorded, then records of items the
    body has since removed. Two queries."""
    checks = {c.item_id: c for c in ChecklistCheck.objects.filter(analysis=analysis).select_related(
        "recorded_by", "item")}
    rows = [ChecklistRow(item, checks.pop(item.pk, None)) for item in BodyChecklistItem.objects.filter(
        checklist__body_id=analysis.body_id, active=True).order_by(phase_order(), "position", "pk")]
    rows += [ChecklistRow(None, check) for check in sorted(checks.values(), key=lambda c: c.item.position)]
    return rows


def body_checklist(body: Body) -> BodyChecklist | None:
    return BodyChecklist.objects.filter(body=body).first()


def checklist_items(checklist: BodyChecklist) -> list[BodyChecklistItem]:
    return list(checklist.items.filter(active=True).order_by(phase_order(), "position", "pk"))


def template_items() -> list[ChecklistTemplateItem]:
    return list(ChecklistTemplateItem.objects.filter(active=True).order_by(phase_order(), "position", "pk"))


# ---------------------------------------------------------------- home page


def counts_for_home(user: User) -> dict[str, int]:
    today = timezone.localdate()
    soon = today + dt.timedelta(days=UPCOMING_DAYS)
    counts: dict[str, int] = {}
    if perms.is_security_unit(user):
        counts["escalated"] = PartyRiskAnalysis.objects.filter(status=PartyRiskAnalysis.Status.ESCALATED).count()
    if perms.contact_party_id(user):
        own = perms.party_analyses_for_user(user)
        counts["party_unjudged_soon"] = own.filter(status=PartyRiskAnalysis.Status.DRAFT,
                                                   occurs_on__range=(today, soon)).count()
        counts["party_answered"] = own.filter(status=PartyRiskAnalysis.Status.ANSWERED).count()
        counts["shared_upcoming"] = (perms.body_analyses_for_user(user).filter(occurs_on__gte=today)
                                     .exclude(status=BodyRiskAnalysis.Status.CANCELLED).count())
    body_id = perms.officer_body_id(user)
    if body_id:
        body_own = BodyRiskAnalysis.objects.filter(body_id=body_id)
        counts["body_draft_soon"] = body_own.filter(status=BodyRiskAnalysis.Status.DRAFT,
                                                    occurs_on__range=(today, soon)).count()
        counts["body_to_follow_up"] = body_own.filter(status=BodyRiskAnalysis.Status.READY,
                                                      occurs_on__lt=today).count()
    return counts
