"""The BorgerFlytte rules of SPEC 5 as objects (code, stage), run by `services.bekraeft` in
SPEC 4's order and named in the operation specs (so in the OpenAPI code lists)."""

from dataclasses import dataclass

from accessrules.access.organisationstyper import Flytninger, kommunekode_for, ser_flytninger
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.regler import Regel, Stage
from accessrules.models import Borger
from borgerflytte.models import Borgerflytning, Tilstand

FRA, TIL = "fraflytning", "tilflytning"
FLOW_FIELD = "borgerflytningId"


@dataclass(frozen=True)
class Kontekst:
    flow: Borgerflytning | None
    side: str
    caller: Caller
    borger: Borger | None = None  # the citizen the CPR header names (move-out)


def may_confirm(caller: Caller, flow: Borgerflytning, side: str) -> bool:
    """As its type sees flows (`ORGANISATIONSTYPER`): a kommune or a jobcentre of the kommune
    on that side, or STAR; an operator or a caseworker (no organisation) too."""
    organisation = caller.organisation
    match ser_flytninger(organisation):
        case Flytninger.ALLE:
            return True
        case Flytninger.KOMMUNENS:
            return kommunekode_for(organisation) == getattr(flow, f"{side}skommune").kode
    return False


def _bekraeftbar(k: Kontekst):
    """404 code 3 unless the flow exists for this caller on this side: also for the wrong side,
    a cancelled flow, or (move-out) a flow of another citizen than the CPR names."""
    flow = k.flow
    if (
        flow is None
        or flow.tilstand == Tilstand.ANNULLERET
        or not may_confirm(k.caller, flow, k.side)
        or (k.side == FRA and k.borger is not None and flow.borger_id != k.borger.pk)
    ):
        yield FLOW_FIELD


def _borger_lever(k: Kontekst):
    if k.flow.borger.is_dead:
        yield


BEKRAEFTBAR = Regel(
    "Flytningen findes for kalderen", (errors.ELEMENT_NOT_FOUND,), Stage.TILSTAND, _bekraeftbar
)
BORGER_LEVER = Regel("Borgeren lever", (60007,), Stage.TILSTAND, _borger_lever)

FRAFLYTNING = (BEKRAEFTBAR, BORGER_LEVER)
TILFLYTNING = (BEKRAEFTBAR,)
