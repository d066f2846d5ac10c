import threading

import pytest
from django.db import connection

from accessrules.models import RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, TilknytningFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_for_one_citizen_give_one_201_and_9302():
    jobcenter = JobcenterFactory(kode="10100")
    borger = BorgerFactory()
    TilknytningFactory(borger=borger, organisation=jobcenter)
    JobnetCv.objects.create(borger=borger, nummer="CV-1")
    callers = [Integrator(jobcenter) for _ in range(6)]
    barrier = threading.Barrier(len(callers))
    results = []

    def create(caller, index):
        barrier.wait()
        try:
            response = caller.call(
                "post", URL, body(), headers={CPR: borger.cpr, "x-requestId": f"c-{index}"}
            )
            results.append(
                (index, response.status_code, response.json() if response.content else None)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(c, i)) for i, c in enumerate(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for _, status, _ in results)
    assert statuses == [201] + [409] * 5
    assert all(b["errors"][0]["code"] == 9302 for _, s, b in results if s == 409)
    assert Asylovergivelse.objects.count() == 1
    assert Asylovergivelse.history.count() == 1
    # only the winner's x-requestId is used up; the losers' rolled back with their writes
    winner = next(index for index, status, _ in results if status == 201)
    assert list(RequestId.objects.values_list("request_id", flat=True)) == [f"c-{winner}"]
