"""Short lists folded into one query.

A page about one object (the case page: its status changes, notes, contacts, documents, the
measures' steps, the alarm events…) shows many short lists, and a query for each would make the
page's cost grow with every app that adds one. A `Section` describes such a list once — a
queryset of the object's rows and the fields to read — and gives it in two ways:

    section.column()        # a JSON-array column to annotate onto the object's own query
    section.rows(obj)       # the rows as dicts: from that column when the object has it,
                            # otherwise by a query of their own (one)

so the case page reads every section in the query that fetches the case, while any other caller
(a test, another page) still gets the same rows from a plain object. The values come back typed as
the model's fields (aware datetimes, dates, decimals, booleans) whichever way they were read.
PostgreSQL and SQLite only (JSONB_AGG / JSON_GROUP_ARRAY).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import NotSupportedError
from django.db.models import Expression, F, Func, JSONField, Model, OuterRef, QuerySet, Subquery
from django.utils.dateparse import parse_date, parse_datetime

_ALIAS = "section_row"  # the inner SELECT's one column, named in the templates below


class _Row(Func):
    """A row's values as one JSON array (its keys are known in Python: `Section.fields`)."""

    output_field = JSONField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("Sections need PostgreSQL or SQLite.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_ARRAY", **extra_context)


class JSONRows(Subquery):
    """The rows of a (correlated) queryset as one JSON array of `_Row` arrays; `[]` when there
    are none."""

    output_field = JSONField()

    def __init__(self, queryset: QuerySet, values: Sequence):
        super().__init__(queryset.order_by().values(**{_ALIAS: _Row(*values)}))

    def as_sql(self, compiler, connection, template=None, **extra_context):
        raise NotSupportedError("Sections need PostgreSQL or SQLite.")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(SELECT COALESCE(JSONB_AGG(_r.\"section_row\"), '[]'::jsonb) FROM (%(subquery)s) _r)"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # A JSON value loses its JSON subtype when it leaves the inner SELECT: JSON() restores it.
        template = "(SELECT JSON_GROUP_ARRAY(JSON(_r.\"section_row\")) FROM (%(subquery)s) _r)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


_compiled: dict[tuple, tuple[str, tuple]] = {}


class _SharedColumn(Expression):
    """A shared section's JSON-array column, compiled once per process and database: building
    and compiling a correlated subquery costs Django more than running it, and a shared section's
    SQL depends on nothing but its name and the outer table."""

    output_field = JSONField()

    def __init__(self, section: Section):
        super().__init__()
        self.section = section

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self  # resolved against the outer query when first compiled (`as_sql`)

    def get_group_by_cols(self):
        return []

    def as_sql(self, compiler, connection):
        key = (connection.alias, connection.vendor, compiler.query.get_initial_alias(), self.section.name)
        if key not in _compiled:
            column = JSONRows(self.section.rows_of(OuterRef("pk")), self.section.fields.values())
            sql, params = compiler.compile(column.resolve_expression(compiler.query))
            _compiled[key] = (sql, tuple(params))
        sql, params = _compiled[key]
        return sql, list(params)


def _aware(value: str) -> dt.datetime | None:
    parsed = parse_datetime(value)
    if parsed is not None and parsed.tzinfo is None:  # SQLite keeps UTC without an offset
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": lambda v: _aware(v) if isinstance(v, str) else v,
    "DateField": lambda v: parse_date(v) if isinstance(v, str) else v,
    "DecimalField": lambda v: Decimal(str(v)),
    "BooleanField": bool,
}
_types: dict[tuple[type[Model], str], str] = {}
_converters: dict[str, list[Callable[[Any], Any] | None]] = {}


class Section:
    """A list of an object's rows, read as dicts with the keys of `fields` (each a field path
    such as "actor__first_name", or an expression). `rows_of(ref)` gives the queryset of the rows of
    the object `ref` — a primary key, or OuterRef("pk") when the section is folded into the
    object's query. `order` sorts the dicts (a leading "-" for descending).

    The name is the attribute the folded column lands on, and stands for one shape of rows: a
    section that reads differently for different people (only shared notes, say) takes a name of
    its own for each way. `shared=True` when the queryset depends on nothing but the name — no
    person's id, party or other value of the request in it, only what the name already says —
    so that its SQL is compiled once per process instead of on every page."""

    def __init__(self, name: str, rows_of: Callable[[Any], QuerySet], /, *, order: Sequence[str] = (),
                 shared: bool = False, **fields):
        self.name = name
        self.rows_of = rows_of
        self.order = tuple(order)
        self.shared = shared
        self.fields = fields

    def column(self) -> Expression:
        if self.shared:
            return _SharedColumn(self)
        return JSONRows(self.rows_of(OuterRef("pk")), self.fields.values())

    def rows(self, obj) -> list[dict[str, Any]]:
        raw = obj.__dict__.get(self.name)
        if raw is None:
            raw = list(self.rows_of(obj.pk).order_by().values_list(_Row(*self.fields.values()), flat=True))
        return self.decode(raw)

    def decode(self, raw: list[list[Any]]) -> list[dict[str, Any]]:
        keys = list(self.fields)
        converters = [(index, converter) for index, converter in enumerate(self._converters())
                      if converter is not None]
        rows = []
        for values in raw:
            values = list(values)  # the column's own lists stay as read, for a second reader
            for index, converter in converters:
                if values[index] is not None:
                    values[index] = converter(values[index])
            rows.append(dict(zip(keys, values, strict=True)))
        for key in reversed(self.order):
            name = key.lstrip("-")
            rows.sort(key=lambda row: (row[name] is not None, row[name]), reverse=key.startswith("-"))
        return rows

    def _converters(self) -> list[Callable[[Any], Any] | None]:
        if self.name not in _converters:
            queryset = self.rows_of(0)
            _converters[self.name] = [_CONVERTERS.get(_field_type(queryset, path)) for path in self.fields.values()]
        return _converters[self.name]


def _field_type(queryset: QuerySet, path) -> str:
    if not isinstance(path, str):
        return path.output_field.get_internal_type()
    cache_key = (queryset.model, path)
    if cache_key not in _types:
        query = queryset.query.clone()
        _types[cache_key] = F(path).resolve_expression(query).output_field.get_internal_type()
    return _types[cache_key]


def person(key: str, path: str) -> dict[str, str]:
    """The fields to read for a person's name (`path` to a user), as keys `<key>_first`, … (see
    `person_name`)."""
    return {f"{key}_first": f"{path}__first_name", f"{key}_last": f"{path}__last_name",
            f"{key}_username": f"{path}__username"}


def person_name(row: dict[str, Any], key: str) -> str:
    """The display name of the person read by `person(key, …)`; "" when there is none."""
    if row.get(f"{key}_username") is None:
        return ""
    from django.contrib.auth import get_user_model

    return get_user_model()(first_name=row[f"{key}_first"] or "", last_name=row[f"{key}_last"] or "",
                            username=row[f"{key}_username"]).display_name()
