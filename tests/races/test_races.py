"""Twenty requests at the same moment, each on its own connection (PostgreSQL only)."""

import threading

import pytest
from django.db import connection

from accessrules.models import RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, TilknytningFactory

N = 20
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(send) -> list[tuple[int, list[int]]]:
    barrier = threading.Barrier(N)
    results, lock = [], threading.Lock()

    def run(index):
        barrier.wait()
        try:
            response = send(index)
            codes = [e["code"] for e in response.json()["errors"]] if response.content else []
            with lock:
                results.append((response.status_code, codes))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == N
    return results


@pytest.fixture
def setup():
    jobcenter = JobcenterFactory(kode="10100")
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=jobcenter)
    JobnetCv.objects.create(borger=borger, nummer="CV-1")
    return jobcenter, borger


def test_identical_writes_with_one_request_id_give_one_success_and_412s(setup):
    jobcenter, borger = setup
    caller = Integrator(jobcenter)
    headers = {CPR: borger.cpr, "x-requestId": "samme-id"}
    results = _at_once(lambda i: caller.call("post", URL, body(), headers=headers))
    assert sorted(status for status, _ in results) == [201] + [412] * (N - 1)
    assert all(codes == [41200] for status, codes in results if status == 412)
    assert Asylovergivelse.objects.count() == 1
    assert RequestId.objects.filter(request_id="samme-id").count() == 1


def test_concurrent_creates_with_different_ids_give_one_201_and_9302s(setup):
    jobcenter, borger = setup
    caller = Integrator(jobcenter)
    results = _at_once(
        lambda i: caller.call(
            "post", URL, body(), headers={CPR: borger.cpr, "x-requestId": f"id-{i}"}
        )
    )
    assert sorted(status for status, _ in results) == [201] + [409] * (N - 1)
    assert all(codes == [9302] for status, codes in results if status == 409)
    assert Asylovergivelse.objects.count() == 1
    assert RequestId.objects.count() == 1
