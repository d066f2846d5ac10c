"""Every cell of the seed's BorgerFlytte tables, through the real endpoints. The flow is on the
acting organisation's side, so that 404 code 3 does not hide the access answer."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access.organisationstyper import kommunekode_for
from accessrules.access.tables import Operation
from accessrules.models import OrganisationType
from tests.borgerflytte.conftest import CPR, FRA_URL, TIL_URL, BorgerflytningFactory
from tests.conftest import error_codes
from tests.factories import JobcenterFactory
from tests.matrix import (
    acting_organisation,
    citizen_in_relation,
    citizen_living_in_jobcenters_kommune,
    matrix_cases,
    residence_cases,
)

pytestmark = pytest.mark.django_db


def _flow_for(operation, organisation, borger):
    own = kommunekode_for(organisation) or "101"
    other = "999" if own != "999" else "998"
    if operation == Operation.FRAFLYTNING:
        return BorgerflytningFactory(
            borger=borger, fraflytningskommune=own, tilflytningskommune=other
        )
    return BorgerflytningFactory(borger=borger, fraflytningskommune=other, tilflytningskommune=own)


@pytest.mark.parametrize(
    ("operation", "row", "level", "allowed"),
    [
        pytest.param(op, *case.values, id=f"{op.value}-{case.id}")
        for op in (Operation.FRAFLYTNING, Operation.TILFLYTNING)
        for case in matrix_cases(op)
    ],
)
def test_cell(integrator_for, operation, row, level, allowed):
    organisation, system = acting_organisation(row, level)
    borger = citizen_in_relation(level, organisation)
    flow = _flow_for(operation, organisation, borger)
    caller = integrator_for(organisation, system=system)
    headers = {"x-requestId": "m"}
    if operation == Operation.FRAFLYTNING:
        headers[CPR] = borger.cpr
    url = FRA_URL if operation == Operation.FRAFLYTNING else TIL_URL
    response = caller.call("post", url, {"borgerflytningId": str(flow.pk)}, headers=headers)
    if allowed:
        assert response.status_code == 204, response.content
    elif organisation.type == OrganisationType.ANDEN_AKTOER and operation == Operation.TILFLYTNING:
        # an anden aktør is never a side of a flow: the flow does not exist for it
        assert error_codes(response) == [3]
    else:
        assert response.status_code == 403
        assert error_codes(response) == [6005]


@pytest.mark.parametrize(("fra", "til", "own"), residence_cases())
def test_a_jobcentre_confirms_the_move_in_of_its_kommunes_residents(integrator_for, fra, til, own):
    """The JobCenter row's "Egne borgere" on CreateTilflytningsbekraeftelse, through a
    residence in its kommune (SPEC 3): from the day it starts to the day it ends."""
    today = timezone.localdate()
    jobcenter = JobcenterFactory(kode="14700")
    borger = citizen_living_in_jobcenters_kommune(
        jobcenter,
        fra=today + datetime.timedelta(days=fra),
        til=None if til is None else today + datetime.timedelta(days=til),
    )
    flow = _flow_for(Operation.TILFLYTNING, jobcenter, borger)
    response = integrator_for(jobcenter).call(
        "post", TIL_URL, {"borgerflytningId": str(flow.pk)}, headers={"x-requestId": "m"}
    )
    assert (response.status_code, error_codes(response) if not own else []) == (
        (204, []) if own else (403, [6005])
    )
