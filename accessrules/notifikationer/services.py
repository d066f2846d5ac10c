"""Writes of subscriptions (SPEC 9) and an operator's resend. Refusals are DomainErrors with
the registry's codes; the API maps them."""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accessrules.accesslog.transaction import write
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError, Violation
from accessrules.models import Abonnement, Levering, LeveringStatus, Notifikation
from accessrules.notifikationer import haendelser, signering, tasks, transport


def kraev_slaaet_til() -> None:
    if not haendelser.enabled():
        raise DomainError(
            Violation(
                errors.UNAVAILABLE,
                detail="Notifications are off on this installation (SQLite, or "
                "NOTIFICATIONS_ENABLED=0): subscriptions need PostgreSQL.",
            )
        )


def valider(*, callback_url: str, haendelsestyper: list[str]) -> None:
    found = []
    problem = transport.check_url(callback_url)
    if problem:
        found.append(Violation(errors.VALIDATION_FAILED, "callbackUrl", problem))
    unknown = sorted(set(haendelsestyper) - set(haendelser.TYPER))
    if unknown or not haendelsestyper:
        detail = f"unknown event types {unknown}" if unknown else "empty"
        found.append(
            Violation(
                errors.VALIDATION_FAILED,
                "haendelsestyper",
                f"{detail}; one or more of {', '.join(haendelser.TYPER)}",
            )
        )
    if found:
        raise DomainError(*found)


@write
def opret_abonnement(
    *, caller: Caller, callback_url: str, haendelsestyper: list[str]
) -> Abonnement:
    """A new subscription for the caller's active organisation; its secret is in the
    returned instance (shown once)."""
    kraev_slaaet_til()
    valider(callback_url=callback_url, haendelsestyper=haendelsestyper)
    return Abonnement.objects.create(
        klient=caller.client,
        organisation=caller.organisation,
        callback_url=callback_url,
        haendelsestyper=sorted(set(haendelsestyper)),
        hemmelighed=signering.ny_hemmelighed(),
    )


def _egen(caller: Caller, abonnement_id: uuid.UUID, *, lock: bool = False) -> Abonnement:
    """The caller's own live subscription, else 404 code 3."""
    found = Abonnement.objects.filter(
        pk=abonnement_id,
        klient=caller.client,
        organisation=caller.organisation,
        ophoert__isnull=True,
    )
    abonnement = (found.select_for_update() if lock else found).first()
    if abonnement is None:
        raise DomainError.of(errors.ELEMENT_NOT_FOUND)
    return abonnement


@write
def ophoer_abonnement(*, abonnement: Abonnement, af: str) -> Abonnement:
    """End a subscription (kept, not deleted); its waiting deliveries are not sent."""
    abonnement.ophoert, abonnement.ophoert_af = timezone.now(), af[:200]
    abonnement.save(update_fields=["ophoert", "ophoert_af"])
    Levering.objects.filter(abonnement=abonnement, status=LeveringStatus.AFVENTER).update(
        status=LeveringStatus.OPHOERT
    )
    return abonnement


def ophoer_eget(*, caller: Caller, abonnement_id: uuid.UUID) -> Abonnement:
    kraev_slaaet_til()
    with transaction.atomic():
        abonnement = _egen(caller, abonnement_id, lock=True)
        return ophoer_abonnement(abonnement=abonnement, af=str(caller))


@write
def ny_hemmelighed(*, caller: Caller, abonnement_id: uuid.UUID) -> Abonnement:
    """A new secret; the current one keeps signing alongside for the overlap."""
    kraev_slaaet_til()
    abonnement = _egen(caller, abonnement_id, lock=True)
    overlap = datetime.timedelta(seconds=settings.NOTIFICATION_SECRET_OVERLAP_SECONDS)
    abonnement.forrige_hemmelighed = abonnement.hemmelighed
    abonnement.forrige_udloeber = timezone.now() + overlap
    abonnement.hemmelighed = signering.ny_hemmelighed()
    abonnement.save(update_fields=["forrige_hemmelighed", "forrige_udloeber", "hemmelighed"])
    return abonnement


@write
def gensend(leveringer: Iterable[Levering]) -> int:
    """Send failed deliveries again (an operator's action): waiting again, with a new job
    and a fresh set of tries; the event keeps its id. Returns how many."""
    chosen = [
        (levering.pk, levering.abonnement_id)
        for levering in leveringer
        if levering.status == LeveringStatus.FEJLET and levering.abonnement.ophoert is None
    ]
    ids = [pk for pk, _ in chosen]
    Levering.objects.filter(pk__in=ids).update(
        status=LeveringStatus.AFVENTER, oprettet=timezone.now()
    )
    Abonnement.objects.filter(leveringer__pk__in=ids).update(pause_til=None)
    tasks.koe_indhentning({abonnement_id for _, abonnement_id in chosen})
    return len(ids)


def foraeldede(days: int):
    """Events older than `days` (NOTIFICATION_RETENTION_DAYS) with no delivery waiting."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    waiting = Levering.objects.filter(status=LeveringStatus.AFVENTER).values("notifikation_id")
    return Notifikation.objects.filter(tidspunkt__lt=cutoff).exclude(nummer__in=waiting)


def slet_foraeldede(days: int, *, batch: int = 5000, progress=None) -> int:
    """Delete them in batches (their deliveries with them); returns how many events."""
    deleted, old = 0, foraeldede(days)
    while ids := list(old.values_list("nummer", flat=True)[:batch]):
        Levering.objects.filter(notifikation_id__in=ids).delete()
        deleted += Notifikation.objects.filter(nummer__in=ids).delete()[0]
        if progress is not None:
            progress(deleted)
    return deleted


@write
def rekrypter_hemmeligheder() -> int:
    """Every stored secret encrypted again under the current NOTIFICATION_SECRET_KEY (read
    with whichever key decrypts it), for a key rotation; returns how many subscriptions."""
    count = 0
    for abonnement in Abonnement.objects.select_for_update().only(
        "pk", "hemmelighed", "forrige_hemmelighed"
    ):
        abonnement.save(update_fields=["hemmelighed", "forrige_hemmelighed"])
        count += 1
    return count
