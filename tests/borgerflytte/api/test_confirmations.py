import datetime

import pytest
from django.db import connection
from django.utils import timezone

from accessrules.models import AccessLogEntry, RequestId, Tilknytning
from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import CPR, FRA_URL, TIL_URL, BorgerflytningFactory
from tests.conftest import error_codes
from tests.factories import BorgerFactory, KommuneFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def fra(caller, flow, cpr=None, request_id="r-fra", **body):
    data = {"borgerflytningId": str(flow.pk), **body}
    headers = {CPR: cpr or flow.borger.cpr, "x-requestId": request_id}
    return caller.call("post", FRA_URL, data, headers=headers)


def til(caller, flow, request_id="r-til"):
    data = {"borgerflytningId": str(flow.pk)}
    return caller.call("post", TIL_URL, data, headers={"x-requestId": request_id})


def reload(flow) -> Borgerflytning:
    return Borgerflytning.objects.get(pk=flow.pk)


def test_fraflytning_by_kommune_a_stamps_the_flow(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["A"])
    response = fra(caller, flow)
    assert response.status_code == 204
    assert response.content == b""
    stored = reload(flow)
    assert stored.fraflytning_tidspunkt is not None
    assert (stored.fraflytning_organisation, stored.fraflytning_klient) == (
        kommuner["A"],
        caller.client,
    )
    assert stored.tilstand == Tilstand.AFVENTER
    assert stored.tilflytning_tidspunkt is None
    assert RequestId.objects.filter(request_id="r-fra").exists()


def test_fraflytning_by_a_jobcentre_of_a(integrator_for, kommuner, flow):
    assert fra(integrator_for(kommuner["jcA"]), flow).status_code == 204


@pytest.mark.parametrize("side", ["B", "jcB"])
def test_fraflytning_by_side_b_is_404_code_3(integrator_for, kommuner, flow, side):
    response = fra(integrator_for(kommuner[side]), flow)
    assert response.status_code == 404
    assert error_codes(response) == [3]
    assert reload(flow).fraflytning_tidspunkt is None
    assert not RequestId.objects.exists()


def test_fraflytning_for_another_cpr_is_404_code_3(integrator_for, kommuner, flow):
    other = BorgerFactory()
    response = fra(integrator_for(kommuner["A"]), flow, cpr=other.cpr)
    assert response.status_code == 404
    assert error_codes(response) == [3]
    assert reload(flow).fraflytning_tidspunkt is None


def test_fraflytning_of_an_unknown_flow_is_404_code_3(integrator_for, kommuner, flow):
    response = integrator_for(kommuner["A"]).call(
        "post",
        FRA_URL,
        {"borgerflytningId": "8d1c6f0e-2f4a-4a55-9d0e-6b1b2d7f9a10"},
        headers={CPR: flow.borger.cpr, "x-requestId": "x"},
    )
    assert response.status_code == 404
    assert error_codes(response) == [3]


def test_fraflytning_for_an_unknown_cpr_is_1010(integrator_for, kommuner, flow):
    response = fra(integrator_for(kommuner["A"]), flow, cpr="0101011234")
    assert response.status_code == 404
    assert error_codes(response) == [1010]


def test_fraflytning_for_a_dead_citizen_is_409_60007(integrator_for, kommuner, flow):
    flow.borger.doedsdato = timezone.localdate()
    flow.borger.save()
    response = fra(integrator_for(kommuner["A"]), flow)
    assert response.status_code == 409
    assert error_codes(response) == [60007]
    assert reload(flow).fraflytning_tidspunkt is None
    assert not RequestId.objects.exists()


def test_missing_headers_and_bad_body_are_reported_together(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["A"])
    response = caller.call("post", FRA_URL, {"borgerflytningId": "nope"})
    assert response.status_code == 400
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["borgerflytningId", CPR, "x-requestId"]


def test_tilflytning_needs_a_request_id(integrator_for, kommuner, flow):
    response = integrator_for(kommuner["B"]).call(
        "post", TIL_URL, {"borgerflytningId": str(flow.pk)}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "x-requestId"


def test_tilflytning_by_kommune_b(integrator_for, kommuner, flow):
    response = til(integrator_for(kommuner["B"]), flow)
    assert response.status_code == 204
    assert reload(flow).tilflytning_organisation == kommuner["B"]


def test_tilflytning_by_side_a_is_404_code_3(integrator_for, kommuner, flow):
    response = til(integrator_for(kommuner["A"]), flow)
    assert response.status_code == 404
    assert error_codes(response) == [3]


def test_tilflytning_needs_an_own_citizen(integrator_for, kommuner):
    # neither a residence in B nor an affiliation to B's jobcentre: "Egne borgere" fails
    from tests.factories import TilknytningFactory

    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=kommuner["jcA"])
    flow = BorgerflytningFactory(borger=borger)
    for caller in (kommuner["jcB"], kommuner["B"]):
        response = til(integrator_for(caller), flow)
        assert (response.status_code, error_codes(response)) == (403, [6005])
    assert reload(flow).tilflytning_tidspunkt is None


def test_star_confirms_both_sides(integrator_for, flow, kommuner):
    star = integrator_for(StarFactory())
    assert fra(star, flow).status_code == 204
    assert til(star, flow).status_code == 204
    assert reload(flow).tilstand == Tilstand.AFSLUTTET


def test_both_confirmations_move_the_jobcentre_affiliation(integrator_for, kommuner, flow):
    assert fra(integrator_for(kommuner["A"]), flow).status_code == 204
    assert Tilknytning.objects.get(organisation=kommuner["jcA"]).til is None
    assert til(integrator_for(kommuner["B"]), flow).status_code == 204
    stored = reload(flow)
    assert stored.tilstand == Tilstand.AFSLUTTET
    old = Tilknytning.objects.get(borger=flow.borger, organisation=kommuner["jcA"])
    new = Tilknytning.objects.get(borger=flow.borger, organisation=kommuner["jcB"])
    assert old.til == flow.flyttedato - datetime.timedelta(days=1)
    assert (new.fra, new.til) == (flow.flyttedato, None)


def test_repeated_confirmation_is_a_no_op(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["A"])
    assert fra(caller, flow, request_id="first").status_code == 204
    first_stamp = reload(flow).fraflytning_tidspunkt
    other = integrator_for(kommuner["jcA"])
    assert fra(other, flow, request_id="second").status_code == 204
    stored = reload(flow)
    assert stored.fraflytning_tidspunkt == first_stamp
    assert stored.fraflytning_organisation == kommuner["A"]


def test_confirming_after_completion_moves_nothing_again(integrator_for, kommuner, flow):
    star = integrator_for(StarFactory())
    fra(star, flow, request_id="1")
    til(star, flow, request_id="2")
    assert til(star, flow, request_id="3").status_code == 204
    assert Tilknytning.objects.filter(borger=flow.borger, organisation=kommuner["jcB"]).count() == 1


def test_reused_request_id_is_412(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["A"])
    assert fra(caller, flow, request_id="same").status_code == 204
    response = fra(caller, flow, request_id="same")
    assert response.status_code == 412
    assert error_codes(response) == [41200]


def test_cancelled_flow_is_404_code_3(integrator_for, kommuner, flow):
    Borgerflytning.objects.filter(pk=flow.pk).update(tilstand=Tilstand.ANNULLERET)
    response = fra(integrator_for(kommuner["A"]), flow)
    assert response.status_code == 404
    assert error_codes(response) == [3]


def test_no_jobcentre_in_b_closes_the_flow_without_a_new_affiliation(integrator_for, kommuner):
    KommuneFactory(kode="999")
    borger = BorgerFactory()
    from tests.factories import TilknytningFactory

    TilknytningFactory(borger=borger, organisation=kommuner["jcA"])
    flow = BorgerflytningFactory(borger=borger, tilflytningskommune="999")
    star = integrator_for(StarFactory())
    fra(star, flow, request_id="1")
    til(star, flow, request_id="2")
    assert reload(flow).tilstand == Tilstand.AFSLUTTET
    assert Tilknytning.objects.get(borger=borger).til == flow.flyttedato - datetime.timedelta(
        days=1
    )
    assert Tilknytning.objects.filter(borger=borger).count() == 1


def test_future_move_keeps_a_seeing_the_citizen_until_the_day_before(integrator_for, kommuner):
    borger = BorgerFactory()
    from tests.factories import TilknytningFactory

    TilknytningFactory(borger=borger, organisation=kommuner["jcA"])
    future = timezone.localdate() + datetime.timedelta(days=14)
    flow = BorgerflytningFactory(borger=borger, flyttedato=future)
    star = integrator_for(StarFactory())
    fra(star, flow, request_id="1")
    til(star, flow, request_id="2")
    old = Tilknytning.objects.get(borger=borger, organisation=kommuner["jcA"])
    assert old.til == future - datetime.timedelta(days=1)
    assert Tilknytning.objects.active_on(timezone.localdate()).get(borger=borger) == old


def test_access_is_decided_before_a_reused_request_id_and_the_id_before_the_flow(
    integrator_for, kommuner, flow
):
    """SPEC 4's order on fraflytning: access (1010/6005) → x-requestId (412) → flow (404 3)."""
    caller = integrator_for(kommuner["A"])
    assert fra(caller, flow, request_id="used").status_code == 204
    unknown_cpr = fra(caller, flow, cpr="0101011234", request_id="used")
    assert (unknown_cpr.status_code, error_codes(unknown_cpr)) == (404, [1010])
    other_flow = BorgerflytningFactory(borger=flow.borger)
    Borgerflytning.objects.filter(pk=other_flow.pk).update(tilstand=Tilstand.ANNULLERET)
    reused = fra(caller, other_flow, request_id="used")
    assert (reused.status_code, error_codes(reused)) == (412, [41200])
    assert RequestId.objects.filter(request_id="used").count() == 1
    assert reload(other_flow).fraflytning_tidspunkt is None


def test_tilflytning_checks_the_flow_before_access_and_request_id(integrator_for, kommuner, flow):
    caller = integrator_for(kommuner["B"])
    assert til(caller, flow, request_id="used").status_code == 204
    wrong_side = til(integrator_for(kommuner["A"]), flow, request_id="used")
    assert (wrong_side.status_code, error_codes(wrong_side)) == (404, [3])
    stranger = BorgerflytningFactory()  # its citizen is not B's own
    denied = til(caller, stranger, request_id="used")
    assert (denied.status_code, error_codes(denied)) == (403, [6005])
    assert RequestId.objects.filter(request_id="used").count() == 1
    assert reload(stranger).tilflytning_tidspunkt is None


def test_a_first_confirmation_is_five_data_statements_and_the_log_row(
    integrator_for, kommuner, flow
):
    """Token cache warm: the flow read locked with its citizen and kommune, the request id,
    the stamp and its history row, the live subscriptions (none here: no event recorded; on
    SQLite notifications are off and not read); then the access-log row, in the same
    transaction."""
    caller = integrator_for(kommuner["A"])
    fra(caller, BorgerflytningFactory(borger=flow.borger), request_id="warm")
    with statements() as sent:
        assert fra(caller, flow).status_code == 204
    *domain, log_row = sent.data()
    assert log_row.startswith(f'INSERT INTO "{AccessLogEntry._meta.db_table}"'), log_row
    notifications = connection.vendor == "postgresql"
    expected = ["SELECT", "INSERT", "UPDATE", "INSERT"] + ["SELECT"] * notifications
    assert [sql.split()[0] for sql in domain] == expected, domain
    assert "accessrules_borger" in domain[0]
    assert not notifications or "accessrules_abonnement" in domain[4]
    assert "FOR UPDATE" in domain[0] or not connection.features.has_select_for_update
    assert reload(flow).history.count() == 2  # created, then stamped


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_sends_no_savepoint(integrator_for, kommuner, flow):
    """Outside a test's transaction, as in production: the service joins the operation's
    transaction (accessrules.accesslog.transaction), so BEGIN ... COMMIT holds no SAVEPOINT;
    a move-in that closes the flow (the affiliation moves too) neither."""
    with statements() as sent:
        assert fra(integrator_for(kommuner["A"]), flow).status_code == 204
        assert til(integrator_for(kommuner["B"]), flow).status_code == 204
    assert reload(flow).tilstand == Tilstand.AFSLUTTET
    assert sent.matching("accessrules_requestid") and not sent.matching("SAVEPOINT"), sent


def test_bs_jobcentre_confirms_the_move_in_of_a_resident_of_b(integrator_for, kommuner, flow):
    """SPEC 3/5: the citizen lives in B (the flow fixture), so B's jobcentre has it as its own
    although its jobcentre affiliation is still to A's."""
    assert til(integrator_for(kommuner["jcB"]), flow).status_code == 204
    stamped = reload(flow)
    assert stamped.tilflytning_organisation == kommuner["jcB"]
