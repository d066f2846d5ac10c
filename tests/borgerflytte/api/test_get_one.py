"""GET /v1/BorgerFlytte/{borgerflytningId} (SPEC 9): the list's item plus the CPR, for those
that see the flow in the list; otherwise 404 code 3."""

import uuid

import pytest

from accessrules.models import AccessLogEntry
from tests.borgerflytte.conftest import LIST_URL, BorgerflytningFactory
from tests.conftest import error_codes
from tests.factories import AndenAktoerFactory, KommuneFactory, StarFactory

pytestmark = pytest.mark.django_db


def test_a_and_b_and_star_read_the_flow_with_its_cpr(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    for organisation in (kommuner["A"], kommuner["jcB"], StarFactory()):
        integrator = integrator_for(organisation)
        listed = integrator.call("get", LIST_URL).json()["results"][0]  # its own `hindring`
        response = integrator.call("get", f"{LIST_URL}/{flow.pk}")
        assert response.status_code == 200, organisation
        assert response.json() == {**listed, "civilRegistrationIdentifier": flow.borger.cpr}
        assert response["Cache-Control"] == "no-store"
    rows = AccessLogEntry.objects.filter(handling="GetBorgerflytning")
    assert {(r.borger_id, r.outcome) for r in rows} == {(flow.borger_id, 200)}
    assert rows.count() == 3


def test_others_and_unknown_ids_get_404_code_3(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    for organisation in (KommuneFactory(kode="169"), AndenAktoerFactory()):
        response = integrator_for(organisation).call("get", f"{LIST_URL}/{flow.pk}")
        assert response.status_code == 404 and error_codes(response) == [3]
    response = integrator_for(kommuner["A"]).call("get", f"{LIST_URL}/{uuid.uuid4()}")
    assert response.status_code == 404 and error_codes(response) == [3]
    assert not AccessLogEntry.objects.filter(borger=flow.borger).exists()


def test_the_read_scope_is_needed(integrator_for, kommuner):
    flow = BorgerflytningFactory()
    writer = integrator_for(kommuner["A"], ["borgerkommunikation.jobcentertilknytning.write"])
    response = writer.call("get", f"{LIST_URL}/{flow.pk}")
    assert response.status_code == 403 and error_codes(response) == [40300]
