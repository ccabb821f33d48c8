"""The planner's steps for the term's prevention work (registered in `TrainingConfig.ready`).

Each step is `step(today, policy) -> list[str]`, idempotent and cheap: on a day when nothing falls
due it costs one or two queries. What falls due is derived from the election calendar and the
policy; what exists is keyed by (kind, term, period) with unique constraints, so a second run on
the same day — or two runs at once — creates nothing twice. A step catches up when the planner did
not run on the exact day (it creates the current period's item, never past periods').

Text the planner writes for people — course and offer titles, meeting titles, reminders — is
stored as a message id with its parameters (`core.texts`) and shown in each reader's language;
the plain column holds it in the municipality's. What a step returns (shown on the planner page)
is written in the active language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import Policy, User
from accounts.roles import Role
from core.reminders import reminder_ensure, reminder_ensure_many
from core.texts import StoredText, render, render_in, text
from officials.models import Assignment, Official

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
# The reminder to schedule an offer's sessions comes this long before it opens (at once for an
# offer that opens now).
PREPARE_DAYS = 60


def _stored(value: StoredText) -> str:
    """The plain column of a stored text: the municipality's language."""
    return render_in(settings.LANGUAGE_CODE, value)


# ---------------------------------------------------------------- standard courses


def _standard_courses() -> dict[str, dict]:
    """The courses the planner offers; titles and descriptions as stored texts."""
    return {
        "term-introduction": {
            "kind": Course.Kind.INTRODUCTION, "format": Course.Format.ONSITE, "target_group": TargetGroup.ALL,
            "title": text(gettext_noop("Introduction for elected officials: threats, hate, violence and undue influence")),
            "description": text(gettext_noop("The municipality's guideline, how to report an incident, what support you can "
                                   "get and who to contact. For everyone starting the term.")),
        },
        "personal-security": {
            "kind": Course.Kind.PERSONAL_SECURITY, "format": Course.Format.ONSITE,
            "target_group": TargetGroup.COVERED,
            "title": text(gettext_noop("Personal-security training")),
            "description": text(gettext_noop("Your own safety in the assignment: risks, preparation before meetings and "
                                   "public appearances, at home and online.")),
        },
        "recurring": {
            # Västerås: every elected official, political secretary and committee secretary.
            "kind": Course.Kind.RECURRING, "format": Course.Format.ONSITE,
            "target_group": TargetGroup.WITH_SECRETARIES,
            "title": text(gettext_noop("Detect, prevent and handle threats, hate and violence")),
            "description": text(gettext_noop("The recurring training for elected officials and political secretaries.")),
        },
        "pre-election-onsite": {
            "kind": Course.Kind.TARGETED, "format": Course.Format.ONSITE, "target_group": TargetGroup.EXPOSED,
            "title": text(gettext_noop("On-site training before the election")),
            "description": text(gettext_noop("For the most exposed before the election campaign: public meetings, personal "
                                   "security and what to do when something happens.")),
        },
        "web-course": {
            "kind": Course.Kind.WEB, "format": Course.Format.WEB, "target_group": TargetGroup.ALL,
            "title": text(gettext_noop("Web course: threats and violence against elected officials")),
            "description": text(gettext_noop("The general web course, open all term. Come back to it whenever you need.")),
        },
    }


def standard_course(code: str) -> Course:
    spec = _standard_courses()[code]
    defaults = {
        "kind": spec["kind"], "format": spec["format"], "target_group": spec["target_group"],
        "title": _stored(spec["title"]), "title_text": spec["title"],
        "description": _stored(spec["description"]), "description_text": spec["description"],
    }
    course, _created = Course.objects.get_or_create(code=code, defaults=defaults)
    return course


def _course_title(course: Course) -> StoredText | str:
    """The course's title as a parameter of an offer's title: its stored text, or as the unit wrote it."""
    return course.title_text or course.title


# ---------------------------------------------------------------- training offers


@dataclass(frozen=True)
class OfferSpec:
    kind: str
    period: str
    course_code: str
    opens_on: date
    closes_on: date
    required: bool


def due_offers(today: date, policy: Policy, term: Term, extra_dates: list[date]) -> list[OfferSpec]:
    """The offers that should exist on `today` (pure: no queries). The targeted training before
    the ordinary election is planned months ahead (`Term.pre_election_planned_from`), while the
    window it opens in is still to come."""
    specs = [
        OfferSpec(K.TERM_START_INTRODUCTION, "", "term-introduction", term.start, term.end, True),
        OfferSpec(K.TERM_START_SECURITY, "", "personal-security", term.start, term.end, True),
    ]
    if policy.web_course:
        specs.append(OfferSpec(K.WEB_COURSE, "", "web-course", term.start, term.end, True))
    if policy.training_every_months:
        number, start, end = term.period_on(today, policy.training_every_months)
        specs.append(OfferSpec(K.RECURRING, str(number), "recurring", start, end, False))
    if policy.onsite_training_before_election:
        opens, closes = term.pre_election_window
        if term.pre_election_planned_from <= today <= closes:
            specs.append(OfferSpec(K.PRE_ELECTION, str(term.closing_election.year), "pre-election-onsite", opens,
                                   closes, True))
    for election_day in extra_dates:
        if election_day - timedelta(days=EXTRA_ELECTION_LEAD_DAYS) <= today < election_day:
            specs.append(OfferSpec(K.EXTRA_ELECTION, election_day.isoformat(), "pre-election-onsite", today,
                                   election_day - timedelta(days=1), True))
    return specs


def offer_title(spec: OfferSpec, course: Course, term: Term, policy: Policy) -> StoredText:
    """An offer's title as a stored text: the course and the term, period or election."""
    course_title = _course_title(course)
    if spec.kind == K.RECURRING:
        return text(gettext_noop("%(course)s, %(number)s/%(count)s, term %(term)s"), course=course_title,
                    number=int(spec.period), count=len(term.periods(policy.training_every_months)), term=term.label)
    if spec.kind == K.PRE_ELECTION:
        return text(gettext_noop("%(course)s (election %(date)s)"), course=course_title,
                    date=term.closing_election)
    if spec.kind == K.EXTRA_ELECTION:
        return text(gettext_noop("%(course)s (extra election %(date)s)"), course=course_title,
                    date=date.fromisoformat(spec.period))
    return text(gettext_noop("%(course)s, term %(term)s"), course=course_title, term=term.label)


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
        title = offer_title(spec, course, term, policy)
        offer, was_created = services.offer_ensure(
            kind=spec.kind, term=term.year, period=spec.period, course=course, title=_stored(title),
            title_text=title, target_group=course.target_group, opens_on=spec.opens_on, closes_on=spec.closes_on,
            required=spec.required, today=today)
        if not was_created:
            continue
        created.append(_("Training offer: %(title)s, open %(opens)s – %(closes)s") % {
            "title": render(title), "opens": offer.opens_on.isoformat(), "closes": offer.closes_on.isoformat()})
        message = text(gettext_noop("Send the web course invitation: %(title)s") if offer.is_web
                       else gettext_noop("Schedule sessions and send invitations: %(title)s"), title=title)
        reminder_ensure(kind="training.offer_plan", obj=offer,
                        due_on=max(today, offer.opens_on - timedelta(days=PREPARE_DAYS)), message=message,
                        url=reverse("training:offer-detail", args=[offer.pk]), recipients_role=Role.SECURITY_HANDLER,
                        today=today)
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
    if not created:
        return []
    people = Official.objects.only("first_name", "last_name").in_bulk([c.official_id for c in created])
    return [_("Yearly security conversation to book with %(name)s (year %(year)s of the term, due %(date)s)") % {
        "name": people[c.official_id].full_name if c.official_id in people else "", "year": c.period,
        "date": c.due_by.isoformat()} for c in created]


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


def _default_invitees() -> list[tuple[str | StoredText, str, str, User | None]]:
    invitees: list[tuple[str | StoredText, str, str, User | None]] = [
        (text(gettext_noop("Police")), "", "", None), (text(gettext_noop("Swedish Security Service (Säpo)")), "", "", None)]
    for user in (User.objects.filter(is_active=True, groups__name=Role.PARTY_CONTACT).select_related("party")
                 .order_by("party__name", "last_name", "id").distinct()):
        organisation = text(gettext_noop("%(party)s, security organisation"), party=user.party.name) \
            if user.party is not None else text(gettext_noop("Party security organisation"))
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
    title = text(gettext_noop("Collaboration meeting %(number)s/%(count)s, term %(term)s"), number=number, count=count,
                 term=term.label)
    meeting, created = services.meeting_ensure(term=term.year, number=number, title=_stored(title), title_text=title,
                                               planned_for=planned_for, today=today,
                                               default_invitees=_default_invitees())
    return [_("%(title)s, planned for %(date)s") % {"title": render(title), "date": planned_for.isoformat()}
            ] if created else []


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
    return [_("Guideline revision for the term %(term)s, due by %(date)s") % {
        "term": Term(task.term).label, "date": task.due_by.isoformat()}] if created else []


# ---------------------------------------------------------------- reminders


def _reminder_lines(created: list) -> list[str]:
    return [_("Reminder, due %(date)s: %(text)s") % {"date": r.due_on.isoformat(), "text": r.text} for r in created]


def plan_assignment_reminders(today: date, policy: Policy) -> list[str]:
    """Assignments ending within 30 days: the security unit reviews training, measures and access."""
    ending = list(Assignment.objects.filter(end__gte=today, end__lte=today + timedelta(days=REMINDER_LEAD_DAYS))
                  .select_related("official", "body").only("id", "end", "role", "official__first_name",
                                                           "official__last_name", "body__name"))
    if not ending:
        return []
    items = [(a, a.end, assignment_ending_text(a), reverse("training:record-detail", args=[a.official_id]))
             for a in ending if a.end is not None]
    created = reminder_ensure_many(kind="officials.assignment_ending", items=items,
                                   recipients_role=Role.SECURITY_HANDLER, today=today)
    return _reminder_lines(created)


def assignment_ending_text(a: Assignment) -> StoredText:
    assert a.end is not None
    return text(gettext_noop("%(name)s: the assignment “%(assignment)s” ends on %(date)s."), name=a.official.full_name,
                assignment=text(gettext_noop("%(role)s, %(body)s"), role=Assignment.Role(a.role).label, body=a.body.name),
                date=a.end)


def conversation_due_text(c: SecurityConversation) -> StoredText:
    return text(gettext_noop("Book the security conversation with %(name)s (due %(date)s)."), name=c.official.full_name,
                date=c.due_by)


def meeting_invite_text(m: CollaborationMeeting) -> StoredText:
    return text(gettext_noop("Set the time and send the invitations: %(title)s"), title=m.title_text or m.title)


def revision_due_text(r: RevisionTask) -> StoredText:
    return text(gettext_noop("Revise the guideline before %(date)s (term %(term)s)."), date=r.due_by, term=Term(r.term).label)


def plan_follow_up(today: date, policy: Policy) -> list[str]:
    """Follow-ups: conversations to book, meetings to invite to, the revision coming due."""
    soon = today + timedelta(days=REMINDER_LEAD_DAYS)
    created = []
    conversations = list(SecurityConversation.objects.filter(
        status=SecurityConversation.Status.DUE, due_by__lte=soon, due_by__gte=today)
        .select_related("official").only("id", "due_by", "official__first_name", "official__last_name"))
    created += reminder_ensure_many(
        kind="training.conversation_due", recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(c, c.due_by, conversation_due_text(c), reverse("training:conversation-detail", args=[c.pk]))
               for c in conversations])
    meetings = list(CollaborationMeeting.objects.filter(status=CollaborationMeeting.Status.PLANNED,
                                                        planned_for__lte=soon, planned_for__gte=today))
    created += reminder_ensure_many(
        kind="training.meeting_invite", recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(m, m.planned_for, meeting_invite_text(m), reverse("training:meeting-detail", args=[m.pk]))
               for m in meetings])
    revisions = list(RevisionTask.objects.filter(status=RevisionTask.Status.OPEN,
                                                 due_by__lte=today + timedelta(days=60), due_by__gte=today))
    created += reminder_ensure_many(
        kind="training.revision_due", recipients_role=Role.SECURITY_HANDLER, today=today,
        items=[(r, r.due_by, revision_due_text(r), reverse("training:revision-list")) for r in revisions])
    return _reminder_lines(created)


STEPS = {
    "training.offers": plan_offers,
    "training.conversations": plan_conversations,
    "training.meetings": plan_meetings,
    "training.revision": plan_revision,
    "training.assignment_reminders": plan_assignment_reminders,
    "training.follow_up": plan_follow_up,
}
