"""Small query helpers shared by the apps."""

import functools

from django.db import DatabaseError, connections, router, transaction
from django.db.models import Model, QuerySet, signals

from accessrules.compiled import compiled_once
from accessrules.cpr import NULL_CPR
from accessrules.models import Borger


def one_or_none(queryset: QuerySet) -> Model | None:
    """The row a unique lookup names, or None.

    Unlike `.first()` it adds no ORDER BY: on a hot path that ordering is compiled by the ORM
    and sorted by the database on every call, for a result of at most one row.
    """
    return next(iter(queryset.order_by()[:1]), None)


def citizen_by_cpr(cpr: str, related: tuple[str, ...] = ()) -> Borger | None:
    """The Borger a CPR names, with `related` (select_related), or None (also for NULL_CPR,
    which names nobody)."""
    if cpr == NULL_CPR:
        return None
    return one_or_none(compiled_once(Borger.objects.select_related(*related)).filter(cpr=cpr))


def insert_sql(model: type[Model], fields: list[str], suffix: str = "") -> str:
    """`INSERT INTO <table> (<columns>) VALUES (%s, ...) <suffix>` for the model's fields, for
    hot-path single-row writes where the ORM's insert costs more than the write itself. Only
    the model's own table and column names go into the text; values are parameters."""
    meta = model._meta
    columns = ", ".join(meta.get_field(name).column for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders}) {suffix}".strip()  # noqa: S608


def save_fields(instance: Model, fields: list[str]) -> None:
    """`instance.save(update_fields=fields)` for a plain (no parents, no proxy) model on the hot
    path: the same pre_save and post_save signals (so django-simple-history writes the history
    row), one UPDATE by primary key whose SQL is built once per model and fields instead of
    compiled by the ORM on every save. Raises DatabaseError when no row was updated, as the
    ORM does."""
    model, update_fields = type(instance), frozenset(fields)
    if model._meta.parents or model._meta.proxy:
        raise TypeError(f"{model.__name__}: save_fields is for plain models")
    using = instance._state.db or router.db_for_write(model, instance=instance)
    connection = connections[using]
    signals.pre_save.send(
        sender=model, instance=instance, raw=False, using=using, update_fields=update_fields
    )
    sql, targets = _update_statement(model, tuple(fields), using)
    params = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in targets
    ]
    params.append(model._meta.pk.get_db_prep_value(instance.pk, connection))
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    instance._state.db, instance._state.adding = using, False
    signals.post_save.send(
        sender=model,
        instance=instance,
        created=False,
        update_fields=update_fields,
        raw=False,
        using=using,
    )


@functools.cache
def _update_statement(model: type[Model], fields: tuple[str, ...], using: str) -> tuple[str, list]:
    quote = connections[using].ops.quote_name
    targets = [model._meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in targets)
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s", targets  # noqa: S608
