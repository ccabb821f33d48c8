"""Security conversations: yearly per term year for the officials the policy names, or on request.
Booked (the official gets a calendar file), held (notes for the security unit only), cancelled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from core.audit import audit_change
from core.dates import format_datetime
from core.notify import absolute_url, tell
from core.workflow import InvalidTransition, transition
from officials.models import Official

from .. import ics, permissions
from ..calendar import Term, term_for
from ..models import CONVERSATION_WORKFLOW, SecurityConversation
from .common import CHANGED, next_calendar_revision, official_addressee

C = SecurityConversation.Status


def conversation_calendar_file(conversation: SecurityConversation, *, cancelled: bool = False) -> tuple[str, str, str]:
    start = conversation.booked_for
    assert start is not None, "only a booked conversation has a calendar file"
    content = ics.event(
        uid=f"security-conversation-{conversation.pk}", start=start,
        end=start + timedelta(minutes=conversation.duration_minutes),
        summary=_("Security conversation"), location=conversation.place,
        url=absolute_url("training:my-training"), sequence=conversation.sequence,
        cancelled=cancelled or conversation.status == C.CANCELLED,
    )
    return f"security-conversation-{conversation.pk}.ics", content, ics.MIMETYPE


def yearly_due_by(term: Term, period: int) -> date:
    return term.year_span(period)[1]


def conversations_ensure_yearly(*, officials: list[Official], term: Term, period: int, today: date
                                ) -> list[SecurityConversation]:
    """The planner: one yearly conversation per official and term year (created once)."""
    if not officials:
        return []
    due_by = yearly_due_by(term, period)
    rows = [SecurityConversation(official=o, reason=SecurityConversation.Reason.YEARLY, term=term.year,
                                 period=period, due_by=due_by, created_on=today) for o in officials]
    with transaction.atomic():
        SecurityConversation.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(SecurityConversation.objects.filter(
            reason=SecurityConversation.Reason.YEARLY, term=term.year, period=period, created_on=today,
            official_id__in=[o.pk for o in officials]))
        for conversation in created:
            audit_change(actor=None, action="planner_conversation_create", obj=conversation, to_state=C.DUE)
    return created


@transaction.atomic
def conversation_request(*, actor: User, official: Official, due_by: date) -> SecurityConversation:
    """A conversation on request (the official asked, or the unit sees a need)."""
    permissions.require_manage(actor)
    conversation = SecurityConversation(official=official, reason=SecurityConversation.Reason.REQUESTED,
                                        term=term_for(due_by).year, due_by=due_by, created_by=actor,
                                        changed_by=actor)
    conversation.full_clean()
    conversation.save()
    audit_change(actor=actor, action="conversation_request", obj=conversation, to_state=C.DUE)
    return conversation


def _locked(conversation: SecurityConversation) -> SecurityConversation:
    return (SecurityConversation.objects.select_for_update(of=("self",)).select_related("official__user")
            .get(pk=conversation.pk))


def _tell_official(conversation: SecurityConversation, subject: Callable[[], str], body: Callable[[], str], *,
                   cancelled: bool = False) -> None:
    """E-mail the official, in their language, with the conversation's calendar file."""
    tell([official_addressee(conversation.official)], subject, body,
         attachment=lambda: conversation_calendar_file(conversation, cancelled=cancelled))


@transaction.atomic
def conversation_book(*, actor: User, conversation: SecurityConversation, booked_for: datetime, place: str,
                      duration_minutes: int = 60) -> SecurityConversation:
    """Book a time (or a new time): the official gets the calendar file."""
    permissions.require_manage(actor)

    def book(conversation: SecurityConversation, before: str) -> list[str]:
        if booked_for <= timezone.now():
            raise ValidationError({"booked_for": _("Book a time in the future.")})
        conversation.booked_for, conversation.place = booked_for, place
        conversation.duration_minutes = duration_minutes
        if before == C.BOOKED:
            conversation.sequence += 1  # a new time: calendars replace the event
        return ["booked_for", "place", "duration_minutes", "sequence"]

    def tell_booked(conversation: SecurityConversation, before: str) -> None:
        unit = Policy.current().unit_name
        _tell_official(conversation, lambda: _("Security conversation %(when)s") % {"when": format_datetime(booked_for)},
                       lambda: _("Your security conversation with %(unit)s is booked for %(when)s, %(place)s. The "
                                 "calendar file is attached.") % {"unit": unit, "when": format_datetime(booked_for),
                                                                  "place": place})

    return transition(_locked(conversation), CONVERSATION_WORKFLOW, C.BOOKED, actor=actor, action="conversation_book",
                      locked=True, stamp=CHANGED, update=book, notify=tell_booked)


@transaction.atomic
def conversation_hold(*, actor: User, conversation: SecurityConversation, held_on: date, notes: str = ""
                      ) -> SecurityConversation:
    """Record that the conversation was held. The notes are for the security unit only."""
    permissions.require_manage(actor)

    def hold(conversation: SecurityConversation, before: str) -> list[str]:
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("The date cannot be in the future.")})
        conversation.held_on, conversation.notes = held_on, notes
        return ["held_on", "notes"]

    return transition(_locked(conversation), CONVERSATION_WORKFLOW, C.HELD, actor=actor, action="conversation_hold",
                      locked=True, stamp=CHANGED, update=hold)


@transaction.atomic
def conversation_update_notes(*, actor: User, conversation: SecurityConversation, notes: str
                              ) -> SecurityConversation:
    permissions.require_manage(actor)
    conversation = _locked(conversation)
    if conversation.status != C.HELD:
        raise InvalidTransition(_("Notes are written once the conversation has been held."))
    conversation.notes = notes
    conversation.changed_by, conversation.changed_at = actor, timezone.now()
    conversation.save(update_fields=["notes", "changed_by", "changed_at"])
    audit_change(actor=actor, action="conversation_update_notes", obj=conversation)
    return conversation


@transaction.atomic
def conversation_cancel(*, actor: User, conversation: SecurityConversation, reason: str = ""
                        ) -> SecurityConversation:
    """Cancel; a booked official gets the cancelled calendar event."""
    permissions.require_manage(actor)

    def tell_if_booked(conversation: SecurityConversation, before: str) -> None:
        if before == C.BOOKED:
            unit = Policy.current().unit_name
            _tell_official(conversation, lambda: _("Security conversation cancelled"),
                           lambda: _("Your booked security conversation is cancelled. %(unit)s will contact you.")
                           % {"unit": unit}, cancelled=True)

    return transition(_locked(conversation), CONVERSATION_WORKFLOW, C.CANCELLED, actor=actor,
                      action="conversation_cancel", locked=True, stamp=CHANGED, update=next_calendar_revision,
                      audit_reason=reason, clean=False, notify=tell_if_booked)
