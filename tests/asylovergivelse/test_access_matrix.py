"""Every cell of the seed's Asylovergivelse table, through the real endpoints."""

import pytest

from accessrules.access.tables import Operation
from asylovergivelse.models import JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body
from tests.conftest import error_codes
from tests.matrix import acting_organisation, citizen_in_relation, matrix_cases

pytestmark = pytest.mark.django_db

METHODS = {Operation.GET_ASYL: "get", Operation.CREATE_ASYL: "post", Operation.UPDATE_ASYL: "put"}


@pytest.mark.parametrize(
    ("operation", "row", "level", "allowed"),
    [
        pytest.param(op, *case.values, id=f"{op.value}-{case.id}")
        for op in METHODS
        for case in matrix_cases(op)
    ],
)
def test_cell(integrator_for, operation, row, level, allowed):
    organisation, system = acting_organisation(row, level)
    borger = citizen_in_relation(level, organisation)
    JobnetCv.objects.create(borger=borger, nummer="CV-1")
    caller = integrator_for(organisation, system=system)
    data = None if operation == Operation.GET_ASYL else body()
    response = caller.call(METHODS[operation], URL, data, headers={CPR: borger.cpr})
    if allowed:
        assert response.status_code < 400 or error_codes(response)[0] not in (6005, 1010)
    else:
        assert response.status_code == 403
        assert error_codes(response) == [6005]
