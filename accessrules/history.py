"""django-simple-history, as both services' models use it.

`HistoricalRecords` builds a new manager class (`HistoryManager.from_queryset`, with
`inspect.getmembers`) every time `instance.history` is read, which it does once per saved
history row: 0.5 ms of a confirmation's 7 ms (profiled). The classes it builds are the same
every time, so they are built once here; and so is the SQL of a new history row.
"""

import functools

from django.db import connections, models, router
from django.db.models import signals
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords

from accessrules.queries import insert_sql


class _HistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class _InsertOnce(models.Model):
    """The base of our historical models: a new history row is one INSERT whose SQL is built
    once per model and database, not compiled by the ORM for every row (0.4 ms of a
    confirmation's 5, profiled). Values are prepared as the ORM prepares them. Anything but a
    plain new row, or a model with save receivers of its own, is saved by the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        plain = not args and kwargs.keys() <= {"using"} and self._state.adding
        model = type(self)
        if not plain or self.pk is not None or _has_save_receivers(model):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(model, instance=self)
        connection = connections[using]
        sql, fields, returns_pk = _insert_statement(model, using)
        params = [
            field.get_db_prep_save(field.pre_save(self, True), connection) for field in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            pk = cursor.fetchone()[0] if returns_pk else cursor.lastrowid
        self.pk = pk
        self._state.adding, self._state.db = False, using
        return None


def _has_save_receivers(model) -> bool:
    return signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)


@functools.cache
def _insert_statement(model, using: str) -> tuple[str, list, bool]:
    connection = connections[using]
    pk = model._meta.pk
    fields = [f for f in model._meta.local_concrete_fields if f is not pk and not f.generated]
    returns_pk = connection.features.can_return_columns_from_insert
    suffix = f"RETURNING {connection.ops.quote_name(pk.column)}" if returns_pk else ""
    return insert_sql(model, [f.name for f in fields], suffix), fields, returns_pk


def historical_records(**options) -> HistoricalRecords:
    bases = [*options.pop("bases", []), _InsertOnce]
    return HistoricalRecords(history_manager=_HistoryManager, bases=bases, **options)
