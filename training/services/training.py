"""Courses, offers, sessions, enrolment with a waiting list, attendance and completion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_change
from core.dates import format_date, format_datetime
from core.notify import absolute_url, tell
from core.texts import StoredText
from core.workflow import InvalidTransition, transition
from officials.models import Official

from .. import ics, permissions, selectors
from ..models import (
    ENROLMENT_WORKFLOW,
    SESSION_WORKFLOW,
    Completion,
    Course,
    Enrolment,
    OfferAddedOfficial,
    Session,
    TrainingCost,
    TrainingOffer,
)
from .common import CHANGED, next_calendar_revision, official_addressee

S = Session.Status
E = Enrolment.Status

COURSE_FIELDS = ("title", "description", "kind", "format", "target_group", "web_url", "is_active")


# ---------------------------------------------------------------- courses and offers


@transaction.atomic
def course_create(*, actor: User | None, title: str, **fields: Any) -> Course:
    course = Course(title=title)
    for name, value in fields.items():
        if name not in (*COURSE_FIELDS, "code"):
            raise TypeError(f"course_create() got an unexpected field {name!r}")
        setattr(course, name, value)
    course.full_clean()
    course.save()
    audit_change(actor=actor, action="course_create", obj=course)
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, **fields: Any) -> list[str]:
    course = Course.objects.select_for_update().get(pk=course.pk)
    changed = []
    for name, value in fields.items():
        if name not in COURSE_FIELDS:
            raise TypeError(f"course_update() got an unexpected field {name!r}")
        if getattr(course, name) != value:
            setattr(course, name, value)
            changed.append(name)
    # A title or description the unit rewrites is theirs: shown as written, in every language.
    for name in ("title", "description"):
        if name in changed and getattr(course, f"{name}_text") is not None:
            setattr(course, f"{name}_text", None)
            changed.append(f"{name}_text")
    if changed:
        course.full_clean()
        course.save(update_fields=changed)
        audit_change(actor=actor, action="course_update", obj=course,
                     reason=", ".join(name for name in changed if not name.endswith("_text")))
    return [name for name in changed if not name.endswith("_text")]


@transaction.atomic
def offer_create(*, actor: User, course: Course, title: str, target_group: str, opens_on: date, closes_on: date,
                 required: bool = False) -> TrainingOffer:
    """An offer added by the security unit outside the planner's schedule."""
    from ..calendar import term_for

    offer = TrainingOffer(kind=TrainingOffer.Kind.MANUAL, term=term_for(opens_on).year, course=course, title=title,
                          target_group=target_group, opens_on=opens_on, closes_on=closes_on, required=required,
                          created_by=actor)
    offer.full_clean()
    offer.save()
    audit_change(actor=actor, action="offer_create", obj=offer)
    return offer


def offer_ensure(*, kind: str, term: int, period: str, course: Course, title: str, target_group: str,
                 opens_on: date, closes_on: date, required: bool, today: date,
                 title_text: StoredText | None = None) -> tuple[TrainingOffer, bool]:
    """The planner's offer for (kind, term, period): created once, never twice. `title_text`: the
    title as a stored text, shown in the reader's language (`title` is it in the municipality's)."""
    try:
        with transaction.atomic():
            offer, created = TrainingOffer.objects.get_or_create(
                kind=kind, term=term, period=period,
                defaults={"course": course, "title": title[:200], "target_group": target_group, "opens_on": opens_on,
                          "closes_on": closes_on, "required": required, "created_on": today,
                          "title_text": title_text},
            )
            if created:
                audit_change(actor=None, action="planner_offer_create", obj=offer, to_state=f"{kind}:{term}:{period}")
    except IntegrityError:  # another planner run created it a moment ago
        return TrainingOffer.objects.get(kind=kind, term=term, period=period), False
    return offer, created


def _notify_web_offer(offer: TrainingOffer, recipients: list[Official]) -> int:
    url = absolute_url("training:my-training")

    def body() -> str:
        text = _("The web course “%(title)s” is open to you until %(until)s.") % {
            "title": offer.display_title, "until": format_date(offer.closes_on)}
        if offer.course.web_url:
            text += "\n\n" + _("Take the course here: %(url)s") % {"url": offer.course.web_url}
        return text + "\n\n" + _("When you have finished it, mark it done in Värn: %(url)s") % {"url": url}

    return len(tell([official_addressee(o) for o in recipients],
                    lambda: _("Web course: %(title)s") % {"title": offer.display_title}, body))


@transaction.atomic
def offer_invite(*, actor: User, offer: TrainingOffer) -> int:
    """E-mail a web course's target group that it is open. Returns how many e-mails were queued."""
    offer = TrainingOffer.objects.select_for_update(of=("self",)).select_related("course").get(pk=offer.pk)
    today = timezone.localdate()
    if not offer.is_web:
        raise InvalidTransition(_("Invitations to on-site training are sent per session."))
    if not offer.is_open(today):
        raise InvalidTransition(_("This offer is not open."))
    recipients = list(selectors.offer_audience(offer, today).select_related("user"))
    count = _notify_web_offer(offer, recipients)
    offer.invitations_sent_at = timezone.now()
    offer.save(update_fields=["invitations_sent_at"])
    audit_change(actor=actor, action="offer_invite", obj=offer, reason=str(count))
    return count


# ---------------------------------------------------------------- sessions


def _session_ics(session: Session, *, cancelled: bool = False) -> tuple[str, str, str]:
    content = ics.event(
        uid=f"training-session-{session.pk}", start=session.starts_at, end=session.ends_at,
        summary=session.offer.display_title, location=session.place,
        description=session.offer.course.display_description, url=absolute_url("training:session-detail", session.pk),
        sequence=session.sequence, cancelled=cancelled or session.status == S.CANCELLED,
    )
    return f"training-{session.pk}.ics", content, ics.MIMETYPE


def session_calendar_file(session: Session) -> tuple[str, str, str]:
    """(file name, content, mimetype) of the session's calendar file."""
    return _session_ics(session)


def _when(value: datetime) -> str:
    return format_datetime(value)


def _locked(session_id: int) -> Session:
    """The session locked (not its offer and course, which come along)."""
    return Session.objects.select_for_update(of=("self",)).select_related("offer__course").get(pk=session_id)


@transaction.atomic
def session_create(*, actor: User, offer: TrainingOffer, starts_at: datetime, ends_at: datetime, place: str,
                   capacity: int, estimated_cost_sek: int | None = 0) -> Session:
    offer = TrainingOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.closes_on < timezone.localdate():
        raise InvalidTransition(_("This offer has closed; sessions can no longer be added."))
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A new session must start in the future.")})
    session = Session(offer=offer, starts_at=starts_at, ends_at=ends_at, place=place, capacity=capacity,
                      estimated_cost_sek=estimated_cost_sek or 0, created_by=actor)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    session.full_clean()
    session.save()
    audit_change(actor=actor, action="session_create", obj=session, to_state=S.SCHEDULED)
    return session


@transaction.atomic
def session_invite(*, actor: User, session: Session) -> int:
    """E-mail the offer's audience (its target group and whom the unit added: the people who may
    open the session's page, `permissions.official_may_open_session`) an invitation with a link to
    enrol and the calendar file — also before the offer opens. People already enrolled are left
    out. Returns how many e-mails were queued."""
    session = _locked(session.pk)
    if session.status != S.SCHEDULED or session.starts_at <= timezone.now():
        raise InvalidTransition(_("Invitations can only be sent for a scheduled session that has not started."))
    on = timezone.localdate()
    enrolled = Enrolment.objects.filter(session=session).exclude(status=E.CANCELLED).values("official_id")
    recipients = selectors.offer_audience(session.offer, on).exclude(id__in=enrolled).select_related("user")
    url = absolute_url("training:session-detail", session.pk)

    def body() -> str:
        return "\n\n".join([
            _("You are invited to “%(title)s” on %(when)s, %(place)s.") % {
                "title": session.offer.display_title, "when": _when(session.starts_at), "place": session.place},
            _("Enrol here: %(url)s") % {"url": url},
            _("The calendar file is attached."),
        ])

    rows = tell([official_addressee(o) for o in recipients],
                lambda: _("Invitation: %(title)s") % {"title": session.offer.display_title}, body,
                attachment=lambda: _session_ics(session))
    session.invited_at = timezone.now()
    session.save(update_fields=["invited_at"])
    audit_change(actor=actor, action="session_invite", obj=session, reason=str(len(rows)))
    return len(rows)


@transaction.atomic
def session_cancel(*, actor: User, session: Session, reason: str = "") -> Session:
    """Cancel a session: everyone with a place or on the waiting list is told, with the cancelled
    calendar event."""
    session = transition(_locked(session.pk), SESSION_WORKFLOW, S.CANCELLED, actor=actor, action="session_cancel",
                         locked=True, update=next_calendar_revision, audit_reason=reason, clean=False)
    affected = list(session.enrolments.filter(status__in=[E.ENROLLED, E.WAITING]).select_related("official__user"))
    Enrolment.objects.filter(pk__in=[e.pk for e in affected]).update(status=E.CANCELLED, changed_at=timezone.now(),
                                                                     changed_by=actor)
    if affected:
        tell([official_addressee(e.official) for e in affected],
             lambda: _("Cancelled: %(title)s") % {"title": session.offer.display_title},
             lambda: _("The session on %(when)s has been cancelled. We will offer a new time.")
             % {"when": _when(session.starts_at)}, attachment=lambda: _session_ics(session, cancelled=True))
    return session


# ---------------------------------------------------------------- enrolment


def _check_actor_for(actor: User, official: Official) -> None:
    if not permissions.can_manage(actor) and official.user_id != actor.pk:
        raise PermissionDenied


def _confirm(enrolment: Enrolment, session: Session) -> None:
    to = [official_addressee(enrolment.official)]
    if enrolment.status == E.ENROLLED:
        tell(to, lambda: _("Enrolled: %(title)s") % {"title": session.offer.display_title},
             lambda: _("You have a place on %(when)s, %(place)s. The calendar file is attached.")
             % {"when": _when(session.starts_at), "place": session.place}, attachment=lambda: _session_ics(session))
    else:
        tell(to, lambda: _("Waiting list: %(title)s") % {"title": session.offer.display_title},
             lambda: _("The session on %(when)s is full. You are on the waiting list and will be told if a place "
                       "becomes free.") % {"when": _when(session.starts_at)})


@transaction.atomic
def enrolment_create(*, actor: User, session: Session, official: Official) -> Enrolment:
    """Enrol `official`: a place while there is one, else the waiting list. The session row is
    locked so that two people cannot take the last place at once."""
    _check_actor_for(actor, official)
    session = _locked(session.pk)
    if session.status != S.SCHEDULED or session.starts_at <= timezone.now():
        raise InvalidTransition(_("Enrolment is closed: the session has started, been held or been cancelled."))
    if not permissions.can_manage(actor) and not selectors.in_audience(official, session.offer, timezone.localdate()):
        raise InvalidTransition(_("This training is offered to another group of officials."))
    if Enrolment.objects.filter(session=session, official=official).exclude(status=E.CANCELLED).exists():
        raise InvalidTransition(_("Already enrolled in this session."))
    taken = Enrolment.objects.filter(session=session, status__in=[E.ENROLLED, E.ATTENDED]).count()
    status = E.ENROLLED if taken < session.capacity else E.WAITING
    enrolment = Enrolment(session=session, official=official, status=status, changed_by=actor)
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    audit_change(actor=actor, action="enrolment_create", obj=enrolment, to_state=status)
    _confirm(enrolment, session)
    return enrolment


@transaction.atomic
def enrolment_cancel(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """Cancel a place or a place on the waiting list; a freed place goes to the first waiting."""
    session = _locked(enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("official__user").get(pk=enrolment.pk)
    _check_actor_for(actor, enrolment.official)
    if session.status != S.SCHEDULED:
        raise InvalidTransition(_("The session has been held or cancelled."))
    before = enrolment.status
    enrolment = transition(enrolment, ENROLMENT_WORKFLOW, E.CANCELLED, actor=actor, action="enrolment_cancel",
                           locked=True, stamp=CHANGED, clean=False)
    if before == E.ENROLLED:
        tell([official_addressee(enrolment.official)],
             lambda: _("Cancelled: %(title)s") % {"title": session.offer.display_title},
             lambda: _("Your place on %(when)s is cancelled.") % {"when": _when(session.starts_at)},
             attachment=lambda: _session_ics(session, cancelled=True))
        _promote_first_waiting(actor=actor, session=session)
    return enrolment


def _promote_first_waiting(*, actor: User, session: Session) -> Enrolment | None:
    taken = Enrolment.objects.filter(session=session, status__in=[E.ENROLLED, E.ATTENDED]).count()
    if taken >= session.capacity:
        return None
    first = (Enrolment.objects.select_for_update(of=("self",)).filter(session=session, status=E.WAITING)
             .select_related("official__user").order_by("created_at", "id").first())
    if first is None:
        return None
    first = transition(first, ENROLMENT_WORKFLOW, E.ENROLLED, actor=actor, action="enrolment_promote", locked=True,
                       stamp=CHANGED, clean=False)
    tell([official_addressee(first.official)],
         lambda: _("You have a place: %(title)s") % {"title": session.offer.display_title},
         lambda: _("A place became free on %(when)s, %(place)s, and it is yours. The calendar file is attached.")
         % {"when": _when(session.starts_at), "place": session.place}, attachment=lambda: _session_ics(session))
    return first


# ---------------------------------------------------------------- attendance and completion


@transaction.atomic
def attendance_record(*, actor: User, session: Session, attended: Iterable[int]) -> Session:
    """Record who came (enrolment ids in `attended`); everyone else with a place was absent.
    Attending completes the offer in the official's training record."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    session = Session.objects.select_for_update(of=("self",)).select_related("offer").get(pk=session.pk)
    SESSION_WORKFLOW.check(session.status, S.HELD)
    if session.starts_at > timezone.now():
        raise InvalidTransition(_("Attendance can be recorded once the session has started."))
    attended = {int(pk) for pk in attended}
    rows = list(session.enrolments.select_for_update().exclude(status=E.CANCELLED))
    unknown = attended - {e.pk for e in rows}
    if unknown:
        raise ValidationError(_("Someone in the list is not enrolled in this session."))
    held_on = timezone.localtime(session.starts_at).date()
    for enrolment in rows:
        if enrolment.pk in attended:
            target = E.ATTENDED
        elif enrolment.status == E.WAITING:
            continue  # did not get a place and did not come
        else:
            target = E.ABSENT
        if target == enrolment.status:
            continue
        transition(enrolment, ENROLMENT_WORKFLOW, target, actor=actor, action="attendance_record", locked=True,
                   stamp=CHANGED, clean=False)
        if target == E.ATTENDED:
            _complete(official_id=enrolment.official_id, offer=session.offer, completed_on=held_on,
                      source=Completion.Source.ATTENDED, session=session, actor=actor)
        else:
            removed = Completion.objects.filter(official_id=enrolment.official_id, offer=session.offer,
                                                session=session, source=Completion.Source.ATTENDED)
            for completion in removed:
                audit_change(actor=actor, action="completion_remove", obj=completion, from_state="done",
                             to_state="absent")
            removed.delete()
    return transition(session, SESSION_WORKFLOW, S.HELD, actor=actor, action="session_held", locked=True,
                      stamp={"by": "attendance_recorded_by", "at": "attendance_recorded_at"}, clean=False)


def _complete(*, official_id: int, offer: TrainingOffer, completed_on: date, source: str, actor: User | None,
              session: Session | None = None) -> tuple[Completion, bool]:
    completion, created = Completion.objects.get_or_create(
        official_id=official_id, offer=offer,
        defaults={"completed_on": completed_on, "source": source, "session": session, "recorded_by": actor},
    )
    if created:
        audit_change(actor=actor, action="completion_record", obj=completion, to_state=source)
    return completion, created


@transaction.atomic
def completion_record(*, actor: User, offer: TrainingOffer, official: Official, completed_on: date) -> Completion:
    """The security unit records that an official has completed an offer (e.g. the web course)."""
    if not permissions.can_manage(actor):
        raise PermissionDenied
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The date cannot be in the future.")})
    if completed_on < offer.opens_on:
        raise ValidationError({"completed_on": _("The date is before the offer opened.")})
    completion, created = _complete(official_id=official.pk, offer=offer, completed_on=completed_on,
                                    source=Completion.Source.RECORDED, actor=actor)
    if not created:
        raise InvalidTransition(_("%(name)s has already completed this.") % {"name": official.full_name})
    return completion


@transaction.atomic
def completion_self_report(*, actor: User, offer: TrainingOffer, official: Official) -> Completion:
    """An official marks the web course done."""
    _check_actor_for(actor, official)
    today = timezone.localdate()
    offer = TrainingOffer.objects.select_related("course").get(pk=offer.pk)
    if not offer.is_web:
        raise InvalidTransition(_("On-site training is recorded by the security unit when you attend."))
    if not offer.is_open(today):
        raise InvalidTransition(_("This offer is not open."))
    if not selectors.in_audience(official, offer, today):
        raise InvalidTransition(_("This training is offered to another group of officials."))
    completion, created = _complete(official_id=official.pk, offer=offer, completed_on=today,
                                    source=Completion.Source.SELF_REPORTED, actor=actor)
    if not created:
        raise InvalidTransition(_("You have already marked this done."))
    return completion


# ---------------------------------------------------------------- the offer's target list


@transaction.atomic
def offer_add_official(*, actor: User, offer: TrainingOffer, official: Official) -> OfferAddedOfficial:
    """Add someone to one offer's target group (Sigtuna: the targeted training before an election
    goes to the executive board "and others" the unit picks). They are invited with the group."""
    permissions.require_manage(actor)
    offer = TrainingOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.has_closed():
        raise InvalidTransition(_("This offer has closed."))
    if OfferAddedOfficial.objects.filter(offer=offer, official=official).exists():
        raise ValidationError({"official": _("%(name)s is already on the list.") % {"name": official.full_name}})
    if selectors.official_in_group(official, offer.target_group, timezone.localdate()):
        raise ValidationError({"official": _("%(name)s is already in the target group.")
                               % {"name": official.full_name}})
    added = OfferAddedOfficial.objects.create(offer=offer, official=official, added_by=actor)
    audit_change(actor=actor, action="offer_add_official", obj=added, to_state=str(offer.pk))
    return added


@transaction.atomic
def offer_remove_official(*, actor: User, added: OfferAddedOfficial) -> None:
    permissions.require_manage(actor)
    added = OfferAddedOfficial.objects.select_for_update().get(pk=added.pk)
    audit_change(actor=actor, action="offer_remove_official", obj=added, from_state=str(added.offer_id))
    added.delete()


# ---------------------------------------------------------------- costs against the training budget


@transaction.atomic
def training_cost_book(*, actor: User, offer: TrainingOffer, amount_sek: int | None, booked_on: date | None = None,
                       note: str = "", session: Session | None = None) -> TrainingCost:
    """Book an actual cost (an invoice) on an offer, or on one of its sessions, against the
    training budget of `booked_on`'s year. A cost on a session replaces its estimate."""
    permissions.require_manage(actor)
    offer = TrainingOffer.objects.select_for_update().get(pk=offer.pk)
    today = timezone.localdate()
    booked_on = booked_on or today
    if booked_on > today:
        raise ValidationError({"booked_on": _("The date cannot be in the future.")})
    if session is not None and session.offer_id != offer.pk:
        raise ValidationError({"session": _("The session belongs to another offer.")})
    try:
        amount = int(amount_sek or 0)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0:
        raise ValidationError({"amount_sek": _("Give the amount in whole kronor (more than 0).")})
    cost = TrainingCost(offer=offer, session=session, amount_sek=amount, booked_on=booked_on,
                        note=(note or "").strip(), booked_by=actor)
    cost.full_clean()
    cost.save()
    audit_change(actor=actor, action="training_cost_book", obj=cost, to_state=str(amount),
                 reason=f"offer {offer.pk}" + (f", session {session.pk}" if session is not None else ""))
    return cost
