"""The organisation types (SPEC 1 and 3) as one table, `TYPER`: a type's number and name,
its row in the seeds' access tables, which columns of that row it uses, its kommune, which
relocation flows it sees (and may confirm), which kommune codes it may name in an
asylovergivelse (9244), and how the OpenAPI document describes it.

A new type is one row here (and its field's migration): `OrganisationType`'s choices
(accessrules.models) and `ORGANISATIONSTYPER` (accessrules.access.organisationstyper, where
the code that asks reads it) are built from it. Plain Python, below the models, so both can.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Flytninger(StrEnum):
    """Which relocation flows (BorgerFlytte) a type sees and may confirm a side of."""

    ALLE = "alle"
    KOMMUNENS = "kommunens"  # where its kommune is the side's (A or B)
    INGEN = "ingen"


class Kommunekoder(StrEnum):
    """Which overgivelseskommunekode a type may name (rule 9244)."""

    ALLE = "alle"
    KOMMUNENS = "kommunens"  # its own kommune's
    TILDELTE = "tildelte"  # those of the jobcentres that assigned it the citizen


@dataclass(frozen=True)
class Organisationstype:
    """What one organisation type is, for access, BorgerFlytte's sides, 9244 and the docs."""

    nummer: int  # STAR's ActiveOrganisation type identifier (SPEC 1)
    navn: str  # its name on `OrganisationType` (`OrganisationType.KOMMUNE`)
    seed_raekke: str  # its row's name in the seeds' "Tilladte organisationer" tables
    # the row of the seed table whose columns apply: its own, or (an anden aktør) the
    # JobCenter row's "Anden Aktør - ..." columns, as the jobcentre it acts for
    tabel_raekke: str
    kun_anden_aktoer_kolonner: bool
    kommunekode: Callable[[str], str | None]  # the kommune a code of this type belongs to
    flytninger: Flytninger
    flytninger_tekst: str  # what it sees in GET /v1/BorgerFlytte, as the document says
    kommunekoder: Kommunekoder
    # its own citizens ("Egne borgere", SPEC 3) are also those who live in its kommune: a
    # jobcentre serves its kommune's residents as well as those affiliated with it
    egne_via_bopael: bool = False


# In the order the document's tables list them.
TYPER: tuple[Organisationstype, ...] = (
    Organisationstype(
        7,
        "KOMMUNE",
        "Kommune",
        "Kommune",
        False,
        lambda kode: kode,
        Flytninger.KOMMUNENS,
        "flows hvor kommunen er fraflytnings- eller tilflytningskommune",
        Kommunekoder.KOMMUNENS,
    ),
    # jobcentre xxxNN serves kommune xxx
    Organisationstype(
        8,
        "JOBCENTER",
        "JobCenter",
        "JobCenter",
        False,
        lambda kode: kode[:-2],
        Flytninger.KOMMUNENS,
        "flows for jobcentrets kommune (jobcenter `xxxNN` hører til kommune `xxx`)",
        Kommunekoder.KOMMUNENS,
        egne_via_bopael=True,
    ),
    Organisationstype(
        1,
        "STAR",
        "STAR",
        "STAR",
        False,
        lambda kode: None,
        Flytninger.ALLE,
        "alle flows (`side` ignoreres)",
        Kommunekoder.ALLE,
    ),
    Organisationstype(
        4,
        "ANDEN_AKTOER",
        "AndenAktoer",
        "JobCenter",
        True,
        lambda kode: None,
        Flytninger.INGEN,
        "ingen (en tom liste)",
        Kommunekoder.TILDELTE,
    ),
)
