"""POST /v1/CprHaendelser (SPEC 5a) over the API: who may call it, the whole-batch 400, the
results in order, replays, and a move that enters, is confirmed by both offices of B and A,
and moves the affiliation."""

import pytest

from accessrules.models import AccessLogEntry, Tilknytning
from accessrules.oauth.scopes import CPRHAENDELSER_WRITE, JOBCENTERTILKNYTNING_WRITE
from borgerflytte.models import Borgerflytning, HaendelseKvittering, Tilstand
from tests.borgerflytte.conftest import (
    CPR,
    FRA_URL,
    TIL_URL,
    DoedsfaldFactory,
    FlytningFactory,
    bosat,
    days,
)
from tests.conftest import error_codes
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db
URL = "/v1/CprHaendelser"


@pytest.fixture
def system(integrator_for):
    return integrator_for(StarFactory(), [CPRHAENDELSER_WRITE.navn], system=True)


def post(caller, *events, body=None):
    return caller.call("post", URL, body if body is not None else {"haendelser": list(events)})


def test_a_batch_gets_a_result_per_event_in_order(system, kommuner):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    moved, dead = FlytningFactory(cpr=borger.cpr, haendelseId="h-1"), DoedsfaldFactory()
    response = post(system, moved, dead)
    assert response.status_code == 200
    first, second = response.json()["resultater"]
    flow = Borgerflytning.objects.get(borger=borger)
    assert first == {
        "haendelseId": "h-1",
        "status": "behandlet",
        "borgerflytningId": str(flow.pk),
        "errors": [],
    }
    assert (second["status"], [e["code"] for e in second["errors"]]) == ("afvist", [1010])
    assert HaendelseKvittering.objects.count() == 2
    assert AccessLogEntry.objects.get().handling == "CreateCprHaendelser"


def test_the_same_batch_again_changes_nothing_and_names_the_same_flow(system, kommuner):
    borger = bosat(kommuner["A"], kommuner["jcA"])
    event = FlytningFactory(cpr=borger.cpr)
    first = post(system, event).json()["resultater"][0]
    again = post(system, event).json()["resultater"][0]
    assert again["status"] == "allerede behandlet"
    assert again["borgerflytningId"] == first["borgerflytningId"]
    assert Borgerflytning.objects.filter(borger=borger).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"haendelser": []},
        {"haendelser": [FlytningFactory.build() for _ in range(1001)]},
        {"haendelser": [{"haendelseId": "x", "type": "flytning"}]},
        {"haendelser": [], "ekstra": 1},
        [],
    ],
    ids=["empty", "1001", "missing-keys", "unknown-key", "not-an-object"],
)
def test_a_malformed_batch_is_refused_whole(system, kommuner, body):
    response = post(system, body=body)
    assert response.status_code == 400
    assert set(error_codes(response)) == {1014}
    assert not HaendelseKvittering.objects.exists()


def test_one_malformed_event_refuses_the_batch_naming_its_field(system, kommuner):
    good, bad = FlytningFactory(), FlytningFactory(flyttedato="2300-01-01")
    response = post(system, good, bad)
    assert response.status_code == 400
    assert [e.get("field") for e in response.json()["errors"]] == ["haendelser[1].flyttedato"]
    assert not HaendelseKvittering.objects.exists() and not Borgerflytning.objects.exists()


@pytest.mark.parametrize(
    ("organisation", "system_flag"),
    [("star", False), ("A", True), ("jcA", True)],
    ids=["star-not-system", "kommune-system", "jobcenter-system"],
)
def test_only_a_system_client_acting_as_star_may_send(
    integrator_for, kommuner, organisation, system_flag
):
    acting = StarFactory() if organisation == "star" else kommuner[organisation]
    caller = integrator_for(acting, [CPRHAENDELSER_WRITE.navn], system=system_flag)
    response = post(caller, FlytningFactory())
    assert (response.status_code, error_codes(response)) == (403, [6005])
    assert not HaendelseKvittering.objects.exists()


def test_the_scope_is_needed(integrator_for):
    caller = integrator_for(StarFactory(), [JOBCENTERTILKNYTNING_WRITE.navn], system=True)
    response = post(caller, FlytningFactory())
    assert (response.status_code, error_codes(response)) == (403, [40300])


def test_a_move_from_cpr_to_a_completed_flow(system, integrator_for, kommuner):
    """Issue 12 end to end: the move enters; Kommune B and B's jobcentre can confirm the
    move-in (the citizen lives in B from flyttedato), A the move-out; the affiliation moves."""
    borger = bosat(kommuner["A"], kommuner["jcA"])
    event = FlytningFactory(cpr=borger.cpr, flyttedato=days(-2).isoformat())
    flow_id = post(system, event).json()["resultater"][0]["borgerflytningId"]
    body = {"borgerflytningId": flow_id}
    jc_b, b, a = (integrator_for(kommuner[k]) for k in ("jcB", "B", "A"))
    assert jc_b.call("post", TIL_URL, body, headers={"x-requestId": "1"}).status_code == 204
    assert b.call("post", TIL_URL, body, headers={"x-requestId": "2"}).status_code == 204
    fra = a.call("post", FRA_URL, body, headers={"x-requestId": "3", CPR: borger.cpr})
    assert fra.status_code == 204
    flow = Borgerflytning.objects.get(pk=flow_id)
    assert flow.tilstand == Tilstand.AFSLUTTET
    assert flow.tilflytning_organisation == kommuner["jcB"]  # the first stamp stays
    old = Tilknytning.objects.get(borger=borger, organisation=kommuner["jcA"])
    new = Tilknytning.objects.get(borger=borger, organisation=kommuner["jcB"])
    assert old.til == days(-3) and (new.fra, new.til) == (days(-2), None)
