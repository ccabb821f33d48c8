"""Reads for training and prevention. No list here offers a filter by party."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from core.models import Reminder
from officials.models import COVERED_SHARE_PERCENT, Assignment, Body, Official

from .calendar import Term, term_for
from .models import (
    CollaborationMeeting,
    Completion,
    Course,
    Enrolment,
    RevisionTask,
    SecurityConversation,
    Session,
    TargetGroup,
    TrainingOffer,
)

PRIVATE_FIELDS = ("home_address", "private_phone", "private_email", "private_social")
E = Enrolment.Status


# ---------------------------------------------------------------- target groups


def _group_filter(group: str) -> Q:
    covered = Q(share_percent__gte=COVERED_SHARE_PERCENT) | Q(role__in=Assignment.COMMISSIONER_ROLES)
    if group == TargetGroup.COVERED:
        return covered
    if group == TargetGroup.EXPOSED:
        return covered | Q(body__kind=Body.Kind.EXECUTIVE)
    return Q()


def officials_in_group(group: str, on: date) -> QuerySet[Official]:
    """The officials an offer for `group` is meant for on `on` (all active, covered, or the most
    exposed: covered plus the municipal executive board)."""
    assignments = Assignment.objects.current(on).filter(_group_filter(group)).values("official_id")
    return Official.objects.filter(id__in=assignments).defer(*PRIVATE_FIELDS)


def official_groups(official: Official, on: date) -> set[str]:
    """The target groups `official` belongs to on `on` (one query)."""
    groups: set[str] = set()
    for share, role, kind in Assignment.objects.current(on).filter(official=official).values_list(
            "share_percent", "role", "body__kind"):
        groups.add(TargetGroup.ALL)
        covered = share >= COVERED_SHARE_PERCENT or role in Assignment.COMMISSIONER_ROLES
        if covered:
            groups.add(TargetGroup.COVERED)
        if covered or kind == Body.Kind.EXECUTIVE:
            groups.add(TargetGroup.EXPOSED)
    return groups


def official_in_group(official: Official, group: str, on: date) -> bool:
    return group in official_groups(official, on)


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


def my_training(official: Official, on: date | None = None) -> MyTraining:
    """An official's page: open offers for them with upcoming sessions, their enrolments, their
    training record and their security conversations (never the notes). Constant queries."""
    on = on or timezone.localdate()
    now = timezone.now()
    groups = official_groups(official, on)
    upcoming = sessions_with_counts(Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
                                    ).order_by("starts_at", "id")
    offers = list(TrainingOffer.objects.filter(target_group__in=groups, opens_on__lte=on, closes_on__gte=on)
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
        completed_offer_ids={c.offer_id for c in completions},
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
