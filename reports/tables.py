"""The follow-up report's tables as plain data, protected by the ONE small-count rule.

`reports.selectors.followup_data` builds tables of raw cells (dicts made by the builders below);
`suppress` hands ALL of them — the key figures included — to `core.disclosure.protect` in one
pass and returns the same tables whose cells are protected cells only ({"value", "kind",
"state", "display"}: no head count, no concealed value). Every format — the page, the PDF, the
CSV files, the workbook, the party's own version — renders only that. The rule itself (primary,
derived and secondary suppression; money never suppressed) is described in `core.disclosure`.

A raw cell knows how many people it describes (`people`; None: about no group of people — a
number of sessions, a budget, money, a national figure — and always shown), which groups can be
worked out from it (`also`) and which cells of its row it is computed from (`of`). Every table
with a total adds up column by column, also where rows overlap (a report about two officials
counts under both), which is on the safe side. The key figures on the first page are references
(`ref`) to cells of the tables: the same figure, so they show exactly what the tables show.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from django.utils.functional import Promise

from core import disclosure as D
from core.disclosure import HIDDEN_TEXT as HIDDEN
from core.disclosure import NOT_APPLICABLE, SUPPRESS_BELOW, display, is_small
from core.disclosure import SUPPRESSED_TEXT as SUPPRESSED

__all__ = ["HIDDEN", "NOT_APPLICABLE", "SUPPRESSED", "SUPPRESS_BELOW", "display", "is_small"]

COUNT, PERCENT, SEK, RATE, TEXT = D.Kind.COUNT, D.Kind.PERCENT, D.Kind.MONEY, D.Kind.RATE, D.Kind.TEXT
SHOWN, SUPPRESSED_STATE, HIDDEN_STATE, EMPTY = D.State.SHOWN, D.State.SUPPRESSED, D.State.HIDDEN, D.State.EMPTY

Cell = dict[str, Any]
Row = dict[str, Any]
Table = dict[str, Any]


# ---------------------------------------------------------------- building raw tables


def cell(value: float | int | str | None, *, kind: str = COUNT, people: int | None = None,
         also: tuple[int, ...] | list[int] = (), of: tuple[str, ...] | list[str] = (), id: str | None = None) -> Cell:
    """A raw cell. `people`: how many people the figure describes (None: none, never suppressed);
    `also`: sizes of groups that can be worked out from it; `of`: the row's cells it derives from;
    `id`: the same figure in another table (see `same`)."""
    return {"value": value, "kind": kind, "people": people, "also": list(also), "of": list(of), "id": id}


def count(n: int, people: int | None = None, **extra) -> Cell:
    """A number of people (or of reports, cases … about `people` people; default: n people)."""
    return cell(int(n or 0), kind=COUNT, people=int(n or 0) if people is None else int(people), **extra)


def percent(part: int, base: int, *, people: int | None = None, of: tuple[str, ...] | list[str] = (),
            also: tuple[int, ...] | list[int] = ()) -> Cell:
    value = 100 * part / base if base else None
    return cell(value, kind=PERCENT, people=people, of=of, also=also)


def same(r: Row, figure: str, columns: tuple[str, ...]) -> Row:
    """Mark the row's `columns` as one figure shown in several tables (the total of all reports
    under each breakdown): concealed in one, concealed in all (`core.disclosure`)."""
    for key in columns:
        r["cells"][key]["id"] = f"{figure}/{key}"
    return r


def sek(amount: int | None, *, of: tuple[str, ...] | list[str] = ()) -> Cell:
    """Kronor. Money is not a head count: it is always shown (`core.disclosure`)."""
    return cell(int(amount or 0), kind=SEK, of=of)


def settled(protected: D.Cell) -> Cell:
    """A cell already protected with its own tables (a survey's share from its round's results)."""
    return {"settled": protected}


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


def _all_rows(t: Table) -> list[Row]:
    return t["rows"] + ([t["total"]] if t.get("total") else [])


def _figure(c: Cell, figure_id: str | None = None) -> D.Figure | D.Cell:
    if "settled" in c:
        return c["settled"]
    return D.Figure(c["value"], D.Kind(c["kind"]), c.get("people"), tuple(c.get("also", ())), tuple(c.get("of", ())),
                    id=c.get("id") or figure_id)


def _core_tables(tables: list[Table]) -> list[D.Table]:
    """The raw tables as `core.disclosure` tables; a key figure (`ref`) becomes the very figure
    it refers to (one id), or "–" when the report has no such table."""
    raw = {(t["id"], r["key"], key): c for t in tables for r in _all_rows(t) for key, c in r["cells"].items()}
    targets = {tuple(c["ref"]) for t in tables for r in _all_rows(t) for c in r["cells"].values() if "ref" in c}

    def figure(table_id: str, row_key: str, key: str, c: Cell) -> D.Figure | D.Cell:
        if "ref" in c:
            target = tuple(c["ref"])
            if target not in raw:
                return D.settled(None, COUNT, NOT_APPLICABLE)
            found = _figure(raw[target], "/".join(target))  # the cell's own id, if it has one
            # the very figure of the table (one id): concealed with it, whatever it is computed from
            return replace(found, of=()) if isinstance(found, D.Figure) else found
        address = (table_id, row_key, key)
        return _figure(c, "/".join(address) if address in targets else None)

    def core_row(t: Table, r: Row) -> D.Row:
        return D.Row(r["key"], r["label"], {k: figure(t["id"], r["key"], k, c) for k, c in r["cells"].items()})

    return [D.Table(t["id"], [core_row(t, r) for r in t["rows"]],
                    total=core_row(t, t["total"]) if t.get("total") else None) for t in tables]


def _protected_table(t: Table, protected: D.ProtectedTable) -> Table:
    def done(r: Row, p: D.ProtectedRow) -> Row:
        return {**r, "cells": {k: c.as_dict() for k, c in p.cells.items()}}

    out = dict(t)
    out["rows"] = [done(r, p) for r, p in zip(t["rows"], protected.rows, strict=True)]
    if t.get("total") and protected.total is not None:
        out["total"] = done(t["total"], protected.total)
    return out


def suppress_tables(tables: list[Table]) -> list[Table]:
    """The tables, shown together, with the small-count rule applied to all of them in one pass
    (copies are returned)."""
    protected = D.protect(_core_tables(tables))
    return [_protected_table(t, protected[t["id"]]) for t in tables]


def suppress_table(t: Table) -> Table:
    """Apply the rule to one table (a copy is returned)."""
    return suppress_tables([t])[0]


def suppress(data: dict) -> dict:
    """The report's data with the small-count rule applied to every table and the key figures, in
    one pass. Every renderer takes this, never the raw data."""
    data = copy.copy(data)
    summary = [data["summary"]] if data.get("summary") else []
    sections = data.get("sections", [])
    done = iter(suppress_tables(summary + [t for s in sections for t in s["tables"]]))
    if summary:
        data["summary"] = next(done)
    data["sections"] = [dict(s, tables=[next(done) for _t in s["tables"]]) for s in sections]
    data["suppressed"] = True
    return data
