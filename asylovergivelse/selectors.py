"""Reads of asylovergivelser: the GET's read, after the access check."""

from accessrules import access
from accessrules.access.tables import Operation
from accessrules.core import errors, reads
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from asylovergivelse.models import Asylovergivelse


def hent_asylovergivelse(
    *, caller: Caller, cpr: str
) -> tuple[access.Adgang, Asylovergivelse | None]:
    """The access granted (its citizen) and the citizen's transition, or None; one statement,
    or, when the call reads on a standby, the access decision on the primary and the
    transition on the standby."""
    if reads.elsewhere():
        adgang = access.require(caller, Operation.GET_ASYL, cpr=cpr)
        return adgang, Asylovergivelse.objects.filter(borger=adgang.borger).first()
    adgang = access.require(caller, Operation.GET_ASYL, cpr=cpr, related=("asylovergivelse",))
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
