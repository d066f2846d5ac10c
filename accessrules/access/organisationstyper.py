"""What each organisation type is (SPEC 1 and 3), and the look-ups of organisations by it.

`ORGANISATIONSTYPER` is the one table of what a type means, by `OrganisationType`: its row in
the seeds' access tables, which columns of that row it uses, its kommune, which relocation
flows it sees (and may confirm), which kommune codes it may name in an asylovergivelse (9244),
and how the OpenAPI document describes it. The code that asks reads it here. Its rows are
`accessrules.core.organisationstyper.TYPER`: a new type is one row there (and the migration of
`Organisation.type`'s choices).
"""

from accessrules.core.caller import Caller
from accessrules.core.organisationstyper import (
    TYPER,
    Flytninger,
    Kommunekoder,
    Organisationstype,
)
from accessrules.models import Organisation, OrganisationType

ORGANISATIONSTYPER: dict[int, Organisationstype] = {
    OrganisationType(typ.nummer): typ for typ in TYPER
}
SEED_RAEKKER: dict[str, OrganisationType] = {
    typ.seed_raekke: OrganisationType(value) for value, typ in ORGANISATIONSTYPER.items()
}


def typebeskrivelse() -> str:
    """The types as the document's header parameter lists them: `8 JobCenter, 7 Kommune, ...`."""
    return ", ".join(
        f"{value} {ORGANISATIONSTYPER[value].seed_raekke}"
        for value in sorted(ORGANISATIONSTYPER, reverse=True)
    )


def flytninger_tabel() -> str:
    """Who sees which flows, as the document's table of GET /v1/BorgerFlytte."""
    rows = [f"| {t.seed_raekke} | {t.flytninger_tekst} |" for t in ORGANISATIONSTYPER.values()]
    return "\n".join(["| Organisation | Ser |", "|---|---|", *rows])


def ser_flytninger(organisation: Organisation | None) -> Flytninger:
    """Which flows a caller acting for `organisation` sees; no organisation (a caseworker, an
    operator): all, as for STAR."""
    return organisationstype(organisation).flytninger if organisation else Flytninger.ALLE


def kommunekoder_for_9244(organisation: Organisation | None) -> Kommunekoder:
    """Which kommune codes a caller may name in an asylovergivelse; no organisation: any."""
    return organisationstype(organisation).kommunekoder if organisation else Kommunekoder.ALLE


def organisationstype(organisation: Organisation) -> Organisationstype:
    return ORGANISATIONSTYPER[organisation.type]


def kommunekode_for(organisation: Organisation) -> str | None:
    """The municipality an organisation belongs to (see ORGANISATIONSTYPER)."""
    return organisationstype(organisation).kommunekode(organisation.kode)


def kommune_id(caller: Caller) -> int | None:
    """The id of the kommune organisation the caller acts for (itself for a kommune), looked
    up once per caller; None when there is none."""
    if "kommune_id" not in caller.memo:
        organisation = caller.organisation
        caller.memo["kommune_id"] = kommune_organisation_id(organisation) if organisation else None
    return caller.memo["kommune_id"]


def kommune_organisation_id(organisation: Organisation) -> int | None:
    """The id of the kommune organisation `organisation` belongs to: itself for a kommune;
    for a jobcentre looked up by code (a literal id, not a subquery, lets PostgreSQL plan a
    flow list with the kommune's own statistics); None when there is none."""
    if organisation.type == OrganisationType.KOMMUNE:
        return organisation.pk
    kode = kommunekode_for(organisation)
    if kode is None:
        return None
    kommuner = Organisation.objects.filter(type=OrganisationType.KOMMUNE, kode=kode)
    return kommuner.values_list("pk", flat=True).first()


def jobcenter_for(kommunekode: str) -> Organisation | None:
    """A kommune's jobcentre: the jobcenter organisation of that kommune (lowest code if
    several)."""
    candidates = Organisation.objects.filter(
        type=OrganisationType.JOBCENTER, kode__startswith=kommunekode
    ).order_by("kode")
    return next((o for o in candidates if kommunekode_for(o) == kommunekode), None)
