"""Reads of the surveys app, and the results of a round as protected tables.

`round_results(round)` is everything the results page shows and what the follow-up report
(PDF, CSV, XLSX) reuses: response rate, the share exposed by the PTU definition beside the
national figures, each item's distribution, breakdowns by gender, age band and assignment type,
and the comparison with earlier rounds. Results are shown only once a round has closed, so that
the figures cannot be watched change answer by answer.

No figure about fewer than five respondents is shown anywhere (`core.disclosure`): each round's
figures are built as raw tables — every question's answers, the breakdowns, the share exposed,
the "yes" shares compared across rounds — and ALL of them go through `core.disclosure.protect`
in one pass; the results hold protected cells only ("<5", "..", or a value that may be shown),
never a raw count. A group's size is one figure wherever it appears (its breakdown and the
question's own table), so it is concealed in both or in neither. Each earlier round in the
comparison is protected by the same pass as its own results page, so a share concealed there is
concealed here too.

The figures come from each round's tally (`tally_sheets`): the counts per item, option and
group, made from its answers once, when the round is sealed after closing (its answers never
change after that), and stored on the round. The results page therefore reads a few small
rows, whatever the number of answers. A closed round not sealed yet is counted from its answers
(one query for all such rounds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Case, Count, Manager, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import disclosure as D
from core.disclosure import SUPPRESS_BELOW, SUPPRESSED_TEXT, Cell, ProtectedTable

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

PTU_ITEMS = ("E1", "E2", "E3", "E4", "E5", "E6", "E7")
EXPOSURE_ITEMS = PTU_ITEMS + ("E8", "E9")
# Items whose "yes" is compared across rounds of the internal-control survey.
IC_YES = "yes"
COMPARE_ROUNDS = 6

Sheets = dict[object, dict[str, set[str]]]  # response → item code → chosen option codes
Tally = dict[str, Any]  # JSON-ready counts (`tally_sheets`)


def format_percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value)} %"


@dataclass(frozen=True)
class Share:
    """A share of raw counts, for running a round (its response rate on the round's own page)
    and for making tallies; results are shown through `round_results` only."""

    count: int
    base: int

    @property
    def share(self) -> float | None:
        return self.count / self.base if self.base else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share

    @property
    def display(self) -> str:
        return SUPPRESSED_TEXT if 0 < self.base < SUPPRESS_BELOW else format_percent(self.percent)


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



# --- results: raw tables, one pass of the small-count rule, protected results -----------------


@dataclass(frozen=True)
class OptionLine:
    """One answer to a question: how many chose it and their share (protected)."""

    code: str
    label: str
    n: Cell
    share: Cell

    @property
    def bar(self) -> float | None:
        """The share for the decorative bar: None unless the share is shown."""
        return self.share.number


@dataclass(frozen=True)
class ItemResult:
    code: str
    text: str
    block: str
    block_label: str
    kind: str
    tag: str
    conditional: bool
    options: tuple[OptionLine, ...]
    base: Cell  # how many answered the question
    mean: Cell | None = None  # scale items

    @property
    def too_few(self) -> bool:
        """Fewer than five answered: the question's table is not shown at all."""
        return self.base.concealed

    @property
    def nobody(self) -> bool:
        return self.base.shown and self.base.value == 0


@dataclass(frozen=True)
class GroupLine:
    """One group of a breakdown: its respondents and the share of them exposed (protected)."""

    code: str
    label: str
    n: Cell
    exposed: Cell


@dataclass(frozen=True)
class Breakdown:
    item_code: str
    title: str
    groups: tuple[GroupLine, ...]
    total: GroupLine | None  # single-choice groups add up to it; none for a multiple-choice item


@dataclass(frozen=True)
class NationalRow:
    year: int
    percent: Decimal
    note: str


@dataclass(frozen=True)
class ComparisonColumn:
    round_id: int
    label: str
    year: int
    reference_year: int
    invited: int
    responses: Cell
    current: bool


@dataclass(frozen=True)
class ComparisonRow:
    key: str
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Comparison:
    columns: tuple[ComparisonColumn, ...]
    rows: tuple[ComparisonRow, ...]

    def row(self, key: str) -> ComparisonRow | None:
        return next((r for r in self.rows if r.key == key), None)


@dataclass(frozen=True)
class RoundResults:
    """What may be shown of a round's results: labels and protected cells, no raw count."""

    round: Round
    invited: int
    responses: Cell
    response_rate: Cell
    available: bool  # the round has closed
    too_few: bool  # fewer than SUPPRESS_BELOW responses: nothing but the response rate
    exposure: Cell | None = None
    exposure_base: Cell | None = None
    national: tuple[NationalRow, ...] = ()
    national_match: NationalRow | None = None
    items: tuple[ItemResult, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    comparison: Comparison | None = None

    @property
    def is_safety(self) -> bool:
        return self.round.survey_type == SurveyType.SAFETY


def _breakdown_title(code: str) -> str:
    return {"B2": _("Gender"), "B3": _("Age band"), "B1": _("Assignment type")}[code]


def _fid(round_id: int, *parts: str) -> str:
    """A figure's or table's id within a round's pass."""
    return ":".join((f"r{round_id}", *parts))


def _withheld(responses: int) -> Cell:
    """The cell of a figure not computed because the round has too few responses."""
    if D.is_small(responses):
        return Cell(D.Kind.PERCENT, D.State.SUPPRESSED, None, SUPPRESSED_TEXT)
    return D.settled(None, D.Kind.PERCENT, D.NOT_APPLICABLE)


@dataclass(frozen=True)
class _RoundInput:
    """What one round's pass is built from."""

    round_id: int
    survey_type: str
    invited: int
    responses: int
    items: Sequence[Item]
    tally: Tally | None  # None: not closed, or fewer than SUPPRESS_BELOW responses


def _item_table(source: _RoundInput, item: Item, counts: dict[tuple[str, str], D.Figure],
                bases: dict[str, D.Figure]) -> D.Table:
    """One question: a row per answer (respondents choosing it, their share) and the number who
    answered. The answers of a single-choice question add up to it; each answer of a
    multiple-choice question also reveals how many did NOT choose it (`also`)."""
    assert source.tally is not None
    entry = source.tally["items"].get(item.code, {"base": 0, "options": {}})
    chosen, base = entry["options"], entry["base"]
    multiple = item.kind == Item.Kind.MULTIPLE
    rows, ids = [], []
    for option in item.options.all():
        n = chosen.get(option.code, 0)
        figure_id = _fid(source.round_id, item.code, option.code)
        counts[(item.code, option.code)] = figure = D.count(n, also=[base - n] if multiple else (), id=figure_id)
        ids.append(figure_id)
        rows.append(D.Row(option.code, option.label, {"n": figure, "share": D.share(n, base, of=["n"])}))
    bases[item.code] = D.count(base, id=_fid(source.round_id, item.code, "base"))
    total: dict[str, D.Figure | Cell] = {"n": bases[item.code]}
    if item.kind == Item.Kind.SCALE:
        scored = [(chosen.get(o.code, 0), o.score) for o in item.options.all() if o.score is not None]
        answers_scored = sum(n for n, _score in scored)
        mean = sum(n * score for n, score in scored) / answers_scored if answers_scored else None
        total["mean"] = D.rate(mean, uses=ids)  # concealed with any answer it is computed from
    return D.Table(_fid(source.round_id, "item", item.code), rows, total=D.Row("total", _("Total"), total),
                   adds_up=not multiple)


def _yes_items(source: _RoundInput) -> list[Item]:
    """The items whose "yes" share is compared across rounds."""
    if source.survey_type == SurveyType.SAFETY:
        return [item for item in source.items if item.code in EXPOSURE_ITEMS]
    return list(source.items)


def _round_tables(source: _RoundInput) -> list[D.Table]:
    """Every table of a round's results, raw, to be protected together."""
    rid = source.round_id
    tables = [D.Table(_fid(rid, "facts"), [D.Row("responses", "", {
        "n": D.count(source.responses), "rate": D.share(source.responses, source.invited)})])]
    tally = source.tally
    if tally is None:
        return tables
    counts: dict[tuple[str, str], D.Figure] = {}
    bases: dict[str, D.Figure] = {}
    tables += [_item_table(source, item, counts, bases) for item in source.items]

    # The "yes" share of each compared item: concealed with any answer of the question.
    yes_rows = []
    for item in _yes_items(source):
        entry = tally["items"].get(item.code, {"base": 0, "yes": 0})
        uses = [_fid(rid, item.code, o.code) for o in item.options.all()] + [_fid(rid, item.code, "base")]
        yes_rows.append(D.Row(item.code, item.text, {"share": D.share(entry["yes"], entry["base"], uses=uses)}))
    tables.append(D.Table(_fid(rid, "yes"), yes_rows))

    if source.survey_type == SurveyType.SAFETY:
        by_code = {item.code: item for item in source.items}
        group_totals = []
        for code in BREAKDOWNS:
            grouping = by_code.get(code)
            if grouping is None:
                continue
            multiple = grouping.kind == Item.Kind.MULTIPLE
            rows, exposed, base = [], 0, 0
            for option in grouping.options.all():
                _n, exposed_g, base_g = tally["groups"].get(code, {}).get(option.code, (0, 0, 0))
                exposed, base = exposed + exposed_g, base + base_g
                rows.append(D.Row(option.code, option.label, {
                    "n": counts[(code, option.code)],
                    "exposed": D.share(exposed_g, base_g, also=[base_g - exposed_g], of=["n"])}))
            total = None
            if not multiple:
                group_totals.append(total_id := _fid(rid, "groups", code, "exposed"))
                total = D.Row("total", _("Total"), {
                    "n": bases[code], "exposed": D.share(exposed, base, also=[base - exposed], id=total_id)})
            tables.append(D.Table(_fid(rid, "groups", code), rows, total=total))
        exposed, base = tally["exposure"]
        # The share exposed of all respondents is (nearly) the total of each breakdown: concealed
        # with any of those totals, so that a concealed group cannot be worked out from it.
        tables.append(D.Table(_fid(rid, "exposure"), [D.Row("exposed", "", {
            "share": D.share(exposed, base, also=[base - exposed], uses=group_totals),
            "n": D.count(base)})]))
    return tables


def _protected(source: _RoundInput) -> dict[str, ProtectedTable]:
    """A round's figures after ONE pass of the small-count rule over all its tables."""
    return D.protect(_round_tables(source))


def _item_results(source: _RoundInput, tables: dict[str, ProtectedTable]) -> tuple[ItemResult, ...]:
    blocks = dict(Item.Block.choices)
    results = []
    for item in source.items:
        table = tables[_fid(source.round_id, "item", item.code)]
        assert table.total is not None
        results.append(ItemResult(
            code=item.code, text=item.text, block=item.block, block_label=str(blocks.get(item.block, "")),
            kind=item.kind, tag=item.tag, conditional=item.is_conditional,
            options=tuple(OptionLine(r.key, r.label, r.cells["n"], r.cells["share"]) for r in table.rows),
            base=table.total.cells["n"], mean=table.total.cells.get("mean")))
    return tuple(results)


def _breakdowns(source: _RoundInput, tables: dict[str, ProtectedTable]) -> tuple[Breakdown, ...]:
    result = []
    for code in BREAKDOWNS:
        table = tables.get(_fid(source.round_id, "groups", code))
        if table is None:
            continue

        def line(r: D.ProtectedRow) -> GroupLine:
            return GroupLine(r.key, r.label, r.cells["n"], r.cells["exposed"])

        result.append(Breakdown(code, _breakdown_title(code), tuple(line(r) for r in table.rows),
                                line(table.total) if table.total is not None else None))
    return tuple(result)


def _national() -> tuple[NationalRow, ...]:
    return tuple(NationalRow(f.year, f.exposed_percent, f.note) for f in NationalFigure.objects.order_by("year"))


def national_match(national: Sequence[NationalRow], reference_year: int) -> NationalRow | None:
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


def _items_by_round(round_ids: Iterable[int]) -> dict[int, list[Item]]:
    """Each round's items in order, with their options (two queries for all the rounds)."""
    result: dict[int, list[Item]] = {pk: [] for pk in round_ids}
    if result:
        links = (Round.items.through.objects.filter(round_id__in=list(result)).select_related("item")
                 .prefetch_related("item__options").order_by("item__position", "item__code"))
        for link in links:
            result[link.round_id].append(link.item)
    return result


def _comparison(round_: Round, columns: Sequence[ComparisonColumn], passes: dict[int, dict[str, ProtectedTable]],
                items: Sequence[Item]) -> Comparison:
    """`round_` (the last column) beside the earlier rounds: each round's figures as its own
    results show them."""
    def cells(table: str, row: str, column: str) -> tuple[Cell, ...]:
        found = []
        for c in columns:
            tables = passes[c.round_id]
            key = _fid(c.round_id, table)
            if key not in tables:
                found.append(_withheld(c.responses.value if isinstance(c.responses.value, int) else 1))
                continue
            try:
                found.append(tables[key].cell(row, column))
            except KeyError:  # the question was not asked in that round
                found.append(D.settled(None, D.Kind.PERCENT, D.NOT_APPLICABLE))
        return tuple(found)

    rows = [ComparisonRow("rate", _("Response rate"), cells("facts", "responses", "rate"))]
    if round_.survey_type == SurveyType.SAFETY:
        rows.append(ComparisonRow("exposure", _("Exposed (PTU definition: yes to any of E1–E7)"),
                                  cells("exposure", "exposed", "share")))
        for item in items:
            if item.code in EXPOSURE_ITEMS:
                rows.append(ComparisonRow(item.code, f"{item.code} {item.text}", cells("yes", item.code, "share")))
    else:
        for item in items:
            rows.append(ComparisonRow(item.code, _("“Yes”: %(code)s %(text)s") % {"code": item.code, "text": item.text},
                                      cells("yes", item.code, "share")))
    return Comparison(tuple(columns), tuple(rows))


def round_results(round_: Round, today: date | None = None) -> RoundResults:
    """Everything that may be shown of a round's results. Before the round closes only the
    counts are given. Computed from the rounds' tallies (stored when a round is sealed), so the
    number of queries and the time do not grow with the answers or the rounds."""
    today = today or timezone.localdate()
    rounds = _compared_rounds(round_, today)
    this = rounds[-1]
    available = round_.is_closed(today)
    if not available:
        rounds = [this]
    counted = [r for r in rounds if r.n_responses >= SUPPRESS_BELOW and available]
    tallies = _tallies(counted)
    items = _items_by_round(r.pk for r in counted)
    passes = {r.pk: _protected(_RoundInput(r.pk, r.survey_type, r.n_invited, r.n_responses, items.get(r.pk, []),
                                           tallies.get(r.pk))) for r in rounds}
    facts = passes[this.pk][_fid(this.pk, "facts")]
    results = RoundResults(round=round_, invited=this.n_invited, responses=facts.cell("responses", "n"),
                           response_rate=facts.cell("responses", "rate"), available=available,
                           too_few=this.n_responses < SUPPRESS_BELOW)
    if not available:
        return results
    columns = [ComparisonColumn(r.pk, r.label, r.opens_on.year, r.reference_year, r.n_invited,
                                passes[r.pk][_fid(r.pk, "facts")].cell("responses", "n"), r.pk == round_.pk)
               for r in rounds]
    this_items = items.get(round_.pk) or list(round_.items.order_by("position", "code"))
    fields: dict[str, Any] = {"comparison": _comparison(round_, columns, passes, this_items)}
    if round_.survey_type == SurveyType.SAFETY:
        fields["national"] = _national()
        fields["national_match"] = national_match(fields["national"], round_.reference_year)
    if not results.too_few:
        source = _RoundInput(round_.pk, round_.survey_type, this.n_invited, this.n_responses, this_items,
                             tallies[round_.pk])
        tables = passes[round_.pk]
        fields["items"] = _item_results(source, tables)
        if round_.survey_type == SurveyType.SAFETY:
            exposure = tables[_fid(round_.pk, "exposure")]
            fields["exposure"] = exposure.cell("exposed", "share")
            fields["exposure_base"] = exposure.cell("exposed", "n")
            fields["breakdowns"] = _breakdowns(source, tables)
    return replace(results, **fields)


@dataclass(frozen=True)
class OverviewRow:
    code: str
    text: str
    cells: tuple[Cell, ...]  # the share choosing each answer
    base: Cell


@dataclass(frozen=True)
class Overview:
    """Items that share one set of answers (the internal-control survey's yes / unsure / no) as
    one table: a column per answer, a row per item. The same protected cells as the questions'
    own tables."""

    columns: tuple[str, ...]
    rows: tuple[OverviewRow, ...]


def overview(results: RoundResults) -> Overview | None:
    shown = [item for item in results.items if not item.too_few and not item.nobody]
    if results.is_safety or not shown:
        return None
    codes = [o.code for o in shown[0].options]
    if any([o.code for o in item.options] != codes for item in shown):
        return None
    return Overview(tuple(o.label for o in shown[0].options),
                    tuple(OverviewRow(item.code, item.text, tuple(o.share for o in item.options), item.base)
                          for item in shown))


@dataclass(frozen=True)
class YearRow:
    """One reference year: the national figure and this municipality's, where there are any."""

    year: int
    national: NationalRow | None = None
    local: Cell | None = None

    @property
    def local_display(self) -> str:
        return self.local.display if self.local is not None else D.NOT_APPLICABLE


def exposure_by_year(results: RoundResults) -> list[YearRow]:
    """The national PTU series and this municipality's rounds (the compared ones) by reference
    year, for the chart and its table: the same protected cells as the comparison."""
    exposure = results.comparison.row("exposure") if results.comparison is not None else None
    if results.comparison is None or exposure is None or not results.is_safety:
        return []
    rows: dict[int, YearRow] = {row.year: YearRow(row.year, national=row) for row in results.national}
    for column, cell in zip(results.comparison.columns, exposure.cells, strict=True):
        rows[column.reference_year] = replace(rows.get(column.reference_year, YearRow(column.reference_year)),
                                              local=cell)
    return [rows[year] for year in sorted(rows)]
