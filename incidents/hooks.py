"""Extension points for the apps built on cases (measures and assessments, risk analyses,
alarm events). Each app registers its providers in its `AppConfig.ready()`:

    from incidents import hooks
    hooks.register_timeline_provider(measure_timeline_items)
    hooks.register_case_scope(Role.APPROVER, lambda user: Q(measures__status="proposed"))
    hooks.register_official_section_provider(decided_measures_for_official)
    hooks.register_case_panel(render_assessment_panel)
    hooks.register_triage_provider(escalated_risk_analyses)
    hooks.register_case_prefetches(measure_prefetches)   # fetched with the case on its page

Every provider must return only what the given user may see, and should use a constant number
of queries (the pages that call them are guarded by query budgets). A timeline provider or case
panel reads what it lists about the case through its own `Prefetch` objects: the case page fetches
them with the case (`register_case_prefetches`), and `incidents.selectors.prefetched` reads one
from the case — fetching it then when the case came without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, Q


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
    extra: dict[str, Any] = field(default_factory=dict)


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


# provider(case, user, *, confidential: bool) -> Iterable[TimelineItem]
TimelineProvider = Callable[..., Iterable[TimelineItem]]
# provider(user) -> Iterable[TriageItem]
TriageProvider = Callable[[Any], Iterable[TriageItem]]
# scope(user) -> Q on Case: extra cases a role may view
CaseScope = Callable[[Any], Q]
# provider(cases, user) -> {case_id: [OfficialSection, …]}
OfficialSectionProvider = Callable[[list, Any], dict[int, list[OfficialSection]]]
# panel(request, case, actions) -> SafeString from render_to_string (escaped by its template) or "" for nothing
CasePanel = Callable[[Any, Any, frozenset], str]
# prefetches(user) -> [Prefetch, …]: the lists a provider above reads about a case, for this user (their
# `to_attr`s named after the app), which the case page fetches with the case
CasePrefetches = Callable[[Any], list[Prefetch]]

_timeline: list[TimelineProvider] = []
_triage: list[TriageProvider] = []
_case_scopes: dict[str, list[CaseScope]] = {}
_official_sections: list[OfficialSectionProvider] = []
_case_panels: list[CasePanel] = []
_case_prefetches: list[CasePrefetches] = []


def _add(registry: list[Any], fn: Any) -> None:
    if fn not in registry:
        registry.append(fn)


def register_timeline_provider(fn: TimelineProvider) -> None:
    _add(_timeline, fn)


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


def register_case_prefetches(fn: CasePrefetches) -> None:
    _add(_case_prefetches, fn)


# The former name, until measures' and riskanalyses' apps.py call the one above.
register_case_sections = register_case_prefetches


def timeline_providers() -> list[TimelineProvider]:
    return list(_timeline)


def triage_providers() -> list[TriageProvider]:
    return list(_triage)


def case_scopes(role: str) -> list[CaseScope]:
    return list(_case_scopes.get(str(role), []))


def official_section_providers() -> list[OfficialSectionProvider]:
    return list(_official_sections)


def case_panels() -> list[CasePanel]:
    return list(_case_panels)


def case_prefetch_providers() -> list[CasePrefetches]:
    return list(_case_prefetches)
