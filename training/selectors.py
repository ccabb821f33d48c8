"""Reads for training and prevention. No list here offers a filter by party."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from accounts.models import Policy, User
from core.models import Reminder
from officials.models import COVERING, STAFF_ROLES, Assignment, Body, Official, covers

from .calendar import Term, term_for
from .models import (
    CollaborationMeeting,
    Completion,
    Course,
    Enrolment,
    OfferAddedOfficial,
    RevisionTask,
    SecurityConversation,
    Session,
    TargetGroup,
    TrainingCost,
    TrainingOffer,
)

PRIVATE_FIELDS = ("home_address", "private_phone", "private_email", "private_social")
E = Enrolment.Status


# ---------------------------------------------------------------- target groups


def _group_filter(group: str) -> Q:
    """The assignments that put their holder in `group` (who is covered: `officials.models.COVERING`)."""
    if group == TargetGroup.WITH_SECRETARIES:
        return Q()
    if group == TargetGroup.COVERED:
        return COVERING
    if group == TargetGroup.EXPOSED:
        return COVERING | (Q(body__kind=Body.Kind.EXECUTIVE) & ~Q(role__in=STAFF_ROLES))
    return ~Q(role__in=STAFF_ROLES)  # ALL: the elected officials


def officials_in_group(group: str, on: date) -> QuerySet[Official]:
    """The officials an offer for `group` is meant for on `on`: all elected officials, those and
    the political and committee secretaries, the covered (KL 4:18a), or the most exposed (covered
    plus the municipal executive board)."""
    assignments = Assignment.objects.current(on).filter(_group_filter(group)).values("official_id")
    return Official.objects.filter(id__in=assignments).defer(*PRIVATE_FIELDS)


def official_groups(official: Official, on: date) -> set[str]:
    """The target groups `official` belongs to on `on` (one query)."""
    groups: set[str] = set()
    for share, role, kind, designated in Assignment.objects.current(on).filter(official=official).values_list(
            "share_percent", "role", "body__kind", "designated_by_party"):
        groups.add(TargetGroup.WITH_SECRETARIES)
        if role in STAFF_ROLES:
            continue
        groups.add(TargetGroup.ALL)
        covered = covers(share_percent=share, role=role, designated_by_party=designated)
        if covered:
            groups.add(TargetGroup.COVERED)
        if covered or kind == Body.Kind.EXECUTIVE:
            groups.add(TargetGroup.EXPOSED)
    return groups


def official_in_group(official: Official, group: str, on: date) -> bool:
    return group in official_groups(official, on)


def offer_audience(offer: TrainingOffer, on: date) -> QuerySet[Official]:
    """Whom `offer` is for on `on`: its target group and the people the security unit added to it.
    Invitations go to them, and they may open, enrol in and complete it."""
    added = OfferAddedOfficial.objects.filter(offer=offer).values("official_id")
    assignments = Assignment.objects.current(on).filter(_group_filter(offer.target_group)).values("official_id")
    return Official.objects.filter(Q(id__in=assignments) | Q(id__in=added)).defer(*PRIVATE_FIELDS)


def in_audience(official: Official, offer: TrainingOffer, on: date, groups: set[str] | None = None) -> bool:
    """Whether `official` is in `offer_audience(offer, on)` (`groups`: theirs, when already read)."""
    groups = official_groups(official, on) if groups is None else groups
    return offer.target_group in groups or OfferAddedOfficial.objects.filter(offer=offer, official=official).exists()


def offers_for_official(official: Official, groups: set[str]) -> Q:
    """A filter on offers: for `official`'s target `groups`, or they were added to it."""
    return Q(target_group__in=groups) | Q(added_officials__official=official)


def added_officials(offer: TrainingOffer) -> QuerySet[OfferAddedOfficial]:
    return (OfferAddedOfficial.objects.filter(offer=offer).select_related("official", "added_by")
            .defer(*[f"official__{f}" for f in PRIVATE_FIELDS]).order_by("official__last_name", "official__first_name",
                                                                          "id"))


# ---------------------------------------------------------------- sessions and offers


def sessions_with_counts(qs: QuerySet[Session] | None = None) -> QuerySet[Session]:
    qs = qs if qs is not None else Session.objects.all()
    return qs.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=[E.ENROLLED, E.ATTENDED])),
        waiting=Count("enrolments", filter=Q(enrolments__status=E.WAITING)),
    )


def offers_for_term(term: Term) -> QuerySet[TrainingOffer]:
    return (TrainingOffer.objects.filter(term=term.year).select_related("course")
            .annotate(session_count=Count("sessions", distinct=True),
                      completion_count=Count("completions", distinct=True))
            .order_by("opens_on", "id"))


def offer_sessions(offer: TrainingOffer) -> QuerySet[Session]:
    return sessions_with_counts(offer.sessions.all()).order_by("starts_at", "id")


def session_enrolments(session: Session) -> QuerySet[Enrolment]:
    return (session.enrolments.exclude(status=E.CANCELLED).select_related("official")
            .defer(*[f"official__{f}" for f in PRIVATE_FIELDS]).order_by("created_at", "id"))


def courses() -> QuerySet[Course]:
    return Course.objects.annotate(offer_count=Count("offers")).order_by("-is_active", "title", "id")


@dataclass
class MyTraining:
    official: Official
    groups: set[str]
    offers: Sequence[TrainingOffer]
    enrolments: list[Enrolment]
    completions: list[Completion]
    conversations: list[SecurityConversation]
    enrolment_by_session: dict[int, Enrolment] = field(default_factory=dict)
    completed_offer_ids: set[int] = field(default_factory=set)
    on: date = field(default_factory=timezone.localdate)


def my_training(official: Official, on: date | None = None) -> MyTraining:
    """An official's page: open offers for them with upcoming sessions, their enrolments, their
    training record and their security conversations (never the notes). Constant queries."""
    on = on or timezone.localdate()
    now = timezone.now()
    groups = official_groups(official, on)
    upcoming = sessions_with_counts(Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
                                    ).order_by("starts_at", "id")
    # Open now, or opening later with a session already planned (the invitation may have come).
    offered = TrainingOffer.objects.filter(offers_for_official(official, groups), closes_on__gte=on).filter(
        Q(opens_on__lte=on) | Q(sessions__status=Session.Status.SCHEDULED, sessions__starts_at__gt=now))
    offers = list(TrainingOffer.objects.filter(pk__in=offered.values("pk"))
                  .select_related("course").prefetch_related(Prefetch("sessions", queryset=upcoming,
                                                                      to_attr="upcoming_sessions"))
                  .order_by("closes_on", "id"))
    enrolments = list(Enrolment.objects.filter(official=official).exclude(status=E.CANCELLED)
                      .select_related("session__offer").order_by("-session__starts_at", "-id"))
    completions = list(Completion.objects.filter(official=official).select_related("offer__course")
                       .order_by("-completed_on", "-id"))
    conversations = list(SecurityConversation.objects.filter(official=official)
                         .exclude(status=SecurityConversation.Status.CANCELLED)
                         .defer("notes").order_by("-due_by", "-id"))
    return MyTraining(
        official=official, groups=groups, offers=offers, enrolments=enrolments, completions=completions,
        conversations=conversations,
        enrolment_by_session={e.session_id: e for e in enrolments},
        completed_offer_ids={c.offer_id for c in completions}, on=on,
    )


def own_enrolment(session: Session, official: Official | None) -> Enrolment | None:
    if official is None:
        return None
    return Enrolment.objects.filter(session=session, official=official).exclude(status=E.CANCELLED).first()


# ---------------------------------------------------------------- conversations, meetings, revisions


def conversations_list(*, status: str = "", term: int | None = None) -> QuerySet[SecurityConversation]:
    qs = (SecurityConversation.objects.select_related("official").defer("notes", *[
        f"official__{f}" for f in PRIVATE_FIELDS]).order_by("due_by", "official__last_name", "id"))
    if status:
        qs = qs.filter(status=status)
    if term:
        qs = qs.filter(term=term)
    return qs


def meetings_list(term: int | None = None) -> QuerySet[CollaborationMeeting]:
    qs = CollaborationMeeting.objects.annotate(invitee_count=Count("invitees")).order_by("planned_for", "id")
    return qs.filter(term=term) if term else qs


def revisions_list() -> QuerySet[RevisionTask]:
    return RevisionTask.objects.select_related("done_by").order_by("-term")


def reminders_for(user: User, *, include_done: bool = False) -> QuerySet[Reminder]:
    qs = Reminder.objects.filter(Q(recipient=user) | Q(recipient__isnull=True, recipients_role__in=list(user.roles)))
    if not include_done:
        qs = qs.filter(done_at__isnull=True)
    return qs.order_by("due_on", "id")


# ---------------------------------------------------------------- KL 4:18a compliance


@dataclass
class ComplianceRow:
    official: Official
    done: dict[int, date]  # offer id → completed on
    missing: list[TrainingOffer]
    last_conversation: date | None
    next_conversation_due: date | None


def required_offers(term: Term, on: date) -> list[TrainingOffer]:
    """The offers every covered official must have completed this term (opened by `on`)."""
    return list(TrainingOffer.objects.filter(term=term.year, required=True, opens_on__lte=on)
                .select_related("course").order_by("opens_on", "id"))


def covered_officials(on: date) -> QuerySet[Official]:
    """The officials covered by KL 4:18a on `on`, A–Ö. Page it, then pass the page to
    `compliance_rows`."""
    covered: QuerySet[Official] = Official.objects.covered(on)
    return covered.defer(*PRIVATE_FIELDS).order_by("last_name", "first_name", "id")


def compliance_rows(officials: QuerySet[Official], offers: list[TrainingOffer]) -> list[ComplianceRow]:
    """A `ComplianceRow` per official of `officials` (e.g. a page of `covered_officials`): what
    each has completed of `offers`, and their last held and next due security conversation.
    One query, which reads the conversations and completions of these officials only."""
    from .calendar import add_months

    S = SecurityConversation.Status
    conversations = SecurityConversation.objects.filter(official=OuterRef("pk")).order_by()
    annotated = (
        Official.objects.filter(pk__in=officials.values("pk")).defer(*PRIVATE_FIELDS)
        .annotate(last_held=Subquery(conversations.filter(status=S.HELD)
                                     .values("official").annotate(d=Max("held_on")).values("d")),
                  open_due=Subquery(conversations.filter(status__in=[S.DUE, S.BOOKED])
                                    .values("official").annotate(d=Min("due_by")).values("d")),
                  **{f"done_{offer.pk}": Subquery(Completion.objects.filter(official=OuterRef("pk"), offer=offer)
                                                  .values("completed_on")[:1])
                     for offer in offers})
        .order_by("last_name", "first_name", "id"))
    rows = []
    for official in annotated:
        done = {offer.pk: getattr(official, f"done_{offer.pk}") for offer in offers}
        done = {pk: completed_on for pk, completed_on in done.items() if completed_on is not None}
        next_due = official.open_due or (add_months(official.last_held, 12) if official.last_held else None)
        rows.append(ComplianceRow(official=official, done=done, missing=[o for o in offers if o.pk not in done],
                                  last_conversation=official.last_held, next_conversation_due=next_due))
    return rows


@dataclass
class ComplianceSummary:
    covered: int
    complete: int  # covered officials with every required offer completed


def compliance_summary(on: date, offers: list[TrainingOffer]) -> ComplianceSummary:
    """How many officials are covered, and how many of them have completed every one of
    `offers`. One aggregate query."""
    complete = Count("pk")
    if offers:
        done = (Completion.objects.filter(official=OuterRef("pk"), offer__in=offers).order_by()
                .values("official").annotate(n=Count("offer", distinct=True)).values("n"))
        complete = Count("pk", filter=Q(done_n__gte=len(offers)))
        figures = (Official.objects.covered(on).annotate(done_n=Coalesce(Subquery(done), 0))
                   .aggregate(covered=Count("pk"), complete=complete))
    else:
        figures = Official.objects.covered(on).aggregate(covered=Count("pk"), complete=complete)
    return ComplianceSummary(covered=figures["covered"], complete=figures["complete"])


def compliance(on: date | None = None) -> tuple[list[TrainingOffer], list[ComplianceRow]]:
    """Every covered official (KL 4:18a) with the required training done and missing, and their
    last and next security conversation (for the exports). Two queries, whatever the number of
    officials."""
    on = on or timezone.localdate()
    offers = required_offers(term_for(on), on)
    return offers, compliance_rows(covered_officials(on), offers)


@dataclass
class TrainingRecord:
    official: Official
    completions: list[Completion]
    enrolments: list[Enrolment]
    conversations: list[SecurityConversation]
    missing: list[TrainingOffer]
    covered: bool


def training_record(official: Official, on: date | None = None) -> TrainingRecord:
    """An official's training record for the security unit (conversation notes excluded)."""
    on = on or timezone.localdate()
    completions = list(Completion.objects.filter(official=official).select_related("offer__course", "recorded_by")
                       .order_by("-completed_on", "-id"))
    enrolments = list(Enrolment.objects.filter(official=official).select_related("session__offer")
                      .order_by("-session__starts_at", "-id"))
    conversations = list(SecurityConversation.objects.filter(official=official).defer("notes")
                         .order_by("-due_by", "-id"))
    covered = Official.objects.covered(on).filter(pk=official.pk).exists()
    done = {c.offer_id for c in completions}
    missing = [o for o in required_offers(term_for(on), on) if o.pk not in done] if covered else []
    return TrainingRecord(official=official, completions=completions, enrolments=enrolments,
                          conversations=conversations, missing=missing, covered=covered)


# ---------------------------------------------------------------- the training budget
# Followed like the budget for measures (`measures.selectors.budget_overview`): the yearly budget
# from the policy, what is committed (the estimated cost of the sessions not cancelled that have
# no cost booked yet, in the year they start), what is spent (the costs booked in the year) and
# what remains. Money is not a head count: these figures are never suppressed as small counts.


@dataclass
class BudgetRow:
    label: str
    committed: int = 0
    spent: int = 0
    budget: int | None = None
    offer_id: int | None = None

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
class TrainingBudget:
    year: int
    total: BudgetRow
    by_offer: list[BudgetRow]
    by_year: list[tuple[int, BudgetRow]]
    years: list[int]
    costs: list[TrainingCost]


def _committed_sessions(qs: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions not cancelled with an estimate and no cost booked on them yet: the estimate is committed."""
    return (qs.exclude(status=Session.Status.CANCELLED).filter(estimated_cost_sek__gt=0)
            .filter(~Exists(TrainingCost.objects.filter(session=OuterRef("pk")))))


def budget_overview(year: int, policy: Policy | None = None) -> TrainingBudget:
    """The year's training budget with what is committed, spent and remaining — in total, per
    offer and per year — and the costs booked in the year. Six queries."""
    policy = policy or Policy.current()
    budget = int(policy.budget_training_sek or 0)
    rows: dict[int, BudgetRow] = {}
    for offer_id, total in (_committed_sessions(Session.objects.filter(starts_at__year=year)).order_by()
                            .values("offer").annotate(total=Sum("estimated_cost_sek")).values_list("offer", "total")):
        rows.setdefault(offer_id, BudgetRow(label="", offer_id=offer_id)).committed = int(total or 0)
    for offer_id, total in (TrainingCost.objects.filter(booked_on__year=year).order_by().values("offer")
                            .annotate(total=Sum("amount_sek")).values_list("offer", "total")):
        rows.setdefault(offer_id, BudgetRow(label="", offer_id=offer_id)).spent = int(total or 0)
    offers = TrainingOffer.objects.in_bulk(list(rows))
    for offer_id, row in rows.items():
        row.label = offers[offer_id].display_title if offer_id in offers else "?"
    by_offer = sorted(rows.values(), key=lambda r: (-r.used, r.label))
    total = BudgetRow(label="", committed=sum(r.committed for r in by_offer), spent=sum(r.spent for r in by_offer),
                      budget=budget)

    per_year: dict[int, BudgetRow] = {}

    def year_row(y: int) -> BudgetRow:
        return per_year.setdefault(y, BudgetRow(label=str(y), budget=budget))

    for y, committed in (_committed_sessions(Session.objects.all()).order_by().annotate(y=ExtractYear("starts_at"))
                         .values("y").annotate(total=Sum("estimated_cost_sek")).values_list("y", "total")):
        year_row(int(y)).committed = int(committed or 0)
    for y, spent in (TrainingCost.objects.order_by().annotate(y=ExtractYear("booked_on")).values("y")
                     .annotate(total=Sum("amount_sek")).values_list("y", "total")):
        year_row(int(y)).spent = int(spent or 0)
    year_row(timezone.localdate().year)
    year_row(year)
    by_year = sorted(per_year.items(), reverse=True)
    costs = list(TrainingCost.objects.filter(booked_on__year=year).select_related("offer", "session", "booked_by")
                 .order_by("-booked_on", "-id"))
    return TrainingBudget(year=year, total=total, by_offer=by_offer, by_year=by_year, years=[y for y, _r in by_year],
                          costs=costs)


@dataclass(frozen=True)
class BudgetFigures:
    committed: int
    spent: int


def budget_in_period(start: date, end: date) -> BudgetFigures:
    """Training costs for a follow-up report's period (both days included): committed (the
    estimates of sessions starting in it with no cost booked) and spent (the costs booked in
    it). The yearly budget is `Policy.budget_training_sek`. Two queries."""
    from datetime import datetime, time, timedelta

    tz = timezone.get_current_timezone()
    starts = datetime.combine(start, time.min, tzinfo=tz)
    ends = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    committed = (_committed_sessions(Session.objects.filter(starts_at__gte=starts, starts_at__lt=ends))
                 .aggregate(total=Sum("estimated_cost_sek"))["total"])
    spent = TrainingCost.objects.filter(booked_on__gte=start, booked_on__lte=end).aggregate(
        total=Sum("amount_sek"))["total"]
    return BudgetFigures(committed=int(committed or 0), spent=int(spent or 0))


def offer_costs(offer: TrainingOffer) -> list[TrainingCost]:
    return list(offer.costs.select_related("session", "booked_by").order_by("-booked_on", "-id"))
