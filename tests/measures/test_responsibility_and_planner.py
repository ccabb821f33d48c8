import datetime as dt

import pytest
from django.utils import timezone

from core.models import Reminder
from core.planner import steps
from measures.models import MeasureStatus
from measures.services import plan_measure_reminders
from officials import services as official_services
from officials.models import Assignment

from .conftest import all_sent, assess, clear_outbox, file_report, make_measure, official_of

pytestmark = pytest.mark.django_db
S = MeasureStatus
TODAY = timezone.localdate()


def test_ending_the_last_assignment_flags_open_measures(case, handler, approver, official,
                                                        django_capture_on_commit_callbacks):
    in_place = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="personal-alarm")
    proposed = make_measure(case, S.PROPOSED, proposer=handler, code="cameras")
    ended = make_measure(case, S.ENDED, proposer=handler, decider=approver, code="guarding")
    person = official_of(official)
    assignment = Assignment.objects.get(official=person)
    clear_outbox()
    with django_capture_on_commit_callbacks(execute=True):
        official_services.assignment_end(actor=handler, assignment=assignment, end=TODAY)
    for measure in (in_place, proposed, ended):
        measure.refresh_from_db()
    assert in_place.status == S.UNDER_REVIEW and in_place.end_flagged_at is not None
    assert proposed.status == S.PROPOSED and proposed.end_flagged_at is not None
    assert ended.end_flagged_at is None
    assert official.email in {m.to for m in all_sent()}
    assert handler.email in {m.to for m in all_sent()}
    assert Reminder.objects.filter(kind="measures.flagged_for_ending").count() == 2


def test_flagging_is_idempotent(case, handler, approver, official):
    from measures.services import measures_flag_for_ending

    make_measure(case, S.ORDERED, proposer=handler, decider=approver)
    person = official_of(official)
    assert len(measures_flag_for_ending(official=person)) == 1
    assert measures_flag_for_ending(official=person) == []


def test_planner_step_is_registered():
    assert "measures.reminders" in steps()


def test_planner_creates_reminders_once(case, handler, approver, official):
    assessment = assess(handler, case, likelihood=5, consequence=5)  # review in 7 days
    measure = make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, code="cameras",
                           review_on=TODAY + dt.timedelta(days=3))
    report = file_report(official)
    from incidents import services as incident_services

    incident_services.report_join_case(actor=handler, report=report, case=case)
    done = plan_measure_reminders(TODAY, None)
    assert len(done) == 3
    kinds = set(Reminder.objects.values_list("kind", flat=True))
    assert kinds == {"measures.reassessment_due", "measures.reassessment_new_report", "measures.review_due"}
    assert Reminder.objects.get(kind="measures.reassessment_due").object_id == assessment.pk
    assert Reminder.objects.get(kind="measures.review_due").object_id == measure.pk
    assert plan_measure_reminders(TODAY, None) == []
    # The reassessment resolves both reassessment reminders.
    assess(handler, case, likelihood=2, consequence=2)
    assert not Reminder.objects.filter(kind__startswith="measures.reassessment", done_at__isnull=True).exists()


def test_planner_ignores_what_is_not_yet_due(case, handler, approver):
    assess(handler, case, likelihood=1, consequence=1)  # review in 180 days
    make_measure(case, S.IN_PLACE, proposer=handler, decider=approver, review_on=TODAY + dt.timedelta(days=60))
    assert plan_measure_reminders(TODAY, None) == []
