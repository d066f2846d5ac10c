"""Every BorgerFlytte endpoint's shared tests (tests/endpoints.py): 401, 403, 1014, its
access-log rows, and every cell of the seed's tables through the real endpoints. For the
confirmations the flow is on the acting organisation's side, so that 404 code 3 does not hide
the access answer."""

import datetime

import pytest
from django.utils import timezone

from accessrules.access.organisationstyper import kommunekode_for
from accessrules.access.tables import Operation
from accessrules.models import OrganisationType
from borgerflytte.api import endpoints
from borgerflytte.models import Borgerflytning
from tests.borgerflytte.conftest import CPR, TIL_URL, BorgerflytningFactory, DoedsfaldFactory
from tests.conftest import error_codes
from tests.endpoints import EndpointTests
from tests.factories import JobcenterFactory
from tests.matrix import citizen_living_in_jobcenters_kommune, residence_cases

pytestmark = pytest.mark.django_db


def _flow_for(operation, organisation, borger):
    own = kommunekode_for(organisation) or "101"
    other = "999" if own != "999" else "998"
    if operation == Operation.FRAFLYTNING:
        return BorgerflytningFactory(
            borger=borger, fraflytningskommune=own, tilflytningskommune=other
        )
    return BorgerflytningFactory(borger=borger, fraflytningskommune=other, tilflytningskommune=own)


class Confirmation(EndpointTests):
    def prepare(self, borger, organisation):
        return _flow_for(self.endpoint.operation, organisation, borger)

    def call(self, integrator, borger, prepared, headers=None):
        sent = {"x-requestId": "m", **(headers or {})}
        if self.endpoint.cpr_header:
            sent[CPR] = borger.cpr
        return integrator.call(
            "post", self.url, {"borgerflytningId": str(prepared.pk)}, headers=sent
        )

    def stored(self):
        return list(Borgerflytning.objects.order_by("pk").values())


class TestFraflytning(Confirmation):
    endpoint = endpoints.FRAFLYTNING


class TestTilflytning(Confirmation):
    endpoint = endpoints.TILFLYTNING

    def refusal(self, organisation):
        if organisation.type == OrganisationType.ANDEN_AKTOER:
            return 404, 3  # never a side of a flow: the flow does not exist for it
        return super().refusal(organisation)


class TestListe(EndpointTests):
    endpoint = endpoints.LISTE

    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call("get", self.url, headers=headers)


class TestHent(EndpointTests):
    endpoint = endpoints.HENT  # no seed table: seen as the list (tests/borgerflytte/api)

    def prepare(self, borger, organisation):
        return BorgerflytningFactory(borger=borger)

    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call("get", self.url_for(prepared.pk), headers=headers)


class TestHistorik(TestHent):
    endpoint = endpoints.HISTORIK  # no seed table: seen as the list (tests/borgerflytte/api)


class TestCprHaendelser(EndpointTests):
    endpoint = endpoints.CPR_HAENDELSER

    def call(self, integrator, borger, prepared, headers=None):
        return integrator.call(
            "post", self.url, {"haendelser": [DoedsfaldFactory()]}, headers=headers
        )


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
