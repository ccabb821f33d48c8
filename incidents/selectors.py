"""Permission-scoped reads of reports and cases. Every list starts from
`permissions.reports_for_user` / `permissions.cases_for_user`, so no page can show more than the
rules allow. No selector filters or sorts by party (DOMAIN.md: party membership is a special
category of personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextChoices,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.sql import SubqueryCount, joined_codes
from officials.models import Official

from . import hooks
from . import permissions as perms
from .hooks import TimelineItem
from .models import (
    OPEN_STATUSES,
    TRIAGE_WAITING,
    Attachment,
    Campaign,
    Case,
    CaseContact,
    CaseNote,
    CaseStatus,
    CaseStatusChange,
    Kind,
    LinkAssessment,
    PerpetratorIdentifier,
    Priority,
    Report,
    ReportKind,
    SupportOffer,
    triage_order,
)

M = TypeVar("M", bound=Model)


def _officials_prefetch() -> Prefetch[Any]:
    return Prefetch("affected_officials", queryset=Official.objects.only("id", "first_name", "last_name", "user_id")
                    .order_by("pk"))


def campaign_size() -> SubqueryCount:
    """How many other reports share a perpetrator identifier (same kind and normalised value)
    with the report: one column, computed through the identifier value index."""
    own = PerpetratorIdentifier.objects.filter(report_id=OuterRef(OuterRef("pk")))
    others = (PerpetratorIdentifier.objects.filter(value__in=own.values("value"))
              .filter(Exists(own.filter(kind=OuterRef("kind"), value=OuterRef("value"))))
              .exclude(report_id=OuterRef("pk")).order_by().values("report_id").distinct())
    return SubqueryCount(others)


def kind_codes() -> Subquery:
    """A report's kinds as one column (see Report.kind_values), instead of a prefetch query."""
    return joined_codes(ReportKind.objects.all(), "report", "kind")


def triage_queue(user: User, *, kind: str = "", channel: str = "", priority: str = "", status: str = "",
                 handler: str = "", age: str = "", now: dt.datetime | None = None) -> QuerySet[Report]:
    """The security unit's queue: reports not yet in a case unless a status is chosen; new and
    unassigned first, then by priority, oldest first."""
    now = now or timezone.now()
    qs = perms.reports_for_user(user)
    if status in Report.Status.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=TRIAGE_WAITING)
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
    order = triage_order()
    return (qs.select_related("filed_by", "handler", "case")
            .prefetch_related(_officials_prefetch())
            .annotate(kind_codes=kind_codes(), campaign_size=campaign_size(), status_rank=order["status_rank"],
                      unassigned_rank=order["unassigned_rank"], priority_rank=order["priority_rank"])
            .order_by("status_rank", "unassigned_rank", "priority_rank", "filed_at", "pk"))


@dataclass(frozen=True)
class Match:
    report_id: int
    reference: str
    case_id: int | None
    kinds: tuple[str, ...]


def campaign_matches(reports: Iterable[Report]) -> dict[int, list[Match]]:
    """For each report, the other reports that share a normalised perpetrator identifier
    (phone, e-mail, handle, name) — whoever they concern. Two queries for any number of reports.
    Callers show these only to the security unit."""
    ids = {r.pk for r in reports}
    if not ids:
        return {}
    own_values = PerpetratorIdentifier.objects.filter(report_id__in=ids).values("value")
    rows = list(PerpetratorIdentifier.objects.filter(value__in=own_values)
                .values_list("report_id", "kind", "value", "report__case_id").order_by("report_id"))
    wanted = defaultdict(set)  # (kind, value) → report ids on the page
    for report_id, kind, value, _case_id in rows:
        if report_id in ids:
            wanted[(kind, value)].add(report_id)
    found: dict[int, dict[int, tuple[int | None, set[str]]]] = defaultdict(dict)
    for other_id, kind, value, case_id in rows:
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


def case_list(user: User, *, status: str = "", priority: str = "", handler: str = "") -> QuerySet[Case]:
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
    # The report count as a correlated subquery, not a join: the paginator's count then reads the
    # cases alone, and the page query walks the activity index without grouping every open case.
    reports = Report.objects.filter(case=OuterRef("pk")).order_by().values("pk")
    return (qs.select_related("official__party", "handler")
            .annotate(report_count=SubqueryCount(reports))
            .order_by("-last_activity_at", "-pk"))


def open_cases_for_joining(user: User, report: Report) -> tuple[list[Case], list[Case]]:
    """Open cases to join a report to: first those of the report's officials or of reports that
    share a perpetrator identifier, then the rest (most recently active first, at most 200)."""
    qs = perms.cases_for_user(user).filter(status__in=OPEN_STATUSES).select_related("official")
    official_ids = [o.pk for o in report.affected_officials.all()]
    matched_cases = {m.case_id for m in campaign_matches([report]).get(report.pk, []) if m.case_id}
    suggested = list(qs.filter(Q(official_id__in=official_ids) | Q(pk__in=matched_cases)).order_by("-last_activity_at"))
    rest = list(qs.exclude(pk__in=[c.pk for c in suggested]).order_by("-last_activity_at")[:200])
    return suggested, rest


def security_unit_users() -> QuerySet[User]:
    """The security unit's members (active), to assign reports and cases to."""
    return (User.objects.filter(groups__name=Role.SECURITY_HANDLER, is_active=True).distinct()
            .order_by("first_name", "last_name", "username"))


# ---------------------------------------------------------------- the case page and its timeline

def case_reports(user: User, case: Case) -> list[Report]:
    """The case's reports this user may see (a party office never sees another party's), with
    everything the evidence package reads of them."""
    return list(perms.reports_for_user(user).filter(case=case).select_related("filed_by")
                .prefetch_related("kinds", _officials_prefetch(), "perpetrators",
                                  Prefetch("attachments", queryset=visible_attachments(user)))
                .order_by("filed_at", "pk"))


def visible_attachments(user: User) -> QuerySet[Attachment]:
    """Attachments (evidence and documents) as this user may see them, oldest first: without those
    marked security-unit-only, except for the unit. Scoping to reports and cases is the caller's."""
    return _visible(Attachment.objects.select_related("uploaded_by").order_by("uploaded_at", "pk"), user)


def _visible(qs: QuerySet[M], user: User) -> QuerySet[M]:
    """Rows marked security-unit-only (`confidential`) are left out for everyone else."""
    return qs if perms.can_view_confidential(user) else qs.filter(confidential=False)


def _label(choices: type[TextChoices], value: str) -> str:
    return str(dict(choices.choices).get(value, value))


# What the case page shows of a case, each list fetched with the case (`case_for_page`) into its own
# attribute, scoped to the person who looks. A timeline or a panel reads each with `prefetched`.

def _reports_prefetch(user: User) -> Prefetch[Any]:
    """The case's reports this user may see (a party office never sees another party's), with
    their kinds (`kind_codes`) and the number of files this user may see (`file_count`)."""
    files = (visible_attachments(user).filter(report=OuterRef("pk")).order_by().values("report")
             .annotate(n=Count("pk")).values("n"))
    reports = (perms.reports_for_user(user).select_related("filed_by")
               .annotate(kind_codes=kind_codes(),
                         file_count=Coalesce(Subquery(files, output_field=IntegerField()), Value(0)))
               .order_by("filed_at", "pk"))
    return Prefetch("reports", queryset=reports, to_attr="reports_shown")


def _status_prefetch() -> Prefetch[Any]:
    return Prefetch("status_changes", queryset=CaseStatusChange.objects.select_related("actor").order_by("at", "pk"),
                    to_attr="status_history")


def _notes_prefetch(user: User) -> Prefetch[Any]:
    notes = CaseNote.objects.select_related("author").order_by("created_at", "pk")
    return Prefetch("notes", queryset=_visible(notes, user), to_attr="notes_shown")


def _contacts_prefetch(user: User) -> Prefetch[Any]:
    contacts = CaseContact.objects.select_related("recorded_by").order_by("contacted_at", "pk")
    return Prefetch("contacts", queryset=_visible(contacts, user), to_attr="contacts_shown")


def _support_prefetch(user: User) -> Prefetch[Any]:
    """Support (crisis support, occupational health care) is health-related: only the unit and the
    case's own official see it, never the party office."""
    offers = SupportOffer.objects.select_related("recorded_by").order_by("recorded_at", "pk")
    if not perms.can_view_confidential(user):
        offers = offers.filter(case__official__user_id=user.pk)
    return Prefetch("support_offers", queryset=offers, to_attr="support_shown")


def _documents_prefetch(user: User) -> Prefetch[Any]:
    return Prefetch("documents", queryset=visible_attachments(user), to_attr="documents_shown")


def _campaigns_prefetch() -> Prefetch[Any]:
    return Prefetch("campaigns", queryset=Campaign.objects.order_by("-created_at", "-pk"), to_attr="campaigns_shown")


def case_page_prefetches(user: User) -> list[Prefetch[Any]]:
    """Every list the case page shows `user`, its own and those of the apps that register
    `hooks.register_case_prefetches`: one query each, whatever the size of the case."""
    prefetches = [_reports_prefetch(user), _status_prefetch(), _notes_prefetch(user), _contacts_prefetch(user),
                  _support_prefetch(user), _documents_prefetch(user)]
    if perms.is_security_unit(user):  # who groups cases into campaigns
        prefetches.append(_campaigns_prefetch())
    for provider in hooks.case_prefetch_providers():
        prefetches += provider(user)
    return prefetches


def case_for_page(user: User, pk: int | str, action: str = perms.CaseAction.VIEW) -> Case:
    """The case for its page, fetched and checked as `permissions.get_case_for_user` does, with its
    link assessment and every list the page shows (`case_page_prefetches`)."""
    return perms.get_case_for_user(user, pk, action, extend=lambda qs: qs.select_related(
        "link_assessment__recorded_by").prefetch_related(*case_page_prefetches(user)))


def prefetched(case: Case, prefetch: Prefetch[Any]) -> list[Any]:
    """The objects `prefetch` puts on the case (its `to_attr`): as fetched with the case by
    `case_for_page`, or fetched now when the case came without them."""
    assert prefetch.to_attr, "a case page list needs its own to_attr"
    if not hasattr(case, prefetch.to_attr):
        prefetch_related_objects([case], prefetch)
    objects: list[Any] = getattr(case, prefetch.to_attr)
    return objects


def case_page_reports(user: User, case: Case) -> list[Report]:
    """The case's reports this user may see, with `kind_codes` and `file_count` (the files this
    user may see)."""
    return prefetched(case, _reports_prefetch(user))


def link_assessment(case: Case) -> LinkAssessment | None:
    """The case's link assessment, or None (no query when fetched with the case)."""
    try:
        return case.link_assessment
    except LinkAssessment.DoesNotExist:
        return None


def case_campaigns(case: Case) -> list[Campaign]:
    """The campaigns the case is in, newest first (for the security unit)."""
    return prefetched(case, _campaigns_prefetch())


def case_timeline(user: User, case: Case, reports: list[Report] | None = None) -> list[TimelineItem]:
    """Reports, notes, contacts, status changes, decisions, support, police reports and
    documents in time order, plus what other apps contribute through `hooks`. Items marked
    security-unit-only are left out for everyone else. Read from the lists fetched with the case
    by `case_for_page` (each fetched now otherwise)."""
    confidential = perms.can_view_confidential(user)
    reports = case_page_reports(user, case) if reports is None else reports
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
    change: CaseStatusChange
    for change in prefetched(case, _status_prefetch()):
        title = (_("Case opened") if not change.from_status
                 else _("Status: %(from)s → %(to)s") % {"from": _label(CaseStatus, change.from_status),
                                                         "to": _label(CaseStatus, change.to_status)})
        items.append(TimelineItem(at=change.at, kind="status", title=title, body=change.comment,
                                  actor=_name(change.actor)))
    note: CaseNote
    for note in prefetched(case, _notes_prefetch(user)):
        items.append(TimelineItem(at=note.created_at, kind="note", title=_("Note"), body=note.text,
                                  actor=_name(note.author), confidential=note.confidential))
    contact: CaseContact
    for contact in prefetched(case, _contacts_prefetch(user)):
        items.append(TimelineItem(
            at=contact.contacted_at, kind="contact",
            title=_("Contact with %(whom)s (%(way)s)") % {"whom": _label(CaseContact.With, contact.with_whom),
                                                          "way": _label(CaseContact.Way, contact.way)},
            body=contact.summary, actor=_name(contact.recorded_by), confidential=contact.confidential))
    offer: SupportOffer
    for offer in prefetched(case, _support_prefetch(user)):
        items.append(TimelineItem(
            at=offer.recorded_at, kind="support",
            title=_("Support: %(kind)s — %(answer)s") % {"kind": _label(SupportOffer.Kind, offer.kind),
                                                          "answer": _label(SupportOffer.Answer, offer.answer)},
            body=offer.note, actor=_name(offer.recorded_by)))
    assessment = link_assessment(case)
    if assessment is not None:
        items.append(TimelineItem(
            at=assessment.recorded_at, kind="decision",
            title=_("Link to the assignment: %(outcome)s") % {"outcome": assessment.get_outcome_display()},
            body=assessment.reasoning, actor=_name(assessment.recorded_by)))
    document: Attachment
    for document in prefetched(case, _documents_prefetch(user)):
        items.append(TimelineItem(
            at=document.uploaded_at, kind="document",
            title=_("Document: %(name)s") % {"name": document.original_name},
            actor=_name(document.uploaded_by), confidential=document.confidential,
            url=reverse("incidents:attachment-download", args=[document.pk]),
            extra={"attachment_id": document.pk}))
    for provider in hooks.timeline_providers():
        for item in provider(case, user, confidential=confidential):
            if item.confidential and not confidential:
                continue
            items.append(item)
    items.sort(key=lambda item: item.at)
    return items


def _name(person: User | None) -> str:
    return person.display_name() if person is not None else ""


def _at_noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


# ---------------------------------------------------------------- the official and the party office

def own_cases(user: User) -> QuerySet[Case]:
    """The cases of the official themselves (not those they see in another role)."""

    if not perms.is_official(user):
        return Case.objects.none()
    # By ids: an OR of a join and a subquery would make PostgreSQL read every case.
    return (Case.objects.filter(perms.own_cases_q(user, by_ids=True))
            .select_related("official").prefetch_related(
                Prefetch("status_changes", queryset=CaseStatusChange.objects.order_by("at", "pk")))
            .order_by("-opened_at", "-pk"))


def own_reports(user: User) -> QuerySet[Report]:
    """The reports the official filed or is affected by."""

    if not perms.is_official(user):
        return Report.objects.none()
    return (Report.objects.filter(perms.own_reports_q(user, by_ids=True))
            .select_related("case").prefetch_related("kinds").order_by("-filed_at", "-pk"))


def official_sections(cases: list[Case], user: User) -> dict[int, list[hooks.OfficialSection]]:
    """What other apps show the official about each case (e.g. decided measures)."""
    sections: dict[int, list[hooks.OfficialSection]] = defaultdict(list)
    for provider in hooks.official_section_providers():
        for case_id, found in (provider(cases, user) or {}).items():
            sections[case_id].extend(s for s in found if s.lines)
    return dict(sections)


def party_reports_without_case(user: User) -> QuerySet[Report]:
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


def counts_for_home(user: User) -> dict[str, int]:
    """Small counts for the home page panels (one query each)."""
    counts: dict[str, int] = {}
    if perms.is_security_unit(user):
        counts["new_unassigned"] = Report.objects.filter(status=Report.Status.NEW, handler__isnull=True).count()
        counts["my_cases"] = Case.objects.filter(handler=user, status__in=OPEN_STATUSES).count()
    if perms.is_official(user):
        counts["own_open_cases"] = own_cases(user).filter(status__in=OPEN_STATUSES).count()
    party_id = perms.party_contact_party_id(user)
    if party_id:
        counts["members_open_cases"] = (perms.cases_for_user(user).filter(status__in=OPEN_STATUSES,
                                        official__party_id=party_id).count())
    if perms.is_on_call(user):
        counts["urgent_open"] = Report.objects.filter(urgent=True).exclude(status=Report.Status.IN_CASE).count()
    return counts


def urgent_reports(user: User) -> QuerySet[Report]:
    """Urgent reports for the on-call officer, newest first."""
    return (perms.reports_for_user(user).filter(urgent=True).select_related("case", "handler")
            .prefetch_related("kinds", _officials_prefetch()).order_by("-filed_at", "-pk"))


def audit_rows_about_cases_of(official_id: int) -> Q:
    """Audit rows tied to one of the official's cases (their "who has read my data" page)."""
    return Q(case_id__in=Case.objects.filter(official_id=official_id).values("pk"))
