"""Step the clock through a whole term (2026-10-15 → 2030-10-14) under each of the five policy
profiles and assert what the planner created, and when. On every day it created something the
planner runs again and must create nothing."""

import datetime as dt
from collections import Counter

import pytest

from accounts.roles import Role
from core import planner
from core.models import Reminder
from officials.models import Assignment
from tests.factories import AssignmentFactory, BodyFactory, OfficialFactory, UserFactory
from training.calendar import EXTRA_ELECTION_LEAD_DAYS, Term, term_for
from training.models import (
    CollaborationMeeting,
    ExtraElection,
    RevisionTask,
    SecurityConversation,
    TrainingOffer,
)
from training.steps import STEPS, meeting_slots

TERM_START, TERM_END = dt.date(2026, 10, 15), dt.date(2030, 10, 14)
K = TrainingOffer.Kind


def run_day(day, policy):
    return {name: step(day, policy) for name, step in STEPS.items()}


def calendar_days(policy, start, end):
    """The days on which the calendar or the policy can make something fall due."""
    days = set()
    term = term_for(start)
    while term.start <= end:
        days |= {term.start, dt.date(term.revision_year, 1, 1)}
        days |= {term.year_span(i)[0] for i in range(1, 5)}
        if policy.training_every_months:
            days |= {p[1] for p in term.periods(policy.training_every_months)}
        if policy.meetings_per_term:
            days |= {slot[1] for slot in meeting_slots(term, policy.meetings_per_term)}
        if policy.onsite_training_before_election:
            days |= {term.pre_election_planned_from, term.pre_election_window[0]}
        term = Term(term.year + 4)
    for election in ExtraElection.objects.values_list("election_date", flat=True):
        days.add(election - dt.timedelta(days=EXTRA_ELECTION_LEAD_DAYS))
    for a_start, a_end in Assignment.objects.values_list("start", "end"):
        days.add(a_start)
        if a_end:
            days.add(a_end - dt.timedelta(days=30))
    return days


def data_days():
    """Days that things the planner created make relevant (the follow-up reminders)."""
    days = {d - dt.timedelta(days=30) for d in SecurityConversation.objects.values_list("due_by", flat=True)}
    days |= {d - dt.timedelta(days=30) for d in CollaborationMeeting.objects.values_list("planned_for", flat=True)}
    days |= {d - dt.timedelta(days=60) for d in RevisionTask.objects.values_list("due_by", flat=True)}
    return days


def simulate(policy, start=TERM_START, end=TERM_END, every_day=False):
    """Step the clock from `start` to `end` and run the planner; returns {day: what was created}.
    On every day that created something the planner runs again and must create nothing.
    Unless `every_day`, only the planner-relevant days are run (the planner is idempotent and
    catches up, so that gives the same result; `test_relevant_days_give_the_same_as_every_day`
    checks it), which keeps five whole terms to seconds."""
    log = {}
    pending = {start} | {d for d in calendar_days(policy, start, end) if start <= d <= end}
    done = set()
    day = start
    while day <= end:
        if every_day or day in pending:
            created = {k: v for k, v in run_day(day, policy).items() if v}
            done.add(day)
            if created:
                log[day] = created
                again = {k: v for k, v in run_day(day, policy).items() if v}
                assert again == {}, f"second run on {day} created {again}"
                pending |= {d for d in data_days() if day < d <= end}
            if not every_day:
                later = [d for d in pending if d > day]
                if not later:
                    break
                day = min(later)
                continue
        day += dt.timedelta(days=1)
    return log


@pytest.fixture
def registry(db, handler):
    """A: covered all term; B: covered until 2028-06-30; C: spare-time politician;
    D: covered from 2028-01-01; E: member of the executive board (exposed, not covered)."""
    ks = BodyFactory(name="Kommunstyrelsen", kind="ks")
    kf = BodyFactory(name="Kommunfullmäktige", kind="kf")
    people = {}
    people["A"] = OfficialFactory(first_name="Anna", last_name="A")
    AssignmentFactory(official=people["A"], body=ks, role=Assignment.Role.COMMISSIONER, share_percent=100,
                      start=TERM_START)
    people["B"] = OfficialFactory(first_name="Bo", last_name="B")
    AssignmentFactory(official=people["B"], body=kf, role=Assignment.Role.GROUP_LEADER, share_percent=50,
                      start=TERM_START, end=dt.date(2028, 6, 30))
    people["C"] = OfficialFactory(first_name="Cecilia", last_name="C")
    AssignmentFactory(official=people["C"], body=kf, start=TERM_START)
    people["D"] = OfficialFactory(first_name="David", last_name="D")
    AssignmentFactory(official=people["D"], body=kf, role=Assignment.Role.GROUP_LEADER, share_percent=40,
                      start=dt.date(2028, 1, 1))
    people["E"] = OfficialFactory(first_name="Eva", last_name="E")
    AssignmentFactory(official=people["E"], body=ks, start=TERM_START)
    UserFactory(username="partysec", roles=[Role.PARTY_CONTACT])
    return people


def offers(kind):
    return list(TrainingOffer.objects.filter(kind=kind).order_by("opens_on"))


def test_every_profile_gets_term_start_offers_web_course_and_a_revision_in_2029(use_profile, registry):
    for profile in ("fagersta", "uppsala", "stockholm", "vasteras", "sigtuna"):
        TrainingOffer.objects.all().delete()
        RevisionTask.objects.all().delete()
        policy = use_profile(profile)
        simulate(policy)
        for kind in (K.TERM_START_INTRODUCTION, K.TERM_START_SECURITY, K.WEB_COURSE):
            (offer,) = offers(kind)
            assert offer.created_on == TERM_START, (profile, kind)
            assert (offer.opens_on, offer.closes_on) == (TERM_START, TERM_END)
            assert offer.required
        (revision,) = RevisionTask.objects.all()
        assert revision.created_on == dt.date(2029, 1, 1), profile
        assert (revision.due_by, revision.election_date) == (dt.date(2029, 12, 31), dt.date(2030, 9, 8))


def test_vasteras_gets_eight_half_yearly_offers_and_four_collaboration_meetings(use_profile, registry):
    log = simulate(use_profile("vasteras"))
    recurring = offers(K.RECURRING)
    assert len(recurring) == 8
    expected = [TERM_START, dt.date(2027, 4, 15), dt.date(2027, 10, 15), dt.date(2028, 4, 15),
                dt.date(2028, 10, 15), dt.date(2029, 4, 15), dt.date(2029, 10, 15), dt.date(2030, 4, 15)]
    assert [o.created_on for o in recurring] == expected
    assert [o.opens_on for o in recurring] == expected
    assert [o.period for o in recurring] == [str(n) for n in range(1, 9)]
    assert recurring[-1].closes_on == TERM_END
    assert all(b.opens_on - a.closes_on == dt.timedelta(days=1) for a, b in zip(recurring, recurring[1:], strict=False))
    meetings = list(CollaborationMeeting.objects.order_by("number"))
    assert [m.number for m in meetings] == [1, 2, 3, 4]
    assert [m.created_on for m in meetings] == [dt.date(y, 10, 15) for y in (2026, 2027, 2028, 2029)]
    assert [m.planned_for for m in meetings] == [dt.date(y, 4, 15) for y in (2027, 2028, 2029, 2030)]
    # The usual invitees are filled in: the police, Säpo and the party security contacts.
    assert meetings[0].invitees.count() == 3
    assert meetings[0].invitees.filter(user__username="partysec").exists()
    # No conversations or pre-election training under this profile.
    assert not SecurityConversation.objects.exists()
    assert not offers(K.PRE_ELECTION)
    assert log[TERM_START]["training.offers"]  # the first half-yearly offer comes at term start


def test_stockholm_covered_officials_each_get_a_yearly_security_conversation(use_profile, registry):
    simulate(use_profile("stockholm"))
    rows = Counter()
    for conversation in SecurityConversation.objects.select_related("official"):
        rows[conversation.official.last_name] += 1
        assert conversation.reason == SecurityConversation.Reason.YEARLY
    # A all four years; B while covered (years 1 and 2); D from becoming covered (years 2–4).
    assert rows == {"A": 4, "B": 2, "D": 3}
    a = list(SecurityConversation.objects.filter(official=registry["A"]).order_by("period"))
    assert [c.created_on for c in a] == [dt.date(y, 10, 15) for y in (2026, 2027, 2028, 2029)]
    assert [c.due_by for c in a] == [dt.date(y, 10, 14) for y in (2027, 2028, 2029, 2030)]
    d_first = SecurityConversation.objects.filter(official=registry["D"]).order_by("period").first()
    assert (d_first.period, d_first.created_on) == (2, dt.date(2028, 1, 1))
    assert not CollaborationMeeting.objects.exists()
    assert not offers(K.RECURRING)
    # Each due conversation got one reminder 30 days before it is due.
    assert Reminder.objects.filter(kind="training.conversation_due").count() == 9


def test_sigtuna_gets_onsite_training_in_spring_2030_planned_half_a_year_ahead(use_profile, registry):
    simulate(use_profile("sigtuna"))
    (targeted,) = offers(K.PRE_ELECTION)
    # Planned a year before the election, so that the unit sees it and prepares it in good time.
    assert targeted.created_on == dt.date(2029, 9, 1)
    assert targeted.opens_on == dt.date(2030, 3, 1)
    assert targeted.closes_on == dt.date(2030, 9, 7)  # the day before the 2030-09-08 election
    assert targeted.target_group == "exposed"
    assert targeted.course.format == "onsite"
    assert not SecurityConversation.objects.exists()
    assert not CollaborationMeeting.objects.exists()


def test_fagersta_and_uppsala_get_only_the_term_offers_and_the_revision(use_profile, registry):
    for profile in ("fagersta", "uppsala"):
        TrainingOffer.objects.all().delete()
        simulate(use_profile(profile))
        assert Counter(TrainingOffer.objects.values_list("kind", flat=True)) == {
            K.TERM_START_INTRODUCTION: 1, K.TERM_START_SECURITY: 1, K.WEB_COURSE: 1}
        assert not SecurityConversation.objects.exists()
        assert not CollaborationMeeting.objects.exists()


def test_assignment_ending_reminder_comes_once_thirty_days_before(use_profile, registry):
    simulate(use_profile("fagersta"), start=dt.date(2028, 5, 1), end=dt.date(2028, 7, 31))
    (reminder,) = Reminder.objects.filter(kind="officials.assignment_ending")
    assert reminder.created_on == dt.date(2028, 5, 31)
    assert reminder.due_on == dt.date(2028, 6, 30)
    assert reminder.recipients_role == Role.SECURITY_HANDLER
    assert "Bo B" in reminder.message


def test_an_extra_election_gets_targeted_training_before_it(use_profile, registry, handler):
    from training.services import extra_election_record

    extra_election_record(actor=handler, election_date=dt.date(2028, 3, 12), description="Extra val till KF")
    ExtraElection.objects.create(election_date=dt.date(2029, 5, 5), targeted_training=False)
    simulate(use_profile("fagersta"), start=dt.date(2027, 11, 1), end=dt.date(2029, 6, 1))
    (offer,) = offers(K.EXTRA_ELECTION)
    assert offer.created_on == dt.date(2027, 12, 13)  # 90 days before
    assert offer.closes_on == dt.date(2028, 3, 11)
    assert offer.period == "2028-03-12"
    assert offer.target_group == "exposed"


def test_the_planner_catches_up_with_the_current_period_only(use_profile, registry):
    policy = use_profile("vasteras")
    run_day(dt.date(2028, 5, 2), policy)  # first run, mid-term
    (recurring,) = offers(K.RECURRING)
    assert (recurring.period, recurring.opens_on) == ("4", dt.date(2028, 4, 15))
    assert CollaborationMeeting.objects.get().number == 2
    assert offers(K.TERM_START_INTRODUCTION)[0].created_on == dt.date(2028, 5, 2)


def test_run_planner_runs_every_registered_step_and_twice_is_harmless(use_profile, registry):
    use_profile("stockholm")
    names = set(planner.steps())
    assert set(STEPS) <= names
    first = planner.run_planner(TERM_START)
    assert first["training.conversations"] and first["training.offers"]
    counts = (TrainingOffer.objects.count(), SecurityConversation.objects.count(), Reminder.objects.count())
    second = planner.run_planner(TERM_START)
    assert all(not second[name] for name in STEPS)
    assert counts == (TrainingOffer.objects.count(), SecurityConversation.objects.count(), Reminder.objects.count())


def test_the_celery_task_runs_the_planner_for_a_given_day(use_profile, registry):
    from training.tasks import run_planner

    use_profile("vasteras")
    result = run_planner.apply(args=["2026-10-15"]).get()
    assert len(result["training.meetings"]) == 1 and "1/4" in result["training.meetings"][0]
    assert TrainingOffer.objects.filter(kind=K.RECURRING).count() == 1


def test_relevant_days_give_the_same_as_every_day(use_profile, registry):
    """Day by day through the spring before the election (the pre-election window opens, the last
    half-year starts, the reminders about the last meeting) gives exactly what the relevant days give."""
    from django.db import transaction

    window = (dt.date(2030, 2, 20), dt.date(2030, 4, 20))
    for profile in ("sigtuna", "vasteras"):
        policy = use_profile(profile)
        results = []
        for every_day in (True, False):
            sid = transaction.savepoint()
            simulate(policy, start=TERM_START, end=TERM_START)
            log = simulate(policy, start=window[0], end=window[1], every_day=every_day)
            shape = {day: {step: len(items) for step, items in created.items()} for day, created in log.items()}
            results.append((shape, sorted(TrainingOffer.objects.values_list("kind", "period", "created_on")),
                            sorted(Reminder.objects.values_list("kind", "due_on", "created_on")),
                            sorted(SecurityConversation.objects.values_list("official_id", "period", "created_on"))))
            transaction.savepoint_rollback(sid)
        assert results[0] == results[1], profile
