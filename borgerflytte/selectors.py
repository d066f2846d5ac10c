"""Reads of borgerflytninger: which flows a caller may see (the API's list), one flow, and
its history."""

from django.db.models import F
from django.utils import timezone

from accessrules.access import Adgang, restrict
from accessrules.access.organisationstyper import Flytninger, ser_flytninger
from accessrules.access.tables import Operation
from accessrules.core import errors
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from accessrules.models import Tilknytning
from accessrules.models.historikposter import Historikpost, historikposter
from borgerflytte.models import Borgerflytning


def _bekraeftelse(side: str):
    return {
        f"{side}sbekraeftelse.tidspunkt": lambda row: getattr(row, f"{side}_tidspunkt"),
        f"{side}sbekraeftelse.organisation": lambda row: getattr(row, f"{side}_organisation"),
    }


# the history's fields, by the names the flow's JSON uses (a confirmation's by its stamp's)
HISTORIK_FELTER = {
    "tilstand": lambda row: row.tilstand,
    "flyttedato": lambda row: row.flyttedato,
    "fraflytningskommunekode": lambda row: row.fraflytningskommune.kode,
    "tilflytningskommunekode": lambda row: row.tilflytningskommune.kode,
    **_bekraeftelse("fraflytning"),
    **_bekraeftelse("tilflytning"),
}


def synlige_flytninger(caller: Caller):
    """The flows a caller may see (`restrict`): where its kommune is A or B; STAR all; others
    none. Each carries whether the citizen is dead (`rules.hindring`, in the page's own
    statement); `med_bopael_i_b` adds, for one page, whether they live in B today."""
    flows = Borgerflytning.objects.annotate(borger_doedsdato=F("borger__doedsdato"))
    return restrict(flows, caller, Operation.LIST_FLYTNINGER)


def med_bopael_i_b(flows: list[Borgerflytning], caller: Caller) -> list[Borgerflytning]:
    """Set `bor_i_tilflytningskommune` on each flow of one page, for `rules.hindring`: one
    statement bounded by the page's citizens (a subquery in the page's statement made
    PostgreSQL hash every active residence of the country), none for a caller that sees all
    flows (hindring asks only a kommune's side)."""
    if not flows or ser_flytninger(caller.organisation) == Flytninger.ALLE:
        for flow in flows:
            flow.bor_i_tilflytningskommune = True
        return flows
    bor = set(
        Tilknytning.objects.filter(
            borger_id__in={flow.borger_id for flow in flows},
            organisation_id__in={flow.tilflytningskommune_id for flow in flows},
        )
        .active_on(timezone.localdate())
        .values_list("borger_id", "organisation_id")
    )
    for flow in flows:
        flow.bor_i_tilflytningskommune = (flow.borger_id, flow.tilflytningskommune_id) in bor
    return flows


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
    med_bopael_i_b([flow], caller)
    return Adgang(borger=flow.borger, level=None), flow


def hent_historik(caller: Caller, flytning_id) -> tuple[Adgang, list[Historikpost]]:
    """The changes of one flow the caller may see (as the list), oldest first, else
    DomainError 3; its text is a cancellation's begrundelse (never who cancelled: a person)."""
    flow = synlige_flytninger(caller).select_related("borger").filter(pk=flytning_id).first()
    if flow is None:
        raise DomainError.of(errors.ELEMENT_NOT_FOUND)
    rows = (
        Borgerflytning.history.filter(id=flow.pk)
        .select_related(
            "organisation",
            "fraflytningskommune",
            "tilflytningskommune",
            "fraflytning_organisation",
            "tilflytning_organisation",
        )
        .order_by("history_date", "history_id")
    )
    posts = historikposter(rows, HISTORIK_FELTER, lambda row: row.annulleret_begrundelse)
    return Adgang(borger=flow.borger, level=None), posts
