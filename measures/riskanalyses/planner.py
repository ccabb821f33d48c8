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

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role

from .models import BodyRiskAnalysis, PartyRiskAnalysis

REMIND_DAYS = 3


def _recipient(created_by: User, candidates: dict[int, list[User]], key: int | None, check) -> User | None:
    if check(created_by):
        return created_by
    others = candidates.get(key, []) if key is not None else []
    return others[0] if others else None


def plan_risk_analysis_reminders(today: dt.date, policy) -> list[str]:
    from core.reminders import reminder_ensure_many

    from . import permissions as perms
    from .services import REMINDER_BODY_UNJUDGED, REMINDER_ESCALATION_UNANSWERED, REMINDER_PARTY_UNJUDGED

    window = (today, today + dt.timedelta(days=REMIND_DAYS))
    done: list[str] = []

    # Party analyses without a judgement: one batch per recipient.
    drafts = list(PartyRiskAnalysis.objects.filter(status=PartyRiskAnalysis.Status.DRAFT, occurs_on__range=window)
                  .select_related("created_by"))
    contacts: dict[int, list[User]] = {}
    for user in (User.objects.filter(groups__name=Role.PARTY_CONTACT, is_active=True,
                                     party_id__in={a.party_id for a in drafts}).order_by("pk").distinct()):
        contacts.setdefault(user.party_id, []).append(user)
    by_user: dict[User, list] = {}
    for analysis in drafts:
        recipient = _recipient(analysis.created_by, contacts, analysis.party_id,
                               lambda u, a=analysis: perms.contact_party_id(u) == a.party_id)
        if recipient is not None:
            by_user.setdefault(recipient, []).append(analysis)
    for recipient, analyses in by_user.items():
        created = reminder_ensure_many(
            kind=REMINDER_PARTY_UNJUDGED, recipient=recipient, today=today,
            items=[(a, a.occurs_on, _("Risk analysis %(ref)s (%(kind)s on %(date)s) has not been judged yet")
                    % {"ref": a.reference, "kind": a.get_kind_display(),
                       "date": date_format(a.occurs_on, "j M Y")},
                    reverse("riskanalyses:party-analysis-detail", args=[a.pk])) for a in analyses])
        done += [f"{REMINDER_PARTY_UNJUDGED} {r.object_id}" for r in created]

    # Escalations the security unit has not answered.
    escalated = list(PartyRiskAnalysis.objects.filter(status=PartyRiskAnalysis.Status.ESCALATED,
                                                      occurs_on__range=window))
    if escalated:
        created = reminder_ensure_many(
            kind=REMINDER_ESCALATION_UNANSWERED, recipients_role=Role.SECURITY_HANDLER, today=today,
            items=[(a, a.occurs_on, _("Escalated risk analysis %(ref)s (%(kind)s on %(date)s) has not been answered")
                    % {"ref": a.reference, "kind": a.get_kind_display(),
                       "date": date_format(a.occurs_on, "j M Y")},
                    reverse("riskanalyses:party-analysis-answer", args=[a.pk])) for a in escalated])
        done += [f"{REMINDER_ESCALATION_UNANSWERED} {r.object_id}" for r in created]

    # Body analyses still in draft.
    body_drafts = list(BodyRiskAnalysis.objects.filter(status=BodyRiskAnalysis.Status.DRAFT, occurs_on__range=window)
                       .select_related("created_by"))
    officers: dict[int, list[User]] = {}
    for user in (User.objects.filter(groups__name=Role.BODY_OFFICER, is_active=True,
                                     body_id__in={a.body_id for a in body_drafts}).order_by("pk").distinct()):
        officers.setdefault(user.body_id, []).append(user)
    by_officer: dict[User, list] = {}
    for analysis in body_drafts:
        recipient = _recipient(analysis.created_by, officers, analysis.body_id,
                               lambda u, a=analysis: perms.officer_body_id(u) == a.body_id)
        if recipient is not None:
            by_officer.setdefault(recipient, []).append(analysis)
    for recipient, analyses in by_officer.items():
        created = reminder_ensure_many(
            kind=REMINDER_BODY_UNJUDGED, recipient=recipient, today=today,
            items=[(a, a.occurs_on, _("Risk analysis %(ref)s (%(activity)s on %(date)s) is still a draft")
                    % {"ref": a.reference, "activity": a.get_activity_display(),
                       "date": date_format(a.occurs_on, "j M Y")},
                    reverse("riskanalyses:body-analysis-detail", args=[a.pk])) for a in analyses])
        done += [f"{REMINDER_BODY_UNJUDGED} {r.object_id}" for r in created]
    return done
