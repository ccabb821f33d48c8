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
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
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
from django.db.models.functions import Coalesce, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.sql import SubqueryCount, joined_codes
from officials.models import Official

from . import hooks
from . import permissions as perms
from .hooks import TimelineItem, TimelineRow, TimelineSource, timeline_values
from .models import (
    OPEN_STATUSES,
    TRIAGE_WAITING,
    Attachment,
    Campaign,
    Case,
    CaseContact,
    CaseEvent,
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
    WorkDone,
    YesNoUnsure,
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
    kinds: tuple[str, ...]  # PerpetratorIdentifier.IdKind codes

    @property
    def kind_labels(self) -> list[str]:
        """What the reports share, as people read it ("E-post", "Telefon"), never the codes."""
        return [str(PerpetratorIdentifier.IdKind(kind).label) for kind in self.kinds]


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


# What the case page shows of a case: the case with its link assessment and its reports, fetched together
# (`case_for_page`, with what the apps' panels read: `hooks.register_case_page_query`), and its timeline
# in one query of its own (`case_timeline`).

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


def case_for_page(user: User, pk: int | str, action: str = perms.CaseAction.VIEW) -> Case:
    """The case for its page, fetched and checked as `permissions.get_case_for_user` does, with its
    link assessment, the reports this user may see (`case_page_reports`) and what the apps' panels
    read (`hooks.register_case_page_query`)."""
    def extend(cases: QuerySet[Case]) -> QuerySet[Case]:
        cases = cases.select_related(*LINK_ASSESSMENT_PEOPLE).prefetch_related(_reports_prefetch(user))
        for query in hooks.case_page_queries():
            cases = query(cases, user)
        return cases

    return perms.get_case_for_user(user, pk, action, extend=extend)


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


# The people of a link assessment, read with the case on its page (`case_for_page`).
LINK_ASSESSMENT_PEOPLE = ("link_assessment__recorded_by", "link_assessment__party_view_by",
                          "link_assessment__municipality_view_by")


def link_assessment(case: Case) -> LinkAssessment | None:
    """The case's link assessment, or None (no query when fetched with the case)."""
    try:
        return case.link_assessment
    except LinkAssessment.DoesNotExist:
        return None


@dataclass(frozen=True)
class LinkView:
    """One side's view on the link to the assignment, as `user` may see it."""

    side: str  # party, municipality
    label: str  # whose view
    view: str  # yes, no, unsure ("" when not yet given)
    view_label: str
    by: str
    at: dt.datetime | None
    comment: str
    comment_hidden: bool  # a comment for the security unit only, left out for this user
    confidential: bool  # the comment shown is the security unit's only


@dataclass(frozen=True)
class LinkJudgement:
    """The joint judgement of the link to the assignment as the case page shows it to `user`: the
    outcome, whether the views agree, and each view with who and when."""

    outcome: str
    outcome_label: str
    agreement: str
    agreement_label: str
    party: LinkView
    municipality: LinkView
    official_view_label: str

    @property
    def views(self) -> tuple[LinkView, LinkView]:
        return self.party, self.municipality


def link_judgement(user: User, case: Case) -> LinkJudgement | None:
    """The case's joint link judgement for its page, or None when no view has been recorded. The
    unit's comment marked security-unit-only is left out for everyone else. No query when the case
    came from `case_for_page`."""
    la = link_assessment(case)
    if la is None:
        return None
    unit = perms.can_view_confidential(user)

    def side(name: str, label: str, recorded: bool, view: str, by: User | None, at: dt.datetime | None,
             comment: str, confidential: bool) -> LinkView:
        hidden = bool(comment) and confidential and not unit
        return LinkView(side=name, label=label, view=view if recorded else "",
                        view_label=_label(YesNoUnsure, view) if recorded else _("Not yet given"),
                        by=_name(by) if recorded else "", at=at if recorded else None,
                        comment="" if hidden else comment, comment_hidden=hidden,
                        confidential=confidential and not hidden and bool(comment))

    return LinkJudgement(
        outcome=la.outcome, outcome_label=la.get_outcome_display(), agreement=la.agreement,
        agreement_label=la.get_agreement_display(),
        party=side("party", _("The party's view"), la.party_recorded, la.party_view, la.party_view_by,
                   la.party_view_at, la.party_comment, False),
        municipality=side("municipality", _("The municipality's view"), la.municipality_recorded,
                          la.municipality_view, la.municipality_view_by, la.municipality_view_at, la.reasoning,
                          la.reasoning_confidential),
        official_view_label=_label(YesNoUnsure, la.official_view),
    )


# The campaigns offered to add a case to: the newest.
CAMPAIGNS_OFFERED = 200


def _offered_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-created_at", "-pk")[:CAMPAIGNS_OFFERED]


def campaigns_to_offer() -> list[Campaign]:
    """The campaigns a case may be added to, newest first (`CAMPAIGNS_OFFERED`)."""
    return list(_offered_campaigns())


@dataclass(frozen=True)
class CaseCampaigns:
    of_case: list[Campaign]  # the campaigns the case is in, newest first
    offered: list[Campaign]  # as `campaigns_to_offer`


def case_campaigns(case: Case) -> CaseCampaigns:
    """The campaigns the case is in and those to offer on its page (for the security unit). One query."""
    in_case = Exists(Campaign.cases.through.objects.filter(campaign=OuterRef("pk"), case_id=case.pk))
    offered = Q(pk__in=_offered_campaigns().values("pk"))
    campaigns = list(Campaign.objects.annotate(in_case=in_case, offered=ExpressionWrapper(offered, BooleanField()))
                     .filter(Q(in_case=True) | Q(offered=True)).order_by("-created_at", "-pk"))
    return CaseCampaigns(of_case=[c for c in campaigns if c.in_case], offered=[c for c in campaigns if c.offered])


# ---------------------------------------------------------------- the case timeline

def case_timeline(user: User, case: Case, reports: list[Report] | None = None) -> list[TimelineItem]:
    """Reports, notes, contacts, status changes, decisions, support, police reports and
    documents in time order, plus what other apps contribute (`hooks.register_timeline_source`).
    Items marked security-unit-only are left out for everyone else. One query (`timeline`) besides
    the reports (`case_page_reports`) and the link assessment, which come with the case on its page."""
    reports = case_page_reports(user, case) if reports is None else reports
    items: list[TimelineItem] = []
    for report in reports:
        items.append(TimelineItem(
            at=report.filed_at, kind="report",
            title=_("Report %(ref)s filed") % {"ref": report.reference},
            body=report.description, actor=report.filed_by.display_name(),
            url=reverse("incidents:report-detail", args=[report.pk])))
        if report.police_reported and report.police_report_date:
            items.append(TimelineItem(
                at=_at_noon(report.police_report_date), kind="police",
                title=_("Reported to the police"),
                body=_("Report %(ref)s, police reference number %(number)s")
                % {"ref": report.reference, "number": report.police_reference or "–"}))
    items += _link_items(user, case)
    items += timeline(case.pk, user, [*TIMELINE_SOURCES, *hooks.timeline_sources()])
    items.sort(key=lambda item: item.at)
    return items


def _link_items(user: User, case: Case) -> list[TimelineItem]:
    """The party's and the municipality's views on the link to the assignment, each when it was
    recorded, by whom (the latest recording of each side)."""
    judgement = link_judgement(user, case)
    if judgement is None:
        return []
    items = []
    for view, title in ((judgement.party, _("The party's view on the link to the assignment: %(view)s")),
                        (judgement.municipality, _("The municipality's view on the link to the assignment: %(view)s"))):
        if view.at is not None:
            items.append(TimelineItem(at=view.at, kind="decision", title=title % {"view": view.view_label},
                                      body=view.comment, actor=view.by, confidential=view.confidential))
    la = link_assessment(case)
    if not items and la is not None:  # recorded before each side recorded its own view
        items.append(TimelineItem(at=la.recorded_at, kind="decision",
                                  title=_("Link to the assignment: %(outcome)s") % {"outcome": judgement.outcome_label},
                                  actor=_name(la.recorded_by)))
    return items


def timeline(case_id: int, user: User, sources: Iterable[TimelineSource]) -> list[TimelineItem]:
    """The entries `sources` give of the case, as `user` may see them, oldest first: one query, the
    UNION ALL of each source's rows."""
    by_kind: dict[str, TimelineSource] = {}
    parts: list[QuerySet[Any, dict[str, Any]]] = []
    for source in sources:
        rows = source.rows(case_id, user)
        if rows is not None:
            by_kind[source.kind] = source
            parts.append(rows)
    if not parts:
        return []
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return [by_kind[row.kind].item(row, user) for row in map(TimelineRow.of, union.order_by("tl_at", "tl_id"))]


def _status_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    """A status change; `code2` is "<to status>|<work that moved it>" (nothing after the bar when a
    person chose it)."""
    return timeline_values(CaseStatusChange.objects.filter(case_id=case_id), "status", at="at",
                           code="from_status", code2=Concat("to_status", Value("|"), "work_done",
                                                            output_field=CharField()),
                           body="comment", actor="actor")


def _status_item(row: TimelineRow, user: User) -> TimelineItem:
    to_status, _bar, work = row.code2.partition("|")
    title = (_("Case opened") if not row.code
             else _("Status: %(from)s → %(to)s") % {"from": _label(CaseStatus, row.code),
                                                     "to": _label(CaseStatus, to_status)})
    done = _label(WorkDone, work)
    body = _("Moved on by the work on the case: %(work)s.") % {"work": done[:1].lower() + done[1:]} if work else row.body
    return TimelineItem(at=row.at, kind=row.kind, title=title, body=body, actor=row.actor)


def _event_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    return timeline_values(CaseEvent.objects.filter(case_id=case_id), "event", at="at", code="kind", day="day",
                           actor="actor")


def _event_item(row: TimelineRow, user: User) -> TimelineItem:
    assert row.day is not None  # every event has its date
    if row.code == CaseEvent.Kind.RESPONSIBILITY_ENDED:
        title = _("The municipality's responsibility ended on %(date)s") % {"date": date_format(row.day)}
        body = _("The official's last assignment has ended. Open measures are reviewed and ended.")
    else:
        title, body = _label(CaseEvent.Kind, row.code), ""
    return TimelineItem(at=row.at, kind=row.kind, title=title, body=body, actor=row.actor)


def _note_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    return timeline_values(_visible(CaseNote.objects.filter(case_id=case_id), user), "note", at="created_at",
                           body="text", actor="author", confidential="confidential")


def _note_item(row: TimelineRow, user: User) -> TimelineItem:
    return TimelineItem(at=row.at, kind=row.kind, title=_("Note"), body=row.body, actor=row.actor,
                        confidential=row.confidential)


def _contact_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    return timeline_values(_visible(CaseContact.objects.filter(case_id=case_id), user), "contact",
                           at="contacted_at", code="with_whom", code2="way", body="summary", actor="recorded_by",
                           confidential="confidential")


def _contact_item(row: TimelineRow, user: User) -> TimelineItem:
    return TimelineItem(
        at=row.at, kind=row.kind,
        title=_("Contact with %(whom)s (%(way)s)") % {"whom": _label(CaseContact.With, row.code),
                                                      "way": _label(CaseContact.Way, row.code2)},
        body=row.body, actor=row.actor, confidential=row.confidential)


def _support_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    """Support (crisis support, occupational health care) is health-related: only the unit and the
    case's own official see it, never the party office."""
    offers = SupportOffer.objects.filter(case_id=case_id)
    if not perms.can_view_confidential(user):
        offers = offers.filter(case__official__user_id=user.pk)
    return timeline_values(offers, "support", at="recorded_at", code="kind", code2="answer", body="note",
                           actor="recorded_by")


def _support_item(row: TimelineRow, user: User) -> TimelineItem:
    return TimelineItem(
        at=row.at, kind=row.kind,
        title=_("Support: %(kind)s — %(answer)s") % {"kind": _label(SupportOffer.Kind, row.code),
                                                      "answer": _label(SupportOffer.Answer, row.code2)},
        body=row.body, actor=row.actor)


def _document_rows(case_id: int, user: User) -> QuerySet[Any, dict[str, Any]]:
    return timeline_values(visible_attachments(user).filter(case_id=case_id), "document", at="uploaded_at",
                           code="original_name", actor="uploaded_by", confidential="confidential")


def _document_item(row: TimelineRow, user: User) -> TimelineItem:
    return TimelineItem(at=row.at, kind=row.kind, title=_("Document: %(name)s") % {"name": row.code},
                        actor=row.actor, confidential=row.confidential,
                        url=reverse("incidents:attachment-download", args=[row.id]))


# This app's entries on the case timeline; the other apps' come through `hooks.register_timeline_source`.
TIMELINE_SOURCES = (
    TimelineSource("status", _status_rows, _status_item),
    TimelineSource("note", _note_rows, _note_item),
    TimelineSource("contact", _contact_rows, _contact_item),
    TimelineSource("support", _support_rows, _support_item),
    TimelineSource("document", _document_rows, _document_item),
    TimelineSource("event", _event_rows, _event_item),
)


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
