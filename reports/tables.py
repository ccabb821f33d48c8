"""The follow-up report's tables as plain data, and the ONE small-count rule applied to them.

`reports.selectors.followup_data` builds tables of raw cells; `suppress` turns them into cells
that can be shown, and every format (the page, PDF, CSV, XLSX) renders only its output. A cell
knows how many people it describes; `suppress` never lets a figure about 1–4 people through:

1. **Primary**: a cell describing 1–4 people reads "<5". Zero is shown: it describes nobody. A
   cell may also name groups that can be worked out from it and a shown figure (`also`: e.g.
   "covered officials not yet trained" is the covered officials minus the trained); if such a
   group has 1–4 people, the cell is hidden and reads "..".
2. **Derived**: a cell computed from other cells of its row (`of`: a share from its count, a
   remaining budget from what is committed and spent) is hidden with them.
3. **Secondary** (complementary disclosure): in a table with a total, when exactly one cell of a
   column is suppressed, or the suppressed cells together describe fewer than five people (their
   people counts added up), the smallest other non-zero cell of that column is hidden too (it
   reads ".."), and so on, so that no suppressed figure can be worked out as the total minus the
   rest; if no cell is left to hide, the total is. This is applied to every table with a total,
   also where rows overlap (a report with two kinds counts under both), which is on the safe side.
4. The key figures on the first page are references to cells of the tables, resolved after the
   rules above, so they show exactly what the tables show.

A cell with `people=None` (a number of sessions, a budget, a national figure) is about no group
of people and is always shown. After `suppress`, no cell carries a hidden value or a people count.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import get_language

from surveys.selectors import HIDDEN, SUPPRESS_BELOW, SUPPRESSED

COUNT, PERCENT, SEK, RATE, TEXT = "count", "percent", "sek", "rate", "text"
SHOWN, SUPPRESSED_STATE, HIDDEN_STATE, EMPTY = "shown", "suppressed", "hidden", "empty"
NOT_APPLICABLE = "–"

Cell = dict[str, Any]
Row = dict[str, Any]
Table = dict[str, Any]


# ---------------------------------------------------------------- building raw tables


def cell(value: float | int | str | None, *, kind: str = COUNT, people: int | None = None,
         also: tuple[int, ...] | list[int] = (), of: tuple[str, ...] | list[str] = ()) -> Cell:
    """A raw cell. `people`: how many people the figure describes (None: none, never suppressed);
    `also`: sizes of groups that can be worked out from it; `of`: the row's cells it derives from."""
    return {"value": value, "kind": kind, "people": people, "also": list(also), "of": list(of)}


def count(n: int, people: int | None = None, **extra) -> Cell:
    """A number of people (or of reports, cases … about `people` people; default: n people)."""
    return cell(int(n or 0), kind=COUNT, people=int(n or 0) if people is None else int(people), **extra)


def percent(part: int, base: int, *, people: int | None = None, of: tuple[str, ...] | list[str] = (),
            also: tuple[int, ...] | list[int] = ()) -> Cell:
    value = 100 * part / base if base else None
    return cell(value, kind=PERCENT, people=people, of=of, also=also)


def sek(amount: int | None, *, people: int | None = None, of: tuple[str, ...] | list[str] = ()) -> Cell:
    return cell(int(amount or 0), kind=SEK, people=people, of=of)


def rate(value: float | None, *, people: int | None = None, of: tuple[str, ...] | list[str] = ()) -> Cell:
    """A rate with one decimal, e.g. reports per 30 days."""
    return cell(value, kind=RATE, people=people, of=of)


def text(value: str) -> Cell:
    return cell(str(value), kind=TEXT)


def ref(table_id: str, row_key: str, column_key: str) -> Cell:
    """A key figure that shows a cell of another table (resolved by `suppress`)."""
    return {"ref": [table_id, row_key, column_key]}


def row(key: str, label: str | Promise, cells: dict[str, Cell], *, marks: list[str] | None = None) -> Row:
    return {"key": key, "label": str(label), "cells": cells, "marks": [str(m) for m in marks or []]}


def column(key: str, label: str | Promise, kind: str = COUNT) -> dict[str, str]:
    return {"key": key, "label": str(label), "kind": kind}


def table(table_id: str, title: str, dimension: str, columns: list[dict[str, str]], rows: list[Row], *,
          total: Row | None = None, note: str = "", chart: dict | None = None) -> Table:
    """`dimension`: the heading of the label column ("Kind", "Month" …). `chart`: how to draw it,
    e.g. {"type": "bar", "column": "reports"}."""
    return {"id": table_id, "title": str(title), "dimension": str(dimension), "columns": columns, "rows": rows,
            "total": total, "note": str(note), "chart": chart}


def iter_tables(data: dict) -> list[Table]:
    """Every table of the report, the key figures first."""
    tables = [data["summary"]] if data.get("summary") else []
    for section in data.get("sections", []):
        tables.extend(section["tables"])
    return tables


# ---------------------------------------------------------------- the rule


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < SUPPRESS_BELOW


def _all_rows(t: Table) -> list[Row]:
    return t["rows"] + ([t["total"]] if t.get("total") else [])


def _derive(t: Table) -> None:
    """Hide every cell computed from a hidden or suppressed cell of its row (repeat to a fixpoint)."""
    for r in _all_rows(t):
        changed = True
        while changed:
            changed = False
            for c in r["cells"].values():
                if c.get("state") or "ref" in c:
                    continue
                sources = [r["cells"].get(k) for k in c.get("of", ())]
                if any(s is not None and s.get("state") in (SUPPRESSED_STATE, HIDDEN_STATE) for s in sources):
                    c["state"] = HIDDEN_STATE
                    changed = True


def _secondary(t: Table) -> None:
    total = t.get("total")
    if not total:
        return
    for col in t["columns"]:
        key = col["key"]
        total_cell = total["cells"].get(key)
        cells = [r["cells"].get(key) for r in t["rows"]]
        cells = [c for c in cells if c is not None and "ref" not in c and c.get("kind") in (COUNT, SEK)]
        while total_cell is not None and not total_cell.get("state"):
            hidden = [c for c in cells if c.get("state") in (SUPPRESSED_STATE, HIDDEN_STATE)]
            hidden_people = sum(c.get("people") or 0 for c in hidden)
            if not hidden or (len(hidden) >= 2 and (hidden_people == 0 or hidden_people >= SUPPRESS_BELOW)):
                break
            candidates = [c for c in cells if not c.get("state") and c.get("people") is not None
                          and isinstance(c.get("value"), int | float) and c["value"] > 0]
            if not candidates:
                total_cell["state"] = HIDDEN_STATE
                break
            min(candidates, key=lambda c: c["value"])["state"] = HIDDEN_STATE


def _half_up(value: float, places: int = 0) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _percent_text(value: float) -> str:
    shown = number_format(_half_up(value), 0)
    return f"{shown}\u00a0%" if (get_language() or "sv").startswith("sv") else f"{shown}%"


def display(value: Any, kind: str) -> str:
    """A shown value as text in the active language."""
    if value is None:
        return NOT_APPLICABLE
    if kind == TEXT:
        return str(value)
    if kind == PERCENT:
        return _percent_text(float(value))
    if kind == RATE:
        return number_format(_half_up(float(value), 1), 1, force_grouping=True)
    return number_format(int(value), 0, force_grouping=True)


def _finish(c: Cell) -> Cell:
    state = c.get("state") or (EMPTY if c.get("value") is None else SHOWN)
    if state == SUPPRESSED_STATE:
        return {"value": None, "kind": c["kind"], "state": state, "display": SUPPRESSED}
    if state == HIDDEN_STATE:
        return {"value": None, "kind": c["kind"], "state": state, "display": HIDDEN}
    value = c.get("value")
    if c["kind"] in (PERCENT, RATE) and value is not None:
        value = round(float(value), 1)
    return {"value": value, "kind": c["kind"], "state": state, "display": display(value, c["kind"])}


def suppress_table(t: Table) -> Table:
    """Apply the rule to one table (a copy is returned)."""
    t = copy.deepcopy(t)
    for r in _all_rows(t):
        for c in r["cells"].values():
            if "ref" in c:
                continue
            if is_small(c.get("people")):
                c["state"] = SUPPRESSED_STATE
            elif any(is_small(n) for n in c.get("also", ())):
                c["state"] = HIDDEN_STATE
    _derive(t)
    _secondary(t)
    _derive(t)
    for r in _all_rows(t):
        r["cells"] = {k: (c if "ref" in c else _finish(c)) for k, c in r["cells"].items()}
    return t


def suppress(data: dict) -> dict:
    """The report's data with the small-count rule applied to every table, and the key figures
    resolved. Every renderer takes this, never the raw data."""
    data = copy.copy(data)
    data["sections"] = [dict(s, tables=[suppress_table(t) for t in s["tables"]]) for s in data.get("sections", [])]
    index = {t["id"]: t for s in data["sections"] for t in s["tables"]}
    if data.get("summary"):
        summary = suppress_table(data["summary"])
        for r in _all_rows(summary):
            for key, c in list(r["cells"].items()):
                if "ref" in c:
                    r["cells"][key] = _resolve(index, c["ref"])
        data["summary"] = summary
    data["suppressed"] = True
    return data


def _resolve(index: dict[str, Table], target: list[str]) -> Cell:
    table_id, row_key, column_key = target
    found = index.get(table_id)
    if found is not None:
        for r in _all_rows(found):
            if r["key"] == row_key and column_key in r["cells"]:
                return dict(r["cells"][column_key])
    return {"value": None, "kind": COUNT, "state": EMPTY, "display": NOT_APPLICABLE}
