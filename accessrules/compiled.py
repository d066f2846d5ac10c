"""Querysets whose SQL is compiled once per shape: `compiled_once(queryset)`.

Django compiles a queryset to SQL every time it runs it: 0.3-0.8 ms for our hot lookups and the
BorgerFlytte page, more than PostgreSQL takes to answer them (profiled). Two runs of the same
code differ only in their filter values, so the SQL of each *shape* is kept: the model, the
tables and joins, select_related, the columns (only/defer), the filters (column, lookup and,
where the SQL depends on it, the value), the ordering, the slice and any row lock. Each run
still builds its queryset as usual and computes its own parameters, each by its filter's own
lookup (so prepared exactly as the ORM prepares them), then runs the kept SQL and makes the
instances the way the ORM's model iterator does.

Only plain shapes are kept: filters by `=`, `<`, `<=`, `>`, `>=` of a column and a value, under
any AND/OR/NOT. Anything else (subqueries, expressions, `in`, `isnull`, annotations, extra,
distinct, unions, related managers) is compiled by the ORM as usual. A shape whose compiled
parameters are not exactly its filters' is never kept. At most `MAX_SHAPES` per process.
"""

import threading
from typing import NamedTuple

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.where import WhereNode

MAX_SHAPES = 1000
_PLAIN_LOOKUPS = (Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual)
_NOT_KEPT = object()
_shapes: dict[tuple, "_Shape | object"] = {}
_lock = threading.Lock()


def compiled_once(queryset: QuerySet) -> QuerySet:
    """The queryset, run with SQL compiled once per shape (and so its clones: filter, order_by,
    slicing...). values() and values_list() are compiled as usual."""
    clone = queryset._chain()
    clone._iterable_class = CompiledOnceModelIterable
    return clone


class _Shape(NamedTuple):
    sql: str
    model: type[Model]
    model_columns: tuple[int, int]
    init_list: list[str]
    related_populators: list
    converters: dict


class CompiledOnceModelIterable(ModelIterable):
    def __iter__(self):
        queryset = self.queryset
        using = queryset.db
        connection = connections[using]
        query = queryset.query
        compiler = query.get_compiler(using=using)
        found = _key_and_params(queryset, compiler, connection)
        if found is None or (query.select_for_update and connection.get_autocommit()):
            yield from super().__iter__()  # as the ORM does (and raises) it
            return
        key, params = found
        try:
            shape = _shapes.get(key)
        except TypeError:  # a part of the shape Django keeps unhashable: not kept
            shape = _NOT_KEPT
        if shape is None:
            shape = _compile(key, params, compiler, using)
        if shape is _NOT_KEPT:
            yield from super().__iter__()
            return
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        start, end = shape.model_columns
        for row in rows:
            row = list(row)
            for position, (converters, expression) in shape.converters.items():
                for converter in converters:
                    row[position] = converter(row[position], expression, connection)
            instance = shape.model.from_db(using, shape.init_list, row[start:end])
            for populator in shape.related_populators:
                populator.populate(row, instance)
            yield instance


def _compile(key: tuple, params: list, compiler, using: str) -> "_Shape | object":
    sql, compiled_params = compiler.as_sql()
    klass_info, select = compiler.klass_info, compiler.select
    if list(compiled_params) != params or compiler.annotation_col_map or klass_info is None:
        shape = _NOT_KEPT
    else:
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        shape = _Shape(
            sql=sql,
            model=klass_info["model"],
            model_columns=(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            related_populators=get_related_populators(klass_info, select, using),
            converters=compiler.get_converters([column[0] for column in select]),
        )
    with _lock:
        if len(_shapes) >= MAX_SHAPES:
            _shapes.clear()
        _shapes[key] = shape
    return shape


def _key_and_params(queryset: QuerySet, compiler, connection) -> tuple[tuple, list] | None:
    """The queryset's shape and its parameters in SQL order, or None when it is not plain."""
    query = queryset.query
    if (
        queryset._known_related_objects
        or query.annotations
        or query.extra
        or query.extra_order_by
        or query.combinator
        or query.distinct
        or query.group_by is not None
        or not all(isinstance(name, str) for name in query.order_by)
    ):
        return None
    params: list = []
    where = _where_shape(query.where, compiler, connection, params)
    if where is None:
        return None
    joins = tuple(
        (alias, join.identity, getattr(join, "join_type", None))
        for alias, join in query.alias_map.items()
    )
    select_related = _frozen(query.select_related)
    key = (
        connection.alias,
        query.model,
        joins,
        where,
        select_related,
        (frozenset(query.deferred_loading[0]), query.deferred_loading[1]),
        query.order_by,
        query.default_ordering,
        query.standard_ordering,
        query.low_mark,
        query.high_mark,
        query.select_for_update,
        query.select_for_update_of,
        query.select_for_update_nowait,
        query.select_for_update_skip_locked,
    )
    return key, params


def _where_shape(node, compiler, connection, params: list):
    if isinstance(node, WhereNode):
        if node.contains_aggregate or node.contains_over_clause:
            return None
        children = []
        for child in node.children:
            shape = _where_shape(child, compiler, connection, params)
            if shape is None:
                return None
            children.append(shape)
        return (node.connector, node.negated, tuple(children))
    if not isinstance(node, _PLAIN_LOOKUPS) or not isinstance(node.lhs, Col):
        return None
    if node.bilateral_transforms or hasattr(node.rhs, "resolve_expression"):
        return None
    _sql, rhs_params = node.process_rhs(compiler, connection)
    params.extend(rhs_params)
    # A boolean value can change the SQL itself (`col` / `NOT col`): it is part of the shape.
    value_in_shape = node.rhs if isinstance(node.rhs, bool) else None
    return (type(node), node.lhs.alias, node.lhs.target.column, len(rhs_params), value_in_shape)


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((name, _frozen(inner)) for name, inner in value.items()))
    return value
