"""Reads on a standby (issue 24, item 4): the one place that decides where a call reads.

With `DATABASE_REPLICA_URL` set, the settings add the database alias `replica` (a streaming
standby, or several in libpq's multi-host form) and install `ReplicaRouter`. A call of one of
the read-only operations (`STANDBY_OPERATIONS`: the GETs and the list) then reads its data
from the standby when all of this holds, else from the primary (`reading`):

- the standby has replayed the caller's last write: after every write a client's call made
  (a POST, PUT, DELETE answered 2xx), the primary's WAL position (`pg_current_wal_lsn()`,
  after the COMMIT) is kept in the shared cache (Redis: `CACHE_URL`) under the client's id,
  and a read by that client, on any app server, goes to the standby only if its
  `pg_last_wal_replay_lsn()` is at or past it (API clients keep no cookies: the client's id
  is the key);
- the standby lags at most `DATABASE_REPLICA_MAX_LAG_SECONDS` (now minus the time of the
  last transaction it replayed: on a register whose every call writes an access-log row,
  a standby that stopped replaying or receiving is seen within seconds);
- the standby answers (one statement per call tells all three; a standby that is down or
  promoted sends the call to the primary).

Whatever the call reads on the standby, its access decision (`accessrules.access.adgang`:
residence, affiliation, guest access) reads the primary, and its access-log row and any
x-requestId claim are written there: the router sends no write elsewhere.
"""

import contextlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from accessrules.access.tables import Operation
from accessrules.api import shared_cache
from accessrules.core import reads

logger = logging.getLogger(__name__)

REPLICA = "replica"
STANDBY_OPERATIONS = frozenset(
    {
        Operation.GET_ASYL,
        Operation.GET_ASYL_VED_ID,
        Operation.LIST_FLYTNINGER,
        Operation.GET_FLYTNING,
    }
)
# One round trip to the standby: whether it is one, has replayed the client's last write
# (NULL: none known) and how far it lags (seconds; a standby that replayed nothing: infinite).
_STATUS = (
    "SELECT pg_is_in_recovery(), "
    "%s::pg_lsn IS NULL OR pg_last_wal_replay_lsn() >= %s::pg_lsn, "
    "COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'Infinity')::float8"
)


class ReplicaRouter:
    """Reads where `accessrules.core.reads` says (the primary unless a call chose the
    standby); writes and migrations on the primary only."""

    def db_for_read(self, model, **hints):  # noqa: ARG002 - the router's interface
        return reads.alias() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):  # noqa: ARG002
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):  # noqa: ARG002 - one database, two copies
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):  # noqa: ARG002
        return db == DEFAULT_DB_ALIAS


def enabled() -> bool:
    return REPLICA in settings.DATABASES


def _key(client) -> str:
    return f"replica:written:{client.pk}"


def standby_for(client) -> str | None:
    """`REPLICA` when this client's read may be served by the standby now, else None."""
    try:
        if shared_cache.down():  # its last write's position unknown: the primary
            return None
        written = cache.get(_key(client))
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_STATUS, [written, written])
            standby, replayed, lag = cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - Redis or the standby gone: read the primary
        logger.warning("Reading the primary: the standby's status is unknown: %s", error)
        return None
    if standby and replayed and lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
        return REPLICA
    return None


def reading(operation: Operation, client) -> contextlib.AbstractContextManager[None]:
    """Around a call's action: its reads go to the standby if it may serve them."""
    if not enabled() or operation not in STANDBY_OPERATIONS or client is None:
        return contextlib.nullcontext()
    return reads.reading_from(standby_for(client))


def remember_write(client) -> None:
    """After a client's write committed: the primary's WAL position, for its later reads."""
    if not enabled() or client is None:
        return
    if shared_cache.down():  # nowhere to keep it: as below, without waiting on the cache
        logger.error("Could not keep a write's WAL position for its client's reads: no cache")
        return
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            [position] = cursor.fetchone()
        cache.set(_key(client), position, settings.DATABASE_REPLICA_WRITTEN_SECONDS)
    except Exception as error:  # noqa: BLE001 - the primary or Redis gone after the commit:
        # answered all the same (the write is committed); its client's next reads within
        # DATABASE_REPLICA_MAX_LAG_SECONDS may not see it
        logger.error("Could not keep a write's WAL position for its client's reads: %s", error)
