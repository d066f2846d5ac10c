"""Bulk upsert by natural key: one query to read what exists, then bulk create and update.

New rows go in with PostgreSQL COPY (on other databases, bulk_create): building a model
instance per row costs more than the database does. Callers that need the new rows as
instances (with their ids) ask for them with `need_instances`: one more query.
"""

import enum

from django.db import connection, models
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
    need_instances: bool = False,
) -> dict:
    """rows: (where, attributes) pairs. Attributes in `key` find the stored row; every other
    attribute is compared and updated. Returns natural key -> instance (for new rows only
    with `need_instances`, which needs a single-attribute key)."""
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
    create_rows(model, to_create)
    if to_update:
        model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    if need_instances and to_create:
        (attribute,) = key
        created = model.objects.filter(**{f"{attribute}__in": [r[attribute] for r in to_create]})
        index.update({(getattr(obj, attribute),): obj for obj in created})
        if model._meta.model_name == "borger":
            ctx.new_borger_ids.update(obj.pk for obj in created)
    ctx.count(kind, "created", len(to_create))
    ctx.count(kind, "updated", len(to_update))
    ctx.count(kind, "unchanged", len(rows) - len(to_create) - len(to_update))
    return index


def create_rows(model, rows: list[dict]) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE)
        return
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in rows[0])
    ]
    now = timezone.now()
    defaults = {f.attname: _default(f, now) for f in fields if f.attname not in rows[0]}
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])


def _default(field: models.Field, now):
    """The value Django gives a column the row does not name."""
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        return now
    value = field.get_default()
    return value.value if isinstance(value, enum.Enum) else value
