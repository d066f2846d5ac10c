"""Reads of borgerflytninger: which flows a caller may see (the API's list)."""

from accessrules.access import restrict
from accessrules.access.tables import Operation
from accessrules.core.caller import Caller
from borgerflytte.models import Borgerflytning


def synlige_flytninger(caller: Caller):
    """The flows a caller may see (`restrict`): where its kommune is A or B; STAR all; others
    none."""
    return restrict(Borgerflytning.objects.all(), caller, Operation.LIST_FLYTNINGER)
