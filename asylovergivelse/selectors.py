"""Reads of asylovergivelser: the GETs' reads (by CPR, by id, its history), after the access
check."""

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.core import errors, reads
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models.historikposter import Historikpost, historikposter
from asylovergivelse import rules
from asylovergivelse.models import Asylovergivelse

# the history's fields, by the seed's JSON names (the kommentar is each change's own text)
HISTORIK_FELTER = {
    navn: (lambda row, attribute=attribute: getattr(row, attribute))
    for attribute, navn in rules.FIELDS.items()
    if attribute != "kommentar"
}


def hent_asylovergivelse(
    *, caller: Caller, cpr: str, operation: str = Operation.GET_ASYL
) -> tuple[access.Adgang, Asylovergivelse | None]:
    """The access granted (its citizen) and the citizen's transition, or None; one statement,
    or, when the call reads on a standby, the access decision on the primary and the
    transition on the standby. `operation`: another read of the transition by CPR under its
    own table (an endpoint's)."""
    if reads.elsewhere():
        adgang = access.require(caller, operation, cpr=cpr)
        return adgang, Asylovergivelse.objects.filter(borger=adgang.borger).first()
    adgang = access.require(caller, operation, cpr=cpr, related=("asylovergivelse",))
    try:
        return adgang, adgang.borger.asylovergivelse
    except Asylovergivelse.DoesNotExist:
        return adgang, None


def hent_asylovergivelse_ved_id(
    *, caller: Caller, ekstern_id
) -> tuple[access.Adgang, Asylovergivelse]:
    """The transition its opaque id names (else 404 code 3), after the access check on its
    citizen under GetAsylOvergivelse's table (1010 / 6005)."""
    instance = Asylovergivelse.objects.select_related("borger").filter(ekstern_id=ekstern_id)
    found = instance.first()
    if found is None:
        raise DomainError.of(errors.ELEMENT_NOT_FOUND)
    adgang = access.require(caller, Operation.GET_ASYL_VED_ID, borger=found.borger)
    return adgang, found


def hent_historik(*, caller: Caller, cpr: str) -> tuple[access.Adgang, list[Historikpost]]:
    """The citizen's transition's changes, oldest first (none: no transition), after the
    access check under GetAsylOvergivelse's table (1010 / 6005)."""
    adgang = access.require(caller, Operation.GET_ASYL_HISTORIK, cpr=cpr)
    rows = (
        Asylovergivelse.history.filter(borger_id=adgang.borger.pk)
        .select_related("organisation")
        .order_by("history_date", "history_id")
    )
    return adgang, historikposter(rows, HISTORIK_FELTER, lambda row: row.kommentar)
