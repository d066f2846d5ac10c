"""Writes of relocation flows: the two confirmations, the affiliation move, cancellation.
Each runs in one transaction with the flow row locked, so two concurrent confirmations of the
two sides end in exactly one move of the affiliation."""

import logging
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from accessrules import errors
from accessrules.access.tables import Operation
from accessrules.api.problems import ApiError
from accessrules.caller import Caller
from accessrules.compiled import compiled_once
from accessrules.models import Borger, Organisation, OrganisationType, Tilknytning
from accessrules.queries import citizen_by_cpr, one_or_none, save_fields
from accessrules.services import claim_request_id
from borgerflytte.models import Borgerflytning, Tilstand
from borgerflytte.sides import may_confirm

logger = logging.getLogger(__name__)

FRA, TIL = "fraflytning", "tilflytning"


def _no_access_check(borger: Borger | None) -> None:
    """For callers that are not API clients (operators, the demo): no access table applies."""


@transaction.atomic
def bekraeft(
    *,
    flytning_id: uuid.UUID,
    side: str,
    caller: Caller,
    cpr: str | None = None,
    check_access: Callable[[Borger | None], None] = _no_access_check,
) -> Borgerflytning:
    """Confirm one side. A repeated confirmation changes nothing (the first stamp stays).

    The flow is read once, locked, with its citizen and this side's kommune (the other is read
    only when the flow closes). Any refusal rolls everything back, the x-requestId too.
    """
    flow = _locked_flow(flytning_id, side)
    if side == FRA:
        _check_fraflytning(flow, caller=caller, cpr=cpr, check_access=check_access)
    else:
        _check_tilflytning(flow, caller=caller, check_access=check_access)
    if getattr(flow, f"{side}_tidspunkt") is not None:
        return flow
    setattr(flow, f"{side}_tidspunkt", timezone.now())
    setattr(flow, f"{side}_organisation", caller.organisation)
    setattr(flow, f"{side}_klient", caller.client)
    if flow.fraflytning_tidspunkt and flow.tilflytning_tidspunkt:
        flow.tilstand = Tilstand.AFSLUTTET
        _flyt_jobcentertilknytning(flow)
    flow._change_reason = f"{side} bekræftet af {caller}"[:100]
    stamps = [f"{side}_tidspunkt", f"{side}_organisation", f"{side}_klient", "tilstand"]
    save_fields(flow, stamps)
    return flow


def _check_fraflytning(flow, *, caller: Caller, cpr: str | None, check_access) -> None:
    """SPEC 4's order: the caller's access to the citizen `cpr` names (1010 / 6005), then the
    x-requestId (412), then the flow (404 code 3: also another citizen's flow), then 60007.
    The citizen is the flow's, read with it; another CPR is looked up on its own."""
    named = flow.borger if flow is not None and flow.borger.cpr == cpr else None
    if cpr is not None and named is None:
        named = citizen_by_cpr(cpr)
    check_access(named)
    claim_request_id(caller=caller, operation=Operation.FRAFLYTNING)
    _check_confirmable(flow, FRA, caller)
    if cpr is not None and (named is None or flow.borger_id != named.pk):
        raise _not_found()
    if flow.borger.is_dead:
        raise ApiError.of(60007)


def _check_tilflytning(flow, *, caller: Caller, check_access) -> None:
    """The flow (404 code 3), then the caller's access to its citizen (6005), then the
    x-requestId (412)."""
    _check_confirmable(flow, TIL, caller)
    check_access(flow.borger)
    claim_request_id(caller=caller, operation=Operation.TILFLYTNING)


def _locked_flow(flytning_id: uuid.UUID, side: str) -> Borgerflytning | None:
    flows = Borgerflytning.objects.select_related("borger", f"{side}skommune")
    return one_or_none(compiled_once(flows.select_for_update(of=("self",))).filter(pk=flytning_id))


def _check_confirmable(flow: Borgerflytning | None, side: str, caller: Caller) -> None:
    """404 code 3 unless the caller may confirm `side` of this flow: also for the wrong side
    or a cancelled flow (neither exists for this caller)."""
    if (
        flow is None
        or flow.tilstand == Tilstand.ANNULLERET
        or not may_confirm(caller.organisation, getattr(flow, f"{side}skommune"))
    ):
        raise _not_found()


def _not_found() -> ApiError:
    return ApiError.of(errors.ELEMENT_NOT_FOUND, field="borgerflytningId")


def jobcenter_for(kommunekode: str) -> Organisation | None:
    """B's jobcentre: the jobcenter organisation of that kommune (lowest code if several)."""
    candidates = Organisation.objects.filter(
        type=OrganisationType.JOBCENTER, kode__startswith=kommunekode
    ).order_by("kode")
    return next((o for o in candidates if o.kommunekode == kommunekode), None)


def _flyt_jobcentertilknytning(flow: Borgerflytning) -> None:
    """End the affiliation to A's jobcentre on flyttedato; open one to B's on flyttedato."""
    open_affiliations = (
        Tilknytning.objects.select_for_update()
        .filter(borger=flow.borger, organisation__type=OrganisationType.JOBCENTER)
        .active_on(flow.flyttedato)
        .select_related("organisation")
    )
    for affiliation in open_affiliations:
        if affiliation.organisation.kommunekode == flow.fraflytningskommune.kode:
            affiliation.til = flow.flyttedato
            affiliation.save(update_fields=["til"])
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
        Tilknytning.objects.create(borger=flow.borger, organisation=target, fra=flow.flyttedato)


@transaction.atomic
def annuller(*, flytning_id: uuid.UUID, begrundelse: str, af: str) -> Borgerflytning:
    """Cancel a waiting flow (never deletes). Raises ValueError with a clear message."""
    if not begrundelse.strip():
        raise ValueError("a begrundelse is required")
    flow = one_or_none(Borgerflytning.objects.select_for_update().filter(pk=flytning_id))
    if flow is None:
        raise ValueError(f"no borgerflytning with id {flytning_id}")
    if flow.tilstand != Tilstand.AFVENTER:
        raise ValueError(f"borgerflytning {flytning_id} is {flow.tilstand}, not AFVENTER")
    flow.tilstand = Tilstand.ANNULLERET
    flow.annulleret_tidspunkt = timezone.now()
    flow.annulleret_af = af[:200]
    flow.annulleret_begrundelse = begrundelse
    flow._change_reason = f"annulleret af {af}: {begrundelse}"[:100]
    flow.save()
    return flow
