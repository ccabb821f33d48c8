"""The planner step (core.planner): reminders when an analysis's date approaches and nobody has
judged its risk. Idempotent — a reminder exists once per (kind, analysis, date), so running the
step twice on a day, or on each of the three days before, creates each reminder once.

* a party analysis still in draft within REMIND_DAYS of its date → the contact who recorded it
  (or, if they no longer hold the role for that party, another of the party's contacts);
* an escalated analysis the security unit has not answered within REMIND_DAYS → the security unit;
* a body analysis still in draft within REMIND_DAYS → the officer who recorded it (or another
  officer of the body).

Messages carry the reference, kind and date only: never names or what the analysis says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Policy, User
from accounts.roles import Role
from core.dates import format_date
from core.reminders import reminder_ensure_many

from . import permissions as perms
from .models import BodyRiskAnalysis, PartyRiskAnalysis
from .services import REMINDER_BODY_UNJUDGED, REMINDER_ESCALATION_UNANSWERED, REMINDER_PARTY_UNJUDGED

REMIND_DAYS = 3


Analysis = TypeVar("Analysis", PartyRiskAnalysis, BodyRiskAnalysis)


def _remind_recorders(drafts: list[Analysis], *, kind: str, role: str, field: str,
                      key_of: Callable[[User], int | None], message: Callable[[Analysis], str], url_name: str,
                      today: dt.date) -> list[str]:
    """Remind, in one batch each, whoever recorded each draft while they still hold `role` for its
    party or body (`field`: "party_id" or "body_id"; `key_of` gives the one a person holds), else
    the first other holder of the role for it."""
    holders: dict[int, list[User]] = {}
    for user in (User.objects.filter(groups__name=role, is_active=True,
                                     **{f"{field}__in": {getattr(a, field) for a in drafts}})
                 .order_by("pk").distinct()):
        holders.setdefault(getattr(user, field), []).append(user)
    by_recipient: dict[User, list[Analysis]] = {}
    for analysis in drafts:
        key = getattr(analysis, field)
        recipient = analysis.created_by if key_of(analysis.created_by) == key else next(iter(holders.get(key, [])), None)
        if recipient is not None:
            by_recipient.setdefault(recipient, []).append(analysis)
    done: list[str] = []
    for recipient, analyses in by_recipient.items():
        created = reminder_ensure_many(kind=kind, recipient=recipient, today=today, items=[
            (a, a.occurs_on, message(a), reverse(url_name, args=[a.pk])) for a in analyses])
        done += [f"{kind} {r.object_id}" for r in created]
    return done


def _date(value: dt.date) -> str:
    return format_date(value)


def plan_risk_analysis_reminders(today: dt.date, policy: Policy | None) -> list[str]:
    window = (today, today + dt.timedelta(days=REMIND_DAYS))

    # Party analyses without a judgement.
    done = _remind_recorders(
        list(PartyRiskAnalysis.objects.filter(status=PartyRiskAnalysis.Status.DRAFT, occurs_on__range=window)
             .select_related("created_by")),
        kind=REMINDER_PARTY_UNJUDGED, role=Role.PARTY_CONTACT, field="party_id", key_of=perms.contact_party_id,
        message=lambda a: _("Risk analysis %(ref)s (%(kind)s on %(date)s) has not been judged yet")
        % {"ref": a.reference, "kind": a.get_kind_display(), "date": _date(a.occurs_on)},
        url_name="riskanalyses:party-analysis-detail", today=today)

    # Escalations the security unit has not answered.
    escalated = list(PartyRiskAnalysis.objects.filter(status=PartyRiskAnalysis.Status.ESCALATED,
                                                      occurs_on__range=window))
    if escalated:
        created = reminder_ensure_many(
            kind=REMINDER_ESCALATION_UNANSWERED, recipients_role=Role.SECURITY_HANDLER, today=today,
            items=[(a, a.occurs_on, _("Escalated risk analysis %(ref)s (%(kind)s on %(date)s) has not been answered")
                    % {"ref": a.reference, "kind": a.get_kind_display(), "date": _date(a.occurs_on)},
                    reverse("riskanalyses:party-analysis-answer", args=[a.pk])) for a in escalated])
        done += [f"{REMINDER_ESCALATION_UNANSWERED} {r.object_id}" for r in created]

    # Body analyses still in draft.
    done += _remind_recorders(
        list(BodyRiskAnalysis.objects.filter(status=BodyRiskAnalysis.Status.DRAFT, occurs_on__range=window)
             .select_related("created_by")),
        kind=REMINDER_BODY_UNJUDGED, role=Role.BODY_OFFICER, field="body_id", key_of=perms.officer_body_id,
        message=lambda a: _("Risk analysis %(ref)s (%(activity)s on %(date)s) is still a draft")
        % {"ref": a.reference, "activity": a.get_activity_display(), "date": _date(a.occurs_on)},
        url_name="riskanalyses:body-analysis-detail", today=today)
    return done
