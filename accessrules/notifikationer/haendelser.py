"""The event types of SPEC 9 and `registrer`, the one function the domain calls to record
events: in the caller's transaction it stores each event, a delivery per subscription that may
see it, and a queue job per event (Procrastinate, on Django's own connection: `tasks`). A write that
rolls back leaves none of them; one that commits is delivered by the worker."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accessrules.models import Abonnement, Levering, Notifikation
from accessrules.notifikationer import tasks


class Haendelsestype(StrEnum):
    BORGERFLYTNING_OPRETTET = "borgerflytning.oprettet"
    BORGERFLYTNING_BEKRAEFTET = "borgerflytning.bekraeftet"
    BORGERFLYTNING_AFSLUTTET = "borgerflytning.afsluttet"
    BORGERFLYTNING_ANNULLERET = "borgerflytning.annulleret"
    ASYLOVERGIVELSE_OPRETTET = "asylovergivelse.oprettet"
    ASYLOVERGIVELSE_AENDRET = "asylovergivelse.aendret"


TYPER = tuple(t.value for t in Haendelsestype)


@dataclass(frozen=True)
class Haendelse:
    """One event to record: its type, its subject (a flow's id or a transition's opaque id),
    its data (never personal data beyond those ids) and who may see it: `synlig_for` is asked
    for each live subscription of the type, at the moment of the write."""

    type: Haendelsestype
    subject: str
    data: dict
    synlig_for: Callable[[Abonnement], bool] = field(compare=False)


def enabled() -> bool:
    return settings.NOTIFICATIONS_ENABLED


def abonnenter(typer: Iterable[str]) -> list[Abonnement]:
    """The live subscriptions to any of these types (one query; none when notifications
    are off), for `registrer`."""
    if not enabled():
        return []
    wanted = set(typer)
    live = Abonnement.objects.filter(ophoert__isnull=True).select_related("organisation", "klient")
    return [a for a in live if wanted & set(a.haendelsestyper)]


def registrer(
    haendelser: Iterable[Haendelse], *, abonnementer: list[Abonnement] | None = None
) -> list[Notifikation]:
    """Record the events and their deliveries in the current transaction (a no-op when
    notifications are off). The live subscriptions are read once per call, unless the caller
    read them already (`abonnenter`)."""
    haendelser = list(haendelser)
    if not haendelser or not enabled():
        return []
    now = timezone.now()
    with transaction.atomic(savepoint=False):  # the write's transaction, no savepoint
        if abonnementer is None:
            abonnementer = abonnenter(h.type for h in haendelser)
        notifikationer, leveringer = [], []
        for h in haendelser:
            modtagere = [a for a in abonnementer if h.type in a.haendelsestyper and h.synlig_for(a)]
            if not modtagere:
                continue
            n = Notifikation(type=h.type.value, subject=h.subject, data=h.data, tidspunkt=now)
            notifikationer.append(n)
            leveringer += [Levering(notifikation=n, abonnement=a, oprettet=now) for a in modtagere]
        if not notifikationer:
            return []
        Notifikation.objects.bulk_create(notifikationer)
        for levering in leveringer:
            levering.notifikation_id = levering.notifikation.pk
        Levering.objects.bulk_create(leveringer)
        per_haendelse: dict[int, list[int]] = {}
        for levering in leveringer:
            per_haendelse.setdefault(levering.notifikation_id, []).append(levering.pk)
        tasks.koe_haendelser(per_haendelse.values())
    return notifikationer
