"""Bulk writes and reads of many rows, faster than the ORM's (the register import and the CPR
event intake use them).

New rows go in with PostgreSQL COPY, as text built here (on other databases, bulk_create):
model instances, and psycopg's adaptation of each value, cost more than the database does.
Stored rows change through `update_rows`: one UPDATE ... FROM unnest(one array per column)
for any number of rows with their own values (bulk_update's CASE per row and column costs the
server a comparison per row for each row, and this process the building of it).
create_rows takes an iterator, so that the checking of the next rows overlaps the database's
work on those already sent. Ids of new rows that others refer to are reserved from the
table's sequence first (`new_ids`, one query), so nothing is read back. `where_in` reads the
stored rows for many keys in one query (chunked off PostgreSQL).

The one part of the core that needs Django's database layer (a connection, for COPY and the
sequences; model metadata, for the columns): no web framework, and none of our models.
"""

import datetime
import enum
import functools
import json
import operator
import uuid
from collections.abc import Callable, Iterable

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

BATCH_SIZE = 1000
COPY_BATCH = 5000  # rows per write: the server starts on them while the next are built


def key_of(key: tuple[str, ...]) -> Callable[[dict], tuple]:
    """attributes -> the natural key tuple (an itemgetter gives a bare value for one name)."""
    if len(key) == 1:
        [name] = key
        return lambda attributes: (attributes[name],)
    return operator.itemgetter(*key)


def new_ids(model, n: int) -> list[int] | None:
    """On PostgreSQL, n new ids from the model's identity sequence, in one query (so that rows
    can refer to rows not written yet); elsewhere None: the database numbers the rows as they
    are written."""
    if connection.vendor != "postgresql":
        return None
    return _reserve_ids(model, n) if n else []


def create_rows(model, rows: Iterable[dict]) -> list[dict]:
    """Insert the rows (a field a row does not name gets its default) and return them: on
    PostgreSQL as given (with their ids if they have them: see new_ids), elsewhere as saved
    (ids included). On PostgreSQL one COPY, `rows` consumed as the lines are sent, so that
    work an iterator does for each row overlaps the database's work on the rows before. A
    column with a database default (`db_default`: a random sort key) is left out of the COPY,
    so that the database computes it for each row, never one value for all."""
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        names = [f.attname for f in model._meta.concrete_fields]
        return [{name: getattr(obj, name) for name in names} for obj in objs]
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return []
    pk = model._meta.pk.attname
    defaults = field_defaults(model, timezone.now())
    if pk not in first:  # the database numbers them
        del defaults[pk]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[name].column) for name in defaults)
    line = _Lines(list(defaults), {name: copy_text(value) for name, value in defaults.items()})
    written = [first]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        batch = [line(first)]
        for row in rows:
            batch.append(line(row))
            written.append(row)
            if len(batch) >= COPY_BATCH:
                copy.write("".join(batch))
                batch = []
        copy.write("".join(batch))
    return written


class _Lines:
    """row -> its line of COPY text, one field per column: the row's value or the column's
    default. A template per set of names the rows have (one, mostly)."""

    def __init__(self, columns: list[str], default_text: dict[str, str]):
        self.columns, self.default_text = columns, default_text
        self.templates: dict[tuple, str] = {}

    def __call__(self, row: dict) -> str:
        names = tuple(row)
        template = self.templates.get(names)
        if template is None:
            template = self.templates[names] = self._template(names)
        return template.format(*map(copy_text, row.values()))

    def _template(self, names: tuple) -> str:
        if not set(names) <= set(self.columns):
            raise ValueError(f"not columns of the COPY: {sorted(set(names) - set(self.columns))}")
        position = {name: i for i, name in enumerate(names)}
        return (
            "\t".join(
                f"{{{position[c]}}}"
                if c in position
                else self.default_text[c].replace("{", "{{").replace("}", "}}")
                for c in self.columns
            )
            + "\n"
        )


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


_FORMATS = {
    str: _text,
    int: str,
    bool: lambda value: "t" if value else "f",
    type(None): lambda _value: "\\N",
    # the same few dates (and the import's timestamp) recur on many rows
    datetime.date: functools.lru_cache(maxsize=4096)(datetime.date.isoformat),
    datetime.datetime: functools.lru_cache(maxsize=4096)(datetime.datetime.isoformat),
    uuid.UUID: str,
    # a JSONField's value (the CPR event receipts): its JSON text, as jsonb reads it
    dict: lambda value: _text(json.dumps(value, ensure_ascii=False)),
    list: lambda value: _text(json.dumps(value, ensure_ascii=False)),
}


def copy_text(value) -> str:
    """A value as a field of PostgreSQL's COPY text format: what psycopg's write_row sends,
    without its adaptation per value (several times slower in Python)."""
    format_ = _FORMATS.get(type(value))
    if format_ is not None:
        return format_(value)
    if isinstance(value, enum.Enum):
        return copy_text(value.value)
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError("copy_text: binary values are not supported")
    if isinstance(value, datetime.date):  # and datetime: its own isoformat
        return value.isoformat()
    return _text(str(value))  # str and int subclasses, Decimal, float, UUID subclasses


def field_defaults(model, now) -> dict:
    """attname -> the value Django gives a column a new row does not name; a column the
    database fills itself (`db_default`) is not among them."""
    return {
        f.attname: _default(f, now) for f in model._meta.concrete_fields if not f.has_db_default()
    }


def _reserve_ids(model, n: int) -> list[int]:
    """n new ids from the sequence behind the model's identity column, in one query (as one
    array rather than a row per id). The sequence is looked up once, not per row (measured:
    bench/README.md)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(nextval(seq)) FROM"
            " CAST(pg_get_serial_sequence(%s, %s) AS regclass) seq, generate_series(1, %s)",
            [connection.ops.quote_name(table), column, n],
        )
        return cursor.fetchone()[0]


def analyze(*models) -> None:
    """On PostgreSQL, fresh planner statistics for the models' tables (ANALYZE samples
    30,000 rows, about a second for millions; in a transaction it counts that transaction's
    own rows too). Before a run of where_in lookups on a table that grew or was loaded since
    autovacuum last looked: on stale statistics (an empty table's, say) PostgreSQL hashes
    the whole table for each lookup instead of probing its index, and the import's re-run
    grew with the square of the document (measured: bench/README.md)."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(m._meta.db_table) for m in models))


def update_rows(model, fields: list[str], rows: Iterable[dict]) -> None:
    """Set `fields` (attnames) of stored rows, each row a dict of the primary key's attname
    and those fields, every pk at most once. On PostgreSQL one statement whatever the number of
    rows,

        UPDATE t SET f = v.f, ... FROM unnest(%s::bigint[], %s::date[], ...) AS v(id, f, ...)
        WHERE t.id = v.id

    each column's values one parameter, the text of an array of the column's type; elsewhere
    the ORM's bulk_update (in its batches). No signals, no history rows, as `update()`."""
    rows = list(rows)
    if not rows:
        return
    pk = model._meta.pk
    if connection.vendor != "postgresql":
        model.objects.bulk_update([model(**row) for row in rows], fields, batch_size=BATCH_SIZE)
        return
    columns = [pk] + [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = [quote(c.column) for c in columns]
    arrays = ", ".join(f"%s::{c.db_type(connection)}[]" for c in columns)
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    table = quote(model._meta.db_table)
    where = f"WHERE {table}.{names[0]} = v.{names[0]}"
    source = f"unnest({arrays}) AS v({', '.join(names)})"
    sql = f"UPDATE {table} SET {assignments} FROM {source} {where}"  # noqa: S608 (names, types)
    values = [
        "{" + ",".join(_array_element(c, row[c.attname]) for row in rows) + "}" for c in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def update_objects(model, fields: list[str], objects: Iterable) -> None:
    """`update_rows` of model instances: their primary key and `fields` (attnames) as they
    hold them now (what `bulk_update(objects, fields)` would store, in one statement)."""
    pk = model._meta.pk.attname
    update_rows(model, fields, ({pk: o.pk, **{f: getattr(o, f) for f in fields}} for o in objects))


def _array_element(field: models.Field, value) -> str:
    """One element of an array literal: NULL, or the value's text quoted (a JSONField's value
    as its JSON text, as jsonb reads it)."""
    if value is None:
        return "NULL"
    if isinstance(field, models.JSONField):
        return _array_item(json.dumps(value, ensure_ascii=False))
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # and datetime
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError("update_rows: binary values are not supported")
    return _array_item(str(value))


WHERE_IN_CHUNK = 500  # values per query elsewhere than on PostgreSQL (SQLite: 999 parameters)


def where_in(queryset, field: str, values) -> list:
    """The rows of `queryset.filter(<field>__in=values)`. On PostgreSQL in one query with the
    values as one array parameter, not one parameter each (a long IN list is parsed and
    planned anew each time), sent as an array literal (psycopg adapts a list value by value,
    several times slower); elsewhere in chunks of WHERE_IN_CHUNK values."""
    values = list(values)
    if not values:  # e.g. the relations of citizens this import created: none can exist
        return []
    if connection.vendor != "postgresql":
        rows = []
        for start in range(0, len(values), WHERE_IN_CHUNK):
            chunk = values[start : start + WHERE_IN_CHUNK]
            rows += queryset.filter(**{f"{field}__in": chunk})
        return rows
    db_type = queryset.model._meta.get_field(field).db_type(connection)
    array = RawSQL(  # noqa: S611 (a field's type)
        f"SELECT unnest(%s::{db_type}[])", (_array_literal(values) or values,)
    )
    return list(queryset.filter(**{f"{field}__in": array}))


class InArray(models.Lookup):
    """`column = ANY(%s::type[])`: a filter on many values with one parameter, the text of the
    array, where `__in` sends a placeholder per value (which Django builds and psycopg splits
    and adapts one by one: for 500 values a few ms of this process per query). The plan is
    the same as IN's (a constant array). PostgreSQL only: see `any_of`."""

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        db_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{db_type}[])", [*params, _array_literal(values) or values]


def any_of(field: str, values) -> models.Q | InArray:
    """The filter `<field>__in=values`: on PostgreSQL as one array parameter (`InArray`),
    elsewhere as `__in`."""
    if connection.vendor != "postgresql":
        return models.Q(**{f"{field}__in": values})
    return InArray(models.F(field), list(values))


def _array_literal(values: list) -> str | None:
    """PostgreSQL's text of an array of these ints, UUIDs or strings; None for other values."""
    kinds = set(map(type, values))
    if kinds <= {int, uuid.UUID}:
        return "{" + ",".join(map(str, values)) + "}"
    if kinds == {str}:
        return "{" + ",".join(map(_array_item, values)) + "}"
    return None


def _array_item(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _default(field: models.Field, now):
    """The value Django gives a column the row does not name."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return now
    value = field.get_default()
    return value.value if isinstance(value, enum.Enum) else value
