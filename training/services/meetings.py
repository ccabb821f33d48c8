"""Collaboration meetings with the police, Säpo and the parties' security organisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.notify import notify

from .. import ics, permissions
from ..calendar import term_for
from ..models import CollaborationMeeting, MeetingInvitee
from .common import InvalidTransition, absolute, guard

M = CollaborationMeeting.Status

MEETING_TRANSITIONS: dict[str, set[str]] = {
    M.PLANNED: {M.INVITED, M.HELD, M.CANCELLED},
    M.INVITED: {M.INVITED, M.HELD, M.CANCELLED},  # invited → invited: invitations sent again
    M.HELD: set(),
    M.CANCELLED: set(),
}
EDITABLE = (M.PLANNED, M.INVITED)


def _labels() -> dict:
    return dict(M.choices)


def _require(actor: User) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied


def meeting_calendar_file(meeting: CollaborationMeeting, *, cancelled: bool = False) -> tuple[str, str, str]:
    content = ics.event(
        uid=f"collaboration-meeting-{meeting.pk}", start=meeting.starts_at, end=meeting.ends_at,
        summary=meeting.title, location=meeting.place, description=meeting.agenda, sequence=meeting.sequence,
        cancelled=cancelled or meeting.status == M.CANCELLED,
    )
    return f"meeting-{meeting.pk}.ics", content, ics.MIMETYPE


def _locked(meeting: CollaborationMeeting) -> CollaborationMeeting:
    return CollaborationMeeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_ensure(*, term: int, number: int, title: str, planned_for: date, today: date,
                   default_invitees: Iterable[tuple[str, str, str, User | None]] = ()
                   ) -> tuple[CollaborationMeeting, bool]:
    """The planner's meeting `number` of `term`: created once, with the usual invitees."""
    with transaction.atomic():
        meeting, created = CollaborationMeeting.objects.get_or_create(
            term=term, number=number, defaults={"title": title[:200], "planned_for": planned_for, "created_on": today})
        if created:
            MeetingInvitee.objects.bulk_create([
                MeetingInvitee(meeting=meeting, organisation=org[:150], name=name[:150], email=email, user=user)
                for org, name, email, user in default_invitees
            ])
            audit_change(actor=None, action="planner_meeting_create", obj=meeting, to_state=M.PLANNED)
    return meeting, created


@transaction.atomic
def meeting_create(*, actor: User, title: str, planned_for: date) -> CollaborationMeeting:
    """An extra meeting outside the planned ones."""
    _require(actor)
    meeting = CollaborationMeeting(term=term_for(planned_for).year, title=title, planned_for=planned_for,
                                   created_by=actor)
    meeting.full_clean()
    meeting.save()
    audit_change(actor=actor, action="meeting_create", obj=meeting, to_state=M.PLANNED)
    return meeting


def _send(meeting: CollaborationMeeting, subject: str, body: str, *, cancelled: bool = False) -> int:
    addresses = [i.address for i in meeting.invitees.select_related("user") if i.address]
    return len(notify(addresses, subject, body, attachment=meeting_calendar_file(meeting, cancelled=cancelled)))


@transaction.atomic
def meeting_update(*, actor: User, meeting: CollaborationMeeting, title: str, planned_for: date,
                   starts_at: datetime | None, ends_at: datetime | None, place: str, agenda: str
                   ) -> CollaborationMeeting:
    """Change the meeting's details. When invitations have gone out and the time or place changes,
    the invitees get an updated calendar file."""
    _require(actor)
    meeting = _locked(meeting)
    if meeting.status not in EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    if (starts_at is None) != (ends_at is None):
        raise ValidationError({"ends_at": _("Give both the start and the end, or neither.")})
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The meeting must end after it starts.")})
    moved = (meeting.starts_at, meeting.ends_at, meeting.place) != (starts_at, ends_at, place)
    meeting.title, meeting.planned_for, meeting.agenda = title, planned_for, agenda
    meeting.starts_at, meeting.ends_at, meeting.place = starts_at, ends_at, place
    if moved and meeting.status == M.INVITED:
        meeting.sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=["title", "planned_for", "agenda", "starts_at", "ends_at", "place", "sequence"])
    audit_change(actor=actor, action="meeting_update", obj=meeting)
    if moved and meeting.status == M.INVITED and starts_at:
        _send(meeting, _("Changed: %(title)s") % {"title": meeting.title},
              _("The meeting has a new time or place: %(when)s, %(place)s. An updated calendar file is attached.")
              % {"when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "place": place})
    return meeting


@transaction.atomic
def invitee_add(*, actor: User, meeting: CollaborationMeeting, organisation: str, name: str = "", email: str = "",
                user: User | None = None) -> MeetingInvitee:
    _require(actor)
    meeting = _locked(meeting)
    if meeting.status not in EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    invitee = MeetingInvitee(meeting=meeting, organisation=organisation, name=name, email=email, user=user)
    invitee.full_clean()
    invitee.save()
    audit_change(actor=actor, action="invitee_add", obj=invitee, reason=organisation)
    return invitee


@transaction.atomic
def invitee_remove(*, actor: User, invitee: MeetingInvitee) -> None:
    _require(actor)
    meeting = _locked(invitee.meeting)
    if meeting.status not in EDITABLE:
        raise InvalidTransition(_("A meeting that has been held or cancelled cannot be changed."))
    audit_change(actor=actor, action="invitee_remove", obj=invitee, reason=invitee.organisation)
    invitee.delete()


@transaction.atomic
def meeting_invite(*, actor: User, meeting: CollaborationMeeting) -> int:
    """Send (or send again) the invitations with the agenda and a calendar file."""
    _require(actor)
    meeting = _locked(meeting)
    guard(MEETING_TRANSITIONS, meeting.status, M.INVITED, _labels())
    if not (meeting.starts_at and meeting.ends_at and meeting.place):
        raise InvalidTransition(_("Set the time and place before sending invitations."))
    if meeting.starts_at <= timezone.now():
        raise InvalidTransition(_("The meeting has already started."))
    if not any(i.address for i in meeting.invitees.select_related("user")):
        raise InvalidTransition(_("Add at least one invitee with an e-mail address."))
    before = meeting.status
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    body = _("You are invited to “%(title)s” on %(when)s, %(place)s.") % {
        "title": meeting.title, "when": when, "place": meeting.place}
    if meeting.agenda:
        body += "\n\n" + _("Agenda:") + "\n" + meeting.agenda
    body += "\n\n" + _("The calendar file is attached.")
    count = _send(meeting, _("Invitation: %(title)s") % {"title": meeting.title}, body)
    meeting.status = M.INVITED
    meeting.save(update_fields=["status"])
    audit_change(actor=actor, action="meeting_invite", obj=meeting, from_state=before, to_state=M.INVITED,
                 reason=str(count))
    return count


@transaction.atomic
def meeting_hold(*, actor: User, meeting: CollaborationMeeting, minutes: str, attended: Iterable[int]
                 ) -> CollaborationMeeting:
    """Record the minutes and who attended (invitee ids in `attended`)."""
    _require(actor)
    meeting = _locked(meeting)
    guard(MEETING_TRANSITIONS, meeting.status, M.HELD, _labels())
    if meeting.starts_at is None or meeting.starts_at > timezone.now():
        raise InvalidTransition(_("Minutes can be recorded once the meeting has taken place."))
    attended = {int(pk) for pk in attended}
    invitees = list(meeting.invitees.all())
    if attended - {i.pk for i in invitees}:
        raise ValidationError(_("Someone in the list is not invited to this meeting."))
    for invitee in invitees:
        invitee.attended = invitee.pk in attended
    MeetingInvitee.objects.bulk_update(invitees, ["attended"])
    before = meeting.status
    meeting.status, meeting.minutes = M.HELD, minutes
    meeting.save(update_fields=["status", "minutes"])
    audit_change(actor=actor, action="meeting_hold", obj=meeting, from_state=before, to_state=M.HELD)
    return meeting


@transaction.atomic
def meeting_update_minutes(*, actor: User, meeting: CollaborationMeeting, minutes: str) -> CollaborationMeeting:
    _require(actor)
    meeting = _locked(meeting)
    if meeting.status != M.HELD:
        raise InvalidTransition(_("Minutes are recorded when the meeting is marked held."))
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    audit_change(actor=actor, action="meeting_update_minutes", obj=meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: CollaborationMeeting, reason: str = "") -> CollaborationMeeting:
    _require(actor)
    meeting = _locked(meeting)
    guard(MEETING_TRANSITIONS, meeting.status, M.CANCELLED, _labels())
    before = meeting.status
    meeting.status = M.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    audit_change(actor=actor, action="meeting_cancel", obj=meeting, from_state=before, to_state=M.CANCELLED,
                 reason=reason)
    if before == M.INVITED:
        _send(meeting, _("Cancelled: %(title)s") % {"title": meeting.title},
              _("The meeting is cancelled."), cancelled=True)
    return meeting


def meeting_url(meeting: CollaborationMeeting) -> str:
    return absolute(reverse("training:meeting-detail", args=[meeting.pk]))
