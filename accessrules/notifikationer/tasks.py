"""The queue's task (Procrastinate): one job per delivery, on the `notifikationer` queue,
retried with `retry.Backoff`; and the recovery of jobs a dead worker held (every worker runs
it every NOTIFICATION_WORKER_STALLED_SECONDS: see `lever_notifikationer`)."""

import logging

from django.conf import settings
from procrastinate.contrib.django import app

from accessrules.notifikationer import levering, retry

logger = logging.getLogger(__name__)

QUEUE = "notifikationer"


@app.task(name="notifikationer.lever", queue=QUEUE, retry=retry.Backoff(), pass_context=True)
def lever(context, *, levering_id: int) -> str:
    try:
        return levering.proev(levering_id)
    except retry.IkkeLeveret:
        raise
    except Exception as exc:  # e.g. the database away: retried; the last time, failed
        if context.job.attempts + 1 < retry.forsoeg():
            raise
        return levering.fejlet(levering_id, f"{type(exc).__name__}: {exc}")


async def genoptag_stalled(seconds: float | None = None) -> int:
    """Jobs left 'doing' by a worker whose heartbeat stopped are queued again."""
    seconds = seconds if seconds is not None else settings.NOTIFICATION_WORKER_STALLED_SECONDS
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        await app.job_manager.retry_job(job)
        logger.warning("Notification job %s of a stopped worker queued again", job.id)
    return len(stalled)
