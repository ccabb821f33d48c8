"""Security conversations: yearly per term year for the officials the policy names, or on request.
Booked (the official gets a calendar file), held (notes for the security unit only), cancelled."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.notify import notify
from officials.models import Official

from .. import ics, permissions
from ..calendar import Term, term_for
from ..models import SecurityConversation
from .common import InvalidTransition, absolute, guard, official_address

C = SecurityConversation.Status

CONVERSATION_TRANSITIONS: dict[str, set[str]] = {
    C.DUE: {C.BOOKED, C.HELD, C.CANCELLED},
    C.BOOKED: {C.BOOKED, C.HELD, C.CANCELLED},  # booked → booked: a new time
    C.HELD: set(),
    C.CANCELLED: set(),
}


def _labels() -> dict:
    return dict(C.choices)


def conversation_calendar_file(conversation: SecurityConversation, *, cancelled: bool = False) -> tuple[str, str, str]:
    start = conversation.booked_for
    content = ics.event(
        uid=f"security-conversation-{conversation.pk}", start=start,
        end=start + timedelta(minutes=conversation.duration_minutes),
        summary=_("Security conversation"), location=conversation.place,
        url=absolute(reverse("training:my-training")), sequence=conversation.sequence,
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
    if not permissions.can_manage(actor):
        raise PermissionDenied
    conversation = SecurityConversation(official=official, reason=SecurityConversation.Reason.REQUESTED,
                                        term=term_for(due_by).year, due_by=due_by, created_by=actor,
                                        changed_by=actor)
    conversation.full_clean()
    conversation.save()
    audit_change(actor=actor, action="conversation_request", obj=conversation, to_state=C.DUE)
    return conversation


def _locked(conversation: SecurityConversation) -> SecurityConversation:
    return SecurityConversation.objects.select_for_update(of=("self",)).select_related("official__user").get(pk=conversation.pk)


@transaction.atomic
def conversation_book(*, actor: User, conversation: SecurityConversation, booked_for: datetime, place: str,
                      duration_minutes: int = 60) -> SecurityConversation:
    if not permissions.can_manage(actor):
        raise PermissionDenied
    conversation = _locked(conversation)
    guard(CONVERSATION_TRANSITIONS, conversation.status, C.BOOKED, _labels())
    if booked_for <= timezone.now():
        raise ValidationError({"booked_for": _("Book a time in the future.")})
    before = conversation.status
    rebooked = before == C.BOOKED
    conversation.status = C.BOOKED
    conversation.booked_for = booked_for
    conversation.place = place
    conversation.duration_minutes = duration_minutes
    conversation.sequence += 1 if rebooked else 0
    conversation.changed_by, conversation.changed_at = actor, timezone.now()
    conversation.full_clean()
    conversation.save(update_fields=["status", "booked_for", "place", "duration_minutes", "sequence", "changed_by",
                                     "changed_at"])
    audit_change(actor=actor, action="conversation_book", obj=conversation, from_state=before, to_state=C.BOOKED)
    when = timezone.localtime(booked_for).strftime("%Y-%m-%d %H:%M")
    notify([official_address(conversation.official)], _("Security conversation %(when)s") % {"when": when},
           _("Your security conversation with the security unit is booked for %(when)s, %(place)s. "
             "The calendar file is attached.") % {"when": when, "place": place},
           attachment=conversation_calendar_file(conversation))
    return conversation


@transaction.atomic
def conversation_hold(*, actor: User, conversation: SecurityConversation, held_on: date, notes: str = ""
                      ) -> SecurityConversation:
    """Record that the conversation was held. The notes are for the security unit only."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    conversation = _locked(conversation)
    guard(CONVERSATION_TRANSITIONS, conversation.status, C.HELD, _labels())
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The date cannot be in the future.")})
    before = conversation.status
    conversation.status, conversation.held_on, conversation.notes = C.HELD, held_on, notes
    conversation.changed_by, conversation.changed_at = actor, timezone.now()
    conversation.full_clean()
    conversation.save(update_fields=["status", "held_on", "notes", "changed_by", "changed_at"])
    audit_change(actor=actor, action="conversation_hold", obj=conversation, from_state=before, to_state=C.HELD)
    return conversation


@transaction.atomic
def conversation_update_notes(*, actor: User, conversation: SecurityConversation, notes: str
                              ) -> SecurityConversation:
    if not permissions.can_manage(actor):
        raise PermissionDenied
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
    if not permissions.can_manage(actor):
        raise PermissionDenied
    conversation = _locked(conversation)
    guard(CONVERSATION_TRANSITIONS, conversation.status, C.CANCELLED, _labels())
    before = conversation.status
    conversation.status = C.CANCELLED
    conversation.sequence += 1
    conversation.changed_by, conversation.changed_at = actor, timezone.now()
    conversation.save(update_fields=["status", "sequence", "changed_by", "changed_at"])
    audit_change(actor=actor, action="conversation_cancel", obj=conversation, from_state=before,
                 to_state=C.CANCELLED, reason=reason)
    if before == C.BOOKED:
        notify([official_address(conversation.official)], _("Security conversation cancelled"),
               _("Your booked security conversation is cancelled. The security unit will contact you."),
               attachment=conversation_calendar_file(conversation, cancelled=True))
    return conversation
