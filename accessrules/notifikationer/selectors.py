"""Reads of subscriptions and notifications: a client's own, the catch-up list, and the
failed deliveries counted for the dashboard and /metrics."""

import uuid

from django.db.models import Count

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


def haendelser_efter(
    abonnement: Abonnement, efter: uuid.UUID | None, limit: int
) -> tuple[list[Notifikation], bool]:
    """The subscription's events after `efter` (one of its own), oldest first, at most
    `limit`, and whether there are more."""
    events = Notifikation.objects.filter(
        nummer__in=Levering.objects.filter(abonnement=abonnement).values("notifikation_id")
    )
    if efter is not None:
        start = events.filter(id=efter).values_list("nummer", flat=True).first()
        if start is None:
            raise DomainError(
                Violation(
                    errors.VALIDATION_FAILED,
                    "efter",
                    "not an event of this subscription: give the id of one it received",
                )
            )
        events = events.filter(nummer__gt=start)
    found = list(events.order_by("nummer")[: limit + 1])
    return found[:limit], len(found) > limit


def fejlede_leveringer() -> int:
    return Levering.objects.filter(status=LeveringStatus.FEJLET).count()


def leveringer_efter_status() -> dict[str, int]:
    rows = Levering.objects.values("status").annotate(antal=Count("pk"))
    counts = {status.value: 0 for status in LeveringStatus}
    counts.update({row["status"]: row["antal"] for row in rows})
    return counts
