"""Writing rows in bulk: COPY on PostgreSQL (tens of thousands of rows a second), `bulk_create`
elsewhere, with the ids the caller assigns and the sequences set after."""

from __future__ import annotations

import io
import json
import time
from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from officials.fields import EncryptedTextField, fernet


class RawJSON(str):
    """A JSON document already serialised (COPY writes it without serialising it again)."""


# ---------------------------------------------------------------- writing in bulk

_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))
_NULL = "\\N"


def _escape(text: str) -> str:
    """COPY's text format: backslash, tab, newline and carriage return escaped. (Faster than
    str.translate, which is slow on non-ASCII text.)"""
    for char, escaped in _ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def _copy_converter(field: models.Field):
    """How one column's Python value is written in COPY's text format."""
    if isinstance(field, EncryptedTextField):
        f = fernet()
        return lambda v: _NULL if v is None else (f.encrypt(v.encode()).decode() if v else "")
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return lambda v: _NULL if v is None else ("t" if v else "f")
    if kind == "JSONField":
        return lambda v: _escape(v if isinstance(v, RawJSON) else json.dumps(v, ensure_ascii=False))
    if kind in ("DateTimeField", "DateField"):
        return lambda v: _NULL if v is None else v.isoformat()
    if kind in ("CharField", "TextField", "SlugField"):
        return lambda v: _NULL if v is None else _escape(v)
    return lambda v: _NULL if v is None else str(v)


class Writer:
    """Inserts rows given as tuples of column values (attnames): COPY on PostgreSQL,
    `bulk_create` elsewhere. Keeps the rows and seconds per table for the summary."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.explicit_ids: list[type[models.Model]] = []

    def next_id(self, model: type[models.Model]) -> int:
        """The first free id; the caller assigns ids from it (sequences are reset at the end)."""
        self.explicit_ids.append(model)
        return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def insert(self, model: type[models.Model], columns: list[str], rows, chunk: int = 20_000) -> int:
        started, written, batch = time.perf_counter(), 0, []
        for row in rows:
            batch.append(row)
            if len(batch) >= chunk:
                written += self._flush(model, columns, batch)
                batch = []
        if batch:
            written += self._flush(model, columns, batch)
        stat = self.stats[model._meta.db_table]
        stat[0] += written
        stat[1] += time.perf_counter() - started
        return written

    def _flush(self, model, columns, rows) -> int:
        fields = [model._meta.get_field(c) for c in columns]
        if not self.postgres:
            values = [[json.loads(v) if isinstance(v, RawJSON) else v for v in row] for row in rows]
            model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in values],
                                      batch_size=500)
            return len(rows)
        # Django keeps defaults in Python, not in the table: the columns not given get them here.
        rest = [f for f in model._meta.concrete_fields
                if f.attname not in columns and not isinstance(f, models.AutoField)]
        now = timezone.now()
        tail = "".join("\t" + _copy_converter(f)(now if getattr(f, "auto_now", False)
                                                  or getattr(f, "auto_now_add", False) else f.get_default())
                       for f in rest)
        fields += rest
        convert = [_copy_converter(f) for f in fields[:len(columns)]]
        buffer = io.StringIO()
        write = buffer.write
        for row in rows:
            write("\t".join([c(v) for c, v in zip(convert, row, strict=True)]))
            write(tail + "\n")
        buffer.seek(0)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN", buffer)
        return len(rows)

    def reset_sequences(self) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(dict.fromkeys(self.explicit_ids))):
                cursor.execute(sql)
