"""An event's first tries, all at once: what the worker's event job (`tasks.udsend`) runs for
the deliveries one write recorded for one event (and the catch-up, `indhentning`, for a
subscription's backlog).

One statement reads the deliveries still waiting (with the event and the subscriptions); the
tries go out concurrently on the sending threads (`senders()`, which touch no database); one
statement records those delivered. What is not delivered is handed over to its
subscription's catch-up (`overdrag`, one job per subscription, `indhentning`) in the same
transaction as the record: after a failed try at the backoff's first wait; while the
subscription is paused, when the pause ends; while it is busy (`levering.PER_SUBSCRIPTION`
tries in flight in this process), shortly; a delivery the retry window old (a worker away for
a day) at once, for its last try. So a receiver that hangs holds at most PER_SUBSCRIPTION
sending threads here, and never delays another subscription's deliveries.

The tries answered within `SAMLET_SECONDS` are recorded together; a slower one when it ends
(a hanging receiver delays no other delivery's record). If the worker dies before a record
commits, the job runs again (stalled recovery) and tries what is still waiting: at least once,
with the same id.
"""

import datetime
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accessrules.models import Abonnement, Levering, LeveringStatus
from accessrules.notifikationer import levering, retry

SENDERS = 32  # sending threads per worker process
SAMLET_SECONDS = 0.5

# queues the catch-up (`indhentning`) of these subscriptions in that many seconds
Overdrag = Callable[[Iterable[object], float], None]


class Udfald(NamedTuple):
    leveret: int
    overdraget: int
    fundet: int


_senders: list[ThreadPoolExecutor] = []  # made at the first event, then the same
_senders_lock = threading.Lock()


def senders() -> ThreadPoolExecutor:
    with _senders_lock:
        if not _senders:
            _senders.append(ThreadPoolExecutor(SENDERS, thread_name_prefix="afsender"))
        return _senders[0]


def udsend(levering_ids: list[int], *, overdrag: Overdrag) -> Udfald:
    """Try the waiting deliveries among `levering_ids` once; what is not delivered is
    handed over to its subscription's catch-up (`overdrag`)."""
    now = timezone.now()
    found = list(
        Levering.objects.select_related("notifikation", "abonnement").filter(
            pk__in=levering_ids, status=LeveringStatus.AFVENTER
        )
    )
    ended = [lev.pk for lev in found if lev.abonnement.ophoert is not None]
    if ended:
        Levering.objects.filter(pk__in=ended).update(status=LeveringStatus.OPHOERT)
    later: dict[float, list[Levering]] = {}  # wait in seconds -> deliveries handed over
    futures = {}
    for lev in found:
        abonnement = lev.abonnement
        if abonnement.ophoert is not None:
            continue
        if levering.er_sidste(lev, now):
            later.setdefault(0, []).append(lev)
        elif abonnement.pause_til is not None and abonnement.pause_til > now:
            later.setdefault((abonnement.pause_til - now).total_seconds(), []).append(lev)
        elif not levering.IN_FLIGHT.enter(abonnement.pk):
            later.setdefault(levering.BUSY_WAIT_SECONDS, []).append(lev)
        else:
            futures[senders().submit(_proev, lev, now)] = lev
    done, pending = wait(futures, timeout=SAMLET_SECONDS)
    delivered, handed = _record([(futures[f], f.result()) for f in done], later, overdrag)
    if pending:
        done, _ = wait(pending)
        more, failed = _record([(futures[f], f.result()) for f in done], {}, overdrag)
        delivered, handed = delivered + more, handed + failed
    return Udfald(delivered, handed, len(found))


def _proev(lev: Levering, now: datetime.datetime) -> str:
    """On a sending thread: one try; '' when delivered, else what went wrong."""
    try:
        return levering.send(lev, lev.abonnement, now)
    except Exception as exc:  # a fault of this service's: a failed try like any other
        return f"{type(exc).__name__}: {exc}"[:300]
    finally:
        levering.IN_FLIGHT.leave(lev.abonnement_id)


def _record(
    results: list[tuple[Levering, str]], later: dict, overdrag: Overdrag
) -> tuple[int, int]:
    """Record tries and hand over what needs another, in one transaction; returns how many
    were delivered and how many handed over."""
    now = timezone.now()
    delivered = [lev for lev, fejl in results if not fejl]
    failed = [(lev, fejl) for lev, fejl in results if fejl]
    with transaction.atomic(savepoint=False):  # the worker's own: no outer one
        if delivered:
            Levering.objects.filter(
                pk__in=[lev.pk for lev in delivered], status=LeveringStatus.AFVENTER
            ).update(
                status=LeveringStatus.LEVERET,
                leveret=now,
                forsoeg=F("forsoeg") + 1,
                sidste_forsoeg=now,
                sidste_fejl="",
            )
            paused = {lev.abonnement_id for lev in delivered if lev.abonnement.pause_til}
            if paused:
                Abonnement.objects.filter(pk__in=paused).update(pause_til=None)
        if failed:
            pause = now + datetime.timedelta(seconds=settings.NOTIFICATION_PAUSE_SECONDS)
            Abonnement.objects.filter(pk__in={lev.abonnement_id for lev, _ in failed}).update(
                pause_til=pause
            )
            for lev, fejl in failed:
                Levering.objects.filter(pk=lev.pk, status=LeveringStatus.AFVENTER).update(
                    forsoeg=F("forsoeg") + 1, sidste_forsoeg=now, sidste_fejl=fejl
                )
                later.setdefault(retry.vent_efter(lev.forsoeg + 1), []).append(lev)
        for vent, handed in later.items():
            overdrag({lev.abonnement_id for lev in handed}, vent)
    return len(delivered), sum(len(handed) for handed in later.values())
