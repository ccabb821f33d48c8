"""Security conversations, collaboration meetings, guideline revisions, extra elections, reminders."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from core.models import AuditEvent, OutboxMessage, Reminder
from core.reminders import reminder_done, reminder_ensure
from core.workflow import InvalidTransition
from officials.models import Assignment
from tests.factories import UserFactory
from training import services
from training.calendar import Term, add_months
from training.models import (
    CollaborationMeeting,
    ExtraElection,
    MeetingInvitee,
    RevisionTask,
    SecurityConversation,
    TrainingOffer,
)

C = SecurityConversation.Status
M = CollaborationMeeting.Status


@pytest.fixture
def conversation(covered_official, handler):
    return services.conversation_request(actor=handler, official=covered_official.official,
                                         due_by=timezone.localdate() + dt.timedelta(days=30))


def soon(days=2):
    return timezone.now().replace(microsecond=0) + dt.timedelta(days=days)


# ---------------------------------------------------------------- conversations


def test_book_sends_the_official_a_calendar_file(conversation, handler, covered_official):
    services.conversation_book(actor=handler, conversation=conversation, booked_for=soon(), place="Rum 3")
    conversation.refresh_from_db()
    assert conversation.status == C.BOOKED
    message = OutboxMessage.objects.get(to=covered_official.email)
    assert "BEGIN:VEVENT" in message.attachment_content
    assert f"UID:security-conversation-{conversation.pk}@" in message.attachment_content
    # A new time bumps the calendar revision so that the event is replaced.
    services.conversation_book(actor=handler, conversation=conversation, booked_for=soon(3), place="Rum 4")
    conversation.refresh_from_db()
    assert conversation.sequence == 1


def test_hold_records_notes_for_the_unit_and_next_due(conversation, handler):
    held_on = timezone.localdate()
    services.conversation_hold(actor=handler, conversation=conversation, held_on=held_on, notes="Hot via sms")
    conversation.refresh_from_db()
    assert conversation.status == C.HELD and conversation.notes == "Hot via sms"
    assert conversation.next_due == add_months(held_on, 12)
    # The notes are encrypted at rest and never in the audit trail.
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM training_securityconversation WHERE id = %s", [conversation.pk])
        assert "Hot via sms" not in cursor.fetchone()[0]
    assert not AuditEvent.objects.filter(reason__contains="Hot").exists()


def test_hold_in_the_future_is_refused(conversation, handler):
    with pytest.raises(ValidationError):
        services.conversation_hold(actor=handler, conversation=conversation,
                                   held_on=timezone.localdate() + dt.timedelta(days=1))


@pytest.mark.parametrize("state", [C.HELD, C.CANCELLED])
def test_book_hold_cancel_from_final_states_are_illegal(conversation, handler, state):
    SecurityConversation.objects.filter(pk=conversation.pk).update(status=state, held_on=timezone.localdate())
    with pytest.raises(InvalidTransition):
        services.conversation_book(actor=handler, conversation=conversation, booked_for=soon(), place="x")
    with pytest.raises(InvalidTransition):
        services.conversation_hold(actor=handler, conversation=conversation, held_on=timezone.localdate())
    with pytest.raises(InvalidTransition):
        services.conversation_cancel(actor=handler, conversation=conversation)


def test_notes_only_after_held(conversation, handler):
    with pytest.raises(InvalidTransition):
        services.conversation_update_notes(actor=handler, conversation=conversation, notes="x")


def test_cancel_a_booked_conversation_tells_the_official(conversation, handler, covered_official):
    services.conversation_book(actor=handler, conversation=conversation, booked_for=soon(), place="x")
    services.conversation_cancel(actor=handler, conversation=conversation, reason="Flyttas")
    last = OutboxMessage.objects.filter(to=covered_official.email).order_by("-id").first()
    assert "STATUS:CANCELLED" in last.attachment_content


def test_only_the_security_unit_handles_conversations(conversation, covered_official):
    with pytest.raises(PermissionDenied):
        services.conversation_book(actor=covered_official, conversation=conversation, booked_for=soon(), place="x")
    with pytest.raises(PermissionDenied):
        services.conversation_request(actor=covered_official, official=covered_official.official,
                                      due_by=timezone.localdate())


def test_one_yearly_conversation_per_official_and_term_year(covered_official):
    official = covered_official.official
    SecurityConversation.objects.create(official=official, reason="yearly", term=2026, period=1,
                                        due_by=dt.date(2027, 10, 14))
    with pytest.raises(IntegrityError):
        SecurityConversation.objects.create(official=official, reason="yearly", term=2026, period=1,
                                            due_by=dt.date(2027, 10, 14))


# ---------------------------------------------------------------- meetings


@pytest.fixture
def meeting(handler):
    return services.meeting_create(actor=handler, title="Samverkansmöte", planned_for=timezone.localdate())


def schedule(meeting, handler, start=None):
    start = start or soon()
    return services.meeting_update(actor=handler, meeting=meeting, title=meeting.title,
                                   planned_for=meeting.planned_for, starts_at=start,
                                   ends_at=start + dt.timedelta(hours=2), place="Polishuset", agenda="1. Läget")


def test_meeting_invite_needs_time_place_and_an_address(meeting, handler):
    with pytest.raises(InvalidTransition):
        services.meeting_invite(actor=handler, meeting=meeting)
    schedule(meeting, handler)
    services.invitee_add(actor=handler, meeting=meeting, organisation="Polisen")
    with pytest.raises(InvalidTransition):
        services.meeting_invite(actor=handler, meeting=meeting)
    services.invitee_add(actor=handler, meeting=meeting, organisation="Säpo", name="Kontakt",
                         email="kontakt@sapo.example")
    party_user = UserFactory(roles=[Role.PARTY_CONTACT])
    services.invitee_add(actor=handler, meeting=meeting, organisation="Partiets säkerhetsorganisation",
                         user=party_user)
    assert services.meeting_invite(actor=handler, meeting=meeting) == 2
    meeting.refresh_from_db()
    assert meeting.status == M.INVITED
    assert OutboxMessage.objects.filter(attachment_mimetype="text/calendar").count() == 2


def test_moving_an_invited_meeting_sends_an_update(meeting, handler):
    schedule(meeting, handler)
    services.invitee_add(actor=handler, meeting=meeting, organisation="Polisen", email="p@polisen.example")
    services.meeting_invite(actor=handler, meeting=meeting)
    schedule(meeting, handler, start=soon(5))
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert OutboxMessage.objects.filter(to="p@polisen.example").count() == 2


def test_meeting_hold_records_minutes_and_attendance(meeting, handler):
    schedule(meeting, handler)
    police = services.invitee_add(actor=handler, meeting=meeting, organisation="Polisen")
    sapo = services.invitee_add(actor=handler, meeting=meeting, organisation="Säpo")
    with pytest.raises(InvalidTransition):  # not yet taken place
        services.meeting_hold(actor=handler, meeting=meeting, minutes="m", attended=[police.pk])
    CollaborationMeeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3),
                                                              ends_at=timezone.now() - dt.timedelta(hours=1))
    services.meeting_hold(actor=handler, meeting=meeting, minutes="Genomgång av läget", attended=[police.pk])
    assert dict(MeetingInvitee.objects.values_list("pk", "attended")) == {police.pk: True, sapo.pk: False}
    meeting.refresh_from_db()
    assert meeting.status == M.HELD
    services.meeting_update_minutes(actor=handler, meeting=meeting, minutes="Rättat")
    for call in (lambda: services.meeting_invite(actor=handler, meeting=meeting),
                 lambda: services.meeting_hold(actor=handler, meeting=meeting, minutes="x", attended=[]),
                 lambda: services.meeting_cancel(actor=handler, meeting=meeting),
                 lambda: services.invitee_add(actor=handler, meeting=meeting, organisation="x"),
                 lambda: schedule(meeting, handler)):
        with pytest.raises(InvalidTransition):
            call()


def test_cancelled_meeting_is_final(meeting, handler):
    services.meeting_cancel(actor=handler, meeting=meeting)
    with pytest.raises(InvalidTransition):
        services.meeting_cancel(actor=handler, meeting=meeting)
    with pytest.raises(InvalidTransition):
        services.meeting_update_minutes(actor=handler, meeting=meeting, minutes="x")


def test_meeting_times_are_validated(meeting, handler):
    start = soon()
    with pytest.raises(ValidationError):
        services.meeting_update(actor=handler, meeting=meeting, title="t", planned_for=meeting.planned_for,
                                starts_at=start, ends_at=None, place="", agenda="")
    with pytest.raises(ValidationError):
        services.meeting_update(actor=handler, meeting=meeting, title="t", planned_for=meeting.planned_for,
                                starts_at=start, ends_at=start - dt.timedelta(hours=1), place="", agenda="")


def test_meetings_are_for_the_security_unit(meeting, official):
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=official, meeting=meeting)


# ---------------------------------------------------------------- revisions and elections


def test_revision_done_once(handler):
    task, created = services.revision_ensure(term=Term(2026), today=dt.date(2029, 1, 1))
    assert created and task.due_by == dt.date(2029, 12, 31)
    assert services.revision_ensure(term=Term(2026), today=dt.date(2029, 1, 2)) == (task, False)
    services.revision_complete(actor=handler, task=task, done_on=timezone.localdate(), decision_reference="KS 2029/1")
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.DONE and task.done_by == handler
    with pytest.raises(InvalidTransition):
        services.revision_complete(actor=handler, task=task, done_on=timezone.localdate())


def test_extra_election_cannot_be_the_ordinary_one_or_recorded_twice(handler):
    with pytest.raises(ValidationError):
        services.extra_election_record(actor=handler, election_date=dt.date(2030, 9, 8))
    services.extra_election_record(actor=handler, election_date=dt.date(2028, 3, 12))
    with pytest.raises(ValidationError):
        services.extra_election_record(actor=handler, election_date=dt.date(2028, 3, 12))


def test_extra_election_cannot_be_removed_once_training_is_planned(handler, course):
    election = services.extra_election_record(actor=handler, election_date=dt.date(2028, 3, 12))
    TrainingOffer.objects.create(kind="extra_election", term=2026, period="2028-03-12", course=course, title="t",
                                 target_group="exposed", opens_on=dt.date(2027, 12, 13),
                                 closes_on=dt.date(2028, 3, 11))
    with pytest.raises(InvalidTransition):
        services.extra_election_delete(actor=handler, election=election)
    TrainingOffer.objects.all().delete()
    services.extra_election_delete(actor=handler, election=election)
    assert not ExtraElection.objects.exists()


# ---------------------------------------------------------------- reminders


def test_reminder_is_created_once_per_kind_object_and_due(handler, make_official):
    official = make_official()
    assignment = official.assignments.get()
    due = dt.date(2027, 1, 1)
    first, created = reminder_ensure(kind="measures.review_due", obj=assignment, due_on=due,
                                     message="Review", recipients_role=Role.SECURITY_HANDLER)
    assert created
    again, created_again = reminder_ensure(kind="measures.review_due", obj=assignment, due_on=due,
                                           message="Review", recipients_role=Role.SECURITY_HANDLER)
    assert (again, created_again) == (first, False)
    later, created_later = reminder_ensure(kind="measures.review_due", obj=assignment,
                                           due_on=dt.date(2027, 2, 1), message="Review",
                                           recipients_role=Role.SECURITY_HANDLER)
    assert created_later and later != first
    assert OutboxMessage.objects.filter(to=handler.email).count() == 2
    assert "Review" not in OutboxMessage.objects.first().body  # the message stays in the app
    with pytest.raises(IntegrityError):
        Reminder.objects.create(kind="measures.review_due", content_type=first.content_type,
                                object_id=first.object_id, due_on=due, recipients_role=Role.SECURITY_HANDLER,
                                message="x")


def test_reminder_for_one_person_and_done(handler, other_handler, make_official):
    assignment = make_official().assignments.get()
    reminder, _ = reminder_ensure(kind="incidents.inactive", obj=assignment, due_on=dt.date(2027, 1, 1),
                                  message="No activity", recipient=other_handler)
    assert OutboxMessage.objects.filter(to=other_handler.email).exists()
    assert not OutboxMessage.objects.filter(to=handler.email).exists()
    reminder_done(actor=other_handler, reminder=reminder)
    with pytest.raises(InvalidTransition):
        reminder_done(actor=other_handler, reminder=reminder)
    with pytest.raises(ValueError):
        reminder_ensure(kind="x", obj=assignment, due_on=dt.date(2027, 1, 1), message="m")


def test_new_reminders_are_told_in_each_recipients_language_with_a_link(handler, other_handler, make_official,
                                                                        settings):
    """The notice of new reminders goes to everyone holding the role, each in the language they
    read Värn in, with a full link to the reminder list."""
    handler.language, other_handler.language = "en", "sv"
    for user in (handler, other_handler):
        user.save(update_fields=["language"])
    with translation.override("sv"):
        reminder_ensure(kind="measures.review_due", obj=make_official().assignments.get(), due_on=dt.date(2027, 1, 1),
                        message="Review", recipients_role=Role.SECURITY_HANDLER)
    english, swedish = (OutboxMessage.objects.get(to=user.email) for user in (handler, other_handler))
    assert (english.subject, swedish.subject) == ("New reminders in Värn", "Nya påminnelser i Värn")
    assert f"{settings.SITE_URL}{reverse('training:reminder-list')}" in english.body


def test_assignment_is_a_valid_reminder_target(make_official):
    assert isinstance(make_official().assignments.get(), Assignment)
