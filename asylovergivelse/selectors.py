"""Reads of asylovergivelser: the GET's read, after the access check."""

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.core.caller import Caller
from asylovergivelse.models import Asylovergivelse


def hent_asylovergivelse(
    *, caller: Caller, cpr: str
) -> tuple[access.Adgang, Asylovergivelse | None]:
    """The access granted (its citizen) and the citizen's transition, or None; one statement."""
    adgang = access.require(caller, Operation.GET_ASYL, cpr=cpr, related=("asylovergivelse",))
    try:
        return adgang, adgang.borger.asylovergivelse
    except Asylovergivelse.DoesNotExist:
        return adgang, None
