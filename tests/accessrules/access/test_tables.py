"""`declare`: an operation declared with its endpoint gets its access table here, and the one
access decision reads it like a table of `Operation`'s."""

import pytest

from accessrules.access import require
from accessrules.access import tables as access_tables
from accessrules.access.tables import ASYLOVERGIVELSE_TABLE, SEED_TABLES, TABLES, Level, declare
from accessrules.core.caller import Caller
from accessrules.core.errors import DomainError
from tests.factories import ApiClientFactory, BorgerFactory, KommuneFactory, StarFactory

NAME = "GetDeklareretTestOperation"
ONLY_STAR = """
          | Alle borgere | Egne borgere |
STAR      | X |   |
"""


@pytest.fixture
def declared():
    yield
    TABLES.pop(NAME, None)
    SEED_TABLES.pop(NAME, None)


def test_a_declared_table_is_enrolled_as_written(declared):
    assert declare(NAME, ONLY_STAR) == NAME
    assert SEED_TABLES[NAME] == ONLY_STAR
    assert {row.label: levels for row, levels in TABLES[NAME].items()} == {
        "STAR": frozenset({Level.ALLE})
    }
    assert "| STAR      | X |   |" in access_tables.table_markdown(NAME)


def test_declaring_again_is_a_no_op_and_another_table_an_error(declared):
    declare(NAME, ONLY_STAR)
    declare(NAME, ONLY_STAR.replace("|   |\n", "|  |\n"))  # the same table, spaced otherwise
    with pytest.raises(ValueError, match="another access table"):
        declare(NAME, ASYLOVERGIVELSE_TABLE)
    with pytest.raises(ValueError, match="another access table"):
        declare("GetAsylOvergivelse", ONLY_STAR)  # an operation of Operation keeps its own
    with pytest.raises(ValueError, match="seed method name"):
        declare("Get Noget", ONLY_STAR)


@pytest.mark.django_db
def test_the_decision_reads_a_declared_table(declared):
    declare(NAME, ONLY_STAR)
    borger = BorgerFactory()
    star = StarFactory()
    adgang = require(Caller(star, ApiClientFactory(organisationer=[star])), NAME, cpr=borger.cpr)
    assert (adgang.borger, adgang.level) == (borger, Level.ALLE)
    kommune = KommuneFactory()
    caller = Caller(kommune, ApiClientFactory(organisationer=[kommune]))
    with pytest.raises(DomainError) as refused:
        require(caller, NAME, cpr=borger.cpr)
    assert refused.value.codes == [6005]
