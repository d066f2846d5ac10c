"""The access log (SPEC 7): one row per API call on a citizen's data, written before the answer
leaves, so that a worker killed after answering has lost no row. The admin writes its rows
(a caseworker opening or finding a citizen) through the same `write`, with the Django user on
the caller.

A write's row is written in the write's own transaction (it commits with the write or not at
all); any other row (a read, a refused write after its rollback) in a transaction of its own.
On PostgreSQL that transaction commits asynchronously (`SET LOCAL synchronous_commit TO OFF`,
setting `ACCESS_LOG_ASYNC_COMMIT`): the row is in PostgreSQL before the answer is sent, and
only a crash of the database server itself can lose the last ~0.6 s of such rows. `SET LOCAL`
lives inside the transaction, so it also holds behind a transaction-pooling PgBouncer.
A row that cannot be written raises AccessLogUnavailable: the API answers 503, never silently
without a row.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accessrules.core.caller import Caller
from accessrules.models import AccessLogEntry, Borger

logger = logging.getLogger(__name__)


class AccessLogUnavailable(Exception):
    """The access-log row could not be written: the call must not be answered as done."""


def write(
    *,
    operation: str,
    caller: Caller | None,
    borger: Borger | None,
    outcome: int,
    error_code: int | None,
) -> None:
    entry = AccessLogEntry(
        created_at=timezone.now(),
        operation=operation,
        client=caller.client if caller else None,
        organisation=caller.organisation if caller else None,
        user=caller.user if caller else None,  # a caseworker in the admin
        borger=borger,
        outcome=outcome,
        error_code=error_code,
        request_id=(caller.request_id if caller else None) or "",  # valid when read: fits
    )
    try:
        if connection.in_atomic_block:  # the write's own transaction
            entry.save(force_insert=True)
            return
        with transaction.atomic():
            if connection.vendor == "postgresql" and settings.ACCESS_LOG_ASYNC_COMMIT:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            entry.save(force_insert=True)
    except DatabaseError as exc:
        logger.error("Could not write the access-log row for %s: %s", operation, exc)
        raise AccessLogUnavailable from exc
