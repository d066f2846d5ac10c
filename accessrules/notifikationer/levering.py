"""One try of one delivery: what the worker's per-delivery job runs (a retry, a delivery the
event job handed over, an operator's resend); the first tries of an event are `udsendelse`'s.

A 2xx within the timeout is delivered. Anything else counts as a failed try: the
subscription's other deliveries then pause (`NOTIFICATION_PAUSE_SECONDS`: they do not connect
to a receiver that just failed), and the task raises `IkkeLeveret` so that the queue retries
after the next backoff wait. The first try after the delivery is the retry window old (24 h)
is the last: whatever it finds (a pause or not), it connects, and if it fails the delivery has
failed, logged as an error. A delivery that is not waiting (delivered already: a job run twice
after a worker died) is left alone. At most `PER_SUBSCRIPTION` tries to one subscription are in
flight in this process (a receiver that hangs holds that many of the worker's sending threads,
not all of them); another try finds it busy and comes back shortly, which is no try.
"""

import datetime
import functools
import logging
import threading

from django.conf import settings
from django.utils import timezone

from accessrules.models import Abonnement, Levering, LeveringStatus
from accessrules.notifikationer import cloudevents, retry, signering, transport

logger = logging.getLogger(__name__)

PER_SUBSCRIPTION = 4
BUSY_WAIT_SECONDS = 0.2
IkkeLeveret = retry.IkkeLeveret


class _InFlight:
    """How many tries are in flight per subscription in this process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running: dict[object, int] = {}

    def enter(self, key, *, force: bool = False) -> bool:
        with self.lock:
            if self.running.get(key, 0) >= PER_SUBSCRIPTION and not force:
                return False
            self.running[key] = self.running.get(key, 0) + 1
            return True

    def leave(self, key) -> None:
        with self.lock:
            self.running[key] -= 1


IN_FLIGHT = _InFlight()


def policy() -> transport.Policy:
    return _policy(
        tuple(settings.NOTIFICATION_ALLOWED_NETWORKS),
        settings.NOTIFICATION_CA_BUNDLE,
        settings.NOTIFICATION_TIMEOUT_SECONDS,
    )


@functools.lru_cache(maxsize=8)
def _policy(allowed: tuple[str, ...], ca_bundle: str, timeout: float) -> transport.Policy:
    """Parsed once per settings' values, not at every delivery."""
    return transport.Policy.of(allowed=list(allowed), ca_bundle=ca_bundle, timeout=timeout)


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


def er_sidste(levering: Levering, now: datetime.datetime) -> bool:
    return now - levering.oprettet >= retry.vindue()


def proev(levering_id: int, *, sidste: bool | None = None) -> str:
    """One try; returns the delivery's status, raises IkkeLeveret to be retried. `sidste`
    (default: the delivery is the retry window old) makes it the last."""
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
    if sidste is None:
        sidste = er_sidste(levering, now)
    if not sidste and abonnement.pause_til is not None and abonnement.pause_til > now:
        wait = (abonnement.pause_til - now).total_seconds()
        own = retry.vent_efter(levering.forsoeg) if levering.forsoeg else 0
        raise IkkeLeveret("paused after a failed try", vent=max(wait, own))
    if not IN_FLIGHT.enter(abonnement.pk, force=sidste):
        raise IkkeLeveret("the receiver is busy", vent=BUSY_WAIT_SECONDS)
    try:
        fejl = send(levering, abonnement, now)
    finally:
        IN_FLIGHT.leave(abonnement.pk)
    return _record(levering, abonnement, fejl, sidste=sidste)


def send(levering: Levering, abonnement: Abonnement, now) -> str:
    """'' when delivered, else what went wrong (never the body: no personal data anyway).
    Reads nothing from the database: the event's sending threads hold no connection."""
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
        raise IkkeLeveret(fejl, vent=retry.vent_efter(values["forsoeg"]))
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
