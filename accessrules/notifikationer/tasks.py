"""The queue's tasks (Procrastinate, on the `notifikationer` queue): one job per event
(`udsend`: its deliveries' first tries, at once), and at most one waiting job per subscription
that has a backlog (`indhent`: `indhentning`, which queues its own next run); and the recovery
of jobs a dead worker held and of backlogs no job waits for (every worker runs both every
NOTIFICATION_WORKER_STALLED_SECONDS: see `lever_notifikationer`).

A catch-up job has a queueing lock (one waiting per subscription: handing over to a waiting
one adds nothing to the queue) and a lock (one running per subscription), and a lower
priority than the event jobs: a backlog never delays the first try of a new event.
`lever` (one job per delivery) is what this service queued before; it still runs such jobs."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued, UniqueViolation
from procrastinate.jobs import Status

from accessrules.models import Levering, LeveringStatus
from accessrules.notifikationer import indhentning, levering, retry, udsendelse

logger = logging.getLogger(__name__)

QUEUE = "notifikationer"
PRIORITET_INDHENTNING = -1  # below the event jobs' default 0


@app.task(name="notifikationer.udsend", queue=QUEUE)
def udsend(*, levering_ids: list[int]) -> str:
    udfald = udsendelse.udsend(levering_ids, overdrag=koe_indhentning)
    return f"{udfald.leveret} of {udfald.fundet} delivered, {udfald.overdraget} handed over"


@app.task(name="notifikationer.indhent", queue=QUEUE, priority=PRIORITET_INDHENTNING)
def indhent(*, abonnement_id: str) -> str:
    """No retry strategy of the queue's: a retry would put this job back as waiting beside
    the one a hand-over queued meanwhile (the queueing lock refuses that). It queues its
    own next run instead; a job that ends in an error is replaced by `genoptag_ventende`."""
    try:
        return indhentning.indhent(
            abonnement_id,
            overdrag=koe_indhentning,
            igen=lambda: koe_indhentning([abonnement_id]),
        )
    except retry.IkkeLeveret as exc:
        koe_indhentning([abonnement_id], vent=exc.vent)
        return f"not delivered ({exc}): again in {exc.vent:.0f} s"


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


def koe_haendelser(leveringer_per_haendelse: Iterable[list[int]]) -> None:
    """An event job per event (its deliveries' ids), in the current transaction."""
    jobs = [{"levering_ids": ids} for ids in leveringer_per_haendelse if ids]
    if jobs:
        udsend.batch_defer(*jobs)


def koe_indhentning(abonnement_ids: Iterable[object], vent: float = 0) -> None:
    """The catch-up of each subscription in `vent` seconds, in the current transaction,
    unless one is waiting already (it reads the backlog when it runs)."""
    for abonnement_id in sorted(str(pk) for pk in abonnement_ids):
        lock = f"notifikationer.indhent:{abonnement_id}"
        options = {"lock": lock, "queueing_lock": lock}
        if vent > 0:
            options["schedule_in"] = {"seconds": vent}
        try:
            with transaction.atomic():  # a savepoint: the refused insert leaves the rest
                indhent.configure(**options).defer(abonnement_id=abonnement_id)
        except AlreadyEnqueued:
            pass


def genoptag_ventende(seconds: float | None = None) -> int:
    """A catch-up for every live subscription with a delivery waiting longer than `seconds`
    (default NOTIFICATION_WORKER_STALLED_SECONDS * 4): a backlog is never left without a job
    (a hand-over that met a catch-up just as it started, a job given up). Returns how many
    subscriptions had one."""
    seconds = seconds if seconds is not None else settings.NOTIFICATION_WORKER_STALLED_SECONDS * 4
    old = timezone.now() - datetime.timedelta(seconds=seconds)
    ids = set(
        Levering.objects.filter(
            status=LeveringStatus.AFVENTER, oprettet__lt=old, abonnement__ophoert__isnull=True
        ).values_list("abonnement_id", flat=True)
    )
    koe_indhentning(ids)
    return len(ids)


async def genoptag_stalled(seconds: float | None = None) -> int:
    """Jobs left 'doing' by a worker whose heartbeat stopped are queued again (a catch-up
    whose subscription has one waiting already is dropped: that one does its work)."""
    seconds = seconds if seconds is not None else settings.NOTIFICATION_WORKER_STALLED_SECONDS
    stalled = list(await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=seconds))
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except UniqueViolation:
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=True)
        logger.warning("Notification job %s of a stopped worker queued again", job.id)
    return len(stalled)
