"""CPR event batches racing on PostgreSQL, each on its own connection, released together: one
result per event, no duplicate citizen, flow or open residence (SPEC 5a)."""

import collections
import threading

import pytest
from django.db import connection

from accessrules.models import Borger, Tilknytning
from borgerflytte.haendelser import modtag_haendelser
from borgerflytte.models import Borgerflytning, HaendelseKvittering, HaendelseStatus, Tilstand
from tests.borgerflytte.conftest import FlytningFactory, bosat, days
from tests.factories import JobcenterFactory, KommuneFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 8


def _at_once(batches: list[list[dict]]) -> list[list]:
    """Each batch from its own thread and connection, started at the same moment; the results
    per batch (an exception instead, if one was raised)."""
    barrier = threading.Barrier(len(batches))
    results: list = [None] * len(batches)

    def run(index, batch):
        barrier.wait()
        try:
            results[index] = modtag_haendelser(haendelser=batch, kilde=f"t{index}")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(batches)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [r for r in results if not isinstance(r, list)], results
    return results


@pytest.fixture
def kommuner():
    return {
        "A": KommuneFactory(kode="101"),
        "jcA": JobcenterFactory(kode="10100"),
        "B": KommuneFactory(kode="147"),
        "C": KommuneFactory(kode="169"),
    }


def _statuses(results) -> collections.Counter:
    return collections.Counter(r.status for batch in results for r in batch)


def _open_residences(borger) -> int:
    return Tilknytning.objects.filter(borger=borger, organisation__type=7, til__isnull=True).count()


def test_one_event_in_racing_batches_is_applied_once(kommuner):
    for attempt in range(3):
        borger = bosat(kommuner["A"], kommuner["jcA"])
        event = FlytningFactory(cpr=borger.cpr, haendelseId=f"samme-{attempt}")
        results = _at_once([[dict(event)] for _ in range(N)])
        assert _statuses(results) == {
            HaendelseStatus.BEHANDLET: 1,
            HaendelseStatus.ALLEREDE_BEHANDLET: N - 1,
        }
        flow_ids = {batch[0].borgerflytning_id for batch in results}
        assert len(flow_ids) == 1 and None not in flow_ids
        assert Borgerflytning.objects.filter(borger=borger).count() == 1
        assert _open_residences(borger) == 1
        assert HaendelseKvittering.objects.filter(haendelse_id=event["haendelseId"]).count() == 1


def test_one_event_of_a_new_citizen_in_racing_batches_creates_one_citizen(kommuner):
    for attempt in range(3):
        event = FlytningFactory(haendelseId=f"ny-{attempt}")
        results = _at_once([[dict(event)] for _ in range(N)])
        assert _statuses(results) == {
            HaendelseStatus.BEHANDLET: 1,
            HaendelseStatus.ALLEREDE_BEHANDLET: N - 1,
        }
        borger = Borger.objects.get(cpr=event["cpr"])
        assert _open_residences(borger) == 1


def test_racing_moves_of_one_citizen_leave_one_open_residence_and_one_flow(kommuner):
    for _ in range(3):
        borger = bosat(kommuner["A"], kommuner["jcA"])
        targets = ["147", "169"] * (N // 2)
        results = _at_once([[FlytningFactory(cpr=borger.cpr, tilKommunekode=t)] for t in targets])
        # the same flyttedato: the first applied wins, the rest are not newer
        assert _statuses(results) == {HaendelseStatus.BEHANDLET: 1, HaendelseStatus.AFVIST: N - 1}
        assert all(
            [(v.code, v.field) for v in r.errors] == [(1014, "flyttedato")]
            for batch in results
            for r in batch
            if r.status == HaendelseStatus.AFVIST
        )
        assert _open_residences(borger) == 1
        flows = Borgerflytning.objects.filter(borger=borger)
        assert flows.count() == 1 and flows.get().tilstand == Tilstand.AFVENTER


def test_racing_moves_on_different_days_apply_in_some_order(kommuner):
    """Each later move is applied or, if a later-dated one came first, rejected; whatever the
    order, one residence and at most one waiting flow are open."""
    borger = bosat(kommuner["A"], kommuner["jcA"])
    batches = [
        [FlytningFactory(cpr=borger.cpr, tilKommunekode=("147", "169")[i % 2], flyttedato=d)]
        for i, d in enumerate(days(-i).isoformat() for i in range(1, N + 1))
    ]
    results = _at_once(batches)
    assert _statuses(results)[HaendelseStatus.BEHANDLET] >= 1
    assert _open_residences(borger) == 1
    assert Borgerflytning.objects.filter(borger=borger, tilstand=Tilstand.AFVENTER).count() == 1


def test_one_id_with_two_contents_racing_is_applied_once(kommuner):
    for attempt in range(3):
        first, second = (bosat(kommuner["A"], kommuner["jcA"]) for _ in range(2))
        batches = [
            [FlytningFactory(cpr=(first, second)[i % 2].cpr, haendelseId=f"to-{attempt}")]
            for i in range(N)
        ]
        results = _at_once(batches)
        statuses = _statuses(results)
        assert statuses[HaendelseStatus.BEHANDLET] == 1
        assert statuses[HaendelseStatus.AFVIST] >= N // 2  # every batch of the other content
        receipt = HaendelseKvittering.objects.get(haendelse_id=f"to-{attempt}")
        winner, loser = (first, second) if receipt.borger == first else (second, first)
        assert Borgerflytning.objects.filter(borger=winner).count() == 1
        assert not Borgerflytning.objects.filter(borger=loser).exists()
        assert Tilknytning.objects.filter(borger=loser, til__isnull=False).count() == 0


def test_batches_creating_the_same_citizens_in_opposite_orders_both_finish(kommuner):
    """Two new citizens, inserted in opposite orders: a deadlock or a unique conflict on the
    way is rolled back and the chunk run again."""
    for attempt in range(3):
        x = FlytningFactory(haendelseId=f"x-{attempt}")
        y = FlytningFactory(haendelseId=f"y-{attempt}")
        results = _at_once([[x, y], [dict(y), dict(x)]] * (N // 2))
        assert _statuses(results) == {
            HaendelseStatus.BEHANDLET: 2,
            HaendelseStatus.ALLEREDE_BEHANDLET: 2 * N - 2,
        }
        for cpr in (x["cpr"], y["cpr"]):
            assert _open_residences(Borger.objects.get(cpr=cpr)) == 1
