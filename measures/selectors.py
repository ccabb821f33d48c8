"""Reads of assessments, measures, the budget and alarm events. Each list is scoped through
`measures.permissions` and uses a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextChoices,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from core.dates import format_date
from incidents import hooks
from incidents.models import Case, CaseStatus, Kind, Report, ReportKind
from incidents.selectors import prefetched, timeline

from . import permissions as perms
from .models import (
    ACTIVE_STATUSES,
    DECIDED_STATUSES,
    LEVEL_ORDER,
    OPEN_STATUSES,
    AlarmEvent,
    AlarmKind,
    Assessment,
    Measure,
    MeasureCost,
    MeasureEvent,
    MeasureStatus,
    MeasureType,
    ReassessmentTrigger,
    RiskLevel,
)

S = MeasureStatus


# ---------------------------------------------------------------- assessments

class Trend:
    FIRST = "first"
    UP = "up"
    DOWN = "down"
    SAME = "same"

    LABELS = {"first": gettext_lazy("First assessment"), "up": gettext_lazy("Higher than before"),
              "down": gettext_lazy("Lower than before"), "same": gettext_lazy("Unchanged")}


def latest_assessment(case: Case) -> Assessment | None:
    return Assessment.objects.filter(case=case).select_related("assessed_by").order_by("-assessed_at", "-id").first()


def assessment_history(case: Case) -> list[Assessment]:
    """The case's assessments, newest first, each with `.trend` (up, down, same, first) and
    `.previous_level` compared with the one before it. One query."""
    history = list(Assessment.objects.filter(case=case).select_related("assessed_by").order_by("-assessed_at", "-id"))
    for index, assessment in enumerate(history):
        older = history[index + 1] if index + 1 < len(history) else None
        assessment.previous_level = older.level if older else ""
        assessment.trend = trend(older.level if older else "", assessment.level)
    return history


def trend(before: str, after: str) -> str:
    if not before:
        return Trend.FIRST
    if LEVEL_ORDER[after] > LEVEL_ORDER[before]:
        return Trend.UP
    if LEVEL_ORDER[after] < LEVEL_ORDER[before]:
        return Trend.DOWN
    return Trend.SAME


@dataclass
class ReassessmentState:
    latest: Assessment | None
    due: bool
    reasons: list[str] = field(default_factory=list)


class _Unread(Enum):
    UNREAD = "unread"


def reassessment_state(case: Case, today: date | None = None,
                       latest: Assessment | None | Literal[_Unread.UNREAD] = _Unread.UNREAD,
                       open_trigger: bool | None = None) -> ReassessmentState:
    """Whether a (re)assessment is due: never assessed, its review date has come, or a new report
    joined the case since the latest assessment. `latest` (None: never assessed) and
    `open_trigger` when already read."""
    today = today or timezone.localdate()
    latest = latest_assessment(case) if latest is _Unread.UNREAD else latest
    if latest is None:
        return ReassessmentState(None, case.is_open, [_("The case has not been assessed yet.")] if case.is_open else [])
    reasons = []
    if latest.next_review_on <= today:
        reasons.append(_("The review date %(date)s has come.") % {"date": format_date(latest.next_review_on)})
    if open_trigger is None:
        open_trigger = ReassessmentTrigger.objects.filter(case=case, resolved_by__isnull=True).exists()
    if open_trigger:
        reasons.append(_("A new report has joined the case since the latest assessment."))
    return ReassessmentState(latest, bool(reasons) and case.is_open, reasons if case.is_open else [])


def _latest_assessment_field(name: str, *, case: str = "pk") -> Subquery:
    """A field of the latest assessment of the case that the outer query's `case` refers to."""
    return Subquery(Assessment.objects.filter(case=OuterRef(case)).order_by("-assessed_at", "-id").values(name)[:1])


def cases_due_for_reassessment(today: date | None = None) -> QuerySet[Case]:
    """Open, assessed cases whose latest assessment's review date has come, or that a new report
    joined since. Annotated with `latest_assessment_id` and `latest_review_on`."""
    today = today or timezone.localdate()
    return (Case.objects.exclude(status=CaseStatus.CLOSED)
            .annotate(latest_assessment_id=_latest_assessment_field("pk"),
                      latest_review_on=_latest_assessment_field("next_review_on"),
                      open_trigger=Exists(ReassessmentTrigger.objects.filter(case=OuterRef("pk"),
                                                                             resolved_by__isnull=True)))
            .filter(latest_assessment_id__isnull=False)
            .filter(Q(latest_review_on__lte=today) | Q(open_trigger=True)))


# ---------------------------------------------------------------- measures

def _with_booked(qs: QuerySet[Measure]) -> QuerySet[Measure]:
    booked = (MeasureCost.objects.filter(measure=OuterRef("pk")).order_by().values("measure")
              .annotate(total=Sum("amount_sek")).values("total"))
    return qs.annotate(booked_sek=Coalesce(Subquery(booked, output_field=IntegerField()), Value(0)))


def case_measures(case: Case) -> list[Measure]:
    """The measures of a case, open ones first, with the booked cost. One query."""
    qs = _with_booked(Measure.objects.filter(case=case).select_related("measure_type", "proposed_by", "decided_by"))
    order: dict[str, int] = {status: index for index, status in enumerate(
        [S.PROPOSED, S.APPROVED, S.ORDERED, S.UNDER_REVIEW, S.IN_PLACE, S.ENDED, S.REJECTED, S.WITHDRAWN])}
    return sorted(qs, key=lambda m: (order.get(m.status, 99), -m.proposed_at.timestamp()))


def measure_history(measure: Measure) -> list[MeasureEvent]:
    return list(measure.events.select_related("actor").order_by("at", "id"))


def measure_costs(measure: Measure) -> list[MeasureCost]:
    return list(measure.costs.select_related("booked_by").order_by("booked_on", "id"))


def measure_list(user: User, *, status: str = "", measure_type: str = "", flagged: bool = False,
                 review_due: bool = False, today: date | None = None) -> QuerySet[Measure]:
    today = today or timezone.localdate()
    qs = _with_booked(perms.measures_for_user(user).select_related("case__official", "measure_type", "proposed_by"))
    if status in S.values:
        qs = qs.filter(status=status)
    elif status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    if measure_type.isdigit():
        qs = qs.filter(measure_type_id=int(measure_type))
    if flagged:
        qs = qs.filter(end_flagged_at__isnull=False, status__in=OPEN_STATUSES)
    if review_due:
        qs = qs.filter(status=S.IN_PLACE, review_on__lte=today)
    return qs.order_by("-proposed_at", "-id")


# What the inbox shows of a case's latest assessment.
INBOX_ASSESSMENT_FIELDS = ("id", "level", "likelihood", "consequence", "assessed_at", "conclusion")


def inbox(user: User, policy: Policy | None = None) -> QuerySet[Measure]:
    """Proposals waiting for a decision that `user` may see, oldest first, each annotated with
    `report_count` and, as `latest_<field>`, the `INBOX_ASSESSMENT_FIELDS` of the case's latest
    assessment. Page it, then pass the page to `inbox_details`."""
    policy = policy or Policy.current()
    if not perms.can_use_inbox(user, policy):
        return Measure.objects.none()
    reports = (Report.objects.filter(case=OuterRef("case")).order_by().values("case")
               .annotate(n=Count("pk")).values("n"))
    return (
        perms.measures_for_user(user, policy).filter(status=S.PROPOSED)
        .select_related("case__official", "measure_type", "proposed_by")
        .annotate(report_count=Coalesce(Subquery(reports, output_field=IntegerField()), Value(0)),
                  **{f"latest_{name}": _latest_assessment_field(name, case="case") for name in INBOX_ASSESSMENT_FIELDS})
        .order_by("proposed_at", "id"))


def inbox_position(user: User, measure: Measure, policy: Policy | None = None) -> int:
    """How many of `user`'s inbox proposals come before `measure` (to find its page)."""
    before = Q(proposed_at__lt=measure.proposed_at) | Q(proposed_at=measure.proposed_at, pk__lt=measure.pk)
    return inbox(user, policy).filter(before).count()


def _inbox_assessment(measure: Measure) -> Assessment | None:
    """The case's latest assessment from the `latest_<field>` annotations (other fields deferred)."""
    loaded = {"case_id": measure.case_id, **{name: getattr(measure, f"latest_{name}") for name in INBOX_ASSESSMENT_FIELDS}}
    if loaded["id"] is None:
        return None
    fields = [f.attname for f in Assessment._meta.concrete_fields if f.attname in loaded]
    return Assessment.from_db(measure._state.db, fields, [loaded[name] for name in fields])


def inbox_details(proposals: Iterable[Measure], user: User, policy: Policy | None = None) -> list[Measure]:
    """A page of `inbox`, each proposal given `.case_kinds` (the kinds of the case's reports;
    never notes), `.latest` (the case's latest assessment, or None), `.others` (the case's other
    active measures) and `.actions`. Two queries, whatever the page size."""
    policy = policy or Policy.current()
    proposals = list(proposals)
    if not proposals:
        return []
    case_ids = {m.case_id for m in proposals}
    kinds: dict[int, set[str]] = defaultdict(set)
    for case_id, kind in (ReportKind.objects.filter(report__case_id__in=case_ids).order_by()
                          .values_list("report__case_id", "kind").distinct()):
        kinds[case_id].add(kind)
    others: dict[int, list[Measure]] = defaultdict(list)
    for other in (Measure.objects.filter(case_id__in=case_ids, status__in=ACTIVE_STATUSES)
                  .select_related("measure_type").order_by("proposed_at")):
        others[other.case_id].append(other)
    for measure in proposals:
        measure.latest = _inbox_assessment(measure)
        measure.case_kinds = [str(Kind(k).label) for k in sorted(kinds.get(measure.case_id, ()))]
        measure.others = others.get(measure.case_id, [])
        measure.actions = perms.available_actions(measure, user, policy=policy, visible=True)
    return proposals


# ---------------------------------------------------------------- the budget

@dataclass
class BudgetRow:
    label: str
    approved: int = 0
    committed: int = 0
    spent: int = 0
    budget: int | None = None

    @property
    def used(self) -> int:
        return self.committed + self.spent

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else self.budget - self.used

    @property
    def percent_used(self) -> int | None:
        if not self.budget:
            return None
        return round(100 * self.used / self.budget)


@dataclass
class BudgetOverview:
    year: int
    total: BudgetRow
    by_type: list[BudgetRow]
    by_year: list[tuple[int, BudgetRow]]
    training_budget: int
    years: list[int]


def _committed(qs: QuerySet[Measure]) -> QuerySet[Measure]:
    """Approved and not over, with no cost booked yet: the estimate is committed."""
    return qs.filter(status__in=ACTIVE_STATUSES).filter(~Exists(MeasureCost.objects.filter(measure=OuterRef("pk"))))


def budget_overview(year: int, policy: Policy | None = None) -> BudgetOverview:
    """The year's budget for measures (from the policy), what is committed (approved, ordered or
    in place and not yet booked: the estimates, in the year of the decision), what is spent (the
    actual costs booked in the year), and what remains — in total and per measure type; and the
    same per year. Five queries."""
    policy = policy or Policy.current()
    budget = int(policy.budget_measures_sek or 0)
    types = {t.pk: t for t in MeasureType.objects.all()}
    rows: dict[int, BudgetRow] = {}

    def row(type_id: int) -> BudgetRow:
        if type_id not in rows:
            rows[type_id] = BudgetRow(label=types[type_id].name if type_id in types else "?")
        return rows[type_id]

    for type_id, total in (_committed(Measure.objects.filter(decided_at__year=year)).order_by()
                           .values("measure_type").annotate(total=Sum("estimated_cost_sek"))
                           .values_list("measure_type", "total")):
        row(type_id).committed = int(total or 0)
    for type_id, count in (Measure.objects.filter(decided_at__year=year, status__in=[*ACTIVE_STATUSES, S.ENDED])
                           .order_by().values("measure_type").annotate(n=Count("id")).values_list("measure_type", "n")):
        row(type_id).approved = count
    for type_id, total in (MeasureCost.objects.filter(booked_on__year=year).order_by()
                           .values("measure__measure_type").annotate(total=Sum("amount_sek"))
                           .values_list("measure__measure_type", "total")):
        row(type_id).spent = int(total or 0)
    by_type = sorted(rows.values(), key=lambda r: (-(r.committed + r.spent), r.label))
    total = BudgetRow(label=_("All measures"), approved=sum(r.approved for r in by_type),
                      committed=sum(r.committed for r in by_type), spent=sum(r.spent for r in by_type), budget=budget)

    per_year: dict[int, BudgetRow] = defaultdict(lambda: BudgetRow(label="", budget=budget))
    for y, committed in (_committed(Measure.objects.filter(decided_at__isnull=False)).order_by()
                         .annotate(y=ExtractYear("decided_at")).values("y").annotate(total=Sum("estimated_cost_sek"))
                         .values_list("y", "total")):
        per_year[int(y)].committed = int(committed or 0)
    for y, spent in (MeasureCost.objects.order_by().annotate(y=ExtractYear("booked_on")).values("y")
                     .annotate(total=Sum("amount_sek")).values_list("y", "total")):
        per_year[int(y)].spent = int(spent or 0)
    this_year = timezone.localdate().year
    per_year[this_year]  # noqa: B018 — the current year is always shown
    per_year[year]  # noqa: B018
    by_year = sorted(((y, r) for y, r in per_year.items()), reverse=True)
    for y, r in by_year:
        r.label = str(y)
    return BudgetOverview(year=year, total=total, by_type=by_type, by_year=by_year,
                          training_budget=int(policy.budget_training_sek or 0), years=[y for y, _r in by_year])


def budget_total(year: int, policy: Policy | None = None) -> BudgetRow:
    """The year's budget for measures with what is committed and spent, as in the total row of
    `budget_overview` (`approved` is not counted). One query: the two sums as a UNION."""
    policy = policy or Policy.current()
    committed = (_committed(Measure.objects.filter(decided_at__year=year)).order_by()
                 .annotate(part=Value("committed")).values("part").annotate(total=Sum("estimated_cost_sek"))
                 .values_list("part", "total"))
    spent = (MeasureCost.objects.filter(booked_on__year=year).order_by()
             .annotate(part=Value("spent")).values("part").annotate(total=Sum("amount_sek"))
             .values_list("part", "total"))
    totals = {part: int(total or 0) for part, total in committed.union(spent, all=True)}
    return BudgetRow(label=_("All measures"), committed=totals.get("committed", 0), spent=totals.get("spent", 0),
                     budget=int(policy.budget_measures_sek or 0))


# ---------------------------------------------------------------- alarm events

def alarm_event_list(user: User, *, open_only: bool = False) -> QuerySet[AlarmEvent]:
    qs = (perms.alarm_events_for_user(user)
          .select_related("case__official", "measure__measure_type", "provider", "acknowledged_by"))
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.order_by("-received_at", "-id")


# ---------------------------------------------------------------- the case page (incidents.hooks)

def _sees_assessments(user: User) -> bool:
    """The security unit and the approver read the assessments themselves (the case panel)."""
    return perms.is_security_unit(user) or perms.holds_approver_role(user)


def case_page_query(cases: QuerySet[Case], user: User) -> QuerySet[Case]:
    """The case page's cases with what the unit's and the approver's panel reads (`incidents.hooks.
    register_case_page_query`): the current assessment (`case_page_assessment`), whether a new report
    joined since (`case_page_open_trigger`) and the measures (`case_page_measures`)."""
    if not _sees_assessments(user):
        return cases
    current = FilteredRelation("assessments", condition=Q(assessments__pk=_latest_assessment_field("pk")))
    open_trigger = Exists(ReassessmentTrigger.objects.filter(case=OuterRef("pk"), resolved_by__isnull=True))
    return (cases.annotate(measures_assessment=current, measures_open_trigger=open_trigger)
            # django-stubs does not know a FilteredRelation's name as a relation
            .select_related("measures_assessment__assessed_by")  # type: ignore[misc]
            .prefetch_related(_measures_prefetch()))


def case_page_assessment(case: Case) -> Assessment | None:
    """The case's current assessment with `assessed_by` (None: never assessed): read with the case on
    its page (`case_page_query`), otherwise fetched now."""
    if not hasattr(case, "measures_open_trigger"):  # the case came without `case_page_query`
        return latest_assessment(case)
    current: Assessment | None = getattr(case, "measures_assessment", None)  # left unset when there is none
    return current


def case_page_open_trigger(case: Case) -> bool | None:
    """Whether a new report joined the case since its latest assessment, as read with the case on its
    page (`case_page_query`); None when the case came without it."""
    return getattr(case, "measures_open_trigger", None)


def _measures_prefetch() -> Prefetch[Any]:
    """The case's measures for the case panel, newest first, with the booked cost (`booked_sek`)."""
    measures = _with_booked(Measure.objects.select_related("measure_type")).order_by("-proposed_at", "-id")
    return Prefetch("measures", queryset=measures, to_attr="measures_of_case")


def case_page_measures(case: Case) -> list[Measure]:
    """The measures of a case, open ones first (newest first within), with the booked cost
    (`booked_sek`) and the fields the case panel shows."""
    measures = prefetched(case, _measures_prefetch())
    return sorted(measures, key=lambda m: _PANEL_ORDER.get(m.status, 99))  # stable: newest first within


_PANEL_ORDER = {status: index for index, status in enumerate(
    [S.PROPOSED, S.APPROVED, S.ORDERED, S.UNDER_REVIEW, S.IN_PLACE, S.ENDED, S.REJECTED, S.WITHDRAWN])}


# What this app puts on the case timeline (`incidents.hooks.register_timeline_source`): assessments,
# measure steps and alarm events. The security unit sees everything; others see that an assessment was
# made, the decided measures' steps (no reasons, no costs) and the alarm events (with who acknowledged
# them and how only for those who follow alarms).

def _assessment_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    assessments = Assessment.objects.filter(case_id=case_id)
    if not perms.is_security_unit(user):
        return hooks.timeline_values(assessments, "assessment", at="assessed_at")
    return hooks.timeline_values(assessments, "assessment", at="assessed_at", code="level", body="conclusion",
                                 actor="assessed_by")


def _assessment_item(row: hooks.TimelineRow, user: User) -> hooks.TimelineItem:
    if not perms.is_security_unit(user):
        return hooks.TimelineItem(at=row.at, kind=row.kind, title=_("Threat and risk assessment made"))
    return hooks.TimelineItem(
        at=row.at, kind=row.kind, title=_("Threat and risk assessment: %(level)s") % {"level": _label(RiskLevel, row.code)},
        body=row.body, actor=row.actor, url=reverse("measures:assessment-detail", args=[row.id]))


# The steps of a measure that everyone who sees the case may see (no reasons, no costs).
_SHOWN_TO_ALL = (S.APPROVED, S.ORDERED, S.IN_PLACE, S.ENDED)


def _step_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    steps = MeasureEvent.objects.filter(measure__case_id=case_id)
    # The measure type's name in the current language, as MeasureType.name reads it.
    name = f"measure__measure_type__name_{'en' if (get_language() or '').startswith('en') else 'sv'}"
    if not perms.is_security_unit(user):
        return hooks.timeline_values(steps.filter(to_status__in=_SHOWN_TO_ALL), "measure", at="at",
                                     ref="measure_id", code=name, code2="to_status")
    return hooks.timeline_values(steps, "measure", at="at", ref="measure_id", code=name, code2="to_status",
                                 body="comment", actor="actor")


def _step_item(row: hooks.TimelineRow, user: User) -> hooks.TimelineItem:
    title = _("Measure %(name)s: %(status)s") % {"name": row.code, "status": _label(S, row.code2)}
    if not perms.is_security_unit(user):
        return hooks.TimelineItem(at=row.at, kind=row.kind, title=title)
    return hooks.TimelineItem(at=row.at, kind=row.kind, title=title, body=row.body, actor=row.actor or _("Värn"),
                              url=reverse("measures:measure-detail", args=[row.ref]))


def _alarm_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    alarms = AlarmEvent.objects.filter(case_id=case_id)
    if not perms.can_view_alarms(user):
        return hooks.timeline_values(alarms, "alarm", at="occurred_at", code="alarm_kind")
    return hooks.timeline_values(alarms, "alarm", at="occurred_at", code="alarm_kind", body="acknowledge_note",
                                 actor="acknowledged_by")


def _alarm_item(row: hooks.TimelineRow, user: User) -> hooks.TimelineItem:
    return hooks.TimelineItem(
        at=row.at, kind=row.kind, title=_("Alarm: %(kind)s went off") % {"kind": _label(AlarmKind, row.code)},
        body=row.body, actor=row.actor,
        url=reverse("measures:alarmevent-detail", args=[row.id]) if perms.can_view_alarms(user) else None)


TIMELINE_SOURCES = (
    hooks.TimelineSource("assessment", _assessment_rows, _assessment_item),
    hooks.TimelineSource("measure", _step_rows, _step_item),
    hooks.TimelineSource("alarm", _alarm_rows, _alarm_item),
)


def timeline_items(case: Case, user: User) -> list[hooks.TimelineItem]:
    """This app's entries on the case's timeline as `user` sees them, oldest first (one query; the case
    page reads them in its one timeline query)."""
    return timeline(case.pk, user, TIMELINE_SOURCES)


def _label(choices: type[TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def official_sections(cases: list[Case], user: User) -> dict[int, list[hooks.OfficialSection]]:
    """For the official's own cases: the decided measures and where they stand (no reasons, no
    costs). One query."""
    own = [c.pk for c in cases if c.official.user_id and c.official.user_id == getattr(user, "pk", None)]
    if not own:
        return {}
    lines: dict[int, list[str]] = defaultdict(list)
    for measure in (Measure.objects.filter(case_id__in=own, status__in=DECIDED_STATUSES)
                    .select_related("measure_type").order_by("decided_at", "id")):
        if measure.status == S.REJECTED:
            text = _("%(name)s: not granted") % {"name": measure.measure_type.name}
        elif measure.status == S.IN_PLACE and measure.in_place_on:
            text = _("%(name)s: in place since %(date)s") % {"name": measure.measure_type.name,
                                                             "date": format_date(measure.in_place_on)}
        else:
            text = f"{measure.measure_type.name}: {measure.get_status_display().lower()}"
        lines[measure.case_id].append(text)
    return {case_id: [hooks.OfficialSection(title=_("Protective and support measures"), lines=found)]
            for case_id, found in lines.items()}


# ---------------------------------------------------------------- home page counts

def counts_for_home(user: User, today: date | None = None, policy: Policy | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    policy = policy or Policy.current()
    counts: dict[str, int] = {}
    order_scope = perms.order_scope(user, policy)
    to_order = perms.order_queue_q & order_scope if order_scope is not None else Q(pk__in=[])
    if perms.is_security_unit(user):
        counts["reassessments_due"] = cases_due_for_reassessment(today).count()
        stats = Measure.objects.aggregate(
            to_order=Count("pk", filter=to_order),
            review_due=Count("pk", filter=Q(status=S.IN_PLACE, review_on__lte=today)),
            flagged=Count("pk", filter=Q(end_flagged_at__isnull=False, status__in=OPEN_STATUSES)),
            waiting=Count("pk", filter=Q(status=S.PROPOSED)),
        )
        counts.update({k: int(v or 0) for k, v in stats.items()})
    if perms.holds_approver_role(user, policy):
        counts["for_my_decision"] = (perms.measures_for_user(user, policy).filter(status=S.PROPOSED)
                                     .exclude(proposed_by=user).count())
    elif order_scope is not None:  # the technical office
        counts["to_order"] = Measure.objects.filter(to_order).count()
    if perms.can_view_alarms(user):
        counts["alarms_open"] = AlarmEvent.objects.filter(acknowledged_at__isnull=True).count()
    return counts


# ---------------------------------------------------------------- the order queue


def order_queue(user: User, policy: Policy | None = None) -> QuerySet[Measure]:
    """The approved measures waiting to be ordered that `user` may order (`permissions.order_scope`),
    oldest decision first. Read with what the queue shows — the measure, its type, the case's
    reference and the official's name — and nothing of the official's private data."""
    scope = perms.order_scope(user, policy)
    if scope is None:
        return Measure.objects.none()
    return (Measure.objects.filter(perms.order_queue_q).filter(scope)
            .select_related("case__official", "measure_type")
            .only("status", "details", "estimated_cost_sek", "decided_at", "case", "measure_type", "case__official",
                  "case__official__first_name", "case__official__last_name", "measure_type__code",
                  "measure_type__name_sv", "measure_type__name_en", "measure_type__technical",
                  "measure_type__requires_order", "measure_type__alarm_kind")
            .order_by("decided_at", "id"))


def order_queue_position(user: User, measure: Measure, policy: Policy | None = None) -> int:
    """How many of `user`'s queue come before `measure` (to find its page)."""
    if measure.decided_at is None:
        return 0
    before = Q(decided_at__lt=measure.decided_at) | Q(decided_at=measure.decided_at, pk__lt=measure.pk)
    return order_queue(user, policy).filter(before).count()


def open_alarm_events(limit: int = 5) -> list[AlarmEvent]:
    return list(AlarmEvent.objects.filter(acknowledged_at__isnull=True).order_by("-received_at")[:limit])

