"""Reads for follow-up reports (DOMAIN.md › Follow-up reports).

`followup_data(period, party_id=…)` gathers every figure of the report as plain data (dicts and
lists of raw table cells, see `reports.tables`), which the page, the PDF, the CSV files and the
workbook all render after `reports.tables.suppress` has applied the small-count rule.

The unit of the incident figures is the report: a report counts once in the period in which it
happened (its time, or the start of its period), whenever it was filed. A report about several
officials counts once in each group of its officials (two parties, two genders …), so group rows
may add up to more than the total. Officials are counted as they are in the registry now (party,
gender, birth year) and by the assignments they held during the period.

The party version (`party_id`) keeps only officials whose current party is that party: reports
about at least one member (and only the members in the group breakdowns), the members' cases,
measures, training and conversations. Survey answers are anonymous and hold no party, so the
party version has no survey section; no figure about another party's members is gathered at all.

Every part is an aggregate query (`values().annotate()` / `aggregate()`): the number of queries
does not grow with the number of reports, officials or measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import dateformat, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import Policy, User
from core.dates import format_date, format_day_month, format_month
from incidents.models import Case, CaseStatus, Channel, Kind, LinkAssessment, Report, YesNoUnsure
from measures.models import ACTIVE_STATUSES, Measure, MeasureCost, MeasureStatus, MeasureType
from officials.models import Assignment, Official, Party
from training.calendar import Term, add_months, is_ordinary_election_year, ordinary_election_day, term_for
from training.models import Completion, Course, Enrolment, ExtraElection, SecurityConversation, Session

from . import tables as T
from .models import Export
from .periods import Period

if TYPE_CHECKING:
    from surveys.selectors import ComparisonColumn

ReportOfficial = Report.affected_officials.through

# The election period: the three months before election day, and after an ordinary election
# until the new council's term starts (15 October).
ELECTION_LEAD_MONTHS = 3

AGE_BANDS = ("u29", "30_39", "40_49", "50_59", "60_69", "70plus", "unknown")


# ---------------------------------------------------------------- exports


def exports_for_user(user: User) -> QuerySet[Export]:
    """The person's own exports, newest first (nobody sees another person's exports)."""
    return Export.objects.filter(requested_by=user).select_related("party").order_by("-created_at", "-id")


def latest_export(user: User) -> Export | None:
    return exports_for_user(user).first()


# ---------------------------------------------------------------- election periods


def election_periods(period: Period) -> list[dict[str, Any]]:
    """Ordinary and extra elections whose election period overlaps `period`, with the part of
    the election period that lies inside it (`inside`). One query (extra elections)."""
    windows: list[dict[str, Any]] = []
    for year in range(period.start.year, period.end.year + 1):
        if not is_ordinary_election_year(year):
            continue
        day = ordinary_election_day(year)
        term_start = Term(year).start
        start, end = add_months(day, -ELECTION_LEAD_MONTHS), term_start - dt.timedelta(days=1)
        inside = period.clip(start, end)
        if inside:
            windows.append({"kind": "ordinary", "election_day": day, "start": start, "end": end,
                            "term_start": term_start, "inside": inside})
    extras = ExtraElection.objects.filter(election_date__gte=period.start,
                                          election_date__lte=add_months(period.end, ELECTION_LEAD_MONTHS))
    for extra in extras.order_by("election_date"):
        start, end = add_months(extra.election_date, -ELECTION_LEAD_MONTHS), extra.election_date
        inside = period.clip(start, end)
        if inside:
            windows.append({"kind": "extra", "election_day": extra.election_date, "start": start, "end": end,
                            "term_start": None, "inside": inside})
    windows.sort(key=lambda w: w["start"])
    return windows


# ---------------------------------------------------------------- the report's data


def followup_data(period: Period, *, party_id: int | None = None, today: dt.date | None = None,
                  policy: Policy | None = None) -> dict[str, Any]:
    """Every table of the follow-up report for `period`, for the whole municipality or (with
    `party_id`) for one party's members only. Raw cells: pass the result to
    `reports.tables.suppress` before showing anything."""
    today = today or timezone.localdate()
    policy = policy or Policy.current()
    party = Party.objects.filter(pk=party_id).first() if party_id else None
    windows = election_periods(period)
    pairs = _pairs(period, party_id)
    sections = [
        _reports_section(pairs, period, party_id, windows),
        _link_section(pairs),
        _cases_section(period, party_id),
        _measures_section(period, party_id, policy),
        _training_section(period, party_id, today, policy),
    ]
    if party_id is None:
        sections.append(_surveys_section(period, today))
    sections.append(_elections_section(pairs, period, windows))
    return {
        "period": period,
        "party": {"id": party.pk, "name": party.name, "abbreviation": party.abbreviation} if party else None,
        "municipality": policy.municipality_name,
        "unit": policy.unit_name,
        "reference_date": min(period.end, today),
        "elections": windows,
        "summary": _summary(),
        "sections": sections,
    }


# ---------------------------------------------------------------- incident reports


def _happened(period: Period, prefix: str = "") -> Q:
    """The report happened in the period: its time, or (without one) the start of its period."""
    return (Q(**{f"{prefix}occurred_at__gte": period.start_at(), f"{prefix}occurred_at__lt": period.end_before()})
            | Q(**{f"{prefix}occurred_at__isnull": True, f"{prefix}period_start__gte": period.start,
                   f"{prefix}period_start__lte": period.end}))


def _pairs(period: Period, party_id: int | None) -> QuerySet[Any]:
    """(report, affected official) pairs of the period's reports, in scope."""
    qs = ReportOfficial.objects.filter(_happened(period, "report__"))
    if party_id:
        qs = qs.filter(official__party_id=party_id)
    return qs.order_by()


def _counts(qs: QuerySet[Any], field: str) -> dict[Any, tuple[int, int]]:
    """{group: (reports, people)} for the pairs grouped by `field`."""
    return {r[field]: (r["reports"], r["people"]) for r in qs.values(field).annotate(
        reports=Count("report", distinct=True), people=Count("official", distinct=True)).order_by()}


def _total(qs: QuerySet[Any]) -> tuple[int, int]:
    found = qs.aggregate(reports=Count("report", distinct=True), people=Count("official", distinct=True))
    return found["reports"] or 0, found["people"] or 0


def _report_columns() -> list[dict[str, Any]]:
    return [T.column("reports", _("Reports")), T.column("officials", _("Officials affected"))]


def _report_row(key: str, label: str, found: tuple[int, int], marks: list[str] | None = None,
                extra: dict[str, Any] | None = None) -> dict[str, Any]:
    reports, people = found
    cells = {"reports": T.count(reports, people=people), "officials": T.count(people)}
    return T.row(key, label, {**cells, **(extra or {})}, marks=marks)


def _report_table(table_id: str, title: str, dimension: str, groups: Iterable[tuple[object, object]], found: dict[Any, tuple[int, int]],
                  total: tuple[int, int], *, note: str = "", chart: str | None = "bar") -> dict[str, Any]:
    rows = [_report_row(str(key), str(label), found.get(key, (0, 0))) for key, label in groups]
    return T.table(table_id, title, dimension, _report_columns(), rows,
                   total=T.same(_report_row("total", _("All reports"), total), "all_reports", ("reports", "officials")), note=note,
                   chart={"type": chart, "column": "reports"} if chart else None)


def _month_label(year: int, month: int, several_years: bool) -> str:
    day = dt.date(year, month, 1)
    return format_month(day) if several_years else dateformat.format(day, "F").capitalize()


def _reports_section(pairs: QuerySet[Any], period: Period, party_id: int | None, windows: list[dict[str, Any]]) -> dict[str, Any]:
    total = _total(pairs)
    by_kind = _counts(pairs, "report__kinds__kind")
    by_channel = _counts(pairs, "report__channel")
    months = {(r["y"], r["m"]): (r["reports"], r["people"]) for r in pairs.annotate(
        y=Coalesce(ExtractYear("report__occurred_at"), ExtractYear("report__period_start")),
        m=Coalesce(ExtractMonth("report__occurred_at"), ExtractMonth("report__period_start")),
    ).values("y", "m").annotate(reports=Count("report", distinct=True), people=Count("official", distinct=True))
        .order_by()}
    by_party = _counts(pairs, "official__party_id")
    parties = Party.objects.filter(pk=party_id) if party_id else Party.objects.all()
    party_groups: list[tuple[int | None, str]] = [(p.pk, p.name) for p in parties.order_by("name")]
    if not party_id:
        party_groups.append((None, _("No party")))

    overlapping = (Q(official__assignments__start__lte=period.end)
                   & (Q(official__assignments__end__isnull=True) | Q(official__assignments__end__gte=period.start)))
    by_role = _counts(pairs.filter(overlapping), "official__assignments__role")
    no_assignment = _total(pairs.exclude(official__in=Assignment.objects.filter(
        start__lte=period.end).filter(Q(end__isnull=True) | Q(end__gte=period.start)).values("official_id")))
    by_role["none"] = no_assignment

    by_gender = _counts(pairs, "official__gender")
    ref_year = period.end.year
    band = CaseWhen(
        When(official__birth_year__isnull=True, then=Value("unknown")),
        When(official__birth_year__gte=ref_year - 29, then=Value("u29")),
        When(official__birth_year__gte=ref_year - 39, then=Value("30_39")),
        When(official__birth_year__gte=ref_year - 49, then=Value("40_49")),
        When(official__birth_year__gte=ref_year - 59, then=Value("50_59")),
        When(official__birth_year__gte=ref_year - 69, then=Value("60_69")),
        default=Value("70plus"), output_field=CharField())
    by_age = _counts(pairs.annotate(band=band), "band")

    several_years = period.start.year != period.end.year
    month_rows = []
    for year, month in period.months():
        during, events = _month_marks(year, month, windows)
        marks = [_("Election period")] * during + [label for label, _at in events]
        line = _report_row(f"{year}-{month:02d}", _month_label(year, month, several_years),
                           months.get((year, month), (0, 0)), marks=marks,
                           extra={"calendar": T.text(" · ".join(marks))} if windows else None)
        short = dateformat.format(dt.date(year, month, 1), "b")
        line["chart"] = {"short": f"{short} {year % 100:02d}" if several_years and month == 1 else short,
                         "election_period": during, "events": events}
        month_rows.append(line)
    month_columns = _report_columns()
    note = _("By the month the incident happened (or, for a threat over a period, the month it began).")
    if windows:
        month_columns.append(T.column("calendar", _("Election calendar"), T.TEXT))
        note += " " + _("Shaded in the chart: election periods.")
    month_table = T.table(
        "reports_by_month", _("Reports by month"), _("Month"), month_columns, month_rows,
        total=T.same(_report_row("total", _("All reports"), total, extra={"calendar": T.text("")} if windows else None),
                     "all_reports", ("reports", "officials")),
        note=note, chart={"type": "month", "column": "reports"})

    genders = [*Official.Gender.choices, ("", _("Not stated"))]
    age_labels = {"u29": _("29 or younger"), "30_39": _("30–39"), "40_49": _("40–49"), "50_59": _("50–59"),
                  "60_69": _("60–69"), "70plus": _("70 or older"), "unknown": _("Not stated")}
    role_groups = [*Assignment.Role.choices, ("none", _("No assignment in the period"))]
    several = _("A report about several officials counts once in each of their groups, so the rows may add up "
                "to more than the total.")
    return {
        "id": "reports",
        "title": _("Incident reports"),
        "intro": _("Incidents reported to the municipality that happened in the period, by kind, channel, month "
                   "and the affected officials' party, assignment, gender and age."),
        "tables": [
            _report_table("reports_by_kind", _("Reports by kind"), _("Kind"), Kind.choices, by_kind, total,
                          note=_("A report may be of several kinds and then counts under each.")),
            _report_table("reports_by_channel", _("Reports by channel"), _("Channel"), Channel.choices,
                          by_channel, total),
            month_table,
            _report_table("reports_by_party", _("Reports by party"), _("Party"), party_groups, by_party, total,
                          note=several if not party_id else _("Only the party's own members.")),
            _report_table("reports_by_role", _("Reports by assignment"), _("Assignment"), role_groups, by_role,
                          total, note=_("By the assignments the officials held during the period; an official "
                                        "with several assignments counts under each.")),
            _report_table("reports_by_gender", _("Reports by gender"), _("Gender"), genders, by_gender, total,
                          note=several),
            _report_table("reports_by_age", _("Reports by age"), _("Age band"),
                          [(k, age_labels[k]) for k in AGE_BANDS], by_age, total,
                          note=_("Age reached in %(year)s.") % {"year": ref_year} + " " + several),
        ],
    }


def _month_marks(year: int, month: int, windows: list[dict[str, Any]]) -> tuple[bool, list[tuple[str, float]]]:
    """Whether the month is part of an election period, and the election events in it with how far
    into the month they fall (0–1, for the chart)."""
    first = dt.date(year, month, 1)
    last = add_months(first, 1) - dt.timedelta(days=1)
    during, events = False, []

    def at(day: dt.date) -> float:
        return (day.day - 0.5) / last.day

    for w in windows:
        during = during or (w["start"] <= last and w["end"] >= first)
        if first <= w["election_day"] <= last:
            label = _("Election day %(date)s") if w["kind"] == "ordinary" else _("Extra election %(date)s")
            events.append((label % {"date": format_day_month(w["election_day"])}, at(w["election_day"])))
        if w["term_start"] and first <= w["term_start"] <= last:
            events.append((_("New term %(date)s") % {"date": format_day_month(w["term_start"])},
                           at(w["term_start"])))
    return during, events


# ---------------------------------------------------------------- link to the assignment, police


def _link_section(pairs: QuerySet[Any]) -> dict[str, Any]:
    total = _total(pairs)
    linked = CaseWhen(
        When(report__case__link_assessment__outcome=LinkAssessment.Outcome.LINKED, then=Value("linked")),
        When(report__case__link_assessment__outcome=LinkAssessment.Outcome.NOT_LINKED, then=Value("not_linked")),
        When(report__linked_to_assignment=YesNoUnsure.YES, then=Value("linked")),
        When(report__linked_to_assignment=YesNoUnsure.NO, then=Value("not_linked")),
        default=Value("unsure"), output_field=CharField())
    by_link = _counts(pairs.annotate(linked=linked), "linked")
    by_police = {str(bool(k)).lower(): v for k, v in _counts(pairs, "report__police_reported").items()}

    def share_table(table_id: str, title: str, dimension: str, groups: list[tuple[str, str]],
                    found: dict[Any, tuple[int, int]], note: str) -> dict[str, Any]:
        def extra(n_people: tuple[int, int]) -> dict[str, Any]:
            reports, people = n_people
            return {"share": T.percent(reports, total[0], people=people, of=["reports"])}
        columns = [T.column("reports", _("Reports")), T.column("share", _("Share of all reports"), T.PERCENT),
                   T.column("officials", _("Officials affected"))]
        rows = [_report_row(key, label, found.get(key, (0, 0)), extra=extra(found.get(key, (0, 0))))
                for key, label in groups]
        return T.table(table_id, title, dimension, columns, rows,
                       total=T.same(_report_row("total", _("All reports"), total, extra=extra(total)), "all_reports",
                                    ("reports", "officials")), note=note,
                       chart={"type": "bar", "column": "share"})

    return {
        "id": "link",
        "title": _("Link to the assignment and police reports"),
        "intro": _("Whether the incidents were linked to the assignment, and how many were reported to the "
                   "police."),
        "tables": [
            share_table("reports_linked", _("Linked to the assignment"), _("Link"),
                        [("linked", _("Linked to the assignment")), ("not_linked", _("Not linked")),
                         ("unsure", _("Unsure or not yet decided"))], by_link,
                        _("Where the municipality and the party have decided jointly in the case, that decision "
                          "counts; otherwise the view given in the report.")),
            share_table("reports_police", _("Reported to the police"), _("Police report"),
                        [("true", _("Reported to the police")), ("false", _("Not reported"))], by_police, ""),
        ],
    }


# ---------------------------------------------------------------- cases


def _cases_section(period: Period, party_id: int | None) -> dict[str, Any]:
    cases = Case.objects.all()
    if party_id:
        cases = cases.filter(official__party_id=party_id)
    start, end = period.start_at(), period.end_before()
    opened = Q(opened_at__gte=start, opened_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    open_at_end = Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    found = cases.order_by().aggregate(
        opened=Count("pk", filter=opened), opened_people=Count("official", distinct=True, filter=opened),
        closed=Count("pk", filter=closed), closed_people=Count("official", distinct=True, filter=closed),
        open=Count("pk", filter=open_at_end), open_people=Count("official", distinct=True, filter=open_at_end))
    by_status = {r["status"]: (r["n"], r["people"]) for r in cases.filter(opened).values("status").annotate(
        n=Count("pk"), people=Count("official", distinct=True)).order_by()}
    columns = [T.column("cases", _("Cases")), T.column("officials", _("Officials"))]

    def case_row(key: str, label: str | Promise, n: int, people: int) -> dict[str, Any]:
        return T.row(key, label, {"cases": T.count(n, people=people), "officials": T.count(people)})

    flow = T.table("cases_flow", _("Cases opened and closed"), _("Cases"), columns, [
        T.same(case_row("opened", _("Opened in the period"), found["opened"], found["opened_people"]), "cases_opened",
               ("cases", "officials")),
        case_row("closed", _("Closed in the period"), found["closed"], found["closed_people"]),
        case_row("open", _("Open at the end of the period"), found["open"], found["open_people"]),
    ], chart={"type": "bar", "column": "cases"})
    status_rows = [case_row(key, label, *by_status.get(key, (0, 0))) for key, label in CaseStatus.choices]
    statuses = T.table("cases_by_status", _("Cases opened in the period by status today"), _("Status"), columns,
                       status_rows, total=T.same(case_row("total", _("All cases opened"), found["opened"],
                                                          found["opened_people"]), "cases_opened", ("cases", "officials")))
    return {"id": "cases", "title": _("Cases"),
            "intro": _("Cases the security unit opened and closed in the period, and those still open at its end."),
            "tables": [flow, statuses]}


# ---------------------------------------------------------------- measures and costs


def period_budget(period: Period, yearly: int) -> int:
    """The yearly budget for the period, pro rata by days for part of a year."""
    total = 0.0
    for year in range(period.start.year, period.end.year + 1):
        part = period.clip(dt.date(year, 1, 1), dt.date(year, 12, 31))
        days_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
        total += yearly * part.days / days_in_year if part else 0
    return round(total)


def _measures_section(period: Period, party_id: int | None, policy: Policy) -> dict[str, Any]:
    S = MeasureStatus
    measures = Measure.objects.all()
    costs = MeasureCost.objects.filter(booked_on__gte=period.start, booked_on__lte=period.end)
    if party_id:
        measures = measures.filter(case__official__party_id=party_id)
        costs = costs.filter(measure__case__official__party_id=party_id)
    start, end = period.start_at(), period.end_before()
    proposed = Q(proposed_at__gte=start, proposed_at__lt=end)
    decided = Q(decided_at__gte=start, decided_at__lt=end)
    approved = decided & Q(status__in=[*ACTIVE_STATUSES, S.ENDED])
    rejected = decided & Q(status=S.REJECTED)
    committed = Q(decided & Q(status__in=list(ACTIVE_STATUSES)),
                  ~Exists(MeasureCost.objects.filter(measure=OuterRef("pk"))))
    person = "case__official"
    aggregates = {
        "proposed": Count("pk", filter=proposed), "proposed_people": Count(person, distinct=True, filter=proposed),
        "approved": Count("pk", filter=approved), "approved_people": Count(person, distinct=True, filter=approved),
        "rejected": Count("pk", filter=rejected), "rejected_people": Count(person, distinct=True, filter=rejected),
        "committed": Sum("estimated_cost_sek", filter=committed),
    }
    in_period = measures.filter(proposed | decided).order_by()
    by_type = {r["measure_type"]: r for r in in_period.values("measure_type").annotate(**aggregates)}
    totals = in_period.aggregate(**aggregates)
    # Money is not a head count: costs are shown whatever the number of people (core.disclosure).
    spent_by_type = {r["measure__measure_type"]: r["spent"] for r in costs.order_by().values(
        "measure__measure_type").annotate(spent=Sum("amount_sek"))}
    spent_total = costs.order_by().aggregate(spent=Sum("amount_sek"))
    by_status = {r["status"]: (r["n"], r["people"]) for r in measures.filter(proposed).values("status").annotate(
        n=Count("pk"), people=Count(person, distinct=True)).order_by()}
    types = MeasureType.objects.in_bulk(set(by_type) | set(spent_by_type))

    columns = [T.column("proposed", _("Proposed")), T.column("approved", _("Approved")),
               T.column("rejected", _("Rejected")), T.column("committed", _("Committed"), T.SEK),
               T.column("spent", _("Spent"), T.SEK)]

    def type_row(key: str, label: str, found: Mapping[str, Any] | None, spent: int | None) -> dict[str, Any]:
        found = found or {}
        return T.row(key, label, {
            "proposed": T.count(found.get("proposed") or 0, people=found.get("proposed_people") or 0,
                                id="measures_proposed" if key == "total" else None),
            "approved": T.count(found.get("approved") or 0, people=found.get("approved_people") or 0),
            "rejected": T.count(found.get("rejected") or 0, people=found.get("rejected_people") or 0),
            "committed": T.sek(found.get("committed")),
            "spent": T.sek(spent),
        })

    ordered = sorted(types.values(), key=lambda t: (t.position, t.code))
    type_rows = [type_row(str(t.pk), t.name, by_type.get(t.pk), spent_by_type.get(t.pk)) for t in ordered]
    by_type_table = T.table(
        "measures_by_type", _("Measures by type"), _("Measure"), columns, type_rows,
        total=type_row("total", _("All measures"), totals, spent_total["spent"]),
        note=_("Proposed: in the period. Approved and rejected: decided in the period. Committed: the estimated "
               "cost of measures approved in the period that are not over and have no cost booked yet. Spent: "
               "the actual costs booked in the period."),
        chart={"type": "bar", "column": "approved"})
    status_columns = [T.column("measures", _("Measures")), T.column("officials", _("Officials"))]
    status_rows = [T.row(key, label, {"measures": T.count(n, people=p), "officials": T.count(p)})
                   for key, label in S.choices for n, p in [by_status.get(key, (0, 0))]]
    status_table = T.table(
        "measures_by_status", _("Measures proposed in the period by status today"), _("Status"), status_columns,
        status_rows, total=T.row("total", _("All measures proposed"), {
            "measures": T.count(totals["proposed"] or 0, people=totals["proposed_people"] or 0,
                                id="measures_proposed"),
            "officials": T.count(totals["proposed_people"] or 0)}))

    budget = period_budget(period, int(policy.budget_measures_sek or 0))
    committed_sek, spent_sek = int(totals["committed"] or 0), int(spent_total["spent"] or 0)
    budget_cells = {
        "budget": T.sek(budget),
        "committed": T.sek(committed_sek),
        "spent": T.sek(spent_sek),
    }
    budget_columns = [T.column("budget", _("Budget"), T.SEK), T.column("committed", _("Committed"), T.SEK),
                      T.column("spent", _("Spent"), T.SEK)]
    if party_id:
        budget_cells["used"] = T.percent(committed_sek + spent_sek, budget, of=["committed", "spent"])
        budget_columns.append(T.column("used", _("Share of the municipality's budget"), T.PERCENT))
        budget_label = _("Measures for the party's members")
    else:
        budget_cells["remaining"] = T.sek(budget - committed_sek - spent_sek, of=["committed", "spent"])
        budget_cells["used"] = T.percent(committed_sek + spent_sek, budget, of=["committed", "spent"])
        budget_columns += [T.column("remaining", _("Remaining"), T.SEK), T.column("used", _("Used"), T.PERCENT)]
        budget_label = _("Measures")
    prorated = "" if period.is_calendar_year or period.days % 365 == 0 else _(
        " The yearly budget is counted pro rata for the days of the period.")
    budget_table = T.table(
        "measures_budget", _("Costs against the budget"), _("Budget"), budget_columns,
        [T.row("measures", budget_label, budget_cells)],
        note=_("The budget for measures is %(yearly)s SEK a year and for training %(training)s SEK a year "
               "(the policy).") % {"yearly": T.display(int(policy.budget_measures_sek or 0), T.COUNT),
                                   "training": T.display(int(policy.budget_training_sek or 0), T.COUNT)} + prorated)
    return {"id": "measures", "title": _("Protective and support measures"),
            "intro": _("Measures proposed and decided in the period by type and status, and their costs against "
                       "the budget."),
            "tables": [by_type_table, status_table, budget_table]}


# ---------------------------------------------------------------- training and security conversations


def _training_section(period: Period, party_id: int | None, today: dt.date, policy: Policy) -> dict[str, Any]:
    from training.selectors import required_offers

    on = min(period.end, today)
    term = term_for(on)
    required = [o.pk for o in required_offers(term, on)]

    def scoped(qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        return qs.filter(**{f"{prefix}party_id": party_id}) if party_id else qs

    covered = scoped(Official.objects.covered(on)).order_by()
    active = scoped(Official.objects.filter(id__in=Assignment.objects.current(on).values("official_id"))).order_by()
    covered_n = covered.count()
    covered_done = (covered.annotate(done=Count("training_completions", distinct=True,
                                                 filter=Q(training_completions__offer__in=required)))
                    .filter(done__gte=len(required)).count()) if required else None
    active_n = active.count()
    active_done = active.filter(id__in=Completion.objects.filter(offer__term=term.year).values("official_id")).count()

    columns = [T.column("officials", _("Officials")), T.column("trained", _("Trained")),
               T.column("share", _("Share trained"), T.PERCENT)]

    def coverage_row(key: str, label: str | Promise, n: int, done: int | None) -> dict[str, Any]:
        # the covered officials are one figure here and beside the security conversations
        officials = T.count(n, id="covered_officials" if key == "covered" else None)
        if done is None:
            return T.row(key, label, {"officials": officials, "trained": T.cell(None), "share": T.cell(None)})
        return T.row(key, label, {
            "officials": officials, "trained": T.count(done, also=[n - done]),
            "share": T.percent(done, n, people=done, also=[n - done], of=["trained"])})

    coverage = T.table(
        "training_coverage", _("Training coverage"), _("Group"), columns, [
            coverage_row("covered", _("Covered officials (KL 4:18a)"), covered_n, covered_done),
            coverage_row("all", _("All active officials"), active_n, active_done),
        ],
        note=_("Trained: covered officials who have done all the training required in the term so far; other "
               "officials who have done at least one training in the term. On %(date)s, in the term %(term)s.")
        % {"date": format_date(on), "term": term.label}
        + ("" if required else " " + _("No required training had been offered in the term by then.")),
        chart={"type": "bar", "column": "share"})

    completions = Completion.objects.filter(completed_on__gte=period.start, completed_on__lte=period.end)
    completions = scoped(completions, "official__").order_by()
    by_kind = {r["offer__course__kind"]: (r["n"], r["people"]) for r in completions.values(
        "offer__course__kind").annotate(n=Count("pk"), people=Count("official", distinct=True))}
    done_total = completions.aggregate(n=Count("pk"), people=Count("official", distinct=True))
    done_columns = [T.column("completions", _("Completed")), T.column("officials", _("Officials"))]
    done_rows = [T.row(k, label, {"completions": T.count(n, people=p), "officials": T.count(p)})
                 for k, label in Course.Kind.choices for n, p in [by_kind.get(k, (0, 0))]]
    attended = scoped(Enrolment.objects.filter(status=Enrolment.Status.ATTENDED, session__starts_at__gte=period.start_at(),
                                               session__starts_at__lt=period.end_before()), "official__").order_by()
    attendance = attended.aggregate(n=Count("pk"), people=Count("official", distinct=True))
    done_table = T.table(
        "training_completed", _("Training completed in the period"), _("Training"), done_columns, done_rows,
        total=T.row("total", _("All training"), {"completions": T.count(done_total["n"], people=done_total["people"]),
                                                 "officials": T.count(done_total["people"])}),
        note=_("Attended sessions, finished web courses and training the security unit recorded."))

    session_rows = [T.row("attendances", _("Attendances at sessions held"), {
        "n": T.count(attendance["n"], people=attendance["people"])})]
    if not party_id:
        sessions_held = Session.objects.filter(status=Session.Status.HELD, starts_at__gte=period.start_at(),
                                               starts_at__lt=period.end_before()).count()
        session_rows.insert(0, T.row("sessions", _("Sessions held"), {"n": T.cell(sessions_held)}))
    sessions = T.table("training_sessions", _("Sessions and attendance"), _("Sessions"),
                       [T.column("n", _("Count"))], session_rows)

    held = SecurityConversation.objects.filter(status=SecurityConversation.Status.HELD,
                                               held_on__gte=period.start, held_on__lte=period.end)
    held = scoped(held, "official__").order_by()
    by_reason = {r["reason"]: (r["n"], r["people"]) for r in held.values("reason").annotate(
        n=Count("pk"), people=Count("official", distinct=True))}
    held_total = held.aggregate(n=Count("pk"), people=Count("official", distinct=True))
    conv_columns = [T.column("conversations", _("Conversations")), T.column("officials", _("Officials"))]
    conversations = T.table(
        "conversations", _("Security conversations held"), _("Reason"), conv_columns,
        [T.row(k, label, {"conversations": T.count(n, people=p), "officials": T.count(p)})
         for k, label in SecurityConversation.Reason.choices for n, p in [by_reason.get(k, (0, 0))]],
        total=T.row("total", _("All conversations"), {
            "conversations": T.count(held_total["n"], people=held_total["people"]),
            "officials": T.count(held_total["people"])}),
        note=_("Policy: %(scope)s.") % {"scope": Policy.ConversationScope(policy.yearly_conversations).label})
    covered_talked = covered.filter(id__in=held.values("official_id")).count()
    talked = T.table(
        "conversations_covered", _("Covered officials with a security conversation in the period"), _("Group"),
        [T.column("officials", _("Officials")), T.column("talked", _("With a conversation")),
         T.column("share", _("Share"), T.PERCENT)],
        [T.row("covered", _("Covered officials (KL 4:18a)"), {
            "officials": T.count(covered_n, id="covered_officials"),
            "talked": T.count(covered_talked, also=[covered_n - covered_talked]),
            "share": T.percent(covered_talked, covered_n, people=covered_talked, also=[covered_n - covered_talked],
                               of=["talked"])})])
    return {"id": "training", "title": _("Training and security conversations"),
            "intro": _("How many officials have the training they need (KL 4 kap. 18 a §), training completed and "
                       "security conversations held in the period."),
            "tables": [coverage, done_table, sessions, conversations, talked]}


# ---------------------------------------------------------------- surveys


def _responses(column: ComparisonColumn) -> str:
    """"Survey 2025 12/20": the responses (protected) of the invited."""
    if column.responses.shown:
        return f"{column.label} {column.responses.display}/{column.invited}"
    return f"{column.label} {column.responses.display}"


def _surveys_section(period: Period, today: dt.date) -> dict[str, Any]:
    from surveys.models import Round, SurveyType
    from surveys.selectors import round_results

    tables = []
    notes = []
    for survey_type, survey_label in SurveyType.choices:
        latest = (Round.objects.filter(survey_type=survey_type, opens_on__lte=period.end)
                  .filter(Q(closed_early=True) | Q(closes_on__lt=today)).order_by("-opens_on", "-id").first())
        if latest is None:
            notes.append(_("%(survey)s: no round had closed by the end of the period.") % {"survey": survey_label})
            continue
        results = round_results(latest, today)
        comparison = results.comparison
        if comparison is None:
            continue
        # The rounds' own protected figures, exactly as their results pages show them.
        shown = list(range(max(0, len(comparison.columns) - 2), len(comparison.columns)))
        columns = [T.column(f"r{comparison.columns[i].round_id}", comparison.columns[i].label, T.PERCENT)
                   for i in shown]
        rows = [T.row(f"q{index}", line.label, {f"r{comparison.columns[i].round_id}": T.settled(line.cells[i])
                                                for i in shown})
                for index, line in enumerate(comparison.rows)]
        note = _("Responses: %(rounds)s.") % {"rounds": "; ".join(_responses(comparison.columns[i]) for i in shown)}
        if results.national_match is not None:
            note += " " + _("Nationally (Brå, PTU %(year)s): %(percent)s exposed.") % {
                "year": results.national_match.year,
                "percent": T.display(float(results.national_match.percent), T.PERCENT)}
        if len(shown) == 1:
            note += " " + _("There is no earlier round to compare with.")
        tables.append(T.table(f"survey_{survey_type}", _("%(survey)s %(year)s beside the previous round") % {
            "survey": survey_label, "year": latest.opens_on.year}, _("Question"), columns, rows, note=note))
    return {"id": "surveys", "title": _("Surveys"),
            "intro": " ".join([_("The latest survey round closed by the end of the period beside the round before "
                                 "it. Answers are anonymous; shares are of those who answered the question."),
                               *notes]),
            "tables": tables}


# ---------------------------------------------------------------- elections


def _elections_section(pairs: QuerySet[Any], period: Period, windows: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for w in windows:
        key = f"{w['kind']}-{w['election_day']:%Y%m%d}"
        if w["kind"] == "ordinary":
            rows.append(T.row(key, _("Ordinary election"), {"date": T.text(format_date(w["election_day"]))}))
        else:
            rows.append(T.row(key, _("Extra election"), {"date": T.text(format_date(w["election_day"]))}))
        rows.append(T.row(f"{key}-period", _("Election period"), {"date": T.text(
            f"{format_date(w['start'])} – {format_date(w['end'])}")}))
        if w["term_start"]:
            rows.append(T.row(f"{key}-term", _("The new term starts"),
                              {"date": T.text(format_date(w["term_start"]))}))
    calendar_table = T.table("election_calendar", _("Election calendar"), _("Event"),
                             [T.column("date", _("Date"), T.TEXT)], rows,
                             note=_("Election period: the three months before election day and, after an ordinary "
                                    "election, until the new term starts on 15 October."))
    tables = [calendar_table]
    inside = [w["inside"] for w in windows]
    if inside:
        in_window = Q()
        for part in inside:
            in_window |= _happened(part, "report__")
        flagged = pairs.annotate(during=CaseWhen(When(in_window, then=Value(1)), default=Value(0),
                                                 output_field=IntegerField()))
        found = _counts(flagged, "during")
        election_days = sum(part.days for part in inside)
        other_days = period.days - election_days

        def window_row(key: str, label: str | Promise, group: tuple[int, int], days: int) -> dict[str, Any]:
            reports, people = group
            return T.row(key, label, {
                "reports": T.count(reports, people=people), "officials": T.count(people),
                "days": T.cell(days),
                "per30": T.rate(30 * reports / days if days else None, people=people, of=["reports"])})

        columns = [*_report_columns(), T.column("days", _("Days")), T.column("per30", _("Reports per 30 days"),
                                                                           T.RATE)]
        window_rows = [window_row("during", _("During election periods"), found.get(1, (0, 0)), election_days)]
        if other_days:
            window_rows.append(window_row("other", _("Rest of the period"), found.get(0, (0, 0)), other_days))
        tables.append(T.table("reports_election", _("Reports during election periods"), _("Time"), columns,
                              window_rows, total=T.same(window_row("total", _("All reports"), _total(pairs), period.days),
                                                        "all_reports", ("reports", "officials"))))
    return {"id": "elections", "title": _("Election periods"),
            "intro": (_("Elections in or next to the period, and incidents during the election periods.") if windows
                      else _("No election period falls in the period.")),
            "tables": tables if windows else []}


# ---------------------------------------------------------------- key figures


def _summary() -> dict[str, Any]:
    def line(key: str, label: str | Promise, table_id: str, row_key: str, column_key: str) -> dict[str, Any]:
        return T.row(key, label, {"value": T.ref(table_id, row_key, column_key)})

    return T.table("summary", _("Key figures"), _("Key figure"), [T.column("value", pgettext("figure", "Value"))], [
        line("reports", _("Incident reports"), "reports_by_kind", "total", "reports"),
        line("officials", _("Officials affected"), "reports_by_kind", "total", "officials"),
        line("linked", _("Share linked to the assignment"), "reports_linked", "linked", "share"),
        line("police", _("Share reported to the police"), "reports_police", "true", "share"),
        line("opened", _("Cases opened"), "cases_flow", "opened", "cases"),
        line("closed", _("Cases closed"), "cases_flow", "closed", "cases"),
        line("open", _("Cases open at the end of the period"), "cases_flow", "open", "cases"),
        line("approved", _("Measures approved"), "measures_by_type", "total", "approved"),
        line("committed", _("Committed to measures"), "measures_by_type", "total", "committed"),
        line("spent", _("Spent on measures"), "measures_by_type", "total", "spent"),
        line("trained", _("Covered officials with all required training"), "training_coverage", "covered", "share"),
        line("conversations", _("Security conversations held"), "conversations", "total", "conversations"),
    ])
