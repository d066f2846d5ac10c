"""The seeds' "Tilladte organisationer" tables, written here by hand from the seed pages
(independently of accessrules/access/tables.py), and builders for a citizen in each relation.

Used by tests/accessrules/access/test_access_matrix.py (the decision) and by tests/endpoints.py
(every cell through each endpoint). Both enroll every endpoint the URLconf serves under a seed
table, and fail for an operation that has no row in EXPECTED here.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accessrules.access.tables import Level, Operation
from accessrules.models import Borger, Organisation, OrganisationType
from tests.factories import (
    AndenAktoerFactory,
    AndenAktoerTildelingFactory,
    BorgerFactory,
    GaesteadgangFactory,
    JobcenterFactory,
    KommuneFactory,
    StarFactory,
    TilknytningFactory,
)

BORGERFLYTTE_LEVELS = list(Level)
ASYL_LEVELS = [Level.ALLE, Level.EGNE, Level.TIDLIGERE_EGNE, Level.AA_EGNE]

J, K, S = OrganisationType.JOBCENTER, OrganisationType.KOMMUNE, OrganisationType.STAR

# seed 000, CreateFraflytningsbekraeftelse: every row "Alle borgere"
# seed 000, CreateTilflytningsbekraeftelse: JobCenter, Kommune "Egne borgere"; STAR "Alle"
# seed 002, all three methods: JobCenter "Egne borgere" + "Anden Aktør - egne borgere";
#           Kommune "Egne borgere"; STAR "Alle borgere"
_ASYL = {
    J: {"Egne borgere", "Anden Aktør - egne borgere"},
    K: {"Egne borgere"},
    S: {"Alle borgere"},
}
EXPECTED: dict[Operation, dict[OrganisationType, set[str]]] = {
    Operation.FRAFLYTNING: {J: {"Alle borgere"}, K: {"Alle borgere"}, S: {"Alle borgere"}},
    Operation.TILFLYTNING: {J: {"Egne borgere"}, K: {"Egne borgere"}, S: {"Alle borgere"}},
    Operation.CREATE_ASYL: _ASYL,
    Operation.UPDATE_ASYL: _ASYL,
    Operation.GET_ASYL: _ASYL,
    # SPEC 9, GET /v1/Asylovergivelse/{id}: GetAsylOvergivelse's table, by the transition's id
    Operation.GET_ASYL_VED_ID: _ASYL,
    # SPEC 10, GET /v1/Asylovergivelse/historik: GetAsylOvergivelse's table
    Operation.GET_ASYL_HISTORIK: _ASYL,
    # SPEC 5a, POST /v1/CprHaendelser: a system client of STAR only
    Operation.CPR_HAENDELSER: {S: {"System - alle borgere"}},
}


def levels_of(operation: Operation) -> list[Level]:
    return (
        ASYL_LEVELS
        if operation
        in (
            Operation.CREATE_ASYL,
            Operation.UPDATE_ASYL,
            Operation.GET_ASYL,
            Operation.GET_ASYL_VED_ID,
            Operation.GET_ASYL_HISTORIK,
        )
        else BORGERFLYTTE_LEVELS
    )


_AA_COLUMNS = {
    "Anden Aktør - egne borgere",
    "Anden Aktør - gæsteadgang",
    "Anden Aktør - alle borgere",
}


def expected_allowed(operation: Operation, row: OrganisationType, level: Level) -> bool:
    """Is a citizen built for this cell (citizen_in_relation, acting_organisation) reachable?

    The cell's citizen is in relation `level` and, like every citizen, under "Alle borgere"
    (for an anden aktør: "Anden Aktør - alle borgere"; for a system client also "System - alle
    borgere"). An anden aktør acting for a jobcentre uses only that row's "Anden Aktør" columns;
    every other organisation only the other columns.
    """
    acting_aa = row == J and level.value in _AA_COLUMNS
    columns = {c for c in EXPECTED[operation][row] if (c in _AA_COLUMNS) == acting_aa}
    satisfied = {level.value, "Anden Aktør - alle borgere" if acting_aa else "Alle borgere"}
    if level != Level.SYSTEM_ALLE:
        columns.discard("System - alle borgere")
    return bool(columns & satisfied)


def matrix_cases(operation: Operation) -> list:
    """Every (seed row x level column) cell: pytest.param(row, level, allowed)."""
    return [
        pytest.param(
            row, level, expected_allowed(operation, row, level), id=f"{row.label}-{level.value}"
        )
        for row in EXPECTED[operation]
        for level in levels_of(operation)
    ]


def acting_organisation(row: OrganisationType, level: Level) -> tuple[Organisation, bool]:
    """Who acts in the cell: an anden aktør for a JobCenter row's "Anden Aktør" columns; a
    system client for "System - alle borgere"."""
    system = level == Level.SYSTEM_ALLE
    if level in (Level.AA_EGNE, Level.AA_GAEST, Level.AA_ALLE) and row == J:
        return AndenAktoerFactory(), system
    factory = {J: JobcenterFactory, K: KommuneFactory, S: StarFactory}[row]
    return factory(), system


# SPEC 3, "Egne borgere" for a JobCenter: an open jobcentre affiliation to it OR an open
# residence in its kommune (jobcentre xxxNN serves kommune xxx). Written here from the SPEC,
# independently of accessrules.models.ORGANISATIONSTYPER.
def residence_kommune_of_jobcenter(jobcenter: Organisation) -> Organisation:
    """The kommune whose residents are the jobcentre's own (created if missing)."""
    kode = jobcenter.kode[:-2]
    return Organisation.objects.get_or_create(
        type=OrganisationType.KOMMUNE, kode=kode, defaults={"navn": f"Kommune {kode}"}
    )[0]


def citizen_living_in_jobcenters_kommune(
    jobcenter: Organisation, *, fra: datetime.date, til: datetime.date | None
) -> Borger:
    """A citizen whose only relation is a residence in the jobcentre's kommune, fra..til."""
    borger = BorgerFactory()
    TilknytningFactory(
        borger=borger, organisation=residence_kommune_of_jobcenter(jobcenter), fra=fra, til=til
    )
    return borger


def residence_cases() -> list:
    """(fra, til relative to today, is the citizen "Egne borgere" of the jobcentre today?)"""
    return [
        pytest.param(-30, None, True, id="open"),
        pytest.param(0, None, True, id="starts-today"),
        pytest.param(-30, 0, True, id="ends-today"),
        pytest.param(1, None, False, id="starts-tomorrow"),
        pytest.param(-30, -1, False, id="ended-yesterday"),
    ]


def citizen_in_relation(level: Level, organisation: Organisation) -> Borger:
    """A citizen in exactly that relation to the organisation today, and no other."""
    today = timezone.localdate()
    borger = BorgerFactory()
    if level == Level.EGNE:
        TilknytningFactory(borger=borger, organisation=organisation)
    elif level == Level.TIDLIGERE_EGNE:
        window = settings.TIDLIGERE_EGNE_BORGERE_DAYS
        TilknytningFactory(
            borger=borger,
            organisation=organisation,
            fra=today - datetime.timedelta(days=window + 200),
            til=today - datetime.timedelta(days=window // 2),
        )
    elif level in (Level.GAEST, Level.AA_GAEST):
        GaesteadgangFactory(borger=borger, organisation=organisation)
    elif level == Level.AA_EGNE:
        AndenAktoerTildelingFactory(borger=borger, anden_aktoer=organisation)
    return borger


# --- caseworkers in the admin (SPEC 7), written here from the SPEC ---------------------------
# A caseworker belongs to a Kommune, a JobCenter or STAR (never an anden aktør, never a system
# client): citizens by GetAsylOvergivelse's table without its "Anden Aktør" column, plus the
# citizen of any flow where the organisation's kommune is A or B; flows by the list rule
# (STAR all, a kommune and its jobcentres those where the kommune is A or B); access-log rows
# of the organisation's own look-ups (STAR all).
CASEWORKER_CITIZENS: dict[OrganisationType, set[str]] = {
    J: {"Egne borgere"},
    K: {"Egne borgere"},
    S: {"Alle borgere"},
}
CASEWORKER_LEVELS = [Level.ALLE, Level.EGNE, Level.TIDLIGERE_EGNE, Level.GAEST]


def caseworker_cases() -> list:
    """Every (caseworker's organisation type x the citizen's relation) cell:
    pytest.param(row, level, visible)."""
    return [
        pytest.param(
            row,
            level,
            bool({level.value, "Alle borgere"} & CASEWORKER_CITIZENS[row]),
            id=f"{row.label}-{level.value}",
        )
        for row in CASEWORKER_CITIZENS
        for level in CASEWORKER_LEVELS
    ]
