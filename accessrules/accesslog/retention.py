"""Retention (SPEC 7): recorded request ids and access-log rows older than their retention
(`ACCESS_LOG_RETENTION_DAYS`, `REQUEST_ID_RETENTION_DAYS`) are deleted, in batches, so that no
statement holds many rows' locks at once. `manage.py purge` runs it."""

import datetime
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils import timezone

from accessrules.models import AccessLogEntry, RequestId

BATCH = 5000


def targets() -> list[tuple[str, type, int]]:
    """(label, model, retention in days) of what is purged."""
    return [
        ("access-log rows", AccessLogEntry, settings.ACCESS_LOG_RETENTION_DAYS),
        ("request ids", RequestId, settings.REQUEST_ID_RETENTION_DAYS),
    ]


def expired(model, days: int, *, now: datetime.datetime | None = None):
    """The model's rows older than `days`."""
    now = now or timezone.now()
    return model.objects.filter(created_at__lt=now - datetime.timedelta(days=days))


def purge(model, days: int, *, progress: Callable[[int], None] | None = None) -> int:
    """Delete the model's rows older than `days` in batches of BATCH; returns how many."""
    deleted = 0
    for ids in _batches(expired(model, days)):
        deleted += model.objects.filter(pk__in=ids).delete()[0]
        if progress is not None:
            progress(deleted)
    return deleted


def _batches(old) -> Iterator[list]:
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        yield ids
