"""Permission-scoped reads of reports and cases. Every list starts from
`permissions.reports_for_user` / `permissions.cases_for_user`, so no page can show more than the
rules allow. No selector filters or sorts by party (DOMAIN.md: party membership is a special
category of personal data)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

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
    PerpetratorIdentifier,
    Priority,
    Report,
    ReportKind,
    SupportOffer,
    triage_order,
)
from .sections import Section, person, person_name


def _officials_prefetch() -> Prefetch:
    return Prefetch("affected_officials", queryset=Official.objects.only("id", "first_name", "last_name", "user_id")
                    .order_by("pk"))


def campaign_size():
    """How many other reports share a perpetrator identifier (same kind and normalised value)
    with the report: one column, computed through the identifier value index."""
    own = PerpetratorIdentifier.objects.filter(report_id=OuterRef(OuterRef("pk")))
    others = (PerpetratorIdentifier.objects.filter(value__in=own.values("value"))
              .filter(Exists(own.filter(kind=OuterRef("kind"), value=OuterRef("value"))))
              .exclude(report_id=OuterRef("pk")).order_by().values("report_id").distinct())
    return SubqueryCount(others)


def kind_codes():
    """A report's kinds as one column (see Report.kind_values), instead of a prefetch query."""
    return joined_codes(ReportKind.objects.all(), "report", "kind")


def triage_queue(user, *, kind: str = "", channel: str = "", priority: str = "", status: str = "",
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
    return (qs.select_related("filed_by", "handler", "case")
            .prefetch_related(_officials_prefetch())
            .annotate(kind_codes=kind_codes(), campaign_size=campaign_size(), **triage_order())
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
    # The report count as a correlated subquery, not a join: the paginator's count then reads the
    # cases alone, and the page query walks the activity index without grouping every open case.
    reports = Report.objects.filter(case=OuterRef("pk")).order_by().values("pk")
    return (qs.select_related("official__party", "handler")
            .annotate(report_count=SubqueryCount(reports))
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


# ---------------------------------------------------------------- the case page and its timeline

def case_reports(user, case: Case) -> list[Report]:
    """The case's reports this user may see (a party office never sees another party's)."""
    return list(perms.reports_for_user(user).filter(case=case).select_related("filed_by")
                .prefetch_related("kinds", _officials_prefetch(), "perpetrators",
                                  Prefetch("attachments", queryset=_visible_attachments(user)))
                .order_by("filed_at", "pk"))


def _visible_attachments(user) -> QuerySet[Attachment]:
    qs = Attachment.objects.select_related("uploaded_by").order_by("uploaded_at", "pk")
    return qs if perms.can_view_confidential(user) else qs.filter(confidential=False)


def _label(choices, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


def _status_section() -> Section:
    return Section("incidents_status_changes", lambda case: CaseStatusChange.objects.filter(case=case),
                   order=("at", "id"), shared=True,
                   id="id", at="at", from_status="from_status", to_status="to_status", comment="comment",
                   **person("actor", "actor"))


def _note_section(confidential: bool) -> Section:
    def rows_of(case):
        qs = CaseNote.objects.filter(case=case)
        return qs if confidential else qs.filter(confidential=False)

    return Section("incidents_notes_all" if confidential else "incidents_notes_shared", rows_of, order=("at", "id"), shared=True,
                   id="id", at="created_at", text="text", confidential="confidential", **person("author", "author"))


def _contact_section(confidential: bool) -> Section:
    def rows_of(case):
        qs = CaseContact.objects.filter(case=case)
        return qs if confidential else qs.filter(confidential=False)

    return Section("incidents_contacts_all" if confidential else "incidents_contacts_shared", rows_of, order=("at", "id"),
                   shared=True,
                   id="id", at="contacted_at", with_whom="with_whom", way="way", summary="summary",
                   confidential="confidential", **person("by", "recorded_by"))


def _support_section(user, confidential: bool) -> Section:
    """Support (crisis support, occupational health care) is health-related: only the unit and the
    case's own official see it, never the party office."""
    def rows_of(case):
        qs = SupportOffer.objects.filter(case=case)
        return qs if confidential else qs.filter(case__official__user_id=user.pk)

    return Section("incidents_support_all" if confidential else "incidents_support_own", rows_of, order=("at", "id"),
                   shared=confidential,  # the official's own: their id is in the query
                   id="id", at="recorded_at", kind="kind", answer="answer", note="note", **person("by", "recorded_by"))


def _document_section(confidential: bool) -> Section:
    def rows_of(case):
        qs = Attachment.objects.filter(case=case)
        return qs if confidential else qs.filter(confidential=False)

    return Section("incidents_documents_all" if confidential else "incidents_documents_shared", rows_of, order=("at", "id"),
                   shared=True,
                   id="id", at="uploaded_at", name="original_name", confidential="confidential",
                   **person("by", "uploaded_by"))


def _campaign_section() -> Section:
    return Section("incidents_campaigns", lambda case: Campaign.objects.filter(cases=case),
                   order=("-created_at", "-id"), shared=True, id="id", name="name", created_at="created_at")


def _campaign_choice_section() -> Section:
    """The 200 newest campaigns, to add a case to (the same whatever the case)."""
    newest = Campaign.objects.order_by("-created_at", "-id").values("pk")[:200]
    return Section("incidents_campaign_choices", lambda case: Campaign.objects.filter(pk__in=newest),
                   order=("-created_at", "-id"), shared=True, id="id", name="name", created_at="created_at")


def _handler_section() -> Section:
    """The security unit's members, to assign (the same whatever the case)."""
    from django.contrib.auth import get_user_model

    from accounts.roles import Role

    return Section("incidents_handlers", lambda case: get_user_model().objects.filter(
        groups__name=Role.SECURITY_HANDLER, is_active=True), order=("first_name", "last_name", "username"), shared=True,
        id="id", first_name="first_name", last_name="last_name", username="username")


def _page_sections(user) -> list[Section]:
    confidential = perms.can_view_confidential(user)
    sections = [_report_section(user), _status_section(), _note_section(confidential), _contact_section(confidential),
                _support_section(user, confidential), _document_section(confidential)]
    if perms.is_security_unit(user):  # who may change the case and group it into campaigns
        sections += [_campaign_section(), _campaign_choice_section(), _handler_section()]
    for provider in hooks.case_section_providers():
        sections += provider(user)
    return sections


def case_for_page(user, pk, action: str = perms.CaseAction.VIEW) -> Case:
    """The case for its page, fetched and checked as `permissions.get_case_for_user` does, with its
    link assessment and every list the page shows (the timeline's, the campaigns, the handlers to
    assign, and those of the apps that register `hooks.register_case_sections`) in one query."""
    columns = {section.name: section.column() for section in _page_sections(user)}
    case = perms.get_case_for_user(user, pk, action, extend=lambda qs: qs.select_related(
        "link_assessment__recorded_by").annotate(**columns))
    case.for_page = True
    return case


def _report_section(user) -> Section:
    """The case's reports this user may see (a party office never sees another party's), with
    their kinds and the number of files this user may see."""
    unit = perms.is_security_unit(user)
    files = (_visible_attachments(user).filter(report=OuterRef("pk")).order_by().values("report")
             .annotate(n=Count("pk")).values("n"))
    return Section(
        "incidents_reports_all" if unit else "incidents_reports_scoped",
        lambda case: perms.reports_for_user(user).filter(case=case), order=("filed_at", "id"),
        shared=unit,  # everyone else's reports are chosen by who they are
        id="id", filed_at="filed_at", description="description", channel="channel",
        linked_to_assignment="linked_to_assignment", police_reported="police_reported",
        police_report_date="police_report_date", police_reference="police_reference", kind_codes=kind_codes(),
        file_count=Coalesce(Subquery(files, output_field=IntegerField()), Value(0)), by_id="filed_by_id",
        **person("by", "filed_by"))


def case_page_reports(user, case: Case) -> list[Report]:
    """The case's reports this user may see, for the case page: with `kind_codes` and `file_count`
    (the files this user may see) and the fields the page shows. Read with the case by
    `case_for_page` (otherwise one query)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    reports = []
    for row in _report_section(user).rows(case):
        report = Report(id=row["id"], case_id=case.pk, filed_at=row["filed_at"], description=row["description"],
                        channel=row["channel"], linked_to_assignment=row["linked_to_assignment"],
                        police_reported=row["police_reported"], police_report_date=row["police_report_date"],
                        police_reference=row["police_reference"],
                        filed_by=user_model(id=row["by_id"], first_name=row["by_first"], last_name=row["by_last"],
                                            username=row["by_username"]))
        report.kind_codes, report.file_count = row["kind_codes"], row["file_count"]
        reports.append(report)
    return reports


def link_assessment(case: Case):
    """The case's link assessment, or None (no query when fetched with the case)."""
    return case.link_assessment if _has_link_assessment(case) else None


def case_campaigns(case: Case) -> list[Campaign]:
    return [Campaign(id=row["id"], name=row["name"], created_at=row["created_at"])
            for row in _campaign_section().rows(case)]


def campaign_choices(case: Case) -> list[Campaign]:
    return [Campaign(id=row["id"], name=row["name"], created_at=row["created_at"])
            for row in _campaign_choice_section().rows(case)]


def handlers_for_page(case: Case) -> list:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return [user_model(id=row["id"], first_name=row["first_name"], last_name=row["last_name"],
                       username=row["username"]) for row in _handler_section().rows(case)]


def case_timeline(user, case: Case, reports: list[Report] | None = None) -> list[TimelineItem]:
    """Reports, notes, contacts, status changes, decisions, support, police reports and
    documents in time order, plus what other apps contribute through `hooks`. Items marked
    security-unit-only are left out for everyone else. Read from the sections folded into the
    case's query when it was fetched by `case_for_page`."""
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
    for row in _status_section().rows(case):
        title = (_("Case opened") if not row["from_status"]
                 else _("Status: %(from)s → %(to)s") % {"from": _label(CaseStatus, row["from_status"]),
                                                         "to": _label(CaseStatus, row["to_status"])})
        items.append(TimelineItem(at=row["at"], kind="status", title=title, body=row["comment"],
                                  actor=person_name(row, "actor")))
    for row in _note_section(confidential).rows(case):
        items.append(TimelineItem(at=row["at"], kind="note", title=_("Note"), body=row["text"],
                                  actor=person_name(row, "author"), confidential=row["confidential"]))
    for row in _contact_section(confidential).rows(case):
        items.append(TimelineItem(
            at=row["at"], kind="contact",
            title=_("Contact with %(whom)s (%(way)s)") % {"whom": _label(CaseContact.With, row["with_whom"]),
                                                          "way": _label(CaseContact.Way, row["way"])},
            body=row["summary"], actor=person_name(row, "by"), confidential=row["confidential"]))
    for row in _support_section(user, confidential).rows(case):
        items.append(TimelineItem(
            at=row["at"], kind="support",
            title=_("Support: %(kind)s — %(answer)s") % {"kind": _label(SupportOffer.Kind, row["kind"]),
                                                          "answer": _label(SupportOffer.Answer, row["answer"])},
            body=row["note"], actor=person_name(row, "by")))
    assessment = link_assessment(case)
    if assessment is not None:
        items.append(TimelineItem(
            at=assessment.recorded_at, kind="decision",
            title=_("Link to the assignment: %(outcome)s") % {"outcome": assessment.get_outcome_display()},
            body=assessment.reasoning, actor=assessment.recorded_by.display_name()))
    for row in _document_section(confidential).rows(case):
        items.append(TimelineItem(
            at=row["at"], kind="document",
            title=_("Document: %(name)s") % {"name": row["name"]},
            actor=person_name(row, "by"), confidential=row["confidential"],
            url=reverse("incidents:attachment-download", args=[row["id"]]),
            extra={"attachment_id": row["id"]}))
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
    # By ids: an OR of a join and a subquery would make PostgreSQL read every case.
    return (Case.objects.filter(perms.own_cases_q(user, by_ids=True))
            .select_related("official").prefetch_related(
                Prefetch("status_changes", queryset=CaseStatusChange.objects.order_by("at", "pk")))
            .order_by("-opened_at", "-pk"))


def own_reports(user) -> QuerySet[Report]:
    """The reports the official filed or is affected by."""
    from accounts.roles import Role

    if not user.has_role(Role.OFFICIAL):
        return Report.objects.none()
    return (Report.objects.filter(perms.own_reports_q(user, by_ids=True))
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
