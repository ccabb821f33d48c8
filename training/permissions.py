"""Who may do what in training and prevention. One place for the rules; views and services call
these. A role-level denial is 403; an object the user may not see is 404."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.models import Reminder
from officials.models import Official

from .models import (
    CONVERSATION_WORKFLOW,
    MEETING_EDITABLE,
    MEETING_WORKFLOW,
    SESSION_WORKFLOW,
    CollaborationMeeting,
    Enrolment,
    SecurityConversation,
    Session,
    TrainingOffer,
)

M = TypeVar("M", bound=models.Model)


def can_manage(user: User) -> bool:
    """The security unit plans training, conversations, meetings and revisions."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.SECURITY_HANDLER)


def require_manage(user: User) -> None:
    if not can_manage(user):
        raise PermissionDenied


def can_view_budget(user: User) -> bool:
    """The training budget: the security unit, which books its costs, and the administrator."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.SECURITY_HANDLER,
                                                                            Role.ADMINISTRATOR)


def require_view_budget(user: User) -> None:
    if not can_view_budget(user):
        raise PermissionDenied


def can_run_planner(user: User) -> bool:
    """Previewing and running the planner for a chosen date: the security unit."""
    return can_manage(user)


def can_see_own_training(user: User) -> bool:
    return user.has_role(Role.OFFICIAL)


def get_own_official(user: User) -> Official:
    """The official linked to the user; 403 without the official role, 404 without a record."""
    if not can_see_own_training(user):
        raise PermissionDenied
    try:
        return Official.objects.select_related("user").defer(
            "home_address", "private_phone", "private_email", "private_social").get(user=user)
    except Official.DoesNotExist:
        raise Http404 from None


def _get(model: type[M], pk: int | str, *, related: Iterable[str] = ()) -> M:
    try:
        return model._default_manager.select_related(*related).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def official_may_open_session(official: Official, session: Session, now: datetime | None = None) -> bool:
    """The page rule for an official and a session — the same people `session_invite` invites, so
    that an invitation always leads somewhere the invitee can open: someone enrolled in it, or
    someone the offer is for (its target group and those the unit added) while the offer has not
    closed — also before it opens — or the session is still to come."""
    from . import selectors

    now = now or timezone.now()
    today = timezone.localdate(now)
    if Enrolment.objects.filter(session=session, official=official).exists():
        return True
    offer = session.offer
    upcoming = session.status == Session.Status.SCHEDULED and session.starts_at > now
    if offer.has_closed(today) and not upcoming:
        return False
    return selectors.in_audience(official, offer, today)


def get_session_for_user(user: User, pk: int | str) -> tuple[Session, Official | None]:
    """A session for its page: the security unit sees every one; an official sees one they may
    open (`official_may_open_session`). Returns (session, own official)."""
    session = _get(Session, pk, related=("offer__course",))
    if can_manage(user):
        official = Official.objects.filter(user=user).first() if user.has_role(Role.OFFICIAL) else None
        return session, official
    official = get_own_official(user)
    if official_may_open_session(official, session):
        return session, official
    raise Http404


def get_enrolment_for_user(user: User, pk: int | str) -> Enrolment:
    enrolment = _get(Enrolment, pk, related=("official", "session__offer"))
    if can_manage(user) or (enrolment.official.user_id == user.pk and user.has_role(Role.OFFICIAL)):
        return enrolment
    raise Http404


def get_offer_for_official(user: User, pk: int | str) -> tuple[TrainingOffer, Official]:
    """An open offer the official is in the audience of (marking a web course done)."""
    from . import selectors

    official = get_own_official(user)
    offer = _get(TrainingOffer, pk, related=("course",))
    today = timezone.localdate()
    if not (offer.is_open(today) and selectors.in_audience(official, offer, today)):
        raise Http404
    return offer, official


def get_offer_for_manage(user: User, pk: int | str) -> TrainingOffer:
    require_manage(user)
    return _get(TrainingOffer, pk, related=("course",))


def get_session_for_manage(user: User, pk: int | str) -> Session:
    require_manage(user)
    return _get(Session, pk, related=("offer__course",))


def get_conversation_for_manage(user: User, pk: int | str) -> SecurityConversation:
    require_manage(user)
    return _get(SecurityConversation, pk, related=("official",))


def get_own_conversation(user: User, pk: int | str) -> SecurityConversation:
    """An official's own booked conversation (for its calendar file); never the notes."""
    if can_manage(user):
        return _get(SecurityConversation, pk, related=("official",))
    official = get_own_official(user)
    conversation = _get(SecurityConversation, pk)
    if conversation.official_id != official.pk or conversation.status != SecurityConversation.Status.BOOKED:
        raise Http404
    return conversation


def get_meeting_for_manage(user: User, pk: int | str) -> CollaborationMeeting:
    require_manage(user)
    return _get(CollaborationMeeting, pk)


def get_official_for_manage(user: User, pk: int | str) -> Official:
    require_manage(user)
    try:
        return Official.objects.select_related("user").defer(
            "home_address", "private_phone", "private_email", "private_social").get(pk=pk)
    except (Official.DoesNotExist, ValueError):
        raise Http404 from None


def can_see_reminders(user: User) -> bool:
    """Anyone who can be sent reminders: every role except the official alone."""
    return bool(user.roles - {Role.OFFICIAL})


def get_reminder_for_user(user: User, pk: int | str) -> Reminder:
    if not can_see_reminders(user):
        raise PermissionDenied
    reminder = _get(Reminder, pk)
    if reminder.recipient_id == user.pk or (reminder.recipient_id is None and reminder.recipients_role in user.roles):
        return reminder
    raise Http404


def available_actions(obj: models.Model, user: User, **context: Any) -> set[str]:
    """The buttons a page shows for `obj`; the services enforce the same rules."""
    now = timezone.now()
    if isinstance(obj, Session):
        actions: set[str] = set()
        enrolment: Enrolment | None = context.get("enrolment")
        upcoming = obj.status == Session.Status.SCHEDULED and obj.starts_at > now
        if obj.status != Session.Status.CANCELLED:
            actions.add("calendar")
        if context.get("official") is not None and upcoming:
            if enrolment is None and (context.get("in_group") or can_manage(user)):
                actions.add("enrol")
            if enrolment is not None and enrolment.status in (Enrolment.Status.ENROLLED, Enrolment.Status.WAITING):
                actions.add("cancel_enrolment")
        if can_manage(user):
            if upcoming:
                actions |= {"invite", "enrol_official"}
            if SESSION_WORKFLOW.allows(obj.status, Session.Status.CANCELLED):
                actions.add("cancel_session")
            if obj.status != Session.Status.CANCELLED and obj.starts_at <= now:
                actions.add("attendance")
        return actions
    if not can_manage(user):
        return set()
    if isinstance(obj, SecurityConversation):
        allowed = CONVERSATION_WORKFLOW.targets(obj.status)
        actions = {name for name, target in (("book", "booked"), ("hold", "held"), ("cancel", "cancelled"))
                   if target in allowed}
        if obj.status == SecurityConversation.Status.HELD:
            actions.add("notes")
        return actions
    if isinstance(obj, CollaborationMeeting):
        allowed = MEETING_WORKFLOW.targets(obj.status)
        actions = set()
        if obj.status in MEETING_EDITABLE:
            actions |= {"edit", "invitees"}
        if "invited" in allowed and obj.starts_at and obj.starts_at > now:
            actions.add("invite")
        if "held" in allowed and obj.starts_at and obj.starts_at <= now:
            actions.add("hold")
        if "cancelled" in allowed:
            actions.add("cancel")
        if obj.status == CollaborationMeeting.Status.HELD:
            actions.add("minutes")
        return actions
    if isinstance(obj, TrainingOffer):
        actions = {"add_session", "record_completion", "add_official"} if not obj.has_closed() else {
            "record_completion"}
        actions.add("book_cost")
        if obj.is_web and obj.is_open():
            actions.add("invite")
        return actions
    return set()
