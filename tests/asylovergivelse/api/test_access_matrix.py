"""Every cell of the seed's Asylovergivelse tables (GET, POST, PUT), through the real endpoints:
an allowed cell succeeds (200 / 201 / 204), a denied one is 403 6005 and writes nothing. The
expected table is tests/matrix.py's, written independently of accessrules/access/tables.py."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access.organisationstyper import kommunekode_for
from accessrules.access.tables import Operation
from accessrules.models import AndenAktoerTildeling, Organisation, OrganisationType
from asylovergivelse.models import JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, opret, state
from tests.factories import JobcenterFactory
from tests.matrix import (
    acting_organisation,
    citizen_in_relation,
    citizen_living_in_jobcenters_kommune,
    matrix_cases,
    residence_cases,
)

pytestmark = pytest.mark.django_db

METHODS = {
    Operation.GET_ASYL: ("get", 200),
    Operation.CREATE_ASYL: ("post", 201),
    Operation.UPDATE_ASYL: ("put", 204),
}


def own_kommunekode(organisation: Organisation, borger) -> str:
    """A municipality code this caller may name (rule 9244), so only access decides."""
    if organisation.type == OrganisationType.ANDEN_AKTOER:
        tildeling = AndenAktoerTildeling.objects.filter(borger=borger).first()
        return kommunekode_for(tildeling.jobcenter) if tildeling else "101"
    return kommunekode_for(organisation) or "101"


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
    kommunekode = own_kommunekode(organisation, borger)
    if operation == Operation.UPDATE_ASYL:
        opret(borger, overgivelseskommunekode=kommunekode)
    caller = integrator_for(organisation, system=system)
    method, success = METHODS[operation]
    data = None if method == "get" else body(overgivelseskommunekode=kommunekode)
    before = state()
    response = caller.call(method, URL, data, headers={CPR: borger.cpr})
    if allowed:
        assert response.status_code == success, response.content
    else:
        assert_problem(response, 403, 6005)
        assert state() == before


@pytest.mark.parametrize(("fra", "til", "own"), residence_cases())
def test_a_jobcentre_reads_its_kommunes_residents(integrator_for, fra, til, own):
    """The JobCenter row's "Egne borgere" through a residence in its kommune (SPEC 3)."""
    today = timezone.localdate()
    jobcenter = JobcenterFactory(kode="14700")
    borger = citizen_living_in_jobcenters_kommune(
        jobcenter,
        fra=today + datetime.timedelta(days=fra),
        til=None if til is None else today + datetime.timedelta(days=til),
    )
    response = integrator_for(jobcenter).call("get", URL, headers={CPR: borger.cpr})
    if own:
        assert response.status_code == 200
    else:
        assert_problem(response, 403, 6005)
