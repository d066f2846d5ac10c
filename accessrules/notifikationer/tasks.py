"""The queue's tasks (Procrastinate, on the `notifikationer` queue): one job per event
(`udsend`: its deliveries' first tries, at once) and one per delivery that needs more
(`lever`: a retry, a try the event job handed over, an operator's resend), retried with
`retry.Backoff`; and the recovery of jobs a dead worker held (every worker runs it every
NOTIFICATION_WORKER_STALLED_SECONDS: see `lever_notifikationer`).

A per-delivery job runs in one of its subscription's lanes (`spor`: Procrastinate's job lock):
the jobs of one lane run one at a time, in order, so a receiver that is down or hangs holds
at most `SPOR` of the worker's job slots whatever its backlog, and its waiting jobs are never
fetched before those ahead of them in the lane. Per-delivery jobs have a lower priority than
event jobs: a backlog of retries never delays the first try of a new event."""

import logging
from collections.abc import Iterable

from django.conf import settings
from procrastinate.contrib.django import app

from accessrules.notifikationer import levering, retry, udsendelse

logger = logging.getLogger(__name__)

QUEUE = "notifikationer"
SPOR = 2  # lanes per subscription for its per-delivery jobs
PRIORITET_LEVERING = -1  # below the event jobs' default 0


@app.task(name="notifikationer.udsend", queue=QUEUE)
def udsend(*, levering_ids: list[int]) -> str:
    return udsendelse.udsend(levering_ids, overdrag=koe)


@app.task(
    name="notifikationer.lever",
    queue=QUEUE,
    retry=retry.Backoff(),
    pass_context=True,
    priority=PRIORITET_LEVERING,
)
def lever(context, *, levering_id: int) -> str:
    try:
        return levering.proev(levering_id)
    except retry.IkkeLeveret:
        raise
    except Exception as exc:  # e.g. the database away: retried; the last time, failed
        if context.job.attempts + 1 < retry.forsoeg():
            raise
        return levering.fejlet(levering_id, f"{type(exc).__name__}: {exc}")


def spor(abonnement_id, levering_id: int) -> str:
    """The lane (a Procrastinate lock) of a delivery's per-delivery job."""
    return f"notifikationer:{abonnement_id}:{levering_id % SPOR}"


def koe_haendelser(leveringer_per_haendelse: Iterable[list[int]]) -> None:
    """An event job per event (its deliveries' ids), in the current transaction."""
    jobs = [{"levering_ids": ids} for ids in leveringer_per_haendelse if ids]
    if jobs:
        udsend.batch_defer(*jobs)


def koe(leveringer: Iterable[tuple[int, object]], vent: float = 0) -> None:
    """A per-delivery job for each (levering id, abonnement id), in its lane, `vent` seconds
    from now, in the current transaction (one statement per lane)."""
    lanes: dict[str, list[dict]] = {}
    for levering_id, abonnement_id in leveringer:
        lanes.setdefault(spor(abonnement_id, levering_id), []).append({"levering_id": levering_id})
    for lane, jobs in lanes.items():
        options = {"lock": lane}
        if vent > 0:
            options["schedule_in"] = {"seconds": vent}
        lever.configure(**options).batch_defer(*jobs)


async def genoptag_stalled(seconds: float | None = None) -> int:
    """Jobs left 'doing' by a worker whose heartbeat stopped are queued again."""
    seconds = seconds if seconds is not None else settings.NOTIFICATION_WORKER_STALLED_SECONDS
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        await app.job_manager.retry_job(job)
        logger.warning("Notification job %s of a stopped worker queued again", job.id)
    return len(stalled)
