"""Issue 19, item 3: the list and the confirmation agree. A flow shown to B as waiting for its
confirmation is one B can confirm, or its item's `hindring` says why not, with the code and
detail the refusal then answers; a dead citizen's flow answers 60007 to either side that passes
the access check (SPEC 4's order: access first)."""

import uuid

import pytest

from borgerflytte.models import Tilstand
from tests.borgerflytte.conftest import (
    CPR,
    FRA_URL,
    LIST_URL,
    TIL_URL,
    BorgerflytningFactory,
    bosat,
    days,
)
from tests.factories import BorgerFactory, StarFactory, TilknytningFactory


def item(response, flow) -> dict:
    [found] = [i for i in response.json()["results"] if i["borgerflytningId"] == str(flow.pk)]
    return found


def confirm(integrator, url, flow, cpr=None):
    headers = {"x-requestId": str(uuid.uuid4())}
    if cpr:
        headers[CPR] = cpr
    return integrator.call("post", url, {"borgerflytningId": str(flow.pk)}, headers=headers)


@pytest.fixture
def uden_bopael_i_b(kommuner):
    """A flow A -> B whose citizen the register still has living in A (no residence in B)."""
    borger = bosat(kommuner["A"], kommuner["jcA"])
    return BorgerflytningFactory(borger=borger)


def test_a_flow_b_cannot_confirm_says_why_in_the_list_and_the_refusal_says_the_same(
    integrator_for, kommuner, uden_bopael_i_b
):
    for b in (kommuner["B"], kommuner["jcB"]):
        caller = integrator_for(b)
        hindring = item(caller.call("get", LIST_URL, tilstand="AFVENTER"), uden_bopael_i_b)[
            "hindring"
        ]
        assert hindring["code"] == 6005
        assert "No residence in kommune 147" in hindring["detail"]
        refusal = confirm(caller, TIL_URL, uden_bopael_i_b)
        assert refusal.status_code == 403
        [entry] = refusal.json()["errors"]
        assert (entry["code"], entry["detail"]) == (6005, hindring["detail"])
    uden_bopael_i_b.refresh_from_db()
    assert uden_bopael_i_b.tilflytning_tidspunkt is None


def test_a_flow_b_can_confirm_has_no_hindring_and_confirms(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["B"])
    assert item(caller.call("get", LIST_URL), flow)["hindring"] is None
    assert confirm(caller, TIL_URL, flow).status_code == 204
    # A still has its side to confirm, and can
    a = integrator_for(kommuner["A"])
    assert item(a.call("get", LIST_URL), flow)["hindring"] is None
    assert confirm(a, FRA_URL, flow, cpr=flow.borger.cpr).status_code == 204
    flow.refresh_from_db()
    assert flow.tilstand == Tilstand.AFSLUTTET


def test_side_a_sees_no_hindring_for_a_missing_residence_in_b(
    integrator_for, kommuner, uden_bopael_i_b
):
    a = integrator_for(kommuner["A"])
    assert item(a.call("get", LIST_URL), uden_bopael_i_b)["hindring"] is None


def test_a_dead_citizens_flow_answers_60007_to_either_side_passing_access(integrator_for, kommuner):
    borger = BorgerFactory(doedsdato=days(-1))
    TilknytningFactory(borger=borger, organisation=kommuner["jcA"], fra=days(-400))
    TilknytningFactory(borger=borger, organisation=kommuner["B"], fra=days(-5))
    flow = BorgerflytningFactory(borger=borger, flyttedato=days(-5))
    for org, url, cpr in (
        (kommuner["B"], TIL_URL, None),
        (kommuner["jcB"], TIL_URL, None),
        (kommuner["jcA"], FRA_URL, borger.cpr),
        (StarFactory(), TIL_URL, None),
    ):
        caller = integrator_for(org)
        listed = item(caller.call("get", LIST_URL), flow)["hindring"]
        assert listed["code"] == 60007, org
        response = confirm(caller, url, flow, cpr)
        assert response.status_code == 409, org
        assert response.json()["errors"][0]["code"] == 60007
    flow.refresh_from_db()
    assert (flow.fraflytning_tidspunkt, flow.tilflytning_tidspunkt) == (None, None)


def test_a_dead_citizen_without_residence_in_b_is_refused_by_access_first(
    integrator_for, kommuner, uden_bopael_i_b
):
    uden_bopael_i_b.borger.doedsdato = days(-1)
    uden_bopael_i_b.borger.save()
    b = integrator_for(kommuner["B"])
    assert item(b.call("get", LIST_URL), uden_bopael_i_b)["hindring"]["code"] == 6005
    response = confirm(b, TIL_URL, uden_bopael_i_b)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == 6005
