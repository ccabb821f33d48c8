"""Every write of the surveys app.

Anonymity rules kept here (see `models` for the schema side):

* The submission is never audited and never logged: an audit row would carry the time of
  answering and the invitation, which is exactly the link the survey promises not to keep.
* `response_submit` marks the invitation answered and stores the response in one transaction,
  and rewrites every invitation row of the round in that transaction, so that no database
  bookkeeping (PostgreSQL's transaction ids on rows) singles out the invitation just answered.
* When a round closes, `round_seal` rewrites its responses and answers in random order with new
  random keys, so that not even the order rows were stored in survives, and stores the round's
  tally (counts only) that its results are computed from.
* Tokens are random and only their SHA-256 is stored; the plain token exists only in the e-mail
  (and its outbox row, see `core.notify`).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from core.audit import audit_change
from core.notify import Addressee, absolute_url, language_of, tell
from core.workflow import lock
from officials.models import Official

from . import selectors
from .item_bank import DEFAULT_BANK, PTU_NATIONAL
from .models import (
    ROUND_WORKFLOW,
    Answer,
    Invitation,
    InvitationToken,
    Item,
    NationalFigure,
    Option,
    Response,
    Round,
    SurveyType,
)

# When the planner opens its rounds, how long they stay open and when it reminds.
SAFETY_OPENS = (2, 1)  # 1 February of the year before / after the election
INTERNAL_CONTROL_OPENS = (9, 1)  # 1 September every year
WEEKS_OPEN = 6
REMINDER_DAYS_BEFORE_CLOSE = 7


class SurveyError(Exception):
    """A survey action that is not possible now; the message is translated and shown as is."""


class UnknownLink(SurveyError):
    pass


class AlreadyAnswered(SurveyError):
    pass


class RoundNotOpen(SurveyError):
    def __init__(self, round_: Round, message: str = ""):
        super().__init__(message)
        self.round = round_


# --- the item bank --------------------------------------------------------------------------


@transaction.atomic
def item_bank_load(*, survey_type: str | None = None) -> int:
    """Create the default items, options and national figures that are missing (by code).
    Never changes what exists, so the administrator's edits survive. Returns items created."""
    created = 0
    for position, definition in enumerate(DEFAULT_BANK, start=1):
        if survey_type and definition.survey_type != survey_type:
            continue
        item, new = Item.objects.get_or_create(code=definition.code, defaults={
            "survey_type": definition.survey_type, "block": definition.block, "kind": definition.kind,
            "tag": definition.tag, "text_sv": definition.sv, "text_en": definition.en, "position": position * 10,
            "condition_items": list(definition.condition_items),
            "condition_options": list(definition.condition_options),
        })
        created += new
        if new:
            Option.objects.bulk_create([
                Option(item=item, code=o.code, label_sv=o.sv, label_en=o.en, position=i, score=o.score)
                for i, o in enumerate(definition.options, start=1)
            ])
    for figure in PTU_NATIONAL:
        NationalFigure.objects.get_or_create(year=figure.year, defaults={
            "exposed_percent": figure.percent, "note_sv": figure.note_sv, "note_en": figure.note_en,
        })
    return created


def _ensure_items(survey_type: str) -> list[Item]:
    """The active items of a survey type; the default bank is loaded when the type has none."""
    if not Item.objects.filter(survey_type=survey_type).exists():
        item_bank_load(survey_type=survey_type)
    return list(Item.objects.filter(survey_type=survey_type, is_active=True))


# --- rounds ---------------------------------------------------------------------------------


def _validate_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The closing date must be on or after the opening date.")})


@transaction.atomic
def round_create(*, actor: User | None, survey_type: str, reference_year: int, opens_on: date, closes_on: date,
                 planned: bool = False, today: date | None = None) -> Round:
    """A new round asking the survey type's active items."""
    if survey_type not in SurveyType.values:
        raise ValidationError({"survey_type": _("Unknown survey.")})
    _validate_dates(opens_on, closes_on)
    if closes_on < (today or timezone.localdate()):
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    items = _ensure_items(survey_type)
    if not items:
        raise ValidationError(_("The item bank has no active items for this survey."))
    round_ = Round(survey_type=survey_type, reference_year=reference_year, opens_on=opens_on,
                   closes_on=closes_on, planned=planned)
    round_.full_clean()
    round_.save()
    round_.items.set(items)
    audit_change(actor=actor, action="survey_round_create", obj=round_, to_state=Round.Status.SCHEDULED,
                 reason=f"{survey_type} {reference_year}: {opens_on:%Y-%m-%d}–{closes_on:%Y-%m-%d}")
    return round_


@transaction.atomic
def round_update(*, actor: User | None, round_: Round, opens_on: date, closes_on: date, reference_year: int,
                 today: date | None = None) -> list[str]:
    """Change a round's dates. Not once it has closed; the opening date and reference year not
    once invitations have gone out. Returns the names of the fields that changed."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_closed(today):
        raise SurveyError(_("A closed round cannot be changed."))
    if round_.invited_on and (opens_on != round_.opens_on or reference_year != round_.reference_year):
        raise ValidationError(_("Invitations have been sent: only the closing date can be changed."))
    _validate_dates(opens_on, closes_on)
    if closes_on < today:
        raise ValidationError({"closes_on": _("The closing date cannot be in the past.")})
    changed = []
    for name, value in (("opens_on", opens_on), ("closes_on", closes_on), ("reference_year", reference_year)):
        if getattr(round_, name) != value:
            setattr(round_, name, value)
            changed.append(name)
    if changed:
        round_.full_clean()
        round_.save(update_fields=changed)
        audit_change(actor=actor, action="survey_round_update", obj=round_, reason=", ".join(changed))
    return changed


@transaction.atomic
def round_close(*, actor: User | None, round_: Round, today: date | None = None) -> Round:
    """Close an open round now; no answers are accepted after this. Seals it at once."""
    today = today or timezone.localdate()
    round_ = lock(round_)
    current = round_.status(today)  # by its dates: the status is not stored
    ROUND_WORKFLOW.check(current, Round.Status.CLOSED)
    round_.closed_early = True
    round_.save(update_fields=["closed_early"])
    audit_change(actor=actor, action="survey_round_close", obj=round_, from_state=current,
                 to_state=Round.Status.CLOSED)
    round_seal(round_=round_, today=today)
    return round_


@transaction.atomic
def round_seal(*, round_: Round, today: date | None = None) -> bool:
    """Rewrite a closed round's responses and answers in random order with new random keys, and
    every invitation row in the same transaction, so that neither the physical order of rows nor
    the database's transaction ids keep the order in which people answered; then store the
    round's tally (its answers no longer change). Idempotent."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.sealed or not round_.is_closed(today):
        return False
    rng = secrets.SystemRandom()
    answers = list(Answer.objects.filter(response__round=round_).values_list("response_id", "item_id", "option_id"))
    old_ids = list(Response.objects.filter(round=round_).values_list("id", flat=True))
    Answer.objects.filter(response__round=round_).delete()
    Response.objects.filter(round=round_).delete()
    rng.shuffle(old_ids)
    fresh = {old: Response(round=round_) for old in old_ids}
    Response.objects.bulk_create(list(fresh.values()))
    rng.shuffle(answers)
    Answer.objects.bulk_create([Answer(response=fresh[r], item_id=i, option_id=o) for r, i, o in answers])
    Invitation.objects.filter(round=round_).update(answered=F("answered"))
    round_.sealed = True
    round_.tally = selectors.round_tally(round_)
    round_.save(update_fields=["sealed", "tally"])
    audit_change(actor=None, action="survey_round_seal", obj=round_, to_state="sealed",
                 reason=f"{len(old_ids)} responses")
    return True


def round_tally_store(*, round_: Round) -> None:
    """Store (again) the tally of a sealed round: one sealed before tallies were stored, or whose
    answers a seeding script wrote without the services. Derived data, so not audited."""
    if round_.sealed:
        round_.tally = selectors.round_tally(round_)
        round_.save(update_fields=["tally"])


# --- invitations and reminders --------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(invitation: Invitation) -> str:
    """A fresh one-time token for the invitation; returns the link (the token is not kept)."""
    token = secrets.token_urlsafe(32)
    InvitationToken.objects.create(invitation=invitation, token_hash=hash_token(token))
    return absolute_url("surveys:response-create", token)


def official_email(official: Official) -> str:
    """Where survey e-mails go: the assignment e-mail, else the linked account's."""
    if official.work_email:
        return official.work_email
    user = official.user
    return user.email if user is not None and user.is_active else ""


def _send(invitation: Invitation, round_: Round, template: str, link: str) -> None:
    """The invitation's e-mail (`template`), in the language of the official's account."""
    official = invitation.official
    context = {"official": official, "round": round_, "link": link}
    tell([Addressee(official_email(official), language_of(official.user))],
         lambda: render_to_string(f"surveys/email/{template}_subject.txt", context).strip(),
         lambda: render_to_string(f"surveys/email/{template}.txt", context))


def _require_open(round_: Round, today: date) -> None:
    if not round_.is_open(today):
        raise SurveyError(_("The round is not open."))


def invitation_candidates(round_: Round, today: date | None = None) -> list[Official]:
    """Active officials with an e-mail address who have no invitation to the round yet."""
    today = today or timezone.localdate()
    officials = (Official.objects.active(today).select_related("user")
                 .exclude(survey_invitations__round=round_).order_by("last_name", "first_name", "id"))
    return [o for o in officials if official_email(o)]


@transaction.atomic
def invitations_send(*, actor: User | None, round_: Round, today: date | None = None) -> int:
    """Invite every active official with an e-mail who is not yet invited: one e-mail each with
    a one-time link. Idempotent; returns how many were invited."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_, today)
    count = 0
    for official in invitation_candidates(round_, today):
        invitation = Invitation.objects.create(round=round_, official=official)
        _send(invitation, round_, "invitation", _new_link(invitation))
        count += 1
    if round_.invited_on is None and count:
        round_.invited_on = today
        round_.save(update_fields=["invited_on"])
    if count:
        audit_change(actor=actor, action="survey_invitations_send", obj=round_, reason=f"{count} invited")
    return count


@transaction.atomic
def reminders_send(*, actor: User | None, round_: Round, today: date | None = None) -> int:
    """Remind those invited who have not answered, each with a new link (earlier links keep
    working until the invitation is answered). At most once a day. Returns how many."""
    today = today or timezone.localdate()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_, today)
    if round_.invited_on is None:
        raise SurveyError(_("No invitations have been sent yet."))
    if round_.reminded_on == today:
        raise SurveyError(_("A reminder has already been sent today."))
    pending = list(Invitation.objects.filter(round=round_, answered=False)
                   .select_related("official__user").order_by("pk"))
    for invitation in pending:
        _send(invitation, round_, "reminder", _new_link(invitation))
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(reminders_sent=F("reminders_sent") + 1)
    round_.reminded_on = today
    round_.save(update_fields=["reminded_on"])
    audit_change(actor=actor, action="survey_reminders_send", obj=round_, reason=f"{len(pending)} reminded")
    return len(pending)


@transaction.atomic
def invitation_resend(*, actor: User | None, invitation: Invitation, today: date | None = None) -> None:
    """The official asks for their link again (the e-mail was lost): a new link by e-mail."""
    today = today or timezone.localdate()
    invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("round", "official__user")
                  .get(pk=invitation.pk))
    _require_open(invitation.round, today)
    if invitation.answered:
        raise AlreadyAnswered(_("You have already answered this survey."))
    if not official_email(invitation.official):
        raise SurveyError(_("There is no e-mail address to send the link to."))
    _send(invitation, invitation.round, "invitation", _new_link(invitation))
    audit_change(actor=actor, action="survey_invitation_resend", obj=invitation)


# --- answering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkState:
    """What a link leads to: its round, and whether it may still be used."""

    round: Round
    answered: bool


def link_state(token: str) -> LinkState:
    """The round behind a link; raises UnknownLink. Reads only, never records the visit."""
    row = (InvitationToken.objects.filter(token_hash=hash_token(token))
           .select_related("invitation__round").first())
    if row is None:
        raise UnknownLink(_("This link is not valid."))
    return LinkState(round=row.invitation.round, answered=row.invitation.answered)


def shown_answers(items: Sequence[Item], answers: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """The skip logic: the answers to items that were shown, in item order. An item with a
    condition is shown only when one of its condition items (itself shown) was answered with
    one of its condition options; answers to items not shown are dropped."""
    kept: dict[str, list[str]] = {}
    for item in items:
        chosen = [code for code in answers.get(item.code, []) if code]
        if item.condition_items:
            wanted = set(item.condition_options)
            if not any(wanted & set(kept.get(code, [])) for code in item.condition_items):
                continue
        if chosen:
            kept[item.code] = chosen
    return kept


def _answer_rows(round_: Round, answers: Mapping[str, Iterable[str]]) -> list[tuple[Item, Option]]:
    items = list(round_.items.order_by("position", "code").prefetch_related("options"))
    kept = shown_answers(items, answers)
    rows = []
    for item in items:
        chosen = kept.get(item.code)
        if not chosen:
            continue
        if item.kind != Item.Kind.MULTIPLE and len(chosen) > 1:
            raise ValidationError(_("Choose one answer to “%(item)s”.") % {"item": item.text})
        options = {o.code: o for o in item.options.all()}
        for code in dict.fromkeys(chosen):
            if code not in options:
                raise ValidationError(_("Unknown answer to “%(item)s”.") % {"item": item.text})
            rows.append((item, options[code]))
    if not rows:
        raise ValidationError(_("Answer at least one question."))
    return rows


def response_submit(*, token: str, answers: Mapping[str, Iterable[str]], today: date | None = None) -> Round:
    """Store one anonymous response for the invitation behind `token`, once.

    In one transaction: lock the round (submissions to a round are serialised, which also rules
    out deadlocks) and the invitation, mark the invitation answered with a conditional update
    (`WHERE answered = false`), rewrite the round's other invitation rows, and store the answers
    in a response that knows nothing of the invitation. Not audited, not logged."""
    today = today or timezone.localdate()
    with transaction.atomic():
        row = InvitationToken.objects.filter(token_hash=hash_token(token)).values_list(
            "invitation_id", "invitation__round_id").first()
        if row is None:
            raise UnknownLink(_("This link is not valid."))
        invitation_id, round_id = row
        round_ = Round.objects.select_for_update().get(pk=round_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.answered:
            raise AlreadyAnswered(_("This survey has already been answered with your invitation."))
        if not round_.is_open(today):
            raise RoundNotOpen(round_)
        rows = _answer_rows(round_, answers)
        if Invitation.objects.filter(pk=invitation_id, answered=False).update(answered=True) != 1:
            raise AlreadyAnswered(_("This survey has already been answered with your invitation."))
        Invitation.objects.filter(round_id=round_id).exclude(pk=invitation_id).update(answered=F("answered"))
        response = Response.objects.create(round=round_)
        Answer.objects.bulk_create([Answer(response=response, item=item, option=option) for item, option in rows])
    return round_


# --- the planner ----------------------------------------------------------------------------


def is_survey_year(year: int) -> bool:
    """The local safety survey runs the year before and the year after each ordinary election."""
    from training.calendar import is_ordinary_election_year

    return is_ordinary_election_year(year + 1) or is_ordinary_election_year(year - 1)


def _planned_dates(survey_type: str, today: date) -> tuple[date, date]:
    month, day = SAFETY_OPENS if survey_type == SurveyType.SAFETY else INTERNAL_CONTROL_OPENS
    opens_on = max(date(today.year, month, day), today)
    return opens_on, opens_on + timedelta(weeks=WEEKS_OPEN) - timedelta(days=1)


def round_plan(*, survey_type: str, today: date) -> Round | None:
    """The planner's round of `survey_type` for today's year, unless the year already has a
    round of that type (planned or made by hand). The safety survey asks about the previous
    calendar year; the internal-control survey about the current one."""
    if Round.objects.filter(survey_type=survey_type, opens_on__year=today.year).exists():
        return None
    reference_year = today.year - 1 if survey_type == SurveyType.SAFETY else today.year
    if Round.objects.filter(survey_type=survey_type, reference_year=reference_year, planned=True).exists():
        return None
    opens_on, closes_on = _planned_dates(survey_type, today)
    return round_create(actor=None, survey_type=survey_type, reference_year=reference_year, opens_on=opens_on,
                        closes_on=closes_on, planned=True, today=today)


def plan_survey_rounds(today: date, policy: Policy) -> list[str]:
    """The planner step `surveys.rounds`: create this year's rounds as the policy asks, send the
    invitations of open rounds (also to officials who became active since), remind once a week
    before closing, and seal closed rounds (storing their tallies). Idempotent."""
    done: list[str] = []
    wanted = []
    if policy.survey_around_elections and is_survey_year(today.year):
        wanted.append(SurveyType.SAFETY)
    if policy.internal_control_survey:
        wanted.append(SurveyType.INTERNAL_CONTROL)
    for survey_type in wanted:
        created = round_plan(survey_type=survey_type, today=today)
        if created is not None:
            done.append(f"created {created.survey_type} round {created.pk} opening {created.opens_on:%Y-%m-%d}")
    for round_ in Round.objects.filter(opens_on__lte=today, closes_on__gte=today, closed_early=False):
        invited = invitations_send(actor=None, round_=round_, today=today)
        if invited:
            done.append(f"invited {invited} to round {round_.pk}")
        round_.refresh_from_db()
        due = round_.closes_on - timedelta(days=REMINDER_DAYS_BEFORE_CLOSE)
        if (round_.invited_on and round_.invited_on < today and today >= due and round_.reminded_on is None):
            done.append(f"reminded {reminders_send(actor=None, round_=round_, today=today)} in round {round_.pk}")
    for round_ in Round.objects.filter(sealed=False, opens_on__lte=today):
        if round_.is_closed(today) and round_seal(round_=round_, today=today):
            done.append(f"sealed round {round_.pk}")
    for round_ in selectors.rounds_to_tally():
        round_tally_store(round_=round_)
        done.append(f"counted the answers of round {round_.pk}")
    return done
