"""Every Asylovergivelse endpoint's shared tests (tests/endpoints.py): 401, 403, 1014, its
access-log rows, and every cell of the seed's table (GET, POST, PUT) through the real
endpoint: an allowed cell succeeds (200 / 201 / 204), a denied one is 403 6005 and writes
nothing. The expected table is tests/matrix.py's, written independently of
accessrules/access/tables.py."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access.organisationstyper import kommunekode_for
from accessrules.models import AndenAktoerTildeling, Organisation, OrganisationType
from asylovergivelse.api import endpoints
from asylovergivelse.models import JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, opret, state
from tests.endpoints import EndpointTests
from tests.factories import JobcenterFactory
from tests.matrix import citizen_living_in_jobcenters_kommune, residence_cases

pytestmark = pytest.mark.django_db


def own_kommunekode(organisation: Organisation, borger) -> str:
    """A municipality code this caller may name (rule 9244), so only access decides."""
    if organisation.type == OrganisationType.ANDEN_AKTOER:
        tildeling = AndenAktoerTildeling.objects.filter(borger=borger).first()
        return kommunekode_for(tildeling.jobcenter) if tildeling else "101"
    return kommunekode_for(organisation) or "101"


class AsylovergivelseEndpoint(EndpointTests):
    """A citizen with a jobnet CV; a body naming a kommune the caller may name."""

    def prepare(self, borger, organisation):
        JobnetCv.objects.create(borger=borger, nummer="CV-1")
        return own_kommunekode(organisation, borger)

    def call(self, integrator, borger, prepared, headers=None):
        data = None if self.endpoint.method == "GET" else body(overgivelseskommunekode=prepared)
        return integrator.call(
            self.endpoint.method, self.url, data, headers={CPR: borger.cpr, **(headers or {})}
        )

    def stored(self):
        return state()


class TestHent(AsylovergivelseEndpoint):
    endpoint = endpoints.HENT


class TestOpret(AsylovergivelseEndpoint):
    endpoint = endpoints.OPRET


class TestRet(AsylovergivelseEndpoint):
    endpoint = endpoints.RET

    def prepare(self, borger, organisation):
        kommunekode = super().prepare(borger, organisation)
        opret(borger, overgivelseskommunekode=kommunekode)
        return kommunekode


class TestHentVedId(AsylovergivelseEndpoint):
    endpoint = endpoints.HENT_VED_ID

    def prepare(self, borger, organisation):
        kommunekode = super().prepare(borger, organisation)
        return opret(borger, overgivelseskommunekode=kommunekode).ekstern_id

    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call("get", self.url_for(prepared), headers=headers)


class TestHistorik(AsylovergivelseEndpoint):
    endpoint = endpoints.HISTORIK

    def prepare(self, borger, organisation):
        kommunekode = super().prepare(borger, organisation)
        opret(borger, overgivelseskommunekode=kommunekode)
        return kommunekode


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
