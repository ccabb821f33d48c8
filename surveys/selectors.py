"""Reads of the surveys app, and the results of a round as plain data.

`round_results(round)` is everything the results page shows and what the follow-up report
(PDF, CSV) reuses: response rate, the share exposed by the PTU definition beside the national
figures, each item's distribution, breakdowns by gender, age band and assignment type, and the
comparison with earlier rounds. Every figure for fewer than `SUPPRESS_BELOW` respondents is
suppressed (shown as "<5"), and results are shown only once a round has closed, so that the
figures cannot be watched change answer by answer.

The figures come from each round's tally (`tally_sheets`): the counts per item, option and
group, made from its answers once, when the round is sealed after closing (its answers never
change after that), and stored on the round. The results page therefore reads a few small
rows, whatever the number of answers. A closed round not sealed yet is counted from its answers
(one query for all such rounds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Case, Count, Manager, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .item_bank import YES_OPTIONS
from .models import Answer, Invitation, Item, NationalFigure, Response, Round, SurveyType

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class RoundCounts(TypedDict):
    n_invited: int  # invitations
    n_answered: int  # invitations marked answered
    n_responses: int  # responses stored


class ResponseCount(TypedDict):
    n_responses: int


# A round annotated with its counts (`_compared_rounds`), or with its responses only.
CountedRound: TypeAlias = "WithAnnotations[Round, RoundCounts]"
RespondedRound: TypeAlias = "WithAnnotations[Round, ResponseCount]"

SUPPRESS_BELOW = 5
SUPPRESSED = "<5"
HIDDEN = ".."  # secondary suppression: a group of 5 or more hidden so that a smaller one cannot be derived
PTU_ITEMS = ("E1", "E2", "E3", "E4", "E5", "E6", "E7")
EXPOSURE_ITEMS = PTU_ITEMS + ("E8", "E9")
# Items whose "yes" is compared across rounds of the internal-control survey.
IC_YES = "yes"
COMPARE_ROUNDS = 6

Sheets = dict[object, dict[str, set[str]]]  # response → item code → chosen option codes
Tally = dict[str, Any]  # JSON-ready counts (`tally_sheets`)


def is_suppressed(n: int) -> bool:
    """A group of 1–4 respondents is never shown (0 reveals nobody)."""
    return 0 < n < SUPPRESS_BELOW


def display_count(n: int) -> str:
    return SUPPRESSED if is_suppressed(n) else str(n)


def format_percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value)} %"


@dataclass(frozen=True)
class Share:
    count: int
    base: int

    @property
    def share(self) -> float | None:
        return self.count / self.base if self.base else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def suppressed(self) -> bool:
        return self.base < SUPPRESS_BELOW

    @property
    def display(self) -> str:
        return SUPPRESSED if self.suppressed and self.base else format_percent(self.percent)


@dataclass
class OptionResult:
    code: str
    label: str
    count: int
    base: int

    @property
    def percent(self) -> float | None:
        return 100 * self.count / self.base if self.base else None

    @property
    def bar(self) -> str:
        """Bar length out of 100 for the inline SVG (locale-independent)."""
        return f"{self.percent or 0:.1f}"


@dataclass
class ItemResult:
    code: str
    text: str
    block: str
    block_label: str
    kind: str
    tag: str
    conditional: bool
    base: int
    options: list[OptionResult]
    mean: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.base < SUPPRESS_BELOW

    @property
    def display_base(self) -> str:
        return display_count(self.base)


@dataclass
class GroupResult:
    code: str
    label: str
    n: int
    exposure: Share
    suppressed: bool = False  # fewer than SUPPRESS_BELOW
    hidden: bool = False  # secondary suppression

    @property
    def display_n(self) -> str:
        return SUPPRESSED if self.suppressed else HIDDEN if self.hidden else str(self.n)

    @property
    def display_share(self) -> str:
        if self.suppressed or self.hidden:
            return self.display_n
        return self.exposure.display


@dataclass
class Breakdown:
    item_code: str
    title: str
    groups: list[GroupResult]


@dataclass
class NationalRow:
    year: int
    percent: Decimal
    note: str


@dataclass
class ComparisonColumn:
    round_id: int
    label: str
    year: int
    reference_year: int
    responses: int
    invited: int
    current: bool

    @property
    def suppressed(self) -> bool:
        return self.responses < SUPPRESS_BELOW


@dataclass
class ComparisonRow:
    label: str
    cells: list[Share | None]


@dataclass
class Comparison:
    columns: list[ComparisonColumn]
    rows: list[ComparisonRow]


@dataclass
class RoundResults:
    round: Round
    invited: int
    answered: int
    responses: int
    available: bool
    exposure: Share | None = None
    national: list[NationalRow] = field(default_factory=list)
    national_match: NationalRow | None = None
    items: list[ItemResult] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    comparison: Comparison | None = None

    @property
    def response_rate(self) -> Share:
        return Share(self.responses, self.invited)

    @property
    def suppressed(self) -> bool:
        """Too few responses for any figure but the response rate."""
        return self.responses < SUPPRESS_BELOW

    @property
    def is_safety(self) -> bool:
        return self.round.survey_type == SurveyType.SAFETY


# --- lists ----------------------------------------------------------------------------------


def rounds_list() -> QuerySet[Round]:
    """Every round with its invited and answered counts (one query)."""
    return Round.objects.annotate(
        invited_count=Count("invitations"),
        answered_count=Count("invitations", filter=Q(invitations__answered=True)),
    ).order_by("-opens_on", "survey_type", "-id")


def round_counts(round_: Round) -> tuple[int, int]:
    """(invited, answered) for a round."""
    counts = Invitation.objects.filter(round=round_).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered=True)))
    return counts["invited"], counts["answered"]


def nonrespondents(round_: Round) -> QuerySet[Invitation]:
    """The invited officials who have not answered, by name. Names only: the security unit may
    remind them; it can never see what anyone answered."""
    return (Invitation.objects.filter(round=round_, answered=False).select_related("official")
            .order_by("official__last_name", "official__first_name", "official_id"))


def own_invitations(user: User) -> QuerySet[Invitation]:
    """The invitations of the official linked to `user`, newest round first."""
    return (Invitation.objects.filter(official__user=user).select_related("round")
            .order_by("-round__opens_on", "-round_id"))


def open_invitations_for(user: User, today: date | None = None) -> list[Invitation]:
    today = today or timezone.localdate()
    return [i for i in own_invitations(user).filter(answered=False, round__opens_on__lte=today,
                                                     round__closes_on__gte=today, round__closed_early=False)]


# --- results --------------------------------------------------------------------------------


def _exposure(sheets: Sheets | Iterable[dict[str, set[str]]]) -> Share:
    """PTU: exposed = "yes" (once or several times) to any of E1–E7, among those who answered
    at least one of them."""
    base = exposed = 0
    for sheet in (sheets.values() if isinstance(sheets, dict) else sheets):
        answered = [sheet[c] for c in PTU_ITEMS if c in sheet]
        if not answered:
            continue
        base += 1
        exposed += any(set(YES_OPTIONS) & chosen for chosen in answered)
    return Share(exposed, base)


BREAKDOWNS = ("B2", "B3", "B1")  # gender, age band, assignment type
TALLY_VERSION = 1


def tally_sheets(sheets: Sheets, survey_type: str) -> Tally:
    """The counts a round's results are computed from, as JSON-ready data (no person, no sheet):

    * `items`: per item code, `base` (responses answering it), `options` (responses choosing
      each option code) and `yes` (responses choosing a "yes" of the survey: once or several
      times for the safety survey, "yes" for the internal-control one);
    * `exposure`: [exposed, base] by the PTU definition;
    * `groups`: per breakdown item and option code, [respondents, exposed, base].

    `round_tally` adds `responses`, the number of responses it was made from.
    """
    yes = set(YES_OPTIONS) if survey_type == SurveyType.SAFETY else {IC_YES}
    items: dict[str, dict[str, Any]] = {}
    groups: dict[str, dict[str, list[int]]] = {code: {} for code in BREAKDOWNS}
    for sheet in sheets.values():
        for code, chosen in sheet.items():
            if not chosen:
                continue
            entry = items.setdefault(code, {"base": 0, "options": {}, "yes": 0})
            entry["base"] += 1
            entry["yes"] += bool(yes & chosen)
            for option in chosen:
                entry["options"][option] = entry["options"].get(option, 0) + 1
        ptu = [sheet[c] for c in PTU_ITEMS if c in sheet]
        exposed = any(set(YES_OPTIONS) & chosen for chosen in ptu)
        for code in BREAKDOWNS:
            for option in sheet.get(code, ()):
                group = groups[code].setdefault(option, [0, 0, 0])
                group[0] += 1
                group[1] += exposed
                group[2] += bool(ptu)
    exposure = _exposure(sheets)
    return {"version": TALLY_VERSION, "items": items, "exposure": [exposure.count, exposure.base], "groups": groups}


def round_tally(round_: Round) -> Tally:
    """`tally_sheets` of a round's answers as they are now, with `responses`: how many responses
    it was made from (two queries). Stored on the round when it is sealed
    (`services.round_seal`), after which its answers never change."""
    return {**_count_answers([round_])[round_.pk], "responses": Response.objects.filter(round=round_).count()}


def stored_tally(round_: Round, responses: int) -> Tally | None:
    """The round's stored tally, if the round is sealed and the tally was made (by this version)
    from the `responses` responses the round has now; else None."""
    tally: Tally | None = round_.tally
    if round_.sealed and tally and tally.get("version") == TALLY_VERSION and tally.get("responses") == responses:
        return tally
    return None


def rounds_to_tally() -> list[Round]:
    """The sealed rounds without a current tally (for the planner to store one)."""
    responses = Response.objects.filter(round=OuterRef("pk")).order_by().values("round").annotate(n=Count("*"))
    rounds = Round.objects.filter(sealed=True).annotate(n_responses=Coalesce(Subquery(responses.values("n")), 0))
    return [r for r in rounds if stored_tally(r, r.n_responses) is None]


def _count_answers(rounds: Sequence[Round]) -> dict[int, Tally]:
    """`tally_sheets` of each round's answers, all in one query."""
    per_round: dict[int, Sheets] = {r.pk: defaultdict(lambda: defaultdict(set)) for r in rounds}
    if rounds:
        for round_id, response_id, code, option in Answer.objects.filter(
                response__round__in=[r.pk for r in rounds]).values_list(
                "response__round_id", "response_id", "item__code", "option__code"):
            per_round[round_id][response_id][code].add(option)
    return {r.pk: tally_sheets(per_round[r.pk], r.survey_type) for r in rounds}


def _tallies(rounds: Sequence[RespondedRound]) -> dict[int, Tally]:
    """Each round's tally (`rounds` annotated with `n_responses`): the stored one, else (a round
    closed but not sealed yet) counted from the answers, for all such rounds in one query."""
    tallies = {r.pk: tally for r in rounds if (tally := stored_tally(r, r.n_responses)) is not None}
    tallies.update(_count_answers([r for r in rounds if r.pk not in tallies]))
    return tallies


def _item_results(items: list[Item], tally: Tally) -> list[ItemResult]:
    blocks = dict(Item.Block.choices)
    results = []
    for item in items:
        entry = tally["items"].get(item.code, {"base": 0, "options": {}})
        counts, base = entry["options"], entry["base"]
        options = list(item.options.all())
        scored = [(counts.get(o.code, 0), o.score) for o in options if o.score is not None]
        answers_scored = sum(n for n, _score in scored)
        mean = (sum(n * score for n, score in scored) / answers_scored
                if item.kind == Item.Kind.SCALE and answers_scored >= SUPPRESS_BELOW else None)
        results.append(ItemResult(
            code=item.code, text=item.text, block=item.block, block_label=str(blocks.get(item.block, "")),
            kind=item.kind, tag=item.tag, conditional=item.is_conditional, base=base, mean=mean,
            options=[OptionResult(o.code, o.label, counts.get(o.code, 0), base) for o in options],
        ))
    return results


def _breakdown_title(code: str) -> str:
    return {"B2": _("Gender"), "B3": _("Age band"), "B1": _("Assignment type")}[code]


def _breakdowns(items: list[Item], tally: Tally) -> list[Breakdown]:
    """Exposure (PTU) per group of gender, age band and assignment type. A group of 1–4 is
    suppressed; when exactly one group of a single-choice dimension is, the next smallest is
    too, so that it cannot be worked out from the total."""
    by_code = {item.code: item for item in items}
    result = []
    for code in BREAKDOWNS:
        item = by_code.get(code)
        if item is None:
            continue
        groups = []
        for option in item.options.all():
            n, exposed, base = tally["groups"].get(code, {}).get(option.code, (0, 0, 0))
            groups.append(GroupResult(option.code, option.label, n, Share(exposed, base), suppressed=is_suppressed(n)))
        if item.kind != Item.Kind.MULTIPLE and sum(g.suppressed for g in groups) == 1:
            shown = [g for g in groups if not g.suppressed and g.n > 0]
            if shown:
                min(shown, key=lambda g: g.n).hidden = True
        result.append(Breakdown(code, _breakdown_title(code), groups))
    return result


def _national() -> list[NationalRow]:
    return [NationalRow(f.year, f.exposed_percent, f.note) for f in NationalFigure.objects.order_by("year")]


def national_match(national: list[NationalRow], reference_year: int) -> NationalRow | None:
    """The national figure for the round's reference year, else the latest before it."""
    earlier = [row for row in national if row.year <= reference_year]
    return earlier[-1] if earlier else None


def _compared_rounds(round_: Round, today: date) -> Sequence[CountedRound]:
    """Up to `COMPARE_ROUNDS - 1` earlier closed rounds of the same survey, oldest first, then
    `round_` itself; each annotated with `n_invited`, `n_answered` (invitations marked answered)
    and `n_responses`. One query."""
    def count(qs: Manager[Any], **filters: Any) -> Coalesce:
        return Coalesce(Subquery(qs.filter(round=OuterRef("pk"), **filters).order_by().values("round")
                                 .annotate(n=Count("*")).values("n")), 0)

    earlier = (Q(survey_type=round_.survey_type, opens_on__lte=round_.opens_on)
               & (Q(closed_early=True) | Q(closes_on__lt=today)) & ~Q(pk=round_.pk))
    rounds = list(
        Round.objects.filter(Q(pk=round_.pk) | earlier)
        .annotate(n_invited=count(Invitation.objects), n_answered=count(Invitation.objects, answered=True),
                  n_responses=count(Response.objects),
                  this=Case(When(pk=round_.pk, then=Value(0)), default=Value(1)))
        .order_by("this", "-opens_on", "-id")[:COMPARE_ROUNDS]
    )
    return rounds[:0:-1] + rounds[:1]


def _comparison(round_: Round, rounds: Sequence[CountedRound], tallies: dict[int, Tally], items: list[Item]
                ) -> Comparison:
    """`round_` (the last of `rounds`) beside the earlier rounds."""
    columns = [ComparisonColumn(r.pk, r.label, r.opens_on.year, r.reference_year, r.n_responses, r.n_invited,
                                r.pk == round_.pk) for r in rounds]

    def cells(fn: Callable[[Tally], Share]) -> list[Share | None]:
        return [None if column.suppressed else fn(tallies[column.round_id]) for column in columns]

    def yes_share(code: str) -> Callable[[Tally], Share]:
        def fn(tally: Tally) -> Share:
            entry = tally["items"].get(code, {"base": 0, "yes": 0})
            return Share(entry["yes"], entry["base"])
        return fn

    table = [ComparisonRow(_("Response rate"), [Share(c.responses, c.invited) for c in columns])]
    texts = {item.code: item.text for item in items}
    if round_.survey_type == SurveyType.SAFETY:
        table.append(ComparisonRow(_("Exposed (PTU definition: yes to any of E1–E7)"),
                                   cells(lambda tally: Share(*tally["exposure"]))))
        for code in EXPOSURE_ITEMS:
            if code in texts:
                table.append(ComparisonRow(f"{code} {texts[code]}", cells(yes_share(code))))
    else:
        for item in items:
            table.append(ComparisonRow(_("“Yes”: %(code)s %(text)s") % {"code": item.code, "text": item.text},
                                       cells(yes_share(item.code))))
    return Comparison(columns, table)


def round_results(round_: Round, today: date | None = None) -> RoundResults:
    """Everything known about a round's results, suppressed where groups are small. Before the
    round closes only the counts are given. Computed from the rounds' tallies (stored when a
    round is sealed), so the number of queries and the time do not grow with the answers."""
    today = today or timezone.localdate()
    rounds = _compared_rounds(round_, today)
    this = rounds[-1]
    results = RoundResults(round=round_, invited=this.n_invited, answered=this.n_answered,
                           responses=this.n_responses, available=round_.is_closed(today))
    if not results.available:
        return results
    tallies = _tallies([r for r in rounds if r.n_responses >= SUPPRESS_BELOW])
    items = list(round_.items.order_by("position", "code").prefetch_related("options"))
    results.comparison = _comparison(round_, rounds, tallies, items)
    if round_.survey_type == SurveyType.SAFETY:
        results.national = _national()
        results.national_match = national_match(results.national, round_.reference_year)
    if results.suppressed:
        return results
    tally = tallies[round_.pk]
    results.items = _item_results(items, tally)
    if round_.survey_type == SurveyType.SAFETY:
        results.exposure = Share(*tally["exposure"])
        results.breakdowns = _breakdowns(items, tally)
    return results


@dataclass
class Overview:
    """Items that share one set of answers (the internal-control survey's yes / unsure / no) as
    one table: a column per answer, a row per item."""

    columns: list[str]
    rows: list[tuple[ItemResult, list[OptionResult]]]


def overview(results: RoundResults) -> Overview | None:
    shown = [item for item in results.items if not item.suppressed]
    if results.is_safety or not shown:
        return None
    codes = [o.code for o in shown[0].options]
    if any([o.code for o in item.options] != codes for item in shown):
        return None
    return Overview([o.label for o in shown[0].options], [(item, item.options) for item in shown])


@dataclass
class YearRow:
    """One reference year: the national figure and this municipality's, where there are any."""

    year: int
    national: NationalRow | None = None
    local: Share | None = None
    local_suppressed: bool = False

    @property
    def local_display(self) -> str:
        if self.local_suppressed:
            return SUPPRESSED
        return self.local.display if self.local is not None else "–"


def exposure_by_year(results: RoundResults) -> list[YearRow]:
    """The national PTU series and this municipality's rounds (the compared ones) by reference
    year, for the chart and its table."""
    if results.comparison is None or not results.is_safety:
        return []
    rows: dict[int, YearRow] = {row.year: YearRow(row.year, national=row) for row in results.national}
    exposure = results.comparison.rows[1]
    for column, cell in zip(results.comparison.columns, exposure.cells, strict=True):
        row = rows.setdefault(column.reference_year, YearRow(column.reference_year))
        row.local = cell
        row.local_suppressed = cell is None or cell.suppressed
    return [rows[year] for year in sorted(rows)]


def exposure_share(round_: Round) -> Share | None:
    """The share exposed by the PTU definition, or None when the round is open, is not a safety
    survey or has fewer than `SUPPRESS_BELOW` respondents."""
    if round_.survey_type != SurveyType.SAFETY or not round_.is_closed():
        return None
    responses = Response.objects.filter(round=round_).count()
    if responses < SUPPRESS_BELOW:
        return None
    tally = stored_tally(round_, responses) or _count_answers([round_])[round_.pk]
    return Share(*tally["exposure"])
