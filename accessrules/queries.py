"""Small query helpers shared by the apps."""

import functools
from collections.abc import Callable
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.models import Field, Model, QuerySet, signals
from django.db.models.query import get_related_populators

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
    return _citizen_lookup(related).get(cpr)


@functools.cache
def _citizen_lookup(related: tuple[str, ...]) -> "CompiledLookup":
    return CompiledLookup(
        lambda cpr: Borger.objects.select_related(*related).filter(cpr=cpr),
        field=Borger._meta.get_field("cpr"),
        stand_in="9999999999",
    )


def insert_sql(model: type[Model], fields: list[str], suffix: str = "") -> str:
    """`INSERT INTO <table> (<columns>) VALUES (%s, ...) <suffix>` for the model's fields, for
    hot-path single-row writes where the ORM's insert costs more than the write itself. Only
    the model's own table and column names go into the text; values are parameters."""
    meta = model._meta
    columns = ", ".join(meta.get_field(name).column for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders}) {suffix}".strip()  # noqa: S608


class CompiledLookup:
    """A one-row ORM lookup by one value, compiled to SQL once per process and database alias.

    The ORM compiles a queryset to SQL every time it runs: 0.3-0.6 ms for a lookup with joins,
    more than the database takes to answer it (profiled). `build(value)` gives the queryset;
    its SQL differs between calls only in the value, so it is compiled once, with `stand_in`,
    and then run with each call's value as a parameter (prepared as the ORM prepares it for
    `field`). The row becomes a model instance with its select_related objects the way the
    ORM's own iterator makes it (`from_db` and Django's related populators).
    `select_for_update` querysets must first run inside a transaction, as in the ORM.
    """

    def __init__(self, build: Callable[[object], QuerySet], *, field: Field, stand_in: object):
        self.build, self.field, self.stand_in = build, field, stand_in
        self._compiled: dict[str, _Compiled] = {}

    def get(self, value: object, *, using: str = DEFAULT_DB_ALIAS) -> Model | None:
        connection = connections[using]
        compiled = self._compiled.get(using) or self._compile(using)
        params = list(compiled.params)
        params[compiled.value_at] = self.field.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, (converters, expression) in compiled.converters.items():
            for converter in converters:
                row[position] = converter(row[position], expression, connection)
        start, end = compiled.model_columns
        instance = compiled.model.from_db(using, compiled.init_list, row[start:end])
        for populator in compiled.related_populators:
            populator.populate(row, instance)
        return instance

    def _compile(self, using: str) -> "_Compiled":
        connection = connections[using]
        compiler = self.build(self.stand_in).order_by()[:1].query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        stand_in = self.field.get_db_prep_value(self.stand_in, connection)
        if list(params).count(stand_in) != 1:
            raise ValueError(f"the stand-in must occur once among the parameters: {params!r}")
        klass_info, select = compiler.klass_info, compiler.select
        if compiler.annotation_col_map or compiler.query.extra_select:
            raise ValueError("annotations and extra columns are not supported")
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        compiled = _Compiled(
            sql=sql,
            params=tuple(params),
            value_at=list(params).index(stand_in),
            model=klass_info["model"],
            model_columns=(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            related_populators=get_related_populators(klass_info, select, using),
            converters=compiler.get_converters([column[0] for column in select]),
        )
        self._compiled[using] = compiled
        return compiled


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    value_at: int
    model: type[Model]
    model_columns: tuple[int, int]
    init_list: list[str]
    related_populators: list
    converters: dict


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
