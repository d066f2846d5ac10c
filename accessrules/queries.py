"""Small query helpers shared by the apps."""

from django.db.models import Model, QuerySet

from accessrules.cpr import NULL_CPR
from accessrules.models import Borger


def one_or_none(queryset: QuerySet) -> Model | None:
    """The row a unique lookup names, or None.

    Unlike `.first()` it adds no ORDER BY: on a hot path that ordering is compiled by the ORM
    and sorted by the database on every call, for a result of at most one row.
    """
    return next(iter(queryset.order_by()[:1]), None)


def citizen_by_cpr(cpr: str, queryset: QuerySet | None = None) -> Borger | None:
    """The Borger a CPR names, or None (also for NULL_CPR, which names nobody)."""
    if cpr == NULL_CPR:
        return None
    return one_or_none((Borger.objects.all() if queryset is None else queryset).filter(cpr=cpr))


def insert_sql(model: type[Model], fields: list[str], suffix: str = "") -> str:
    """`INSERT INTO <table> (<columns>) VALUES (%s, ...) <suffix>` for the model's fields, for
    hot-path single-row writes where the ORM's insert costs more than the write itself. Only
    the model's own table and column names go into the text; values are parameters."""
    meta = model._meta
    columns = ", ".join(meta.get_field(name).column for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {meta.db_table} ({columns}) VALUES ({placeholders}) {suffix}".strip()  # noqa: S608
