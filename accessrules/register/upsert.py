"""Bulk upsert by natural key: one query to read what exists, then bulk create and update.

New rows go in with PostgreSQL COPY (on other databases, bulk_create): building a model
instance per row costs more than the database does. Their ids are reserved from the table's
sequence first (one query for all), so callers get every row's id without reading the rows
back.
"""

import enum
from typing import NamedTuple

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accessrules.register.framework import ImportContext, RecordError

BATCH_SIZE = 1000


def upsert(
    ctx: ImportContext,
    *,
    kind: str,
    model,
    rows: list[tuple[str, dict]],
    key: tuple[str, ...],
    existing,
    need_ids: bool = False,
) -> "Upserted":
    """rows: (where, attributes) pairs. Attributes in `key` find the stored row; every other
    attribute is compared and updated. Returns the new rows and, with `need_ids`, every row's
    id by natural key."""
    index = {tuple(getattr(obj, k) for k in key): obj for obj in existing}
    seen: set[tuple] = set()
    to_create, to_update, changed_fields = [], [], set()
    for where, attributes in rows:
        natural_key = tuple(attributes[k] for k in key)
        if natural_key in seen:
            raise RecordError(where, f"duplicate {kind} {natural_key!r} in the document")
        seen.add(natural_key)
        obj = index.get(natural_key)
        if obj is None:
            to_create.append(attributes)
            continue
        changes = {name: value for name, value in attributes.items() if getattr(obj, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(obj, name, value)
            changed_fields |= set(changes)
            to_update.append(obj)
    created = create_rows(model, to_create, with_ids=need_ids)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    ids = {}
    if need_ids:
        ids = {natural_key: obj.pk for natural_key, obj in index.items() if natural_key in seen}
        pk = model._meta.pk.attname
        ids.update({tuple(row[k] for k in key): row[pk] for row in created})
    ctx.count(kind, "created", len(to_create))
    ctx.count(kind, "updated", len(to_update))
    ctx.count(kind, "unchanged", len(rows) - len(to_create) - len(to_update))
    return Upserted(ids, created)


class Upserted(NamedTuple):
    ids: dict[tuple, int]  # with need_ids: natural key -> id, for every row of the call
    created: list[dict]  # the new rows' attributes (with their ids when known)


def create_rows(model, rows: list[dict], *, with_ids: bool = False) -> list[dict]:
    """Insert the rows (a field a row does not name gets its default). Returns the rows, each
    with its id when the model's id is given or `with_ids` asks for the auto ids (elsewhere
    than on PostgreSQL: the saved instances' values)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        names = [f.attname for f in model._meta.concrete_fields]
        return [{name: getattr(obj, name) for name in names} for obj in objs]
    pk = model._meta.pk.attname
    fields = model._meta.concrete_fields
    if pk not in rows[0]:
        if with_ids:  # reserve one per row from the identity's sequence
            ids = iter(_reserve_ids(model, len(rows)))
            rows = [{**row, pk: next(ids)} for row in rows]
        else:  # the database numbers them
            fields = [f for f in fields if f.attname != pk]
    names = [f.attname for f in fields]
    defaults = field_defaults(model, timezone.now())
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])
    return rows


def field_defaults(model, now) -> dict:
    """attname -> the value Django gives a column a new row does not name."""
    return {f.attname: _default(f, now) for f in model._meta.concrete_fields}


def _reserve_ids(model, n: int) -> list[int]:
    """n new ids from the sequence behind the model's identity column, in one query (as one
    array: 2,000 result rows cost more than the sequence does)."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, %s))) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, n],
        )
        return cursor.fetchone()[0]


def where_in(queryset, field: str, values) -> models.QuerySet:
    """`queryset.filter(<field>__in=values)`; on PostgreSQL with the values as one array
    parameter, not one parameter each: a 2,000-item IN list is parsed and planned anew for
    every chunk (28 ms, most of a fresh import's lookups)."""
    values = list(values)
    if not values:  # e.g. the relations of citizens this import created: none can exist
        return queryset.none()
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    db_type = queryset.model._meta.get_field(field).db_type(connection)
    array = RawSQL(f"SELECT unnest(%s::{db_type}[])", (values,))  # noqa: S611 (a field's type)
    return queryset.filter(**{f"{field}__in": array})


def _default(field: models.Field, now):
    """The value Django gives a column the row does not name."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return now
    value = field.get_default()
    return value.value if isinstance(value, enum.Enum) else value
