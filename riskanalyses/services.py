"""Every write to risk analyses outside cases (STYLE.md › Services).

Each service is keyword-only and atomic: it locks the row it changes, checks the move against the
workflow's table (`models.PARTY_WORKFLOW` / `models.BODY_WORKFLOW`), then the actor through
`permissions` (the same rule that decides the buttons), then the input; `core.workflow.transition`
records the move, writes the audit row (never with the analysis's text) and queues the e-mails
through the outbox inside the same transaction.
E-mails carry a reference number and a link, never what the analysis says or whom it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from accounts.roles import Role
from core.audit import audit_change
from core.notify import absolute_url, tell, users_with_role
from core.reminders import reminders_close_for
from core.workflow import InvalidTransition, lock, transition
from incidents.models import Case
from officials.models import Body, Official

from . import permissions as perms
from .models import (
    BODY_WORKFLOW,
    PARTY_JUDGEMENTS,
    PARTY_WORKFLOW,
    BodyChecklist,
    BodyChecklistItem,
    BodyRiskAnalysis,
    ChecklistCheck,
    ChecklistTemplateItem,
    Escalation,
    Judgement,
    Level,
    PartyRiskAnalysis,
    Phase,
    RiskLevel,
)
from .permissions import BodyAction, ChecklistAction, PartyAction

# Reminder kinds (core.models.Reminder.kind), also closed here when their cause goes away.
REMINDER_PARTY_UNJUDGED = "riskanalyses.party_unjudged"
REMINDER_ESCALATION_UNANSWERED = "riskanalyses.escalation_unanswered"
REMINDER_BODY_UNJUDGED = "riskanalyses.body_unjudged"

# How far ahead an analysis may be dated: a guard against typing the wrong year.
MAX_DAYS_AHEAD = 2 * 366

PARTY_FIELDS = ("kind", "title", "occurs_on", "ends_on", "place", "risks", "measures_taken", "notes")
BODY_FIELDS = ("activity", "title", "occurs_on", "starts_at", "place", "other_participants", "risks",
               "consequences", "likelihood", "consequence", "measures")


# ---------------------------------------------------------------- helpers


def _require(obj: models.Model, actor: User, action: str) -> None:
    if actor is None:
        raise PermissionDenied
    perms.require_action(obj, actor, action)


def _not_editable(analysis: BodyRiskAnalysis, message: str) -> InvalidTransition:
    return InvalidTransition(message % {"status": BODY_WORKFLOW.label(analysis.status).lower()})


def _check_dates(occurs_on: date | None, ends_on: date | None = None, *, today: date | None = None) -> None:
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if occurs_on is None:
        errors["occurs_on"] = _("Give the date.")
    elif occurs_on > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["occurs_on"] = _("The date is more than two years ahead: check the year.")
    elif occurs_on < today - timedelta(days=366):
        errors["occurs_on"] = _("The date is more than a year ago: check the year.")
    if ends_on is not None and occurs_on is not None and ends_on < occurs_on:
        errors["ends_on"] = _("The last day cannot be before the first.")
    if errors:
        raise ValidationError(errors)


def _text(value: str | None) -> str:
    return (value or "").strip()


# ---------------------------------------------------------------- party analyses


def _check_members(actor: User, members: Iterable[Official], analysis: PartyRiskAnalysis | None) -> list[Official]:
    chosen = list(members)
    if not chosen:
        raise ValidationError({"members": _("Choose at least one member involved.")})
    allowed = set(perms.selectable_members(actor, analysis).filter(pk__in=[m.pk for m in chosen])
                  .values_list("pk", flat=True))
    if any(m.pk not in allowed for m in chosen):
        raise ValidationError({"members": _("Only your own party's members can be named in its analysis.")})
    return chosen


@transaction.atomic
def party_analysis_create(*, actor: User, kind: str, title: str, occurs_on: date, place: str,
                          members: Iterable[Official], ends_on: date | None = None, risks: str = "",
                          measures_taken: str = "", notes: str = "", judgement: str = "",
                          question: str = "") -> PartyRiskAnalysis:
    """Record a party's analysis before an assignment. With a judgement it is judged at once; with
    "cannot be judged within the party" it is escalated at once with `question`."""
    party_id = perms.contact_party_id(actor)
    if party_id is None:
        raise PermissionDenied
    if judgement and judgement not in Judgement.values:
        raise ValidationError({"judgement": _("Choose a judgement from the list.")})
    if judgement == Judgement.CANNOT_JUDGE and not _text(question):
        raise ValidationError({"question": _("Tell the security unit what you need it to assess.")})
    _check_dates(occurs_on, ends_on)
    chosen = _check_members(actor, members, None)
    analysis = PartyRiskAnalysis(
        party_id=party_id, kind=kind, title=_text(title), occurs_on=occurs_on, ends_on=ends_on,
        place=_text(place), risks=_text(risks), measures_taken=_text(measures_taken), notes=_text(notes),
        status=PartyRiskAnalysis.Status.DRAFT, created_by=actor, created_at=timezone.now(),
    )
    analysis.full_clean()
    analysis.save()
    analysis.members.set(chosen)
    audit_change(actor=actor, action="party_analysis_create", obj=analysis, to_state=analysis.status,
                 reason=analysis.kind)
    if judgement in PARTY_JUDGEMENTS:
        analysis = party_analysis_judge(actor=actor, analysis=analysis, judgement=judgement)
    elif judgement == Judgement.CANNOT_JUDGE:
        analysis = party_analysis_escalate(actor=actor, analysis=analysis, question=question)
    return analysis


@transaction.atomic
def party_analysis_update(*, actor: User, analysis: PartyRiskAnalysis,
                          members: Iterable[Official] | None = None, **fields: Any) -> list[str]:
    """Change the facts of an open analysis (not its judgement or status). Returns the names of the
    fields that changed; only the names are audited."""
    analysis = lock(analysis)
    if analysis.status == PartyRiskAnalysis.Status.CLOSED:
        raise InvalidTransition(_("A closed analysis cannot be changed."))
    _require(analysis, actor, PartyAction.EDIT)
    changed = []
    for name, value in fields.items():
        if name not in PARTY_FIELDS:
            raise TypeError(f"party_analysis_update() got an unexpected field {name!r}")
        value = _text(value) if isinstance(value, str) else value
        if getattr(analysis, name) != value:
            setattr(analysis, name, value)
            changed.append(name)
    if {"occurs_on", "ends_on"} & set(changed):
        _check_dates(analysis.occurs_on, analysis.ends_on)
    if members is not None:
        chosen = _check_members(actor, members, analysis)
        if {m.pk for m in chosen} != set(analysis.members.values_list("pk", flat=True)):
            analysis.members.set(chosen)
            changed.append("members")
    if changed:
        analysis.full_clean()
        analysis.save(update_fields=[n for n in changed if n != "members"] + ["updated_at"])
        audit_change(actor=actor, action="party_analysis_update", obj=analysis, reason=", ".join(changed))
    return changed


@transaction.atomic
def party_analysis_judge(*, actor: User, analysis: PartyRiskAnalysis, judgement: str) -> PartyRiskAnalysis:
    """The party's own judgement: low, moderate or high (again, if it changes its mind)."""
    analysis = lock(analysis)
    PARTY_WORKFLOW.check(analysis.status, PartyRiskAnalysis.Status.JUDGED)
    _require(analysis, actor, PartyAction.JUDGE)
    if judgement not in PARTY_JUDGEMENTS:
        raise ValidationError({"judgement": _(
            "Choose low, moderate or high. If the risk cannot be judged within the party, escalate it.")})
    analysis.judgement = judgement
    transition(analysis, PARTY_WORKFLOW, PartyRiskAnalysis.Status.JUDGED, actor=actor, action="party_analysis_judge",
               locked=True, stamp={"by": "judged_by", "at": "judged_at"}, update=lambda a, _from: ["judgement"],
               audit_reason=judgement)
    reminders_close_for(kind=REMINDER_PARTY_UNJUDGED, obj=analysis)
    return analysis


@transaction.atomic
def party_analysis_escalate(*, actor: User, analysis: PartyRiskAnalysis, question: str) -> PartyRiskAnalysis:
    """Send the analysis to the security unit, which sees it on its triage queue."""
    analysis = lock(analysis)
    PARTY_WORKFLOW.check(analysis.status, PartyRiskAnalysis.Status.ESCALATED)
    _require(analysis, actor, PartyAction.ESCALATE)
    question = _text(question)
    if not question:
        raise ValidationError({"question": _("Tell the security unit what you need it to assess.")})
    now = timezone.now()
    escalation = Escalation(analysis=analysis, question=question, asked_by=actor, asked_at=now)
    escalation.full_clean()
    escalation.save()

    def cannot_judge(escalated: PartyRiskAnalysis, from_state: str) -> list[str]:
        """Escalated from a draft: the party's judgement is that it cannot judge the risk."""
        if from_state != PartyRiskAnalysis.Status.DRAFT:
            return []
        escalated.judgement, escalated.judged_by, escalated.judged_at = Judgement.CANNOT_JUDGE, actor, now
        return ["judgement", "judged_by", "judged_at"]

    def tell_unit(escalated: PartyRiskAnalysis, _from: str) -> None:
        reference, link = escalated.reference, absolute_url("riskanalyses:party-analysis-answer", escalated.pk)
        tell(users_with_role(Role.SECURITY_HANDLER),
             lambda: _("A party office has escalated a risk analysis"),
             lambda: _("A party office cannot judge the risk of an upcoming assignment and has escalated risk "
                       "analysis %(ref)s to the security unit. It is on the triage queue:\n%(link)s")
             % {"ref": reference, "link": link})

    transition(analysis, PARTY_WORKFLOW, PartyRiskAnalysis.Status.ESCALATED, actor=actor,
               action="party_analysis_escalate", locked=True, update=cannot_judge, notify=tell_unit)
    reminders_close_for(kind=REMINDER_PARTY_UNJUDGED, obj=analysis)
    return analysis


def open_escalation(analysis: PartyRiskAnalysis) -> Escalation | None:
    return analysis.escalations.filter(answered_at__isnull=True, withdrawn_at__isnull=True).first()


@transaction.atomic
def party_analysis_answer(*, actor: User, analysis: PartyRiskAnalysis, advice: str, risk_level: str = "",
                          case: Case | None = None) -> PartyRiskAnalysis:
    """The security unit's answer to an escalated analysis: advice, its own risk level and
    optionally a link to a case of one of the members. The party's contacts (and the contact who
    asked, while still one of them) are told."""
    analysis = lock(analysis)
    PARTY_WORKFLOW.check(analysis.status, PartyRiskAnalysis.Status.ANSWERED)
    _require(analysis, actor, PartyAction.ANSWER)
    escalation = Escalation.objects.select_for_update().filter(
        analysis=analysis, answered_at__isnull=True, withdrawn_at__isnull=True).first()
    if escalation is None:  # the constraint and the status keep this from happening
        raise InvalidTransition(_("The analysis has no open question to the security unit."))
    advice = _text(advice)
    errors: dict[str, str] = {}
    if not advice:
        errors["advice"] = _("Write the security unit's advice to the party.")
    if risk_level and risk_level not in RiskLevel.values:
        errors["risk_level"] = _("Choose a risk level from the list.")
    if case is not None and not analysis.members.filter(pk=case.official_id).exists():
        errors["case"] = _("The case must be about one of the members involved.")
    if errors:
        raise ValidationError(errors)
    escalation.advice = advice
    escalation.risk_level = risk_level
    escalation.case = case
    escalation.answered_by = actor
    escalation.answered_at = timezone.now()
    escalation.full_clean()
    escalation.save(update_fields=["advice", "risk_level", "case", "answered_by", "answered_at"])
    asker = escalation.asked_by

    def tell_party(answered: PartyRiskAnalysis, _from: str) -> None:
        recipients = users_with_role(Role.PARTY_CONTACT, party_id=answered.party_id)
        if perms.contact_party_id(asker) == answered.party_id:  # still one of the party's contacts
            recipients.append(asker)
        reference, link = answered.reference, absolute_url("riskanalyses:party-analysis-detail", answered.pk)
        unit = Policy.current().unit_name
        tell(recipients, lambda: _("%(unit)s has answered your risk analysis") % {"unit": unit},
             lambda: _("%(unit)s has answered your party's risk analysis %(ref)s. Log in to read the answer:"
                       "\n%(link)s") % {"unit": unit, "ref": reference, "link": link})

    transition(analysis, PARTY_WORKFLOW, PartyRiskAnalysis.Status.ANSWERED, actor=actor,
               action="party_analysis_answer", locked=True, audit_reason=risk_level,
               audit_scope={"case_id": case.pk if case is not None else None}, notify=tell_party)
    reminders_close_for(kind=REMINDER_ESCALATION_UNANSWERED, obj=analysis)
    return analysis


@transaction.atomic
def party_analysis_close(*, actor: User, analysis: PartyRiskAnalysis, comment: str = "") -> PartyRiskAnalysis:
    """Close the analysis (the assignment is done or cancelled). An open question to the security
    unit is withdrawn, and the unit is told."""
    analysis = lock(analysis)
    PARTY_WORKFLOW.check(analysis.status, PartyRiskAnalysis.Status.CLOSED)
    _require(analysis, actor, PartyAction.CLOSE)
    withdrawn = Escalation.objects.filter(analysis=analysis, answered_at__isnull=True,
                                          withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())

    def tell_unit(closed: PartyRiskAnalysis, _from: str) -> None:
        if withdrawn:
            tell(users_with_role(Role.SECURITY_HANDLER),
                 lambda: _("An escalated risk analysis was withdrawn"),
                 lambda: _("The party office has closed risk analysis %(ref)s and withdrawn its question to the "
                           "security unit. Nothing more needs to be done.") % {"ref": closed.reference})

    transition(analysis, PARTY_WORKFLOW, PartyRiskAnalysis.Status.CLOSED, actor=actor, action="party_analysis_close",
               locked=True, stamp={"by": "closed_by", "at": "closed_at", "why": "closing_comment"}, reason=comment,
               audit_reason="escalation withdrawn" if withdrawn else "", notify=tell_unit)
    for kind in (REMINDER_PARTY_UNJUDGED, REMINDER_ESCALATION_UNANSWERED):
        reminders_close_for(kind=kind, obj=analysis)
    return analysis


# ---------------------------------------------------------------- body analyses

_SCORE: dict[str, int] = {Level.LOW: 1, Level.MODERATE: 2, Level.HIGH: 3}


def risk_level_of(likelihood: str, consequence: str) -> str:
    """The risk matrix: likelihood × consequence (1–3 each) — 1–2 low, 3–4 moderate, 6–9 high."""
    if likelihood not in _SCORE or consequence not in _SCORE:
        return ""
    score = _SCORE[likelihood] * _SCORE[consequence]
    if score <= 2:
        return Level.LOW
    if score <= 4:
        return Level.MODERATE
    return Level.HIGH


def _check_participants(body: Body, participants: Iterable[Official], analysis: BodyRiskAnalysis | None
                        ) -> list[Official]:
    chosen = list(participants)
    allowed = set(perms.selectable_participants(body, analysis).filter(pk__in=[p.pk for p in chosen])
                  .values_list("pk", flat=True))
    if any(p.pk not in allowed for p in chosen):
        raise ValidationError({"participants": _("Only officials with an assignment in %(body)s can be chosen.")
                               % {"body": body.name}})
    return chosen


def _body_party_ids(analysis: BodyRiskAnalysis) -> set[int]:
    return set(analysis.participants.exclude(party__isnull=True).values_list("party_id", flat=True))


def _tell_parties(party_ids: Iterable[int], subject: Callable[[], str], body: Callable[[], str]) -> None:
    """Tell the security contacts of these parties (in their own language)."""
    wanted = set(party_ids)
    if wanted:
        tell(users_with_role(Role.PARTY_CONTACT, party_id__in=wanted), subject, body)


@transaction.atomic
def body_analysis_create(*, actor: User, activity: str, title: str, occurs_on: date, place: str,
                         participants: Iterable[Official] = (), starts_at: time | None = None,
                         other_participants: str = "", risks: str = "", consequences: str = "", likelihood: str = "",
                         consequence: str = "", measures: str = "") -> BodyRiskAnalysis:
    """Record a risk and consequence analysis of the officer's own body's activity (a draft)."""
    body_id = perms.officer_body_id(actor) if actor is not None else None
    if body_id is None:
        raise PermissionDenied
    body = Body.objects.get(pk=body_id)
    _check_dates(occurs_on)
    participants = _check_participants(body, participants, None)
    analysis = BodyRiskAnalysis(
        body=body, activity=activity, title=_text(title), occurs_on=occurs_on, starts_at=starts_at,
        place=_text(place), other_participants=_text(other_participants), risks=_text(risks),
        consequences=_text(consequences), likelihood=likelihood, consequence=consequence,
        risk_level=risk_level_of(likelihood, consequence), measures=_text(measures),
        status=BodyRiskAnalysis.Status.DRAFT, created_by=actor, created_at=timezone.now(),
    )
    analysis.full_clean()
    analysis.save()
    analysis.participants.set(participants)
    audit_change(actor=actor, action="body_analysis_create", obj=analysis, to_state=analysis.status,
                 reason=analysis.activity)
    return analysis


@transaction.atomic
def body_analysis_update(*, actor: User, analysis: BodyRiskAnalysis, participants: Iterable[Official] | None = None,
                         **fields: Any) -> list[str]:
    analysis = lock(analysis)
    if analysis.status not in perms.BODY_EDITABLE:
        raise _not_editable(analysis, _("The analysis can no longer be changed: it is %(status)s."))
    _require(analysis, actor, BodyAction.EDIT)
    changed: list[str] = []
    for name, value in fields.items():
        if name not in BODY_FIELDS:
            raise TypeError(f"body_analysis_update() got an unexpected field {name!r}")
        value = _text(value) if isinstance(value, str) else value
        if getattr(analysis, name) != value:
            setattr(analysis, name, value)
            changed.append(name)
    if "occurs_on" in changed:
        _check_dates(analysis.occurs_on)
    if analysis.status != BodyRiskAnalysis.Status.DRAFT and not (analysis.likelihood and analysis.consequence):
        raise ValidationError({"likelihood": _("A ready analysis needs its likelihood and consequence.")})
    level = risk_level_of(analysis.likelihood, analysis.consequence)
    if level != analysis.risk_level:
        analysis.risk_level = level
        changed.append("risk_level")
    new_parties: set[int] = set()
    if participants is not None:
        chosen = _check_participants(analysis.body, participants, analysis)
        before = set(analysis.participants.values_list("pk", flat=True))
        if {p.pk for p in chosen} != before:
            old_parties = _body_party_ids(analysis)
            analysis.participants.set(chosen)
            changed.append("participants")
            new_parties = _body_party_ids(analysis) - old_parties
    if changed:
        analysis.full_clean()
        analysis.save(update_fields=[n for n in changed if n != "participants"] + ["updated_at"])
        audit_change(actor=actor, action="body_analysis_update", obj=analysis, reason=", ".join(changed))
    if analysis.shared_at is not None and new_parties:
        _notify_shared(analysis, new_parties)
    return changed


@dataclass(frozen=True)
class CheckEntry:
    item: BodyChecklistItem
    done: bool
    done_by_role: str = ""
    note: str = ""


@transaction.atomic
def body_analysis_record_checklist(*, actor: User, analysis: BodyRiskAnalysis, entries: Iterable[CheckEntry]
                                   ) -> list[ChecklistCheck]:
    """Record, for the body's checklist items, which were done and by which role. An item done
    without a role gets the item's responsible role."""
    analysis = lock(analysis)
    if analysis.status not in perms.BODY_EDITABLE:
        raise _not_editable(analysis, _("The checklist can no longer be changed: the analysis is %(status)s."))
    _require(analysis, actor, BodyAction.CHECKLIST)
    entries = list(entries)
    valid = {item.pk: item for item in BodyChecklistItem.objects.filter(
        checklist__body_id=analysis.body_id, active=True, pk__in=[e.item.pk for e in entries])}
    if len(valid) != len({e.item.pk for e in entries}):
        raise ValidationError(_("The checklist has changed since the page was opened. Reload it and record again."))
    existing = {c.item_id: c for c in ChecklistCheck.objects.select_for_update().filter(analysis=analysis)}
    now = timezone.now()
    saved = []
    changed = 0
    for entry in entries:
        item = valid[entry.item.pk]
        done_by_role = _text(entry.done_by_role)[:100] if entry.done else ""
        if entry.done and not done_by_role:
            done_by_role = item.responsible_role
        note = _text(entry.note)[:300]
        check = existing.get(item.pk)
        if check is None:
            if not entry.done and not note:
                continue
            check = ChecklistCheck(analysis=analysis, item=item, item_text=item.text,
                                   responsible_role=item.responsible_role)
        elif (check.done, check.done_by_role, check.note) == (entry.done, done_by_role, note):
            saved.append(check)
            continue
        check.done, check.done_by_role, check.note = entry.done, done_by_role, note
        check.recorded_by, check.recorded_at = actor, now
        check.full_clean(exclude=["analysis", "item"])
        check.save()
        saved.append(check)
        changed += 1
    if changed:
        done = ChecklistCheck.objects.filter(analysis=analysis, done=True).count()
        total = BodyChecklistItem.objects.filter(checklist__body_id=analysis.body_id, active=True).count()
        analysis.save(update_fields=["updated_at"])
        audit_change(actor=actor, action="body_analysis_checklist", obj=analysis,
                     reason=f"{done}/{total} done, {changed} changed")
    return saved


def _notify_shared(analysis: BodyRiskAnalysis, party_ids: Iterable[int]) -> None:
    reference, link = analysis.reference, absolute_url("riskanalyses:body-analysis-detail", analysis.pk)
    _tell_parties(
        party_ids,
        lambda: _("A risk analysis has been shared with your party office"),
        lambda: _("A committee or company has shared risk analysis %(ref)s of an activity in which members of "
                  "your party take part. Log in to read it:\n%(link)s") % {"ref": reference, "link": link})


@transaction.atomic
def body_analysis_mark_ready(*, actor: User, analysis: BodyRiskAnalysis) -> BodyRiskAnalysis:
    """The analysis is done: it is shared with the party offices of the members taking part."""
    analysis = lock(analysis)
    BODY_WORKFLOW.check(analysis.status, BodyRiskAnalysis.Status.READY)
    _require(analysis, actor, BodyAction.MARK_READY)
    errors: dict[str, str] = {}
    if not analysis.likelihood:
        errors["likelihood"] = _("Judge the likelihood before marking the analysis ready.")
    if not analysis.consequence:
        errors["consequence"] = _("Judge the consequence before marking the analysis ready.")
    if not analysis.risks:
        errors["risks"] = _("Describe the risks before marking the analysis ready.")
    if errors:
        raise ValidationError(errors)
    first_share = analysis.shared_at is None
    analysis.risk_level = risk_level_of(analysis.likelihood, analysis.consequence)
    if first_share:
        analysis.shared_at = timezone.now()
    transition(analysis, BODY_WORKFLOW, BodyRiskAnalysis.Status.READY, actor=actor, action="body_analysis_ready",
               locked=True, update=lambda a, _from: ["risk_level", "shared_at"], audit_reason=analysis.risk_level,
               notify=lambda ready, _from: _notify_shared(ready, _body_party_ids(ready)) if first_share else None)
    reminders_close_for(kind=REMINDER_BODY_UNJUDGED, obj=analysis)
    return analysis


@transaction.atomic
def body_analysis_reopen(*, actor: User, analysis: BodyRiskAnalysis) -> BodyRiskAnalysis:
    """Back to draft to revise it; the party offices it was shared with still see it."""
    analysis = lock(analysis)
    BODY_WORKFLOW.check(analysis.status, BodyRiskAnalysis.Status.DRAFT)
    _require(analysis, actor, BodyAction.REOPEN)
    return transition(analysis, BODY_WORKFLOW, BodyRiskAnalysis.Status.DRAFT, actor=actor,
                      action="body_analysis_reopen", locked=True)


@transaction.atomic
def body_analysis_follow_up(*, actor: User, analysis: BodyRiskAnalysis, follow_up: str) -> BodyRiskAnalysis:
    """After the activity: how it went and what was learnt."""
    analysis = lock(analysis)
    BODY_WORKFLOW.check(analysis.status, BodyRiskAnalysis.Status.FOLLOWED_UP)
    _require(analysis, actor, BodyAction.FOLLOW_UP)
    follow_up = _text(follow_up)
    if analysis.occurs_on > timezone.localdate():
        raise ValidationError({"follow_up": _("The activity can be followed up on or after its date.")})
    if not follow_up:
        raise ValidationError({"follow_up": _("Write how the activity went and what was learnt.")})
    analysis.follow_up = follow_up
    return transition(analysis, BODY_WORKFLOW, BodyRiskAnalysis.Status.FOLLOWED_UP, actor=actor,
                      action="body_analysis_follow_up", locked=True, update=lambda a, _from: ["follow_up"])


@transaction.atomic
def body_analysis_cancel(*, actor: User, analysis: BodyRiskAnalysis) -> BodyRiskAnalysis:
    """The activity will not take place. Party offices it was shared with are told."""
    analysis = lock(analysis)
    BODY_WORKFLOW.check(analysis.status, BodyRiskAnalysis.Status.CANCELLED)
    _require(analysis, actor, BodyAction.CANCEL)

    def tell_parties(cancelled: BodyRiskAnalysis, _from: str) -> None:
        if cancelled.shared_at is None:
            return
        reference = cancelled.reference
        link = absolute_url("riskanalyses:body-analysis-detail", cancelled.pk)
        _tell_parties(
            _body_party_ids(cancelled),
            lambda: _("A shared activity has been cancelled"),
            lambda: _("The activity of risk analysis %(ref)s, shared with your party office, has been cancelled:"
                      "\n%(link)s") % {"ref": reference, "link": link})

    transition(analysis, BODY_WORKFLOW, BodyRiskAnalysis.Status.CANCELLED, actor=actor, action="body_analysis_cancel",
               locked=True, notify=tell_parties)
    reminders_close_for(kind=REMINDER_BODY_UNJUDGED, obj=analysis)
    return analysis


# ---------------------------------------------------------------- checklists


def _item_fields(phase: str, text: str, responsible_role: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if phase not in Phase.values:
        errors["phase"] = _("Choose before, during or after.")
    if not _text(text):
        errors["text"] = _("Write what is to be done.")
    if not _text(responsible_role):
        errors["responsible_role"] = _("Name the role responsible.")
    if errors:
        raise ValidationError(errors)
    return {"phase": phase, "text": _text(text), "responsible_role": _text(responsible_role)}


def _next_position(qs: QuerySet[BodyChecklistItem] | QuerySet[ChecklistTemplateItem]) -> int:
    return (qs.aggregate(m=Max("position"))["m"] or 0) + 10


@transaction.atomic
def checklist_create_from_template(*, actor: User, body: Body) -> BodyChecklist:
    """The body's own checklist: a copy of the template's items in use, which the body adjusts."""
    if perms.officer_body_id(actor) != body.pk:
        raise PermissionDenied
    lock(body)  # one checklist per body, also when two officers make it at once
    if BodyChecklist.objects.filter(body=body).exists():
        raise ValidationError(_("The checklist already exists."))
    checklist = BodyChecklist.objects.create(body=body, created_by=actor, created_at=timezone.now())
    copied = _copy_template_items(checklist, ChecklistTemplateItem.objects.filter(active=True))
    audit_change(actor=actor, action="checklist_create", obj=checklist, reason=f"{copied} items from the template")
    return checklist


def _copy_template_items(checklist: BodyChecklist, template_items: Iterable[ChecklistTemplateItem]) -> int:
    rows = [BodyChecklistItem(checklist=checklist, template_item=t, phase=t.phase, text=t.text,
                              responsible_role=t.responsible_role, position=t.position) for t in template_items]
    BodyChecklistItem.objects.bulk_create(rows)
    return len(rows)


def template_items_missing(checklist: BodyChecklist) -> QuerySet[ChecklistTemplateItem]:
    """Template items in use that the body's checklist has never had (a removed copy counts as had:
    the body removed it on purpose)."""
    return ChecklistTemplateItem.objects.filter(active=True).exclude(
        pk__in=checklist.items.filter(template_item__isnull=False).values("template_item_id"))


@transaction.atomic
def checklist_add_template_items(*, actor: User, checklist: BodyChecklist) -> int:
    """Copy the template items added since the body made its checklist."""
    _require(checklist, actor, ChecklistAction.EDIT)
    checklist = lock(checklist)
    copied = _copy_template_items(checklist, list(template_items_missing(checklist)))
    if copied:
        checklist.save(update_fields=["updated_at"])
        audit_change(actor=actor, action="checklist_add_template_items", obj=checklist, reason=f"{copied} items")
    return copied


@transaction.atomic
def checklist_item_add(*, actor: User, checklist: BodyChecklist, phase: str, text: str, responsible_role: str,
                       position: int | None = None) -> BodyChecklistItem:
    _require(checklist, actor, ChecklistAction.EDIT)
    checklist = lock(checklist)
    fields = _item_fields(phase, text, responsible_role)
    item = BodyChecklistItem(checklist=checklist, **fields,
                             position=position if position is not None else _next_position(checklist.items.all()))
    item.full_clean()
    item.save()
    checklist.save(update_fields=["updated_at"])
    audit_change(actor=actor, action="checklist_item_add", obj=item)
    return item


Item = TypeVar("Item", BodyChecklistItem, ChecklistTemplateItem)


def _item_update(item: Item, *, actor: User, action: str, phase: str, text: str, responsible_role: str,
                 position: int) -> Item:
    _require(item, actor, ChecklistAction.EDIT)
    item = lock(item)
    for name, value in {**_item_fields(phase, text, responsible_role), "position": position}.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit_change(actor=actor, action=action, obj=item)
    return item


def _item_remove(item: Item, *, actor: User, action: str) -> Item:
    """Take an item out of use (never deleted: what was recorded against it stays)."""
    _require(item, actor, ChecklistAction.EDIT)
    item = lock(item)
    if not item.active:
        raise InvalidTransition(_("The item has already been removed."))
    item.active = False
    item.save(update_fields=["active", "updated_at"] if isinstance(item, ChecklistTemplateItem) else ["active"])
    audit_change(actor=actor, action=action, obj=item, from_state="active", to_state="removed")
    return item


@transaction.atomic
def checklist_item_update(*, actor: User, item: BodyChecklistItem, phase: str, text: str, responsible_role: str,
                          position: int) -> BodyChecklistItem:
    return _item_update(item, actor=actor, action="checklist_item_update", phase=phase, text=text,
                        responsible_role=responsible_role, position=position)


@transaction.atomic
def checklist_item_remove(*, actor: User, item: BodyChecklistItem) -> BodyChecklistItem:
    """Take the item out of use; analyses that recorded it keep their record."""
    return _item_remove(item, actor=actor, action="checklist_item_remove")


@transaction.atomic
def template_item_add(*, actor: User, phase: str, text: str, responsible_role: str,
                      position: int | None = None) -> ChecklistTemplateItem:
    if actor is None or not perms.can_edit_template(actor):
        raise PermissionDenied
    fields = _item_fields(phase, text, responsible_role)
    item = ChecklistTemplateItem(**fields, position=position if position is not None
                                 else _next_position(ChecklistTemplateItem.objects.all()))
    item.full_clean()
    item.save()
    audit_change(actor=actor, action="template_item_add", obj=item)
    return item


@transaction.atomic
def template_item_update(*, actor: User, item: ChecklistTemplateItem, phase: str, text: str, responsible_role: str,
                         position: int) -> ChecklistTemplateItem:
    """Changes the template only: bodies' copies are theirs and stay as they are."""
    return _item_update(item, actor=actor, action="template_item_update", phase=phase, text=text,
                        responsible_role=responsible_role, position=position)


@transaction.atomic
def template_item_remove(*, actor: User, item: ChecklistTemplateItem) -> ChecklistTemplateItem:
    """Take the item out of the template; bodies' copies stay."""
    return _item_remove(item, actor=actor, action="template_item_remove")
