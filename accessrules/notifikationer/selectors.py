"""Reads of subscriptions and notifications: a client's own, the catch-up list, and the
failed deliveries counted for the dashboard and /metrics."""

import uuid

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError, Violation
from accessrules.models import Abonnement, Levering, LeveringStatus, Notifikation


def egne_abonnementer(caller: Caller):
    """The caller's live subscriptions for its active organisation, oldest first."""
    return Abonnement.objects.filter(
        klient=caller.client, organisation=caller.organisation, ophoert__isnull=True
    ).order_by("oprettet", "pk")


def eget_abonnement(caller: Caller, abonnement_id: uuid.UUID) -> Abonnement:
    abonnement = egne_abonnementer(caller).filter(pk=abonnement_id).first()
    if abonnement is None:
        raise DomainError.of(errors.ELEMENT_NOT_FOUND)
    return abonnement


# The oldest transaction of this database still in progress in the statement's snapshot (or,
# with none, the next transaction id): every transaction below it has ended, so the events
# below it are all there will ever be below it. An in-progress id is left out only when it is
# known to belong to another database of the cluster (a long load elsewhere holds nothing
# back): each transaction, and each of its subtransactions, holds the lock of its own id
# (pg_locks); an id whose session has ended since the snapshot counts, which only delays.
# The bound is at most the snapshot's xmax (the last ended transaction + 1), so a transaction
# that is still running is never below it, the reader's own included (it records no events).
HORIZON = """(
    SELECT coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
    WHERE (x::text::bigint & 4294967295) NOT IN (
        SELECT l.transactionid::text::bigint
        FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
        WHERE l.locktype = 'transactionid' AND l.transactionid IS NOT NULL
            AND a.datname IS DISTINCT FROM current_database()
    )
)"""


def haendelser_efter(
    abonnement: Abonnement, efter: uuid.UUID | None, limit: int
) -> tuple[list[Notifikation], bool]:
    """The subscription's events after `efter` (one of its own), at most `limit`, and
    whether there are more; in the order of (recording transaction, nummer).

    Only events of transactions older than the oldest one still running are served: an event
    whose transaction commits late is never skipped by a cursor already past it, as it would
    be in `nummer` order (its number drawn before an event that committed first). Events
    reach the list once every transaction that began before theirs has ended (normally
    milliseconds; a long transaction holds the list back, never the pushed deliveries)."""
    own = Notifikation.objects.filter(
        nummer__in=Levering.objects.filter(abonnement=abonnement).values("notifikation_id")
    )
    horizon = RawSQL(HORIZON, ())  # noqa: S611 - a constant, no parameters
    events = own.filter(xid__lt=horizon) if _on_postgresql() else own
    if efter is not None:
        start = own.filter(id=efter).values_list("xid", "nummer").first()
        if start is None:
            raise DomainError(
                Violation(
                    errors.VALIDATION_FAILED,
                    "efter",
                    "not an event of this subscription: give the id of one it received",
                )
            )
        xid, nummer = start
        events = events.filter(Q(xid__gt=xid) | Q(xid=xid, nummer__gt=nummer))
    found = list(events.order_by("xid", "nummer")[: limit + 1])
    return found[:limit], len(found) > limit


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def fejlede_leveringer() -> int:
    return Levering.objects.filter(status=LeveringStatus.FEJLET).count()


def leveringer_efter_status() -> dict[str, int]:
    rows = Levering.objects.values("status").annotate(antal=Count("pk"))
    counts = {status.value: 0 for status in LeveringStatus}
    counts.update({row["status"]: row["antal"] for row in rows})
    return counts
