"""Writes of borgerflytninger: confirmations (SPEC 5), the affiliation move when both sides
are confirmed, and cancellation. Each in one transaction (`@write`: the API's, with no
savepoint, or its own); any refusal rolls everything back, the x-requestId too."""

import datetime
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from accessrules import access
from accessrules.access.organisationstyper import jobcenter_for, kommunekode_for
from accessrules.access.tables import Operation
from accessrules.accesslog.requestid import claim_request_id
from accessrules.accesslog.transaction import write
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.core.regler import kontroller
from accessrules.models import Kilde, OrganisationType, Tilknytning
from accessrules.models.historik import stempl
from borgerflytte import rules
from borgerflytte.models import Borgerflytning, Tilstand
from borgerflytte.notifikationer import AFSLUTTET, ANNULLERET, BEKRAEFTET, registrer_flytninger
from borgerflytte.rules import FRA, TIL

logger = logging.getLogger(__name__)

_OPERATIONS = {FRA: Operation.FRAFLYTNING, TIL: Operation.TILFLYTNING}


@write
def bekraeft(
    *,
    flytning_id: uuid.UUID,
    side: str,
    caller: Caller,
    cpr: str | None = None,
) -> tuple[access.Adgang | None, Borgerflytning]:
    """Confirm one side; return the access granted (None for an operator who names no CPR on
    the move-out) and the flow. A repeated confirmation changes nothing (the first stamp stays).

    The flow is read once, locked, with its citizen and this side's kommune (the other is read
    only when the flow closes). SPEC 4's order: the move-out checks the caller's access to the
    citizen the CPR names (1010 / 6005), then the x-requestId (412), then the flow (404 code
    3, 60007); the move-in checks the flow (404 code 3), then access (6005), then the
    x-requestId.
    """
    operation = _OPERATIONS[side]
    flow = (
        Borgerflytning.objects.select_related("borger", f"{side}skommune")
        .select_for_update(of=("self",))
        .filter(pk=flytning_id)
        .first()
    )
    adgang = None
    if side == FRA:
        named = flow.borger if flow is not None else None
        if cpr is not None:  # the API always names the citizen; an operator may not
            adgang = access.require(caller, operation, cpr=cpr, borger=named)
            named = adgang.borger
        with access.concerning(named):
            claim_request_id(caller=caller, operation=operation)
            kontroller(rules.FRAFLYTNING, rules.Kontekst(flow, side, caller, named))
    else:
        kontekst = rules.Kontekst(flow, side, caller)
        kontroller(rules.TILFLYTNING_FLOW, kontekst)
        try:
            adgang = access.require(caller, operation, borger=flow.borger)
        except DomainError as refusal:
            if refusal.codes == [errors.CITIZEN_NOT_ACCESSIBLE]:  # B: no residence in B today
                explained = DomainError(rules.ingen_bopael(flow))
                explained.borger = refusal.borger
                raise explained from None
            raise
        with access.concerning(adgang.borger):
            claim_request_id(caller=caller, operation=operation)
            kontroller(rules.TILFLYTNING_EFTER_ADGANG, kontekst)
    if getattr(flow, f"{side}_tidspunkt") is not None:
        return adgang, flow
    setattr(flow, f"{side}_tidspunkt", timezone.now())
    setattr(flow, f"{side}_organisation", caller.organisation)
    setattr(flow, f"{side}_klient", caller.client)
    if flow.fraflytning_tidspunkt and flow.tilflytning_tidspunkt:
        flow.tilstand = Tilstand.AFSLUTTET
        _flyt_jobcentertilknytning(flow)
    stempl(flow, caller, f"{side} bekræftet af {caller}")
    flow.save(
        update_fields=[f"{side}_tidspunkt", f"{side}_organisation", f"{side}_klient", "tilstand"]
    )
    events = [(flow, BEKRAEFTET, {"side": side})]
    if flow.tilstand == Tilstand.AFSLUTTET:
        events.append((flow, AFSLUTTET, {}))
    registrer_flytninger(events)
    return adgang, flow


def _flyt_jobcentertilknytning(flow: Borgerflytning) -> None:
    """End the affiliation to A's jobcentre the day before flyttedato and open one to B's on
    flyttedato, as residences move (SPEC 5: periods are inclusive, so no day has two)."""
    day_before = flow.flyttedato - datetime.timedelta(days=1)
    open_affiliations = (
        Tilknytning.objects.select_for_update()
        .filter(borger=flow.borger, organisation__type=OrganisationType.JOBCENTER)
        .active_on(day_before)
        .select_related("organisation")
    )
    for affiliation in open_affiliations:
        if kommunekode_for(affiliation.organisation) == flow.fraflytningskommune.kode:
            affiliation.til, affiliation.kilde = day_before, Kilde.BORGERFLYTNING
            affiliation.save(update_fields=["til", "kilde"])
    target = jobcenter_for(flow.tilflytningskommune.kode)
    if target is None:
        logger.warning(
            "Borgerflytning %s: kommune %s has no jobcenter; no new affiliation opened",
            flow.pk,
            flow.tilflytningskommune.kode,
        )
        return
    already = (
        Tilknytning.objects.filter(borger=flow.borger, organisation=target)
        .active_on(flow.flyttedato)
        .exists()
    )
    if not already:
        Tilknytning.objects.create(
            borger=flow.borger, organisation=target, fra=flow.flyttedato, kilde=Kilde.BORGERFLYTNING
        )


@transaction.atomic
def annuller(
    *, flytning_id: uuid.UUID, begrundelse: str, af: str, caller: Caller | None = None
) -> Borgerflytning:
    """Cancel a waiting flow (never deletes). Raises ValueError with a clear message. The
    history row names `caller` (a caseworker: their organisation); without one, an operator's
    command named by `af`."""
    if not begrundelse.strip():
        raise ValueError("a begrundelse is required")
    flow = Borgerflytning.objects.select_for_update().filter(pk=flytning_id).first()
    if flow is None:
        raise ValueError(f"no borgerflytning with id {flytning_id}")
    if flow.tilstand != Tilstand.AFVENTER:
        raise ValueError(f"borgerflytning {flytning_id} is {flow.tilstand}, not AFVENTER")
    flow.tilstand = Tilstand.ANNULLERET
    flow.annulleret_tidspunkt = timezone.now()
    flow.annulleret_af = af[:200]
    flow.annulleret_begrundelse = begrundelse
    caller = caller or Caller(organisation=None, label=af)
    stempl(flow, caller, f"annulleret af {af}: {begrundelse}")
    flow.save()
    registrer_flytninger([(flow, ANNULLERET, {})])
    return flow
