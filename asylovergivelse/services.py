"""Writes of asylovergivelser, for the API, the admin and the operator command (the GET's
read: `selectors`).

Each call decides access first (`accessrules.access.require`: 1010 / 6005), then claims its
request id and runs its rules (`rules.OPRET` / `rules.RET`) in one transaction with its
history row (who, when, old/new values, kommentar) and the CV service call (`@write`: the
API's transaction, with no savepoint, or its own). Each returns the access it was granted
(`Adgang`) and the stored transition.
"""

import datetime

from django.db import IntegrityError
from django.utils import timezone

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.accesslog.requestid import claim_request_id
from accessrules.accesslog.transaction import write
from accessrules.core.caller import Caller
from accessrules.core.regler import kontroller
from accessrules.models.historik import stempl
from asylovergivelse import rules
from asylovergivelse.models import Asylovergivelse
from asylovergivelse.notifikationer import AENDRET, OPRETTET, registrer_asylovergivelse


def _reason(caller: Caller, data: rules.Overgivelsesdata, force: frozenset[int]) -> str:
    parts = [caller.label] if caller.label else []
    if force:
        parts.append("force " + ",".join(str(code) for code in sorted(force)))
    if data.kommentar:
        parts.append(data.kommentar)
    return ": ".join(parts)


@write
def opret_asylovergivelse(
    *,
    caller: Caller,
    cpr: str,
    data: rules.Overgivelsesdata,
    today: datetime.date | None = None,
    force: frozenset[int] = frozenset(),
) -> tuple[access.Adgang, Asylovergivelse]:
    today = today or timezone.localdate()
    adgang = access.require(caller, Operation.CREATE_ASYL, cpr=cpr, today=today)
    with access.concerning(adgang.borger):
        claim_request_id(caller=caller, operation=Operation.CREATE_ASYL)
        stored = Asylovergivelse.objects.filter(borger=adgang.borger).first()
        kontekst = rules.Kontekst(data, adgang, caller.organisation, today, eksisterende=stored)
        kontroller(rules.OPRET, kontekst, force=force)
        instance = Asylovergivelse(borger=adgang.borger, **_values(data))
        stempl(instance, caller, _reason(caller, data, force))
        try:  # no savepoint: the refusal rolls the whole transaction back
            instance.save()
        except IntegrityError as exc:  # a concurrent create for the same citizen committed first
            raise rules.FINDES_IKKE.fejl() from exc
        kontroller(rules.EFTER_SKRIVNING, kontekst)
    registrer_asylovergivelse(instance, OPRETTET)
    return adgang, instance


@write
def ret_asylovergivelse(
    *,
    caller: Caller,
    cpr: str,
    data: rules.Overgivelsesdata,
    today: datetime.date | None = None,
    force: frozenset[int] = frozenset(),
) -> tuple[access.Adgang, Asylovergivelse]:
    today = today or timezone.localdate()
    adgang = access.require(caller, Operation.UPDATE_ASYL, cpr=cpr, today=today)
    with access.concerning(adgang.borger):
        claim_request_id(caller=caller, operation=Operation.UPDATE_ASYL)
        instance = Asylovergivelse.objects.select_for_update().filter(borger=adgang.borger).first()
        kontekst = rules.Kontekst(data, adgang, caller.organisation, today, eksisterende=instance)
        kontroller(rules.RET, kontekst, force=force)
        for attribute, value in _values(data).items():
            setattr(instance, attribute, value)
        stempl(instance, caller, _reason(caller, data, force))
        instance.save()
        kontroller(rules.EFTER_SKRIVNING, kontekst)
    registrer_asylovergivelse(instance, AENDRET)
    return adgang, instance


def _values(data: rules.Overgivelsesdata) -> dict:
    return {attribute: getattr(data, attribute) for attribute in rules.FIELDS}
