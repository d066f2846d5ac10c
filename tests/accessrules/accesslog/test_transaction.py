"""accessrules.accesslog.transaction: inside the API's write transaction a service adds no
savepoint; anywhere else it is atomic on its own (a savepoint inside a caller's transaction,
so the caller may go on after a refusal)."""

import pytest
from django.db import connection

from accessrules.accesslog.transaction import logged_write, write
from accessrules.core.errors import DomainError
from accessrules.models import Organisation
from tests.factories import KommuneFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


@write
def rename(organisation: Organisation, navn: str, *, refuse: bool = False) -> None:
    organisation.navn = navn
    organisation.save(update_fields=["navn"])
    if refuse:
        raise DomainError.of(1014)


def test_inside_logged_write_a_service_adds_no_savepoint():
    kommune = KommuneFactory()
    with statements() as sent, logged_write():
        rename(kommune, "ny")
        assert connection.in_atomic_block
    # the test's own transaction makes logged_write's block a savepoint: that one, no other
    assert len(sent.matching("SAVEPOINT")) == 2, sent  # SAVEPOINT and its RELEASE
    assert Organisation.objects.get(pk=kommune.pk).navn == "ny"


def test_a_refusal_inside_logged_write_rolls_the_whole_write_back():
    kommune = KommuneFactory(navn="gammel")
    with pytest.raises(DomainError), logged_write():
        rename(kommune, "ny", refuse=True)
    assert Organisation.objects.get(pk=kommune.pk).navn == "gammel"


def test_elsewhere_a_service_is_atomic_on_its_own_and_its_caller_goes_on():
    kommune = KommuneFactory(navn="gammel")
    with statements() as sent, pytest.raises(DomainError):
        rename(kommune, "ny", refuse=True)
    assert sent.matching("ROLLBACK TO SAVEPOINT"), sent
    assert Organisation.objects.get(pk=kommune.pk).navn == "gammel"  # the caller goes on
