"""A subscription's backlog, caught up by one job at a time (`tasks.indhent`): the deliveries
still waiting that an event job handed over (a failed try, a pause, a busy receiver) or an
operator sent again, oldest first.

The oldest waiting delivery is tried alone (`levering.proev`: its pause, its backoff, its last
try when it is the retry window old). While that fails the job comes back after the backoff's
next wait (`tasks.indhent` queues it again) and nothing else of the subscription is tried
by it; when it is delivered, the next ones go out `BATCH` at a time (`udsendelse.udsend`) for
up to `BUDGET_SECONDS`, then the job queues itself again. So a receiver that is down or hangs
costs the queue one job, whatever its backlog (Procrastinate's fetch never scans a pile of
retries), and the subscription's deliveries are retried as one: at least once, each with its
own id, each failed only after a try when it is the retry window old.
"""

import time
from collections.abc import Callable

from accessrules.models import Levering, LeveringStatus
from accessrules.notifikationer import levering, udsendelse

BATCH = 20
BUDGET_SECONDS = 5.0


def indhent(abonnement_id, *, overdrag: udsendelse.Overdrag, igen: Callable[[], None]) -> str:
    """Catch up; raises IkkeLeveret while the oldest delivery is not delivered. `igen()`
    queues this job once more (its time budget is spent); returns a summary."""
    start, delivered = time.monotonic(), 0
    waiting = Levering.objects.filter(
        abonnement_id=abonnement_id, status=LeveringStatus.AFVENTER
    ).order_by("pk")
    while ids := list(waiting.values_list("pk", flat=True)[:BATCH]):
        if levering.proev(ids[0]) == LeveringStatus.LEVERET:  # raises while it is not
            delivered += 1
        if len(ids) > 1:
            udfald = udsendelse.udsend(ids[1:], overdrag=overdrag)
            delivered += udfald.leveret
            if udfald.overdraget:  # busy or failed again: a job of its own queued for them
                break
        if time.monotonic() - start > BUDGET_SECONDS:
            igen()
            break
    return f"{delivered} delivered"
