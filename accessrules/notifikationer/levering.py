"""One try of one delivery: what the worker's task runs (and an operator's resend queues).

A 2xx within the timeout is delivered. Anything else counts as a failed try: the
subscription's other deliveries then pause (`NOTIFICATION_PAUSE_SECONDS`: they do not connect
to a receiver that just failed), and the task raises `IkkeLeveret` so that the queue retries
with its backoff; the last try marks the delivery failed and logs it as an error. A delivery
that is not waiting (delivered already: a job run twice after a worker died) is left alone.
At most `PER_SUBSCRIPTION` tries to one subscription are in flight in this process: a
receiver that hangs holds that many of the worker's slots, not all of them.
"""

import datetime
import logging
import threading
import time

from django.conf import settings
from django.utils import timezone

from accessrules.models import Abonnement, Levering, LeveringStatus
from accessrules.notifikationer import cloudevents, signering, transport

logger = logging.getLogger(__name__)

PER_SUBSCRIPTION = 2
SLOW_SECONDS = 1.0  # a try in flight this long makes the next ones to it wait their turn


class IkkeLeveret(Exception):
    """This try did not deliver; the queue tries again later."""


class _InFlight:
    """The tries in flight per subscription in this process (start times)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started: dict[object, list[float]] = {}

    def enter(self, key) -> float | None:
        """A start time, or None when the subscription is busy with slow tries."""
        while True:
            with self.lock:
                running = self.started.setdefault(key, [])
                now = time.monotonic()
                if len(running) < PER_SUBSCRIPTION:
                    running.append(now)
                    return now
                if now - min(running) >= SLOW_SECONDS:
                    return None
            time.sleep(0.005)

    def leave(self, key, started: float) -> None:
        with self.lock:
            self.started[key].remove(started)


IN_FLIGHT = _InFlight()


def policy() -> transport.Policy:
    return transport.Policy.of(
        allowed=settings.NOTIFICATION_ALLOWED_NETWORKS,
        ca_bundle=settings.NOTIFICATION_CA_BUNDLE,
        timeout=settings.NOTIFICATION_TIMEOUT_SECONDS,
    )


def hemmeligheder(abonnement: Abonnement, now: datetime.datetime) -> list[str]:
    """The live secrets: the current one, and the previous during its overlap."""
    live = [abonnement.hemmelighed]
    if (
        abonnement.forrige_hemmelighed
        and abonnement.forrige_udloeber
        and (abonnement.forrige_udloeber > now)
    ):
        live.append(abonnement.forrige_hemmelighed)
    return live


def proev(levering_id: int, *, sidste: bool) -> str:
    """One try; returns the delivery's status, raises IkkeLeveret to be retried."""
    levering = (
        Levering.objects.select_related("notifikation", "abonnement").filter(pk=levering_id).first()
    )
    if levering is None or levering.status != LeveringStatus.AFVENTER:
        return levering.status if levering else "slettet"
    abonnement = levering.abonnement
    if abonnement.ophoert is not None:
        Levering.objects.filter(pk=levering.pk).update(status=LeveringStatus.OPHOERT)
        return LeveringStatus.OPHOERT
    now = timezone.now()
    if not sidste and abonnement.pause_til is not None and abonnement.pause_til > now:
        raise IkkeLeveret("paused after a failed try")
    started = IN_FLIGHT.enter(abonnement.pk)
    if started is None and not sidste:  # the last try is always made
        raise IkkeLeveret("the receiver is slow to answer")
    try:
        fejl = _send(levering, abonnement, now)
    finally:
        if started is not None:
            IN_FLIGHT.leave(abonnement.pk, started)
    return _record(levering, abonnement, fejl, sidste=sidste)


def _send(levering: Levering, abonnement: Abonnement, now) -> str:
    """'' when delivered, else what went wrong (never the body: no personal data anyway)."""
    body = cloudevents.body(levering.notifikation)
    headers = {
        "Content-Type": cloudevents.CONTENT_TYPE,
        "User-Agent": "borgerindsats-notifikationer/1",
        **signering.headers(
            msg_id=str(levering.notifikation.id),
            body=body,
            hemmeligheder=hemmeligheder(abonnement, now),
            tidspunkt=now,
        ),
    }
    try:
        status = transport.post(abonnement.callback_url, body.encode(), headers, policy())
    except transport.TransportError as exc:
        return str(exc)[:300]
    return "" if 200 <= status < 300 else f"HTTP {status}"


def fejlet(levering_id: int, fejl: str) -> str:
    """The last try ended in an error of this service's own: the delivery has failed."""
    Levering.objects.filter(pk=levering_id, status=LeveringStatus.AFVENTER).update(
        status=LeveringStatus.FEJLET, sidste_fejl=fejl[:300], sidste_forsoeg=timezone.now()
    )
    logger.error("Notification delivery %s failed: %s", levering_id, fejl[:300])
    return LeveringStatus.FEJLET


def _record(levering: Levering, abonnement: Abonnement, fejl: str, *, sidste: bool) -> str:
    now = timezone.now()
    values = {"forsoeg": levering.forsoeg + 1, "sidste_forsoeg": now, "sidste_fejl": fejl}
    if not fejl:
        values.update(status=LeveringStatus.LEVERET, leveret=now)
        Levering.objects.filter(pk=levering.pk).update(**values)
        if abonnement.pause_til is not None:
            Abonnement.objects.filter(pk=abonnement.pk).update(pause_til=None)
        return LeveringStatus.LEVERET
    pause = now + datetime.timedelta(seconds=settings.NOTIFICATION_PAUSE_SECONDS)
    Abonnement.objects.filter(pk=abonnement.pk).update(pause_til=pause)
    if not sidste:
        Levering.objects.filter(pk=levering.pk).update(**values)
        raise IkkeLeveret(fejl)
    values["status"] = LeveringStatus.FEJLET
    Levering.objects.filter(pk=levering.pk).update(**values)
    logger.error(
        "Notification %s (%s) to subscription %s failed after %d tries: %s",
        levering.notifikation.id,
        levering.notifikation.type,
        abonnement.pk,
        values["forsoeg"],
        fejl,
    )
    return LeveringStatus.FEJLET
