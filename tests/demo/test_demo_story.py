"""Issue 19, item 5: the demo tells one story. Jobcentres are named as they are; a citizen
whose flow says they moved København -> Frederiksberg lived in København until flyttedato and
in Frederiksberg from it; the dead citizen's flow answers 60007 to Kommune 147, as its list item
says."""

import uuid

import pytest

from accessrules.models import Organisation, OrganisationType, Tilknytning
from borgerflytte.models import Borgerflytning
from config import demo
from tests.demo.test_seed_demo import seed

pytestmark = pytest.mark.django_db


def test_the_jobcentres_are_named_as_they_are():
    seed()
    navne = set(
        Organisation.objects.filter(type=OrganisationType.JOBCENTER).values_list("navn", flat=True)
    )
    assert {"Jobcenter København", "Jobcenter Frederiksberg", "Jobcenter Aarhus"} <= navne


@pytest.mark.parametrize("name", ["flytter", "doed"])
def test_a_waiting_flow_matches_the_citizens_residences(name):
    seed()
    flow = Borgerflytning.objects.get(pk=demo.FLOW_IDS[name])
    boliger = {
        t.organisation.kode: (t.fra, t.til)
        for t in Tilknytning.objects.filter(
            borger=flow.borger, organisation__type=OrganisationType.KOMMUNE
        )
    }
    assert boliger["147"] == (flow.flyttedato, None)
    assert boliger["101"][1] < flow.flyttedato


def test_kommune_147_sees_why_it_cannot_confirm_the_dead_citizens_flow(integrator_for):
    seed()
    b = integrator_for(Organisation.objects.get(type=OrganisationType.KOMMUNE, kode="147"))
    listed = b.call("get", "/v1/BorgerFlytte", tilstand="AFVENTER").json()["results"]
    [item] = [i for i in listed if i["borgerflytningId"] == demo.FLOW_IDS["doed"]]
    assert item["hindring"]["code"] == 60007
    [flytter] = [i for i in listed if i["borgerflytningId"] == demo.FLOW_IDS["flytter"]]
    assert flytter["hindring"] is None
    response = b.call(
        "post",
        "/v1/BorgerFlytte/action/bekraefttilflytning",
        {"borgerflytningId": demo.FLOW_IDS["doed"]},
        headers={"x-requestId": str(uuid.uuid4())},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == 60007
