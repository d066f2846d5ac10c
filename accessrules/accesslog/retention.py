"""Retention (SPEC 7): recorded request ids and access-log rows older than their retention
(`ACCESS_LOG_RETENTION_DAYS`, `REQUEST_ID_RETENTION_DAYS`) are removed. `manage.py purge` runs it.

On PostgreSQL the access log's daily partitions wholly older than the retention are dropped,
all in one statement (accesslog.partitions: no row by row, no dead rows), so a row stays at
most a day past it; rows the DEFAULT partition holds past it, and everything else, are
deleted in batches of BATCH, so that no statement holds many rows' locks at once.
"""

import datetime
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils import timezone

from accessrules.accesslog import partitions
from accessrules.models import AccessLogEntry, RequestId

BATCH = 5000


def targets() -> list[tuple[str, type, int]]:
    """(label, model, retention in days) of what is purged."""
    return [
        ("access-log rows", AccessLogEntry, settings.ACCESS_LOG_RETENTION_DAYS),
        ("request ids", RequestId, settings.REQUEST_ID_RETENTION_DAYS),
    ]


def cutoff(days: int, *, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=days)


def expired(model, days: int, *, now: datetime.datetime | None = None):
    """The model's rows that purge removes now: older than `days`, except, in the partitioned
    access log, the rows of the partition the cutoff falls in (dropped whole the next day)."""
    old = model.objects.filter(created_at__lt=cutoff(days, now=now))
    if model is AccessLogEntry and partitions.enabled():
        return old.filter(created_at__lt=partitions.droppable_before(cutoff(days, now=now)))
    return old


def purge(model, days: int, *, progress: Callable[[int], None] | None = None) -> int:
    """Remove the model's expired rows; returns how many (a dropped partition's rows as
    PostgreSQL's statistics estimate them)."""
    removed = 0
    if model is AccessLogEntry and partitions.enabled():
        removed += partitions.drop_expired(cutoff(days))
        if progress is not None:
            progress(removed)
    for ids in _batches(expired(model, days)):
        removed += model.objects.filter(pk__in=ids).delete()[0]
        if progress is not None:
            progress(removed)
    return removed


def _batches(old) -> Iterator[list]:
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        yield ids
