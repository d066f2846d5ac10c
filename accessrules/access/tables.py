"""The seeds' "Tilladte organisationer" tables, transcribed as data (SPEC 3).

Each table is written the way the seed page shows it: one row per organisation type, one
column per access level, `X` where the seed has an X. Compare them cell by cell with
../shared/seeds/. `TABLES` is the parsed form: operation -> org type -> set of levels.

The operations of `Operation` have their tables here. A new operation can instead be declared
with its endpoint: its app's `api/endpoints.py` names it and writes its table there
(`Endpoint(operation="GetNoget", table=...)`), which `declare` enrols here when the module is
imported (config's app imports every app's `api/endpoints.py` at start-up); this layer imports
no domain app. tests/matrix.py stays the hand-written oracle for both kinds.
"""

from enum import StrEnum

from accessrules.access.organisationstyper import SEED_RAEKKER
from accessrules.core import errors
from accessrules.models import OrganisationType


class Level(StrEnum):
    ALLE = "Alle borgere"
    EGNE = "Egne borgere"
    TIDLIGERE_EGNE = "Tidligere egne borgere"
    GAEST = "Gæsteadgang"
    AA_EGNE = "Anden Aktør - egne borgere"
    AA_GAEST = "Anden Aktør - gæsteadgang"
    AA_ALLE = "Anden Aktør - alle borgere"
    SYSTEM_ALLE = "System - alle borgere"


# A JobCenter row's "Anden Aktør - ..." columns apply to an anden aktør acting for that jobcentre.
ANDEN_AKTOER_LEVELS = frozenset({Level.AA_EGNE, Level.AA_GAEST, Level.AA_ALLE})
# Levels under which any citizen is visible, so that an unknown CPR may be answered with 1010.
ALLE_LEVELS = frozenset({Level.ALLE, Level.AA_ALLE, Level.SYSTEM_ALLE})


class Operation(StrEnum):
    """Seed method names, used as keys here, in the access log and in request ids. An
    operation declared with its endpoint (`declare`) is a plain `str` of the same kind."""

    FRAFLYTNING = "CreateFraflytningsbekraeftelse"
    TILFLYTNING = "CreateTilflytningsbekraeftelse"
    CREATE_ASYL = "CreateAsylOvergivelse"
    UPDATE_ASYL = "UpdateAsylOvergivelse"
    GET_ASYL = "GetAsylOvergivelse"
    # Not seed methods: the list of relocation flows (SPEC 5; access by side, not by table) and
    # the CPR event intake (SPEC 5a).
    LIST_FLYTNINGER = "ListBorgerflytninger"
    GET_FLYTNING = "GetBorgerflytning"
    # GetAsylOvergivelse for a transition's opaque id (SPEC 9): the same table
    GET_ASYL_VED_ID = "GetAsylOvergivelseVedId"
    # A record's history (SPEC 10): the transition's by GetAsylOvergivelse's table, the flow's
    # as the list
    GET_ASYL_HISTORIK = "GetAsylOvergivelseHistorik"
    GET_FLYTNING_HISTORIK = "GetBorgerflytningHistorik"
    CPR_HAENDELSER = "CreateCprHaendelser"
    # Notifications (SPEC 9): a client's own subscriptions, no citizen
    CREATE_ABONNEMENT = "CreateAbonnement"
    LIST_ABONNEMENTER = "ListAbonnementer"
    DELETE_ABONNEMENT = "DeleteAbonnement"
    ROTATE_HEMMELIGHED = "CreateAbonnementHemmelighed"
    LIST_ABONNEMENT_HAENDELSER = "ListAbonnementHaendelser"


# --- seed 000_612d5f31fb74708b.txt: BorgerFlytte ------------------------------------------
_BORGERFLYTTE_COLUMNS = (
    "| Alle borgere | Egne borgere | Tidligere egne borgere | Gæsteadgang "
    "| Anden Aktør - egne borgere | Anden Aktør - gæsteadgang | Anden Aktør - alle borgere "
    "| System - alle borgere |"
)
CREATE_FRAFLYTNINGSBEKRAEFTELSE = f"""
          {_BORGERFLYTTE_COLUMNS}
JobCenter | X |   |   |   |   |   |   |   |
Kommune   | X |   |   |   |   |   |   |   |
STAR      | X |   |   |   |   |   |   |   |
"""
CREATE_TILFLYTNINGSBEKRAEFTELSE = f"""
          {_BORGERFLYTTE_COLUMNS}
JobCenter |   | X |   |   |   |   |   |   |
Kommune   |   | X |   |   |   |   |   |   |
STAR      | X |   |   |   |   |   |   |   |
"""

# --- seed 002_e42b2e0a35da96ee.txt: Asylovergivelse (same table for all three methods) ----
_ASYLOVERGIVELSE_TABLE = """
          | Alle borgere | Egne borgere | Tidligere egne borgere | Anden Aktør - egne borgere |
JobCenter |   | X |   | X |
Kommune   |   | X |   |   |
STAR      | X |   |   |   |
"""
ASYLOVERGIVELSE_TABLE = _ASYLOVERGIVELSE_TABLE  # for an operation declared under seed 002's table


def parse_table(text: str) -> dict[OrganisationType, frozenset[Level]]:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    columns = [Level(cell.strip()) for cell in lines[0].split("|")[1:-1]]
    table = {}
    for line in lines[1:]:
        cells = line.split("|")
        row_type = SEED_RAEKKER[cells[0].strip()]
        marks = [cell.strip() for cell in cells[1:-1]]
        if len(marks) != len(columns):
            raise ValueError(f"row {cells[0].strip()!r} has {len(marks)} cells, not {len(columns)}")
        table[row_type] = frozenset(
            level for level, mark in zip(columns, marks, strict=True) if mark == "X"
        )
    return table


# --- SPEC 5a (no seed page): the CPR event intake, for a system client acting as STAR only --
_CPR_HAENDELSER_TABLE = f"""
          {_BORGERFLYTTE_COLUMNS}
STAR      |   |   |   |   |   |   |   | X |
"""

SEED_TABLES: dict[str, str] = {
    Operation.FRAFLYTNING: CREATE_FRAFLYTNINGSBEKRAEFTELSE,
    Operation.TILFLYTNING: CREATE_TILFLYTNINGSBEKRAEFTELSE,
    Operation.CREATE_ASYL: _ASYLOVERGIVELSE_TABLE,
    Operation.UPDATE_ASYL: _ASYLOVERGIVELSE_TABLE,
    Operation.GET_ASYL: _ASYLOVERGIVELSE_TABLE,
    Operation.CPR_HAENDELSER: _CPR_HAENDELSER_TABLE,
}
# Operations that read what another reads, under its table (by reference: one text)
MIRRORED = {
    Operation.GET_ASYL_VED_ID: Operation.GET_ASYL,
    Operation.GET_ASYL_HISTORIK: Operation.GET_ASYL,
}
SEED_TABLES.update({operation: SEED_TABLES[mirror] for operation, mirror in MIRRORED.items()})
# keyed by Operation, and by the name of an operation declared with its endpoint (`declare`)
TABLES: dict[str, dict[OrganisationType, frozenset[Level]]] = {
    operation: parse_table(text) for operation, text in SEED_TABLES.items()
}


def declare(operation: str, table: str) -> str:
    """Enrol `operation` (a seed method name, in the seed's spelling) with its "Tilladte
    organisationer" table, written as above; return the operation. Declaring it again with the
    same table changes nothing; another table for a known operation is an error."""
    if not operation or not operation.isidentifier():
        raise ValueError(f"an operation is a seed method name, not {operation!r}")
    parsed = parse_table(table)
    if TABLES.get(operation, parsed) != parsed:
        raise ValueError(f"{operation} already has another access table")
    SEED_TABLES.setdefault(operation, table)
    TABLES.setdefault(operation, parsed)
    return operation


def table_markdown(operation: Operation) -> str:
    """The operation's table as Markdown, for its OpenAPI description."""
    lines = [line for line in SEED_TABLES[operation].strip().splitlines() if line.strip()]
    header = "| Organisation " + lines[0].strip()
    rule = "|" + "---|" * (header.count("|") - 1)
    rows = ["| " + line.strip() for line in lines[1:]]
    return "\n".join(["**Tilladte organisationer**", "", header, rule, *rows])


def access_codes(operation: Operation, *, reads_cpr: bool) -> set[int]:
    """The codes the access decision can answer for this operation: 6005, and 1010 where a
    CPR is read and some row grants an "alle borgere" level (SPEC 3)."""
    codes = {errors.CITIZEN_NOT_ACCESSIBLE}
    if reads_cpr and any(levels & ALLE_LEVELS for levels in TABLES[operation].values()):
        codes.add(errors.UNKNOWN_CPR)
    return codes
