"""An Endpoint that declares its operation (`table=`, `navn=`): constructing it enrols the
table (accessrules.access.tables.declare) and the Danish name (accesslog.indsigt); an endpoint
under a seed table whose operation has none is refused where it is written."""

import pytest

from accessrules.access.tables import SEED_TABLES, TABLES
from accessrules.accesslog import indsigt
from accessrules.api.endpoints import Endpoint

NAME = "GetDeklareretEndpointTest"
ONLY_STAR = """
          | Alle borgere |
STAR      | X |
"""


@pytest.fixture
def cleanup():
    yield
    for registry in (TABLES, SEED_TABLES, indsigt.HANDLINGER):
        registry.pop(NAME, None)


def endpoint(**kwargs) -> Endpoint:
    return Endpoint(
        operation=NAME,
        method="GET",
        path="Noget",
        scopes=(),
        summary="Hent noget",
        description="",
        success={},
        **kwargs,
    )


def test_an_endpoint_declares_its_operations_table_and_name(cleanup):
    declared = endpoint(table=ONLY_STAR, navn="Opslag af noget (API)", cpr_header=True)
    assert NAME in TABLES
    assert indsigt.handling_navn(NAME) == "Opslag af noget (API)"
    assert {6005, 1010} <= declared.error_codes()  # STAR's "Alle borgere": 1010 for a CPR
    endpoint(table=ONLY_STAR, navn="Opslag af noget (API)")  # the same again: no change
    with pytest.raises(ValueError, match="already has the name"):
        endpoint(table=ONLY_STAR, navn="Noget andet")


def test_an_endpoint_under_a_seed_table_needs_one(cleanup):
    with pytest.raises(ValueError, match="no access table"):
        endpoint()
    assert endpoint(access_table=False).error_codes()  # no seed table: none needed
