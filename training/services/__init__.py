"""Every write of the training app. Services take `actor`, lock, check, audit and notify; status
moves go through `core.workflow.transition` along the workflows in `training.models`."""

from .common import official_address, official_addressee
from .conversations import (
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
from .revisions import revision_complete, revision_ensure
from .training import (
    attendance_record,
    completion_record,
    completion_self_report,
    course_create,
    course_update,
    enrolment_cancel,
    enrolment_create,
    offer_add_official,
    offer_create,
    offer_ensure,
    offer_invite,
    offer_remove_official,
    session_calendar_file,
    session_cancel,
    session_create,
    session_invite,
    training_cost_book,
)

__all__ = [
    "attendance_record", "completion_record", "completion_self_report", "conversation_book",
    "conversation_calendar_file", "conversation_cancel", "conversation_hold", "conversation_request",
    "conversation_update_notes", "conversations_ensure_yearly", "course_create", "course_update", "enrolment_cancel",
    "enrolment_create", "extra_election_delete", "extra_election_record", "invitee_add", "invitee_remove",
    "meeting_cancel", "meeting_create", "meeting_ensure", "meeting_hold", "meeting_invite", "meeting_update",
    "meeting_update_minutes", "offer_add_official", "offer_create", "offer_ensure", "offer_invite",
    "offer_remove_official", "official_address", "official_addressee",
    "revision_complete", "revision_ensure", "session_calendar_file", "session_cancel", "session_create",
    "session_invite", "training_cost_book",
]
