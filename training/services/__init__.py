"""Every write of the training app. Services take `actor`, lock, check, audit and notify."""

from .common import InvalidTransition, absolute, official_address
from .conversations import (
    CONVERSATION_TRANSITIONS,
    conversation_book,
    conversation_calendar_file,
    conversation_cancel,
    conversation_hold,
    conversation_request,
    conversation_update_notes,
    conversations_ensure_yearly,
)
from .elections import extra_election_delete, extra_election_record
from .meetings import (
    MEETING_TRANSITIONS,
    invitee_add,
    invitee_remove,
    meeting_cancel,
    meeting_create,
    meeting_ensure,
    meeting_hold,
    meeting_invite,
    meeting_update,
    meeting_update_minutes,
)
from .reminders import reminder_done, reminder_ensure, reminder_ensure_many, reminders_close_for
from .revisions import REVISION_TRANSITIONS, revision_complete, revision_ensure
from .training import (
    ENROLMENT_TRANSITIONS,
    SESSION_TRANSITIONS,
    attendance_record,
    completion_record,
    completion_self_report,
    course_create,
    course_update,
    enrolment_cancel,
    enrolment_create,
    offer_create,
    offer_ensure,
    offer_invite,
    session_calendar_file,
    session_cancel,
    session_create,
    session_invite,
)

__all__ = [
    "CONVERSATION_TRANSITIONS", "ENROLMENT_TRANSITIONS", "MEETING_TRANSITIONS", "REVISION_TRANSITIONS",
    "SESSION_TRANSITIONS", "InvalidTransition", "absolute", "attendance_record", "completion_record",
    "completion_self_report", "conversation_book", "conversation_calendar_file", "conversation_cancel",
    "conversation_hold", "conversation_request", "conversation_update_notes", "conversations_ensure_yearly",
    "course_create", "course_update", "enrolment_cancel", "enrolment_create", "extra_election_delete",
    "extra_election_record", "invitee_add", "invitee_remove", "meeting_cancel", "meeting_create", "meeting_ensure",
    "meeting_hold", "meeting_invite", "meeting_update", "meeting_update_minutes", "offer_create", "offer_ensure",
    "offer_invite", "official_address", "reminder_done", "reminder_ensure", "reminder_ensure_many",
    "reminders_close_for", "revision_complete", "revision_ensure", "session_calendar_file", "session_cancel",
    "session_create", "session_invite",
]
