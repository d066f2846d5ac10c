"""Reads of borgerflytninger: which flows a caller may see (the API's list)."""

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accessrules.access import restrict
from accessrules.access.tables import Operation
from accessrules.core.caller import Caller
from accessrules.models import Tilknytning
from borgerflytte.models import Borgerflytning


def synlige_flytninger(caller: Caller):
    """The flows a caller may see (`restrict`): where its kommune is A or B; STAR all; others
    none. Each carries what `rules.hindring` needs (in the page's own statement): whether the
    citizen is dead, and whether they live in B today."""
    bor_i_b = Tilknytning.objects.filter(
        borger=OuterRef("borger"), organisation=OuterRef("tilflytningskommune")
    ).active_on(timezone.localdate())
    flows = Borgerflytning.objects.annotate(
        borger_doedsdato=F("borger__doedsdato"), bor_i_tilflytningskommune=Exists(bor_i_b)
    )
    return restrict(flows, caller, Operation.LIST_FLYTNINGER)
