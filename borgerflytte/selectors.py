"""Reads of borgerflytninger: which flows a caller may see (the API's list)."""

from django.db.models import Q

from accessrules.access.organisationstyper import kommune_id
from accessrules.core.caller import Caller
from borgerflytte.models import Borgerflytning


def synlige_flytninger(caller: Caller):
    """The flows a caller may see: where its kommune is A or B; STAR all; others none."""
    flows = Borgerflytning.objects.all()
    if caller.organisation is not None and caller.organisation.is_star:
        return flows
    kommune = kommune_id(caller)
    if kommune is None:
        return flows.none()
    return flows.filter(Q(fraflytningskommune=kommune) | Q(tilflytningskommune=kommune))


def synlig_flytning(caller: Caller, flytning_id) -> Borgerflytning | None:
    """One flow the caller may see (as the list), with its citizen; None otherwise."""
    flows = synlige_flytninger(caller).select_related(
        "borger",
        "fraflytningskommune",
        "tilflytningskommune",
        "fraflytning_organisation",
        "tilflytning_organisation",
    )
    return flows.filter(pk=flytning_id).first()
