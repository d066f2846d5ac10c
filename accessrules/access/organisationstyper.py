"""What each organisation type is (SPEC 1 and 3), and the look-ups of organisations by it.

`ORGANISATIONSTYPER` is the one table of what a type means: its row in the seeds' access
tables, which columns of that row it uses, and its kommune. A new type is one row here (and
its choice on `OrganisationType`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from accessrules.core.caller import Caller
from accessrules.models import Organisation, OrganisationType


@dataclass(frozen=True)
class Organisationstype:
    """What one organisation type is, for access and for BorgerFlytte's sides."""

    seed_raekke: str  # its row's name in the seeds' "Tilladte organisationer" tables
    # the row of the seed table whose columns apply: its own, or (an anden aktør) the
    # JobCenter row's "Anden Aktør - ..." columns, as the jobcentre it acts for
    tabel_raekke: str
    kun_anden_aktoer_kolonner: bool
    kommunekode: Callable[[str], str | None]  # the kommune a code of this type belongs to
    # its own citizens ("Egne borgere", SPEC 3) are also those who live in its kommune: a
    # jobcentre serves its kommune's residents as well as those affiliated with it
    egne_via_bopael: bool = False


ORGANISATIONSTYPER: dict[int, Organisationstype] = {
    OrganisationType.STAR: Organisationstype("STAR", "STAR", False, lambda kode: None),
    OrganisationType.KOMMUNE: Organisationstype("Kommune", "Kommune", False, lambda kode: kode),
    # jobcentre xxxNN serves kommune xxx
    OrganisationType.JOBCENTER: Organisationstype(
        "JobCenter", "JobCenter", False, lambda kode: kode[:-2], egne_via_bopael=True
    ),
    OrganisationType.ANDEN_AKTOER: Organisationstype(
        "AndenAktoer", "JobCenter", True, lambda kode: None
    ),
}
SEED_RAEKKER: dict[str, OrganisationType] = {
    typ.seed_raekke: OrganisationType(value) for value, typ in ORGANISATIONSTYPER.items()
}


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
