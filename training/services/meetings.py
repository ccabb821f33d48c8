"""Collaboration meetings with the police, Säpo and the parties' security organisations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.dates import format_datetime
from core.notify import Addressee, language_of, tell
from core.texts import StoredText, is_text, render_in
from core.workflow import InvalidTransition, transition

from .. import ics, permissions
from ..calendar import term_for
from ..models import MEETING_EDITABLE, MEETING_WORKFLOW, CollaborationMeeting, MeetingInvitee
from .common import next_calendar_revision

M = CollaborationMeeting.Status


def meeting_calendar_file(meeting: CollaborationMeeting, *, cancelled: bool = False) -> tuple[str, str, str]:
    """The meeting's calendar file (only a meeting with a time has one)."""
    assert meeting.starts_at is not None and meeting.ends_at is not None, "the meeting has no time"
    content = ics.event(
        uid=f"collaboration-meeting-{meeting.pk}", start=meeting.starts_at, end=meeting.ends_at,
        summary=meeting.display_title, location=meeting.place, description=meeting.agenda, sequence=meeting.sequence,
        cancelled=cancelled or meeting.status == M.CANCELLED,
    )
    return f"meeting-{meeting.pk}.ics", content, ics.MIMETYPE


def _locked(meeting: CollaborationMeeting) -> CollaborationMeeting:
    return CollaborationMeeting.objects.select_for_update().get(pk=meeting.pk)


def _organisation(name: str | StoredText) -> tuple[str, StoredText | None]:
    if is_text(name):
        assert isinstance(name, dict)
        return render_in(settings.LANGUAGE_CODE, name)[:150], name
    return str(name)[:150], None


def meeting_ensure(*, term: int, number: int, title: str, planned_for: date, today: date,
                   default_invitees: Iterable[tuple[str | StoredText, str, str, User | None]] = (),
                   title_text: StoredText | None = None) -> tuple[CollaborationMeeting, bool]:
    """The planner's meeting `number` of `term`: created once, with the usual invitees (an
    organisation's name may be a stored text, shown in the reader's language)."""
    with transaction.atomic():
        meeting, created = CollaborationMeeting.objects.get_or_create(
            term=term, number=number, defaults={"title": title[:200], "planned_for": planned_for, "created_on": today,
                                                "title_text": title_text})
        if created:
            rows = []
            for org, name, email, user in default_invitees:
                organisation, organisation_text = _organisation(org)
                rows.append(MeetingInvitee(meeting=meeting, organisation=organisation,
                                           organisation_text=organisation_text, name=name[:150], email=email,
                                           user=user))
            MeetingInvitee.objects.bulk_create(rows)
            audit_change(actor=None, action="planner_meeting_create", obj=meeting, to_state=M.PLANNED)
    return meeting, created


@transaction.atomic
def meeting_create(*, actor: User, title: str, planned_for: date) -> CollaborationMeeting:
    """An extra meeting outside the planned ones."""
    permissions.require_manage(actor)
    meeting = CollaborationMeeting(term=term_for(planned_for).year, title=title, planned_for=planned_for,
                                   created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_change(actor=actor, action="meeting_create", obj=meeting, to_state=M.PLANNED)
    return meeting


def _send(meeting: CollaborationMeeting, subject: Callable[[], str], body: Callable[[], str], *,
          cancelled: bool = False) -> int:
    """E-mail the invitees, with the calendar file when the meeting has a time: a user of Värn in
    their language, an organisation's address in the municipality's."""
    to = [Addressee(i.address, language_of(i.user)) for i in meeting.invitees.select_related("user") if i.address]
    timed = meeting.starts_at is not None and meeting.ends_at is not None
    return len(tell(to, subject, body, attachment=(lambda: meeting_calendar_file(meeting, cancelled=cancelled))
                    if timed else None))


@transaction.atomic
def meeting_update(*, actor: User, meeting: CollaborationMeeting, title: str, planned_for: date,
                   starts_at: datetime | None, ends_at: datetime | None, place: str, agenda: str
                   ) -> CollaborationMeeting:
    """Change the meeting's details. When invitations have gone out and the time or place changes,
    the invitees get an updated calendar file."""
    permissions.require_manage(actor)
    meeting = _locked(meeting)
    if meeting.status not in MEETING_EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    if (starts_at is None) != (ends_at is None):
        raise ValidationError({"ends_at": _("Give both the start and the end, or neither.")})
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    moved = (meeting.starts_at, meeting.ends_at, meeting.place) != (starts_at, ends_at, place)
    if title != meeting.title:
        meeting.title_text = None  # rewritten by the unit: shown as written
    meeting.title, meeting.planned_for, meeting.agenda = title, planned_for, agenda
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    if moved and meeting.status == M.INVITED:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=["title", "title_text", "planned_for", "agenda", "starts_at", "ends_at", "place",
                                "sequence"])
    audit_change(actor=actor, action="meeting_update", obj=meeting)
    if moved and meeting.status == M.INVITED and starts_at:
        _send(meeting, lambda: _("Changed: %(title)s") % {"title": meeting.display_title},
              lambda: _("The meeting has a new time or place: %(when)s, %(place)s. An updated calendar file is "
                        "attached.") % {"when": format_datetime(starts_at), "place": place})
    return meeting


@transaction.atomic
def invitee_add(*, actor: User, meeting: CollaborationMeeting, organisation: str, name: str = "", email: str = "",
                user: User | None = None) -> MeetingInvitee:
    permissions.require_manage(actor)
    meeting = _locked(meeting)
    if meeting.status not in MEETING_EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    invitee = MeetingInvitee(meeting=meeting, organisation=organisation, name=name, email=email, user=user)
    invitee.full_clean()
    invitee.save()
    audit_change(actor=actor, action="invitee_add", obj=invitee, reason=organisation)
    return invitee


@transaction.atomic
def invitee_remove(*, actor: User, invitee: MeetingInvitee) -> None:
    permissions.require_manage(actor)
    meeting = _locked(invitee.meeting)
    if meeting.status not in MEETING_EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    audit_change(actor=actor, action="invitee_remove", obj=invitee, reason=invitee.organisation)
    invitee.delete()


@transaction.atomic
def meeting_invite(*, actor: User, meeting: CollaborationMeeting) -> int:
    """Send (or send again) the invitations with the agenda and a calendar file."""
    permissions.require_manage(actor)
    meeting = _locked(meeting)
    MEETING_WORKFLOW.check(meeting.status, M.INVITED)
    if not (meeting.starts_at and meeting.ends_at and meeting.place):
        raise InvalidTransition(_("Set the time and place before sending invitations."))
    if meeting.starts_at <= timezone.now():
        raise InvalidTransition(_("The meeting has already started."))
    if not any(i.address for i in meeting.invitees.select_related("user")):
        raise InvalidTransition(_("Add at least one invitee with an e-mail address."))

    def body() -> str:
        text = _("You are invited to “%(title)s” on %(when)s, %(place)s.") % {
            "title": meeting.display_title, "when": format_datetime(meeting.starts_at), "place": meeting.place}
        if meeting.agenda:
            text += "\n\n" + _("Agenda:") + "\n" + meeting.agenda
        return text + "\n\n" + _("The calendar file is attached.")

    count = _send(meeting, lambda: _("Invitation: %(title)s") % {"title": meeting.display_title}, body)
    transition(meeting, MEETING_WORKFLOW, M.INVITED, actor=actor, action="meeting_invite", locked=True,
               audit_reason=str(count), clean=False)
    return count


@transaction.atomic
def meeting_hold(*, actor: User, meeting: CollaborationMeeting, minutes: str, attended: Iterable[int]
                 ) -> CollaborationMeeting:
    """Record the minutes and who attended (invitee ids in `attended`)."""
    permissions.require_manage(actor)
    meeting = _locked(meeting)

    def record(meeting: CollaborationMeeting, before: str) -> list[str]:
        if meeting.starts_at is None or meeting.starts_at > timezone.now():
            raise InvalidTransition(_("Minutes can be recorded once the meeting has taken place."))
        came = {int(pk) for pk in attended}
        invitees = list(meeting.invitees.all())
        if came - {i.pk for i in invitees}:
            raise ValidationError(_("Someone in the list is not invited to this meeting."))
        for invitee in invitees:
            invitee.attended = invitee.pk in came
        MeetingInvitee.objects.bulk_update(invitees, ["attended"])
        meeting.minutes = minutes
        return ["minutes"]

    return transition(meeting, MEETING_WORKFLOW, M.HELD, actor=actor, action="meeting_hold", locked=True,
                      update=record, clean=False)


@transaction.atomic
def meeting_update_minutes(*, actor: User, meeting: CollaborationMeeting, minutes: str) -> CollaborationMeeting:
    permissions.require_manage(actor)
    meeting = _locked(meeting)
    if meeting.status != M.HELD:
        raise InvalidTransition(_("Minutes are recorded when the meeting is marked held."))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    audit_change(actor=actor, action="meeting_update_minutes", obj=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: CollaborationMeeting, reason: str = "") -> CollaborationMeeting:
    permissions.require_manage(actor)

    def tell_if_invited(meeting: CollaborationMeeting, before: str) -> None:
        if before == M.INVITED:
            _send(meeting, lambda: _("Cancelled: %(title)s") % {"title": meeting.display_title},
                  lambda: _("The meeting is cancelled."), cancelled=True)

    return transition(_locked(meeting), MEETING_WORKFLOW, M.CANCELLED, actor=actor, action="meeting_cancel",
                      locked=True, update=next_calendar_revision, audit_reason=reason, clean=False,
                      notify=tell_if_invited)

