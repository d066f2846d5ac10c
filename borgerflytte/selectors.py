"""Reads of borgerflytninger: which flows a caller may see (the API's list)."""

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accessrules.access import Adgang, restrict
from accessrules.access.tables import Operation
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
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


def hent_flytning(caller: Caller, flytning_id) -> tuple[Adgang, Borgerflytning]:
    """One flow the caller may see (as the list), with its citizen (the access-log row's:
    access by side grants no table level), else DomainError 3."""
    flows = synlige_flytninger(caller).select_related(
        "borger",
        "fraflytningskommune",
        "tilflytningskommune",
        "fraflytning_organisation",
        "tilflytning_organisation",
    )
    flow = flows.filter(pk=flytning_id).first()
    if flow is None:
        raise DomainError.of(errors.ELEMENT_NOT_FOUND)
    return Adgang(borger=flow.borger, level=None), flow
