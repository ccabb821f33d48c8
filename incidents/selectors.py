"""Permission-scoped reads of reports and cases. Every list starts from
`permissions.reports_for_user` / `permissions.cases_for_user`, so no page can show more than the
rules allow. No selector filters or sorts by party (DOMAIN.md: party membership is a special
category of personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from officials.models import Official

from . import hooks
from . import permissions as perms
from .hooks import TimelineItem
from .models import (
    OPEN_STATUSES,
    Attachment,
    Campaign,
    Case,
    CaseStatus,
    CaseStatusChange,
    Kind,
    PerpetratorIdentifier,
    Priority,
    Report,
    ReportKind,
)


def _officials_prefetch() -> Prefetch:
    return Prefetch("affected_officials", queryset=Official.objects.only("id", "first_name", "last_name", "user_id")
                    .order_by("pk"))


def _priority_rank():
    return CaseWhen(*[When(priority=p, then=Value(i)) for i, p in enumerate(
        [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW])], default=Value(9), output_field=IntegerField())


def triage_queue(user, *, kind: str = "", channel: str = "", priority: str = "", status: str = "",
                 handler: str = "", age: str = "", now: dt.datetime | None = None) -> QuerySet[Report]:
    """The security unit's queue: reports not yet in a case unless a status is chosen; new and
    unassigned first, then by priority, oldest first."""
    now = now or timezone.now()
    qs = perms.reports_for_user(user)
    if status in Report.Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.exclude(status=Report.Status.IN_CASE)
    if kind in Kind.values:
        qs = qs.filter(pk__in=ReportKind.objects.filter(kind=kind).values("report_id"))
    if channel:
        qs = qs.filter(channel=channel)
    if priority == "none":
        qs = qs.filter(priority="")
    elif priority in Priority.values:
        qs = qs.filter(priority=priority)
    if handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif handler.isdigit():
        qs = qs.filter(handler_id=int(handler))
    if age == "day":
        qs = qs.filter(filed_at__gte=now - dt.timedelta(days=1))
    elif age == "week":
        qs = qs.filter(filed_at__gte=now - dt.timedelta(days=7))
    elif age == "month":
        qs = qs.filter(filed_at__gte=now - dt.timedelta(days=30))
    elif age == "older":
        qs = qs.filter(filed_at__lt=now - dt.timedelta(days=30))
    status_rank = CaseWhen(When(status=Report.Status.NEW, then=Value(0)), When(status=Report.Status.TRIAGED,
                           then=Value(1)), default=Value(2), output_field=IntegerField())
    unassigned = CaseWhen(When(handler__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (qs.select_related("filed_by", "handler", "case")
            .prefetch_related("kinds", _officials_prefetch())
            .annotate(status_rank=status_rank, unassigned_rank=unassigned, priority_rank=_priority_rank())
            .order_by("status_rank", "unassigned_rank", "priority_rank", "filed_at", "pk"))


@dataclass(frozen=True)
class Match:
    report_id: int
    reference: str
    case_id: int | None
    kinds: tuple[str, ...]


def campaign_matches(reports) -> dict[int, list[Match]]:
    """For each report, the other reports that share a normalised perpetrator identifier
    (phone, e-mail, handle, name) — whoever they concern. Two queries for any number of reports.
    Callers show these only to the security unit."""
    ids = [r.pk for r in reports]
    if not ids:
        return {}
    own = list(PerpetratorIdentifier.objects.filter(report_id__in=ids).values_list("report_id", "kind", "value"))
    if not own:
        return {}
    wanted = defaultdict(set)  # (kind, value) → report ids on the page
    for report_id, kind, value in own:
        wanted[(kind, value)].add(report_id)
    others = (PerpetratorIdentifier.objects.filter(value__in={v for _, _, v in own})
              .values_list("report_id", "kind", "value", "report__case_id").order_by("report_id"))
    found: dict[int, dict[int, tuple[int | None, set[str]]]] = defaultdict(dict)
    for other_id, kind, value, case_id in others:
        for report_id in wanted.get((kind, value), ()):
            if report_id == other_id:
                continue
            entry = found[report_id].setdefault(other_id, (case_id, set()))
            entry[1].add(kind)
    return {
        report_id: [Match(other_id, f"R-{other_id:05d}", case_id, tuple(sorted(kinds)))
                    for other_id, (case_id, kinds) in sorted(matches.items())]
        for report_id, matches in found.items()
    }


def case_list(user, *, status: str = "", priority: str = "", handler: str = "") -> QuerySet[Case]:
    qs = perms.cases_for_user(user)
    if status == "open" or not status:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        qs = qs.filter(status=status)
    if priority in Priority.values:
        qs = qs.filter(priority=priority)
    if handler == "none":
        qs = qs.filter(handler__isnull=True)
    elif handler.isdigit():
        qs = qs.filter(handler_id=int(handler))
    return (qs.select_related("official__party", "handler")
            .annotate(report_count=Count("reports", distinct=True))
            .order_by("-last_activity_at", "-pk"))


def open_cases_for_joining(user, report: Report) -> tuple[list[Case], list[Case]]:
    """Open cases to join a report to: first those of the report's officials or of reports that
    share a perpetrator identifier, then the rest (most recently active first, at most 200)."""
    qs = perms.cases_for_user(user).filter(status__in=OPEN_STATUSES).select_related("official")
    official_ids = [o.pk for o in report.affected_officials.all()]
    matched_cases = {m.case_id for m in campaign_matches([report]).get(report.pk, []) if m.case_id}
    suggested = list(qs.filter(Q(official_id__in=official_ids) | Q(pk__in=matched_cases)).order_by("-last_activity_at"))
    rest = list(qs.exclude(pk__in=[c.pk for c in suggested]).order_by("-last_activity_at")[:200])
    return suggested, rest


def security_unit_users():
    from django.contrib.auth import get_user_model

    from accounts.roles import Role

    return (get_user_model().objects.filter(groups__name=Role.SECURITY_HANDLER, is_active=True).distinct()
            .order_by("first_name", "last_name", "username"))


# ---------------------------------------------------------------- the case timeline

def case_reports(user, case: Case) -> list[Report]:
    """The case's reports this user may see (a party office never sees another party's)."""
    return list(perms.reports_for_user(user).filter(case=case).select_related("filed_by")
                .prefetch_related("kinds", _officials_prefetch(), "perpetrators",
                                  Prefetch("attachments", queryset=_visible_attachments(user)))
                .order_by("filed_at", "pk"))


def _visible_attachments(user) -> QuerySet[Attachment]:
    qs = Attachment.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    return qs if perms.can_view_confidential(user) else qs.filter(confidential=False)


def case_timeline(user, case: Case, reports: list[Report] | None = None) -> list[TimelineItem]:
    """Reports, notes, contacts, status changes, decisions, support, police reports and
    documents in time order, plus what other apps contribute through `hooks`. Items marked
    security-unit-only are left out for everyone else."""
    confidential = perms.can_view_confidential(user)
    reports = case_reports(user, case) if reports is None else reports
    items: list[TimelineItem] = []
    for report in reports:
        items.append(TimelineItem(
            at=report.filed_at, kind="report",
            title=_("Report %(ref)s filed") % {"ref": report.reference},
            body=report.description, actor=report.filed_by.display_name(),
            url=reverse("incidents:report-detail", args=[report.pk]),
            extra={"report": report}))
        if report.police_reported and report.police_report_date:
            items.append(TimelineItem(
                at=_at_noon(report.police_report_date), kind="police",
                title=_("Reported to the police"),
                body=_("Report %(ref)s, police reference number %(number)s")
                % {"ref": report.reference, "number": report.police_reference or "–"}))
    for change in CaseStatusChange.objects.filter(case=case).select_related("actor"):
        title = (_("Case opened") if not change.from_status
                 else _("Status: %(from)s → %(to)s") % {"from": change.get_from_status_display(),
                                                         "to": change.get_to_status_display()})
        items.append(TimelineItem(at=change.at, kind="status", title=title, body=change.comment,
                                  actor=change.actor.display_name() if change.actor else ""))
    for note in perms.notes_for_user(user, case).select_related("author"):
        items.append(TimelineItem(at=note.created_at, kind="note", title=_("Note"), body=note.text,
                                  actor=note.author.display_name(), confidential=note.confidential))
    contacts = case.contacts.select_related("recorded_by")
    if not confidential:
        contacts = contacts.filter(confidential=False)
    for contact in contacts:
        items.append(TimelineItem(
            at=contact.contacted_at, kind="contact",
            title=_("Contact with %(whom)s (%(way)s)") % {"whom": contact.get_with_whom_display(),
                                                          "way": contact.get_way_display()},
            body=contact.summary, actor=contact.recorded_by.display_name(), confidential=contact.confidential))
    # Support (crisis support, occupational health care) is health-related: only the unit and the
    # case's own official see it, never the party office.
    sees_support = confidential or (case.official.user_id is not None and case.official.user_id == user.pk)
    for offer in case.support_offers.select_related("recorded_by") if sees_support else ():
        items.append(TimelineItem(
            at=offer.recorded_at, kind="support",
            title=_("Support: %(kind)s — %(answer)s") % {"kind": offer.get_kind_display(),
                                                          "answer": offer.get_answer_display()},
            body=offer.note, actor=offer.recorded_by.display_name()))
    assessment = getattr(case, "link_assessment", None) if _has_link_assessment(case) else None
    if assessment is not None:
        items.append(TimelineItem(
            at=assessment.recorded_at, kind="decision",
            title=_("Link to the assignment: %(outcome)s") % {"outcome": assessment.get_outcome_display()},
            body=assessment.reasoning, actor=assessment.recorded_by.display_name()))
    for document in _visible_attachments(user).filter(case=case):
        items.append(TimelineItem(
            at=document.uploaded_at, kind="document",
            title=_("Document: %(name)s") % {"name": document.original_name},
            actor=document.uploaded_by.display_name(), confidential=document.confidential,
            url=reverse("incidents:attachment-download", args=[document.pk]),
            extra={"attachment": document}))
    for provider in hooks.timeline_providers():
        for item in provider(case, user, confidential=confidential):
            if item.confidential and not confidential:
                continue
            items.append(item)
    items.sort(key=lambda item: item.at)
    return items


def _has_link_assessment(case: Case) -> bool:
    from .models import LinkAssessment

    try:
        return case.link_assessment is not None
    except LinkAssessment.DoesNotExist:
        return False


def _at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


# ---------------------------------------------------------------- the official and the party office

def own_cases(user) -> QuerySet[Case]:
    """The cases of the official themselves (not those they see in another role)."""
    from accounts.roles import Role

    if not user.has_role(Role.OFFICIAL):
        return Case.objects.none()
    return (perms.cases_for_user(user)
            .filter(Q(official__user=user) | Q(pk__in=perms.granted(user, "incidents.view_case", Case)))
            .select_related("official").prefetch_related(
                Prefetch("status_changes", queryset=CaseStatusChange.objects.order_by("at", "pk")))
            .order_by("-opened_at", "-pk"))


def own_reports(user) -> QuerySet[Report]:
    """The reports the official filed or is affected by."""
    from accounts.roles import Role

    if not user.has_role(Role.OFFICIAL):
        return Report.objects.none()
    return (perms.reports_for_user(user)
            .filter(Q(filed_by=user) | Q(pk__in=perms.granted(user, "incidents.view_report", Report)))
            .select_related("case").prefetch_related("kinds").order_by("-filed_at", "-pk"))


def official_sections(cases: list[Case], user) -> dict[int, list[hooks.OfficialSection]]:
    """What other apps show the official about each case (e.g. decided measures)."""
    sections: dict[int, list[hooks.OfficialSection]] = defaultdict(list)
    for provider in hooks.official_section_providers():
        for case_id, found in (provider(cases, user) or {}).items():
            sections[case_id].extend(s for s in found if s.lines)
    return dict(sections)


def party_reports_without_case(user) -> QuerySet[Report]:
    """Reports about the party office's members not yet in a case."""
    party_id = perms.party_contact_party_id(user)
    if not party_id:
        return Report.objects.none()
    return (perms.reports_for_user(user).filter(case__isnull=True)
            .filter(pk__in=Report.affected_officials.through.objects.filter(official__party_id=party_id)
                    .values("report_id"))
            .prefetch_related("kinds", _officials_prefetch()).order_by("-filed_at", "-pk"))


def campaigns_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("created_by").annotate(case_count=Count("cases")).order_by("-created_at")


def campaign_cases(campaign: Campaign) -> QuerySet[Case]:
    return (campaign.cases.select_related("official__party", "handler")
            .annotate(report_count=Count("reports", distinct=True)).order_by("-last_activity_at"))


def counts_for_home(user) -> dict[str, int]:
    """Small counts for the home page panels (one query each)."""
    from accounts.roles import Role

    counts: dict[str, int] = {}
    if perms.is_security_unit(user):
        counts["new_unassigned"] = Report.objects.filter(status=Report.Status.NEW, handler__isnull=True).count()
        counts["my_cases"] = Case.objects.filter(handler=user, status__in=OPEN_STATUSES).count()
    if user.has_role(Role.OFFICIAL):
        counts["own_open_cases"] = own_cases(user).filter(status__in=OPEN_STATUSES).count()
    if perms.party_contact_party_id(user):
        counts["members_open_cases"] = (perms.cases_for_user(user).filter(status__in=OPEN_STATUSES,
                                        official__party_id=user.party_id).count())
    if user.has_role(Role.ON_CALL):
        counts["urgent_open"] = Report.objects.filter(urgent=True).exclude(status=Report.Status.IN_CASE).count()
    return counts


def urgent_reports(user) -> QuerySet[Report]:
    """Urgent reports for the on-call officer, newest first."""
    return (perms.reports_for_user(user).filter(urgent=True).select_related("case", "handler")
            .prefetch_related("kinds", _officials_prefetch()).order_by("-filed_at", "-pk"))
