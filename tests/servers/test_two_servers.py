"""Two app servers (separate gunicorn masters) on one PostgreSQL through PgBouncer in
transaction pooling: races split across both servers over real HTTP, and the access log."""

import threading
import uuid

import pytest
from django.db import connection

from accessrules.models import AccessLogEntry, RequestId, Tilknytning
from asylovergivelse.models import Asylovergivelse, JobnetCv
from borgerflytte.models import Borgerflytning, Tilstand
from tests.asylovergivelse.conftest import CPR, URL, body
from tests.borgerflytte.conftest import FRA_URL, TIL_URL, BorgerflytningFactory
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, KommuneFactory, TilknytningFactory
from tests.live.harness import fetch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 20
RACE_TIMEOUT = 60.0


def at_once(requests: list[tuple[str, str, dict, object]]) -> list[tuple[int, list[int]]]:
    """Send (method, url, headers, body) each from its own thread, all released together from
    a barrier; returns (status, error codes) in the order given."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def send(index, method, url, headers, data):
        barrier.wait(timeout=RACE_TIMEOUT)
        answer = fetch(method, url, headers=headers, body=data, timeout=RACE_TIMEOUT)
        codes = [e["code"] for e in answer.json()["errors"]] if answer.status >= 400 else []
        results[index] = (answer.status, codes)

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT + 5)
    assert None not in results, "a racer did not get an answer"
    return results


@pytest.fixture
def refugee():
    jobcenter = JobcenterFactory(kode="10100")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=jobcenter)
    JobnetCv.objects.create(borger=borger, nummer="CV-1", status="aktiv")
    return Integrator(jobcenter), borger


def test_one_request_id_across_both_servers_gives_one_success_and_412s(
    two_servers, refugee, pgbouncer
):
    first, second = two_servers()
    database = connection.settings_dict["NAME"]
    logins_before = pgbouncer.logins(database)
    caller, borger = refugee
    headers = caller.headers({CPR: borger.cpr, "x-requestId": "samme-id-to-servere"})
    servers = [first, second]
    results = at_once([("POST", servers[i % 2].url(URL), headers, body()) for i in range(N)])
    assert sorted(status for status, _ in results) == [201] + [412] * (N - 1)
    assert all(codes == [41200] for status, codes in results if status == 412)
    assert Asylovergivelse.objects.count() == 1
    assert RequestId.objects.filter(request_id="samme-id-to-servere").count() == 1
    assert AccessLogEntry.objects.filter(handling="CreateAsylOvergivelse").count() == N
    # the servers' connections went through PgBouncer
    assert pgbouncer.logins(database) > logins_before


@pytest.mark.parametrize("request_ids", ["different", "none"])
def test_racing_creates_for_one_citizen_give_one_201_and_9302s(two_servers, refugee, request_ids):
    first, second = two_servers()
    caller, borger = refugee
    servers = [first, second]

    def headers(i):
        extra = {CPR: borger.cpr}
        if request_ids == "different":
            extra["x-requestId"] = f"id-{i}-{uuid.uuid4()}"
        return caller.headers(extra)

    results = at_once([("POST", servers[i % 2].url(URL), headers(i), body()) for i in range(N)])
    assert sorted(status for status, _ in results) == [201] + [409] * (N - 1)
    assert all(codes == [9302] for status, codes in results if status == 409)
    assert Asylovergivelse.objects.count() == 1
    assert RequestId.objects.count() == (1 if request_ids == "different" else 0)
    logged = list(AccessLogEntry.objects.values_list("outcome", "error_code"))
    assert sorted(logged, key=str) == sorted([(201, None)] + [(409, 9302)] * (N - 1), key=str)


def test_confirmations_of_both_sides_on_different_servers_move_the_affiliation_once(
    two_servers,
):
    first, second = two_servers()
    KommuneFactory(kode="101")
    b = KommuneFactory(kode="147")
    jc_a, jc_b = JobcenterFactory(kode="10100"), JobcenterFactory(kode="14700")
    side_a, side_b = Integrator(jc_a), Integrator(b)
    attempts = 5
    for attempt in range(attempts):
        borger = BorgerFactory()
        TilknytningFactory(borger=borger, organisation=jc_a)
        TilknytningFactory(borger=borger, organisation=b)
        flow = BorgerflytningFactory(borger=borger)
        message = {"borgerflytningId": str(flow.pk)}
        # the servers swap sides each attempt
        fra_server, til_server = (first, second) if attempt % 2 == 0 else (second, first)
        results = at_once(
            [
                (
                    "POST",
                    fra_server.url(FRA_URL),
                    side_a.headers({CPR: borger.cpr, "x-requestId": f"a{attempt}"}),
                    message,
                ),
                (
                    "POST",
                    til_server.url(TIL_URL),
                    side_b.headers({"x-requestId": f"b{attempt}"}),
                    message,
                ),
            ]
        )
        assert [status for status, _ in results] == [204, 204]
        assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFSLUTTET
        assert Tilknytning.objects.filter(borger=borger, organisation=jc_b).count() == 1
        assert Tilknytning.objects.filter(borger=borger, organisation=jc_a, til=None).count() == 0
    assert AccessLogEntry.objects.filter(outcome=204).count() == 2 * attempts
    assert AccessLogEntry.objects.count() == 2 * attempts
