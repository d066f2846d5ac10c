"""Reads on a standby (issue 24, item 4) when the standby cannot serve: one that is down, and
one that is no standby (promoted, or misconfigured to name the primary). The calls are
answered from the primary, at once: a standby never turns a read into a 503 or a hang."""

import time
import uuid

import pytest

from accessrules.models import AccessLogEntry
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body, days
from tests.conftest import Integrator
from tests.factories import BorgerFactory, JobcenterFactory, TilknytningFactory
from tests.live.harness import database_url, fetch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
NOBODY = "postgres://postgres@127.0.0.1:18559/nothing_listens_here"  # tests/replica's range


@pytest.fixture
def refugee():
    jobcenter = JobcenterFactory(kode="10100")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=jobcenter)
    JobnetCv.objects.create(borger=borger, nummer="CV-1", status="aktiv")
    Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=days(40),
        overgivelsesdato=days(10),
        overgivelseskommunekode="101",
    )
    return Integrator(jobcenter), borger


@pytest.mark.parametrize("replica", ["down", "the primary"])
def test_reads_are_answered_by_the_primary_when_the_standby_cannot(live_servers, refugee, replica):
    jobcenter, borger = refugee
    [server] = live_servers(
        1,
        workers=1,
        env={
            "DATABASE_REPLICA_URL": NOBODY if replica == "down" else database_url(),
            "CACHE_URL": "redis://127.0.0.1:6379/15",
            "CACHE_KEY_PREFIX": f"bi_replika_test_{uuid.uuid4().hex[:8]}",
        },
    )
    headers = jobcenter.headers({CPR: borger.cpr})
    began = time.monotonic()
    answer = fetch("GET", server.url(URL), headers=headers)
    assert answer.status == 200, answer.body
    assert time.monotonic() - began < 2
    assert answer.json()["asylovergivelsesdata"]["overgivelsesdato"] == days(10)
    changed = body(overgivelsesdato=days(12), kommentar="Ny dato")
    put = fetch("PUT", server.url(URL), headers={**headers, "x-requestId": "r-1"}, body=changed)
    assert put.status == 204, put.body
    answer = fetch("GET", server.url(URL), headers=headers)
    assert answer.json()["asylovergivelsesdata"]["overgivelsesdato"] == days(12)
    listed = fetch("GET", server.url("/v1/BorgerFlytte"), headers=jobcenter.headers())
    assert listed.status == 200, listed.body
    outcomes = sorted(AccessLogEntry.objects.values_list("handling", "outcome"))
    assert outcomes == [
        ("GetAsylOvergivelse", 200),
        ("GetAsylOvergivelse", 200),
        ("ListBorgerflytninger", 200),
        ("UpdateAsylOvergivelse", 204),
    ]
