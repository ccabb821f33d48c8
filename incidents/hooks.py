"""Extension points for the apps built on cases (measures and assessments, risk analyses,
alarm events). Each app registers its providers in its `AppConfig.ready()`:

    from incidents import hooks
    hooks.register_timeline_source(hooks.TimelineSource("measure", step_rows, step_item))
    hooks.register_case_scope(Role.APPROVER, lambda user: Q(measures__status="proposed"))
    hooks.register_official_section_provider(decided_measures_for_official)
    hooks.register_case_panel(render_assessment_panel)
    hooks.register_triage_provider(escalated_risk_analyses)
    hooks.register_case_page_query(with_the_panels_lists)   # what a case panel reads, fetched with the case

Every provider must return only what the given user may see, and should use a constant number
of queries (the pages that call them are guarded by query budgets).

The case's timeline is one query: each source gives the rows of its entries that the user may see
as a `values()` queryset of the same columns (`timeline_values`), the case page reads them all as
one UNION ALL (`incidents.selectors.case_timeline`), and the source turns each of its rows into a
`TimelineItem`. A case panel reads what it shows from the case, fetched with it by the function it
registered with `register_case_page_query` (a `select_related`, a `Prefetch`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Expression,
    F,
    Field,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Trim


@dataclass(frozen=True)
class TimelineItem:
    """One entry on a case's timeline."""

    at: datetime
    kind: str  # report, note, status, contact, decision, document, support, police, assessment, measure, …
    title: str
    body: str = ""
    actor: str = ""
    url: str | None = None
    confidential: bool = False


@dataclass(frozen=True)
class TimelineRow:
    """A source's row of the timeline query (`timeline_values`): what its `TimelineItem` is made of."""

    at: datetime
    kind: str
    id: int  # the row's own primary key
    ref: int | None  # a row it belongs to (the measure of a step, the analysis of an answer)
    code: str  # a code or a name for the title (a status, a kind, a file name…)
    code2: str  # a second one
    day: date | None
    body: str
    actor: str  # the name of who did it, as User.display_name gives it; "" for no one
    confidential: bool  # security-unit-only

    @classmethod
    def of(cls, values: dict[str, Any]) -> TimelineRow:
        return cls(**{name: values[column] for name, column in _FIELDS.items()})


# The columns of the timeline query, each as a TimelineRow field: name in the query → its type.
_COLUMNS: dict[str, type[Field[Any, Any]]] = {
    "tl_at": DateTimeField, "tl_kind": CharField, "tl_id": IntegerField, "tl_ref": IntegerField,
    "tl_code": CharField, "tl_code2": CharField, "tl_day": DateField, "tl_body": TextField,
    "tl_actor": CharField, "tl_confidential": BooleanField,
}
_FIELDS = {column.removeprefix("tl_"): column for column in _COLUMNS}
_EMPTY: dict[str, Any] = {"tl_ref": None, "tl_code": "", "tl_code2": "", "tl_day": None, "tl_body": "",
                          "tl_actor": "", "tl_confidential": False}

Column = str | Expression | F


def actor_name(user: str) -> Expression:
    """The name of the user at the path `user` (a foreign key, possibly empty) as `User.display_name`
    gives it — the full name, else the username — or "" for no one."""
    full_name = Trim(Concat(f"{user}__first_name", Value(" "), f"{user}__last_name", output_field=CharField()))
    return Coalesce(NullIf(full_name, Value("")), f"{user}__username", Value(""), output_field=CharField())


def timeline_values(rows: QuerySet[Any], kind: str, *, at: Column, ref: Column | None = None,
                    code: Column | None = None, code2: Column | None = None, day: Column | None = None,
                    body: Column | None = None, actor: str | None = None,
                    confidential: Column | None = None) -> QuerySet[Any, dict[str, Any]]:
    """`rows` as entries of the case timeline of this `kind`: each argument a field path or an
    expression (`actor` the path of a user), those left out empty. Every source's rows have the
    same columns of the same types, in the same order, so that they form one UNION ALL. A UNION's
    values are converted as its first part's columns are: no field that converts what it reads
    (an encrypted one, JSON) belongs in a column."""
    given: dict[str, Any] = {"tl_at": at, "tl_kind": Value(kind), "tl_id": "pk", "tl_ref": ref, "tl_code": code,
                             "tl_code2": code2, "tl_day": day, "tl_body": body,
                             "tl_actor": actor_name(actor) if actor else None, "tl_confidential": confidential}
    columns: dict[str, Any] = {}
    for column, field in _COLUMNS.items():
        value = given[column]
        if value is None:
            value = Value(_EMPTY[column])
        # A constant is typed (PostgreSQL will not match an untyped NULL with a date); a column keeps its own.
        columns[column] = (F(value) if isinstance(value, str)
                           else Cast(value, output_field=field()) if isinstance(value, Value) else value)
    return rows.order_by().values(**columns)


# rows(case_id, user) -> `timeline_values` of the case's entries of the source's kind that `user` may
# see, or None when they may see none
TimelineRows = Callable[[int, Any], "QuerySet[Any, dict[str, Any]] | None"]
# item(row, user) -> the entry
TimelineEntry = Callable[[TimelineRow, Any], TimelineItem]


@dataclass(frozen=True)
class TimelineSource:
    """One kind of entry on the case timeline: its rows and how each becomes an entry."""

    kind: str
    rows: TimelineRows
    item: TimelineEntry


@dataclass(frozen=True)
class TriageItem:
    """Something other than a report that waits for the security unit's triage (an escalated
    risk analysis, an alarm event without a case)."""

    at: datetime
    kind: str
    title: str
    url: str


@dataclass(frozen=True)
class OfficialSection:
    """A section on the official's own case view (e.g. decided measures)."""

    title: str
    lines: list[str]


# provider(user) -> Iterable[TriageItem]
TriageProvider = Callable[[Any], Iterable[TriageItem]]
# scope(user) -> Q on Case: extra cases a role may view
CaseScope = Callable[[Any], Q]
# provider(cases, user) -> {case_id: [OfficialSection, …]}
OfficialSectionProvider = Callable[[list, Any], dict[int, list[OfficialSection]]]
# panel(request, case, actions) -> SafeString from render_to_string (escaped by its template) or "" for nothing
CasePanel = Callable[[Any, Any, frozenset], str]
# query(cases, user) -> the queryset of cases extended with what the app's panel reads for this user (a
# `select_related`, a `Prefetch`, an annotation; named after the app), which the case page fetches with the case
CasePageQuery = Callable[[QuerySet[Any], Any], QuerySet[Any]]

_timeline: list[TimelineSource] = []
_triage: list[TriageProvider] = []
_case_scopes: dict[str, list[CaseScope]] = {}
_official_sections: list[OfficialSectionProvider] = []
_case_panels: list[CasePanel] = []
_case_page_queries: list[CasePageQuery] = []


def _add(registry: list[Any], fn: Any) -> None:
    if fn not in registry:
        registry.append(fn)


def register_timeline_source(source: TimelineSource) -> None:
    _add(_timeline, source)


def register_triage_provider(fn: TriageProvider) -> None:
    _add(_triage, fn)


def register_case_scope(role: str, fn: CaseScope) -> None:
    """Let holders of `role` view the cases the Q selects (e.g. the approver: cases with a
    measure waiting for their decision). View only; never confidential notes."""
    _add(_case_scopes.setdefault(str(role), []), fn)


def register_official_section_provider(fn: OfficialSectionProvider) -> None:
    _add(_official_sections, fn)


def register_case_panel(fn: CasePanel) -> None:
    _add(_case_panels, fn)


def register_case_page_query(fn: CasePageQuery) -> None:
    _add(_case_page_queries, fn)


def timeline_sources() -> list[TimelineSource]:
    return list(_timeline)


def triage_providers() -> list[TriageProvider]:
    return list(_triage)


def case_scopes(role: str) -> list[CaseScope]:
    return list(_case_scopes.get(str(role), []))


def official_section_providers() -> list[OfficialSectionProvider]:
    return list(_official_sections)


def case_panels() -> list[CasePanel]:
    return list(_case_panels)


def case_page_queries() -> list[CasePageQuery]:
    return list(_case_page_queries)
