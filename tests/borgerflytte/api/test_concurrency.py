import datetime
import threading

import pytest
from django.db import connection

from accessrules.models import Tilknytning
from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import CPR, FRA_URL, TIL_URL, BorgerflytningFactory
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory


def _confirm_together(requests: list[tuple[Integrator, str, dict, dict]]) -> list[int]:
    """Send the requests at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    statuses = []

    def send(caller, url, body, headers):
        barrier.wait()
        try:
            statuses.append(caller.call("post", url, body, headers=headers).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def _moving_citizen_flow(jobcenter_a, kommune_b) -> Borgerflytning:
    """A citizen affiliated to jobcentre A, living in B, and its waiting flow A -> B."""
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=jobcenter_a)
    TilknytningFactory(borger=borger, organisation=kommune_b)
    return BorgerflytningFactory(borger=borger)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirmations_of_both_sides_move_the_affiliation_once():
    KommuneFactory(kode="101")
    b = KommuneFactory(kode="147")
    jc_a, jc_b = JobcenterFactory(kode="10100"), JobcenterFactory(kode="14700")
    for attempt in range(5):
        flow = _moving_citizen_flow(jc_a, b)
        borger = flow.borger
        body = {"borgerflytningId": str(flow.pk)}
        statuses = _confirm_together(
            [
                (Integrator(jc_a), FRA_URL, body, {CPR: borger.cpr, "x-requestId": f"a{attempt}"}),
                (Integrator(b), TIL_URL, body, {"x-requestId": f"b{attempt}"}),
            ]
        )
        assert statuses == [204, 204]
        assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFSLUTTET
        assert Tilknytning.objects.filter(borger=borger, organisation=jc_b).count() == 1
        day_before = flow.flyttedato - datetime.timedelta(days=1)
        assert Tilknytning.objects.get(borger=borger, organisation=jc_a).til == day_before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_cancellation_racing_the_last_confirmation_wins_or_loses_whole():
    """Either the flow closes and the affiliation moves, or it is cancelled and nothing moves."""
    from borgerflytte import services

    KommuneFactory(kode="101")
    b = KommuneFactory(kode="147")
    jc_a, jc_b = JobcenterFactory(kode="10100"), JobcenterFactory(kode="14700")
    for attempt in range(6):
        flow = _moving_citizen_flow(jc_a, b)
        borger = flow.borger
        Integrator(jc_a).call(
            "post",
            FRA_URL,
            {"borgerflytningId": str(flow.pk)},
            headers={CPR: borger.cpr, "x-requestId": f"f{attempt}"},
        )
        barrier = threading.Barrier(2)
        refused = []

        def cancel(flow_id=flow.pk, barrier=barrier, refused=refused):
            barrier.wait()
            try:
                services.annuller(flytning_id=flow_id, begrundelse="race", af="test")
            except ValueError:
                refused.append(True)
            finally:
                connection.close()

        thread = threading.Thread(target=cancel)
        thread.start()
        barrier.wait()
        status = (
            Integrator(b)
            .call(
                "post",
                TIL_URL,
                {"borgerflytningId": str(flow.pk)},
                headers={"x-requestId": f"t{attempt}"},
            )
            .status_code
        )
        thread.join(timeout=30)
        stored = Borgerflytning.objects.get(pk=flow.pk)
        moved = Tilknytning.objects.filter(borger=borger, organisation=jc_b).exists()
        if stored.tilstand == Tilstand.AFSLUTTET:
            assert (status, refused, moved) == (204, [True], True)
        else:
            assert stored.tilstand == Tilstand.ANNULLERET
            assert (status, refused, moved) == (404, [], False)
            assert Tilknytning.objects.get(borger=borger, organisation=jc_a).til is None
