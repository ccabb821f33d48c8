"""The one small-count rule: no figure about fewer than five people is ever shown, anywhere.

Everything shown as statistics — the survey results page and its charts, the follow-up report
on screen and as PDF, CSV and XLSX, the party's own version — is first built as raw `Table`s of
`Figure`s; all the tables shown together then go through `protect()` ONCE, before anything is
rendered. `protect` returns `ProtectedTable`s of `Cell`s: a cell carries its value only when it
may be shown, otherwise its value is None and it reads "<5" or "..". Renderers and charts take
protected tables only, so a raw small value cannot reach them; no cell carries a head count.

    protected = protect([Table("gender", rows=[Row("woman", "Woman", {"n": count(3)}), ...],
                               total=Row("all", "All", {"n": count(40)}))])
    protected["gender"].row("woman").cells["n"].display   # "<5"

The rule:

1. **Primary.** A figure about 1–4 people (`people`) reads "<5". Zero describes nobody and is
   shown. A figure that would let another group of 1–4 people be worked out (`also`: e.g. the
   covered officials minus the trained ones) reads "..".
2. **Derived.** A figure computed from a concealed figure — cells of its row (`of`) or figures of
   any table by id (`uses`) — is concealed too (".."): a share with its count, a mean with the
   counts it is the mean of.
3. **Secondary** (complementary suppression). Where cells add up to a total — each column of a
   table with a `total` row, and each row of a table with a `row_sum` — when exactly one cell is
   concealed, or the concealed cells together describe fewer than five people (or would reveal
   a group of fewer than five, `also`), the smallest other non-zero cell is concealed as well
   (".."), and so on; when none is left, the total is. So no concealed figure can be worked out
   as the total minus the rest. Rows that overlap (a report about two officials counts under
   both) are treated as adding up, which only conceals more.
4. **One figure, one answer.** Figures with the same `id` are one figure shown in several
   tables (a group's size in its breakdown and in the question's own table, a key figure and its
   table, a share in the comparison with the previous round): when one is concealed, all are.

Steps 2–4 repeat until nothing changes.

Money, budgets and shares of a budget, numbers of sessions or days and national figures are
not head counts: a figure with `people=None` is never concealed by step 1, and money cannot
carry a head count at all (`money()` has no `people`; a `Figure` of kind MONEY with one is an
error): a follow-up report shows "spent 4 200 kr", never "<5".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SUPPRESS_BELOW = 5
SUPPRESSED_TEXT = "<5"  # a figure about fewer than five people
HIDDEN_TEXT = ".."  # concealed so that a "<5" cannot be worked out (or computed from one)
NOT_APPLICABLE = "–"  # nothing to show: nothing to divide by, not offered yet


class Kind(StrEnum):
    COUNT = "count"  # a number (of people, reports, sessions …)
    PERCENT = "percent"  # 0–100
    MONEY = "sek"  # kronor: never a head count
    RATE = "rate"  # one decimal: reports per 30 days, a mean on a scale
    TEXT = "text"


class State(StrEnum):
    SHOWN = "shown"
    SUPPRESSED = "suppressed"  # "<5": about 1–4 people
    HIDDEN = "hidden"  # "..": secondary, derived from a concealed figure, or revealing a small group
    EMPTY = "empty"  # no value ("–")


CONCEALED = (State.SUPPRESSED, State.HIDDEN)
Value = int | float | str | None


def is_small(n: int | None) -> bool:
    """1–4 people: never shown. None (no head count) and 0 (nobody) are not small."""
    return n is not None and 0 < n < SUPPRESS_BELOW


# ---------------------------------------------------------------- raw figures and tables


@dataclass(frozen=True, slots=True)
class Figure:
    """A raw figure, before the rule. Only `protect` reads it.

    `people`: how many people it describes (None: not a head count — money, sessions, days);
    `also`: sizes of other groups that can be worked out from it; `of`: the columns of its row
    it is computed from; `uses`: ids of figures anywhere it is computed from; `id`: the same
    figure wherever it is shown."""

    value: Value
    kind: Kind = Kind.COUNT
    people: int | None = None
    also: tuple[int, ...] = ()
    of: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    id: str | None = None

    def __post_init__(self) -> None:
        if self.kind == Kind.MONEY and (self.people is not None or self.also):
            raise ValueError("money is not a head count: a money figure has no people")


def count(n: int, *, people: int | None = None, also: Iterable[int] = (), of: Iterable[str] = (),
          uses: Iterable[str] = (), id: str | None = None) -> Figure:
    """A count of people (or of reports, cases … about `people` people; default: n people)."""
    n = int(n or 0)
    return Figure(n, Kind.COUNT, n if people is None else int(people), tuple(also), tuple(of), tuple(uses), id)


def number(value: int | None, *, id: str | None = None) -> Figure:
    """A count that is not of people (sessions held, days): always shown."""
    return Figure(value, Kind.COUNT, None, id=id)


def share(part: int, base: int, *, people: int | None = None, also: Iterable[int] = (), of: Iterable[str] = (),
          uses: Iterable[str] = (), id: str | None = None) -> Figure:
    """`part` of `base` people in per cent (about `part` people unless `people` says otherwise)."""
    value = 100 * part / base if base else None
    return Figure(value, Kind.PERCENT, int(part or 0) if people is None else people, tuple(also), tuple(of),
                  tuple(uses), id)


def percent_of(amount: float, whole: float, *, of: Iterable[str] = (), uses: Iterable[str] = ()) -> Figure:
    """A percentage that is not about people (a share of the budget): always shown."""
    return Figure(100 * amount / whole if whole else None, Kind.PERCENT, None, of=tuple(of), uses=tuple(uses))


def money(amount: int | None, *, of: Iterable[str] = (), uses: Iterable[str] = (),
          id: str | None = None) -> Figure:
    """Kronor: not a head count, always shown (unless computed from a concealed head count)."""
    return Figure(int(amount or 0), Kind.MONEY, of=tuple(of), uses=tuple(uses), id=id)


def rate(value: float | None, *, people: int | None = None, of: Iterable[str] = (), uses: Iterable[str] = (),
         id: str | None = None) -> Figure:
    """A number with one decimal: a rate about `people` people, or a mean computed from `uses`."""
    return Figure(value, Kind.RATE, people, of=tuple(of), uses=tuple(uses), id=id)


def text(value: str) -> Figure:
    return Figure(str(value), Kind.TEXT)


@dataclass(frozen=True, slots=True)
class Cell:
    """A figure after the rule: `value` only when `state` is SHOWN; `display` is what to write."""

    kind: Kind
    state: State
    value: Value
    display: str

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN

    @property
    def concealed(self) -> bool:
        return self.state in CONCEALED

    @property
    def number(self) -> float | None:
        """The shown value as a number (None when concealed, empty or text): for charts."""
        return float(self.value) if self.shown and isinstance(self.value, int | float) else None

    def as_dict(self) -> dict[str, Value]:
        return {"value": self.value, "kind": self.kind, "state": self.state, "display": self.display}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: Mapping[str, Figure | Cell]  # a Cell: already protected (taken from another protected table)


@dataclass(frozen=True)
class RowSum:
    """The cells of a row in `parts` add up to the row's cell in `total`."""

    parts: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class Table:
    """Rows × columns of figures. `total`: the row the other rows add up to, column by column
    (`adds_up=False`: a base, not a sum — e.g. the respondents of a multiple-choice question);
    `row_sum`: columns that add up within each row."""

    id: str
    rows: Sequence[Row]
    total: Row | None = None
    adds_up: bool = True
    row_sum: RowSum | None = None


@dataclass(frozen=True)
class ProtectedRow:
    key: str
    label: str
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class ProtectedTable:
    id: str
    rows: tuple[ProtectedRow, ...]
    total: ProtectedRow | None = None

    def row(self, key: str) -> ProtectedRow:
        for r in self.all_rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def cell(self, row_key: str, column: str) -> Cell:
        return self.row(row_key).cells[column]

    @property
    def all_rows(self) -> tuple[ProtectedRow, ...]:
        return self.rows + ((self.total,) if self.total is not None else ())


# ---------------------------------------------------------------- display


def _half_up(value: float, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def display(value: Value, kind: Kind | str) -> str:
    """A shown value as text in the active language: "1 200", "63 %", "4 200 kr", "2,5"."""
    if value is None:
        return NOT_APPLICABLE
    if kind == Kind.TEXT:
        return str(value)
    if isinstance(value, str):
        raise TypeError(f"a {kind} figure holds a number, not {value!r}")
    if kind == Kind.PERCENT:
        shown = number_format(_half_up(float(value)), 0)
        return f"{shown}\u00a0%" if (get_language() or "sv").startswith("sv") else f"{shown}%"
    if kind == Kind.RATE:
        return number_format(_half_up(float(value), 1), 1, force_grouping=True)
    amount = number_format(int(value), 0, force_grouping=True)
    if kind == Kind.MONEY:
        return _("%(sek)s SEK") % {"sek": amount}
    return amount


def _finish(figure: Figure, state: State | None) -> Cell:
    if state == State.SUPPRESSED:
        return Cell(figure.kind, State.SUPPRESSED, None, SUPPRESSED_TEXT)
    if state == State.HIDDEN:
        return Cell(figure.kind, State.HIDDEN, None, HIDDEN_TEXT)
    value = figure.value
    if value is None:
        return Cell(figure.kind, State.EMPTY, None, NOT_APPLICABLE)
    shown = display(value, figure.kind)  # from the exact value: 43.48 reads "43 %", not "44 %"
    if figure.kind in (Kind.PERCENT, Kind.RATE) and isinstance(value, int | float):
        value = round(float(value), 1)
    return Cell(figure.kind, State.SHOWN, value, shown)


def settled(value: Value = None, kind: Kind = Kind.TEXT, shown: str = "") -> Cell:
    """A cell about nobody, ready to show (a blank, a label)."""
    return Cell(kind, State.SHOWN if value is not None else State.EMPTY, value, shown)


def legend() -> list[str]:
    """What "<5" and ".." mean, for every page and file that shows protected figures."""
    return [
        _("%(suppressed)s: the figure concerns fewer than five people and is not shown.")
        % {"suppressed": SUPPRESSED_TEXT},
        _("%(hidden)s: hidden so that a figure shown as %(suppressed)s cannot be worked out from it, from the "
          "total or from the rest of the table.") % {"hidden": HIDDEN_TEXT, "suppressed": SUPPRESSED_TEXT},
    ]


# ---------------------------------------------------------------- the rule


@dataclass(eq=False)
class _Slot:
    figure: Figure
    row: dict[str, _Slot | Cell] = field(repr=False)
    state: State | None = None


def _concealed(item: _Slot | Cell) -> bool:
    return item.state in CONCEALED


def _conceal(slot: _Slot, state: State = State.HIDDEN) -> bool:
    if slot.state is not None:
        return False
    slot.state = state
    return True


def _magnitude(slot: _Slot) -> tuple[int, float]:
    value = slot.figure.value
    return slot.figure.people or 0, float(value) if isinstance(value, int | float) else 0.0


class _Pass:
    """One run of the rule over a set of tables (see the module's docstring)."""

    def __init__(self, tables: Sequence[Table]) -> None:
        self.tables = tables
        self.rows: list[list[dict[str, _Slot | Cell]]] = []
        self.slots: list[_Slot] = []
        self.by_id: dict[str, list[_Slot]] = {}
        self.lines: list[tuple[list[_Slot], _Slot]] = []
        for t in tables:
            rows = []
            for r in [*t.rows, *([t.total] if t.total is not None else [])]:
                row: dict[str, _Slot | Cell] = {}
                for key, item in r.cells.items():
                    if isinstance(item, Cell):
                        row[key] = item
                        continue
                    slot = _Slot(item, row)
                    row[key] = slot
                    self.slots.append(slot)
                    if item.id is not None:
                        self.by_id.setdefault(item.id, []).append(slot)
                rows.append(row)
            self.rows.append(rows)
            self._add_lines(t, rows)
        self._check()

    def _add_lines(self, t: Table, rows: list[dict[str, _Slot | Cell]]) -> None:
        def counted(item: _Slot | Cell | None) -> _Slot | None:
            return item if isinstance(item, _Slot) and item.figure.people is not None else None

        if t.total is not None and t.adds_up:
            total_row, body = rows[-1], rows[:-1]
            for key, total in total_row.items():
                parts = [s for r in body if (s := counted(r.get(key))) is not None]
                if isinstance(total, _Slot) and parts:
                    self.lines.append((parts, total))
        if t.row_sum is not None:
            for row in rows:
                row_total = row.get(t.row_sum.total)
                parts = [s for key in t.row_sum.parts if (s := counted(row.get(key))) is not None]
                if isinstance(row_total, _Slot) and parts:
                    self.lines.append((parts, row_total))

    def _check(self) -> None:
        for figure_id, same in self.by_id.items():
            first = same[0].figure
            if any((s.figure.value, s.figure.kind, s.figure.people, s.figure.also)
                   != (first.value, first.kind, first.people, first.also) for s in same):
                raise ValueError(f"figures with the id {figure_id!r} differ")
        for slot in self.slots:
            missing = [k for k in slot.figure.of if k not in slot.row] + [
                u for u in slot.figure.uses if u not in self.by_id]
            if missing:
                raise ValueError(f"a figure is computed from unknown figures: {missing}")

    def run(self) -> list[ProtectedTable]:
        for slot in self.slots:
            if is_small(slot.figure.people):
                slot.state = State.SUPPRESSED
            elif any(is_small(n) for n in slot.figure.also):
                slot.state = State.HIDDEN
        while self._link() | self._derive() | self._secondary():
            pass
        return [self._protected(t, rows) for t, rows in zip(self.tables, self.rows, strict=True)]

    def _link(self) -> bool:
        changed = False
        for same in self.by_id.values():
            states = {s.state for s in same if s.state is not None}
            if states:
                target = State.SUPPRESSED if State.SUPPRESSED in states else State.HIDDEN
                for slot in same:
                    changed |= _conceal(slot, target)
        return changed

    def _derive(self) -> bool:
        changed = False
        for slot in self.slots:
            if slot.state is not None:
                continue
            sources: list[_Slot | Cell] = [slot.row[k] for k in slot.figure.of]
            for figure_id in slot.figure.uses:
                sources += self.by_id[figure_id]
            if any(_concealed(s) for s in sources):
                changed |= _conceal(slot)
        return changed

    def _secondary(self) -> bool:
        changed = False
        for parts, total in self.lines:
            while total.state is None:
                concealed = [p for p in parts if p.state is not None]
                if not concealed:
                    break
                people = sum(p.figure.people or 0 for p in concealed)
                others = sum(sum(p.figure.also) for p in concealed)
                if len(concealed) >= 2 and not is_small(people) and not is_small(others):
                    break
                candidates = [p for p in parts if p.state is None and (p.figure.people or 0) > 0]
                if not candidates:
                    changed |= _conceal(total)
                    break
                changed |= _conceal(min(candidates, key=_magnitude))
        return changed

    @staticmethod
    def _protected(t: Table, rows: list[dict[str, _Slot | Cell]]) -> ProtectedTable:
        def done(r: Row, row: dict[str, _Slot | Cell]) -> ProtectedRow:
            return ProtectedRow(r.key, r.label, {k: v if isinstance(v, Cell) else _finish(v.figure, v.state)
                                                 for k, v in row.items()})

        body = [done(r, row) for r, row in zip(t.rows, rows, strict=False)]
        total = done(t.total, rows[-1]) if t.total is not None else None
        return ProtectedTable(t.id, tuple(body), total)


def protect(tables: Iterable[Table]) -> dict[str, ProtectedTable]:
    """The tables shown together, with the small-count rule applied to all of them in one pass
    (by table id, in the order given). Nothing else may be shown of them."""
    tables = list(tables)
    ids = [t.id for t in tables]
    if len(set(ids)) != len(ids):
        raise ValueError("table ids must be unique")
    return {p.id: p for p in _Pass(tables).run()}
