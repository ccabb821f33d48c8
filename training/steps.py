"""The planner's steps for the term's prevention work (registered in `TrainingConfig.ready`).

Each step is `step(today, policy) -> list[str]`, idempotent and cheap: on a day when nothing falls
due it costs one or two queries. What falls due is derived from the election calendar and the
policy; what exists is keyed by (kind, term, period) with unique constraints, so a second run on
the same day — or two runs at once — creates nothing twice. A step catches up when the planner did
not run on the exact day (it creates the current period's item, never past periods')."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from accounts.roles import Role
from core.reminders import reminder_ensure, reminder_ensure_many
from officials.models import Assignment

from . import selectors, services
from .calendar import EXTRA_ELECTION_LEAD_DAYS, TERM_YEARS, Term, add_months, extra_elections_in, term_for
from .models import (
    CollaborationMeeting,
    Course,
    RevisionTask,
    SecurityConversation,
    TargetGroup,
    TrainingOffer,
)

K = TrainingOffer.Kind
REMINDER_LEAD_DAYS = 30


def _lang():
    """Stored titles and messages are written in the municipality's language."""
    return translation.override(settings.LANGUAGE_CODE)


# ---------------------------------------------------------------- standard courses


def _standard_courses() -> dict[str, dict]:
    return {
        "term-introduction": {
            "kind": Course.Kind.INTRODUCTION, "format": Course.Format.ONSITE, "target_group": TargetGroup.ALL,
            "title": _("Introduction for elected officials: threats, hate, violence and undue influence"),
            "description": _("The municipality's guideline, how to report an incident, what support you can get "
                             "and who to contact. For everyone starting the term."),
        },
        "personal-security": {
            "kind": Course.Kind.PERSONAL_SECURITY, "format": Course.Format.ONSITE,
            "target_group": TargetGroup.COVERED,
            "title": _("Personal-security training"),
            "description": _("Your own safety in the assignment: risks, preparation before meetings and public "
                             "appearances, at home and online."),
        },
        "recurring": {
            "kind": Course.Kind.RECURRING, "format": Course.Format.ONSITE, "target_group": TargetGroup.ALL,
            "title": _("Detect, prevent and handle threats, hate and violence"),
            "description": _("The recurring training for elected officials and political secretaries."),
        },
        "pre-election-onsite": {
            "kind": Course.Kind.TARGETED, "format": Course.Format.ONSITE, "target_group": TargetGroup.EXPOSED,
            "title": _("On-site training before the election"),
            "description": _("For the most exposed before the election campaign: public meetings, personal "
                             "security and what to do when something happens."),
        },
        "web-course": {
            "kind": Course.Kind.WEB, "format": Course.Format.WEB, "target_group": TargetGroup.ALL,
            "title": _("Web course: threats and violence against elected officials"),
            "description": _("The general web course, open all term. Come back to it whenever you need."),
        },
    }


def standard_course(code: str) -> Course:
    with _lang():
        defaults = _standard_courses()[code]
        course, _created = Course.objects.get_or_create(code=code, defaults={k: str(v) for k, v in defaults.items()})
    return course


# ---------------------------------------------------------------- training offers


@dataclass(frozen=True)
class OfferSpec:
    kind: str
    period: str
    course_code: str
    opens_on: date
    closes_on: date
    required: bool
    title_suffix: str


def due_offers(today: date, policy: Policy, term: Term, extra_dates: list[date]) -> list[OfferSpec]:
    """The offers that should exist on `today` (pure: no queries)."""
    specs = [
        OfferSpec(K.TERM_START_INTRODUCTION, "", "term-introduction", term.start, term.end, True, term.label),
        OfferSpec(K.TERM_START_SECURITY, "", "personal-security", term.start, term.end, True, term.label),
    ]
    if policy.web_course:
        specs.append(OfferSpec(K.WEB_COURSE, "", "web-course", term.start, term.end, True, term.label))
    if policy.training_every_months:
        periods = term.periods(policy.training_every_months)
        number, start, end = term.period_on(today, policy.training_every_months)
        specs.append(OfferSpec(K.RECURRING, str(number), "recurring", start, end, False,
                               f"{number}/{len(periods)}, {term.label}"))
    if policy.onsite_training_before_election:
        opens, closes = term.pre_election_window
        if opens <= today <= closes:
            specs.append(OfferSpec(K.PRE_ELECTION, str(term.closing_election.year), "pre-election-onsite", opens,
                                   closes, True, term.closing_election.isoformat()))
    for election_day in extra_dates:
        if election_day - timedelta(days=EXTRA_ELECTION_LEAD_DAYS) <= today < election_day:
            specs.append(OfferSpec(K.EXTRA_ELECTION, election_day.isoformat(), "pre-election-onsite", today,
                                   election_day - timedelta(days=1), True, election_day.isoformat()))
    return specs


def plan_offers(today: date, policy: Policy) -> list[str]:
    term = term_for(today)
    extra = list(extra_elections_in(term).filter(targeted_training=True).values_list("election_date", flat=True))
    specs = due_offers(today, policy, term, extra)
    existing = set(TrainingOffer.objects.filter(term=term.year).exclude(kind=K.MANUAL)
                   .values_list("kind", "period"))
    created = []
    for spec in specs:
        if (spec.kind, spec.period) in existing:
            continue
        course = standard_course(spec.course_code)
        with _lang():
            title = f"{course.title} ({spec.title_suffix})" if spec.kind != K.EXTRA_ELECTION else \
                _("%(course)s (extra election %(date)s)") % {"course": course.title, "date": spec.period}
            offer, was_created = services.offer_ensure(
                kind=spec.kind, term=term.year, period=spec.period, course=course, title=title,
                target_group=course.target_group, opens_on=spec.opens_on, closes_on=spec.closes_on,
                required=spec.required, today=today)
            if not was_created:
                continue
            created.append(f"offer {offer.kind} {offer.term} {offer.period}".strip())
            message = (_("Send the web course invitation: %(title)s") if offer.is_web
                       else _("Schedule sessions and send invitations: %(title)s")) % {"title": offer.title}
            reminder_ensure(kind="training.offer_plan", obj=offer, due_on=max(today, offer.opens_on),
                                     message=message, url=reverse("training:offer-detail", args=[offer.pk]),
                                     recipients_role=Role.SECURITY_HANDLER, today=today)
    return created


# ---------------------------------------------------------------- security conversations


def plan_conversations(today: date, policy: Policy) -> list[str]:
    scope = policy.yearly_conversations
    if scope == Policy.ConversationScope.NONE:
        return []
    term = term_for(today)
    period = term.year_index(today)
    group = TargetGroup.COVERED if scope == Policy.ConversationScope.COVERED else TargetGroup.ALL
    have = SecurityConversation.objects.filter(reason=SecurityConversation.Reason.YEARLY, term=term.year,
                                               period=period).values("official_id")
    missing = list(selectors.officials_in_group(group, today).exclude(id__in=have).only("id"))
    created = services.conversations_ensure_yearly(officials=missing, term=term, period=period, today=today)
    return [f"conversation {c.official_id} {c.term}/{c.period}" for c in created]


# ---------------------------------------------------------------- collaboration meetings


def meeting_slots(term: Term, count: int) -> list[tuple[int, date, date]]:
    """(number, slot start, planned date): `count` meetings spread evenly over the term, each
    planned for the middle of its slot."""
    months = 12 * TERM_YEARS
    slots = []
    for index in range(count):
        start = add_months(term.start, months * index // count)
        end = add_months(term.start, months * (index + 1) // count)
        middle = start + timedelta(days=(end - start).days // 2)
        slots.append((index + 1, start, middle))
    return slots


def _default_invitees() -> list[tuple[str, str, str, User | None]]:
    invitees: list[tuple[str, str, str, User | None]] = [
        (str(_("Police")), "", "", None), (str(_("Swedish Security Service (Säpo)")), "", "", None)]
    for user in (User.objects.filter(is_active=True, groups__name=Role.PARTY_CONTACT).select_related("party")
                 .order_by("party__name", "last_name", "id").distinct()):
        organisation = _("%(party)s, security organisation") % {"party": user.party.name} \
            if user.party is not None else str(_("Party security organisation"))
        invitees.append((organisation, user.display_name(), "", user))
    return invitees


def plan_meetings(today: date, policy: Policy) -> list[str]:
    count = policy.meetings_per_term
    if not count:
        return []
    term = term_for(today)
    current = [slot for slot in meeting_slots(term, count) if slot[1] <= today][-1]
    number, _start, planned_for = current
    if CollaborationMeeting.objects.filter(term=term.year, number=number).exists():
        return []
    with _lang():
        title = _("Collaboration meeting %(number)s/%(count)s, term %(term)s") % {
            "number": number, "count": count, "term": term.label}
        meeting, created = services.meeting_ensure(term=term.year, number=number, title=title,
                                                   planned_for=planned_for, today=today,
                                                   default_invitees=_default_invitees())
    return [f"meeting {term.year}/{number}"] if created else []


# ---------------------------------------------------------------- guideline revision


def plan_revision(today: date, policy: Policy) -> list[str]:
    if not policy.guideline_revision_year_before_election:
        return []
    term = term_for(today)
    if today.year != term.revision_year:
        return []
    if RevisionTask.objects.filter(term=term.year).exists():
        return []
    task, created = services.revision_ensure(term=term, today=today)
    return [f"revision {task.term}"] if created else []


# ---------------------------------------------------------------- reminders


def plan_assignment_reminders(today: date, policy: Policy) -> list[str]:
    """Assignments ending within 30 days: the security unit reviews training, measures and access."""
    ending = list(Assignment.objects.filter(end__gte=today, end__lte=today + timedelta(days=REMINDER_LEAD_DAYS))
                  .select_related("official", "body").only("id", "end", "role", "official__first_name",
                                                           "official__last_name", "body__name"))
    if not ending:
        return []
    with _lang():
        items = [(a, a.end, _("%(name)s: the assignment “%(assignment)s” ends on %(date)s.") % {
            "name": a.official.full_name, "assignment": f"{a.get_role_display()}, {a.body.name}",
            "date": a.end.isoformat()}, reverse("training:record-detail", args=[a.official_id]))
            for a in ending if a.end is not None]
        created = reminder_ensure_many(kind="officials.assignment_ending", items=items,
                                       recipients_role=Role.SECURITY_HANDLER, today=today)
    return [f"reminder assignment_ending {r.object_id}" for r in created]


def plan_follow_up(today: date, policy: Policy) -> list[str]:
    """Follow-ups: conversations to book, meetings to invite to, the revision coming due."""
    soon = today + timedelta(days=REMINDER_LEAD_DAYS)
    created = []
    with _lang():
        conversations = list(SecurityConversation.objects.filter(
            status=SecurityConversation.Status.DUE, due_by__lte=soon, due_by__gte=today)
            .select_related("official").only("id", "due_by", "official__first_name", "official__last_name"))
        created += reminder_ensure_many(
            kind="training.conversation_due", recipients_role=Role.SECURITY_HANDLER, today=today,
            items=[(c, c.due_by, _("Book the security conversation with %(name)s (due %(date)s).") % {
                "name": c.official.full_name, "date": c.due_by.isoformat()},
                reverse("training:conversation-detail", args=[c.pk])) for c in conversations])
        meetings = list(CollaborationMeeting.objects.filter(status=CollaborationMeeting.Status.PLANNED,
                                                            planned_for__lte=soon, planned_for__gte=today))
        created += reminder_ensure_many(
            kind="training.meeting_invite", recipients_role=Role.SECURITY_HANDLER, today=today,
            items=[(m, m.planned_for, _("Set the time and send the invitations: %(title)s") % {"title": m.title},
                    reverse("training:meeting-detail", args=[m.pk])) for m in meetings])
        revisions = list(RevisionTask.objects.filter(status=RevisionTask.Status.OPEN,
                                                     due_by__lte=today + timedelta(days=60), due_by__gte=today))
        created += reminder_ensure_many(
            kind="training.revision_due", recipients_role=Role.SECURITY_HANDLER, today=today,
            items=[(r, r.due_by, _("Revise the guideline before %(date)s (term %(term)s).") % {
                "date": r.due_by.isoformat(), "term": Term(r.term).label},
                reverse("training:revision-list")) for r in revisions])
    return [f"reminder {r.kind} {r.object_id}" for r in created]


STEPS = {
    "training.offers": plan_offers,
    "training.conversations": plan_conversations,
    "training.meetings": plan_meetings,
    "training.revision": plan_revision,
    "training.assignment_reminders": plan_assignment_reminders,
    "training.follow_up": plan_follow_up,
}
