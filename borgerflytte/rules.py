"""The BorgerFlytte rules of SPEC 5 as objects (code, stage), run by `services.bekraeft` in
SPEC 4's order and named in the operation specs (so in the OpenAPI code lists)."""

from dataclasses import dataclass

from accessrules.access.organisationstyper import Flytninger, kommunekode_for, ser_flytninger
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import Violation
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
# The move-in checks the flow, then access (6005), then the citizen's death (60007): SPEC 4's
# order, so a dead citizen's flow answers 60007 to either side that passes the access check.
TILFLYTNING_FLOW = (BEKRAEFTBAR,)
TILFLYTNING_EFTER_ADGANG = (BORGER_LEVER,)
TILFLYTNING = (*TILFLYTNING_FLOW, *TILFLYTNING_EFTER_ADGANG)


def ingen_bopael(flow: Borgerflytning) -> Violation:
    """B's refusal of a move-in for a citizen with no residence in B today, in the words the
    flow list uses for the same flow (`hindring`)."""
    kode = flow.tilflytningskommune.kode
    return Violation(
        errors.CITIZEN_NOT_ACCESSIBLE,
        detail=f"No residence in kommune {kode} is registered for the citizen today, so kommune "
        f"{kode} and its jobcentres may not confirm the move-in yet (flyttedato "
        f"{flow.flyttedato.isoformat()}); they may once the CPR register reports the citizen "
        f"living there.",
    )


def hindring(
    flow: Borgerflytning, caller: Caller, *, doed: bool, bor_i_tilflytningskommune: bool
) -> Violation | None:
    """Why the caller cannot confirm its unconfirmed side of a waiting flow now, as the
    confirmation would answer (None: it can, or has nothing left to confirm)."""
    if flow.tilstand != Tilstand.AFVENTER:
        return None
    organisation = caller.organisation
    star = ser_flytninger(organisation) == Flytninger.ALLE
    sides = [
        side
        for side in (FRA, TIL)
        if getattr(flow, f"{side}_tidspunkt") is None and (star or may_confirm(caller, flow, side))
    ]
    if not sides:
        return None
    if sides == [TIL] and not star and not bor_i_tilflytningskommune:
        return ingen_bopael(flow)  # access comes first (SPEC 4), so before a death
    if doed:
        return BORGER_LEVER.brud()
    return None
