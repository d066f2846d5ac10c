"""Reads of borgerflytninger: which flows a caller may see (the API's list)."""

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accessrules.access.organisationstyper import kommune_id
from accessrules.core.caller import Caller
from accessrules.models import Tilknytning
from borgerflytte.models import Borgerflytning


def synlige_flytninger(caller: Caller):
    """The flows a caller may see: where its kommune is A or B; STAR all; others none. Each
    carries what `rules.hindring` needs (in the page's own statement): whether the citizen is
    dead, and whether they live in B today."""
    bor_i_b = Tilknytning.objects.filter(
        borger=OuterRef("borger"), organisation=OuterRef("tilflytningskommune")
    ).active_on(timezone.localdate())
    flows = Borgerflytning.objects.annotate(
        borger_doedsdato=F("borger__doedsdato"), bor_i_tilflytningskommune=Exists(bor_i_b)
    )
    if caller.organisation is not None and caller.organisation.is_star:
        return flows
    kommune = kommune_id(caller)
    if kommune is None:
        return flows.none()
    return flows.filter(Q(fraflytningskommune=kommune) | Q(tilflytningskommune=kommune))
