"""The access log (SPEC 7): one row per API call on a citizen's data, written before the answer
leaves, so that a worker killed after answering has lost no row. The admin writes its rows
(a caseworker opening or finding a citizen) through the same `write`, with the Django user on
the caller.

A write's row is written in the write's own transaction (it commits with the write or not at
all); any other row (a read, a refused write after its rollback) is one INSERT in autocommit:
one round trip, its own implicit transaction (issue 23: no BEGIN, SET LOCAL, COMMIT). On
PostgreSQL that transaction commits at the level `ACCESS_LOG_SYNCHRONOUS_COMMIT` (issue 24:
`remote_write` by default, so that with Patroni's synchronous standby an answered read's row
survives the loss of the primary): the INSERT reads its values `FROM
set_config('synchronous_commit', %s, true)`, a setting local to the statement's own
transaction, read when it commits and gone after it, so the connection's next statements
commit as before and it holds behind a transaction-pooling PgBouncer. The row is in
PostgreSQL (and, at `remote_write` or `on`, on the synchronous standby) before the answer is
sent; what each level can lose: docs/operations.md, "The access log's durability".
A row that cannot be written raises AccessLogUnavailable: the API answers 503, never silently
without a row.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from accessrules.core.caller import Caller
from accessrules.models import AccessLogEntry, Borger

logger = logging.getLogger(__name__)


class AccessLogUnavailable(Exception):
    """The access-log row could not be written: the call must not be answered as done."""


def write(
    *,
    handling: str,
    caller: Caller | None,
    borger: Borger | None,
    outcome: int,
    error_code: int | None,
) -> None:
    entry = AccessLogEntry(
        created_at=timezone.now(),
        handling=handling,
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
        elif connection.vendor == "postgresql":
            insert_in_autocommit(entry, settings.ACCESS_LOG_SYNCHRONOUS_COMMIT)
        else:
            entry.save(force_insert=True)  # autocommit: the INSERT alone (the demo's SQLite)
    except DatabaseError as exc:
        logger.error("Could not write the access-log row for %s: %s", handling, exc)
        raise AccessLogUnavailable from exc


# Each value cast to its column's type: with server-side binding the parameters of a SELECT
# have no type of their own. The level is a parameter too: one statement text, prepared once
# per connection whatever the level.
_INSERT_IN_AUTOCOMMIT = (
    "INSERT INTO accessrules_accesslogentry (created_at, operation, client_id, organisation_id, "
    "user_id, borger_id, outcome, error_code, request_id) "
    "SELECT %s::timestamptz, %s::varchar, %s::bigint, %s::bigint, %s::integer, %s::bigint, "
    "%s::smallint, %s::integer, %s::varchar FROM set_config('synchronous_commit', %s::text, true)"
)


def insert_in_autocommit(entry: AccessLogEntry, synchronous_commit: str) -> None:
    """The row as one statement in autocommit, committed at `synchronous_commit` (PostgreSQL)."""
    params = [
        entry.created_at,
        entry.handling,
        entry.client_id,
        entry.organisation_id,
        entry.user_id,
        entry.borger_id,
        entry.outcome,
        entry.error_code,
        entry.request_id,
        synchronous_commit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_IN_AUTOCOMMIT, params)
