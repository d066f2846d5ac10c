"""While no primary is reachable, a call is answered 503 problem+json with Retry-After within
its deadline, by construction (issue 24): the hosts of DATABASE_URL are given
DATABASE_CONNECT_TIMEOUT each and no more than the call has left (config.postgresql.base), an
outage is remembered a moment so that the next calls do not wait again (accessrules.api.outage),
and a server that answers neither a statement nor its cancel loses the connection's socket
(accessrules.api.commits). The hosts here are loopback listeners that accept and never answer
(tests/config/blackhole.py); the real failover: tests/failover/."""

import time

import pytest
from django.db import OperationalError, connection

from accessrules.api import commits, outage
from tests.asylovergivelse.conftest import URL
from tests.config.blackhole import FORWARD, FREEZE, Blackhole
from tests.conftest import Integrator, error_codes
from tests.factories import BorgerFactory, JobcenterFactory, TilknytningFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CALL_SECONDS = 1.0  # DATABASE_OPERATION_TIMEOUT_MS here
HOST_SECONDS = 0.3  # DATABASE_CONNECT_TIMEOUT here
MEMO_SECONDS = 0.5  # DATABASE_UNAVAILABLE_MEMO_MS here
CPR = "x-civilRegistrationIdentifier"


@pytest.fixture
def bounded(settings):
    settings.DATABASE_OPERATION_TIMEOUT_MS = int(CALL_SECONDS * 1000)
    settings.DATABASE_CONNECT_TIMEOUT = HOST_SECONDS
    settings.DATABASE_UNAVAILABLE_MEMO_MS = int(MEMO_SECONDS * 1000)
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 3
    outage.forget()
    yield
    outage.forget()


@pytest.fixture
def jc_and_borger(transactional_db):
    """A jobcentre's integrator and a citizen affiliated to it (made before the hosts hang)."""
    jobcenter = JobcenterFactory(kode="10100")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=jobcenter)
    jc = Integrator(jobcenter)
    # served once first (the URLconf and the views imported: not timed below)
    assert jc.call("GET", URL, headers={CPR: borger.cpr}).status_code == 200
    return jc, borger


@pytest.fixture
def hosts(transactional_db, bounded):
    """Two hanging hosts in place of the test database's one (restored afterwards)."""
    original = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    target = (original["HOST"] or "127.0.0.1", int(original["PORT"] or 5432))
    holes = [Blackhole(target), Blackhole(target)]
    connection.close()
    connection.settings_dict["HOST"] = ",".join("127.0.0.1" for _ in holes)
    connection.settings_dict["PORT"] = ",".join(str(hole.port) for hole in holes)
    try:
        yield holes
    finally:
        connection.close()
        connection.settings_dict.update(original)
        for hole in holes:
            hole.close()


def timed(send):
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "3"
    assert error_codes(response) == [50300]


def test_no_host_answering_is_503_within_the_deadline_then_at_once_then_served(
    jc_and_borger, hosts
):
    jc, borger = jc_and_borger
    headers = {CPR: borger.cpr}
    response, took = timed(lambda: jc.call("GET", URL, headers=headers))
    assert_unavailable(response)
    # both hosts were tried, each for HOST_SECONDS (psycopg alone would give each 2 s)
    assert [hole.accepted for hole in hosts] == [1, 1]
    assert 2 * HOST_SECONDS <= took < CALL_SECONDS

    # remembered: the next call tries no host and is answered at once
    response, took = timed(lambda: jc.call("GET", URL, headers=headers))
    assert_unavailable(response)
    assert [hole.accepted for hole in hosts] == [1, 1]
    assert took < HOST_SECONDS

    # the database is back (the first host forwards to it): once the memo has expired the
    # next call connects and is served, in the same process
    hosts[0].mode = FORWARD
    time.sleep(MEMO_SECONDS)
    response = jc.call("GET", URL, headers=headers)
    assert response.status_code == 200, response.content
    assert response.json()["asylovergivelsesdata"] is None  # served: no transition of hers
    assert hosts[0].accepted == 2


def test_a_call_with_little_time_left_gives_the_hosts_no_more(hosts, settings):
    settings.DATABASE_CONNECT_TIMEOUT = 5.0  # more than the call has
    started = time.monotonic()
    with pytest.raises(OperationalError), commits.call(0.4):
        connection.ensure_connection()
    assert time.monotonic() - started < 0.4 + HOST_SECONDS
    # cut short by the call, not by the hosts: nothing remembered
    assert not outage.remembered(outage.NO_PRIMARY)


def test_healthz_says_so_within_the_deadline(hosts, client):
    response, took = timed(lambda: client.get("/healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    assert response["Retry-After"] == "3"
    assert took < CALL_SECONDS


def test_a_host_that_stops_answering_mid_statement_loses_its_socket(hosts):
    hosts[0].mode = FORWARD
    with connection.cursor() as cursor:  # connected, through the first host
        cursor.execute("SELECT 1")
    hosts[0].mode = FREEZE  # neither the statement nor a cancel request gets through now
    started = time.monotonic()
    with (
        pytest.raises(OperationalError),
        commits.deadline(0.3),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1")
    took = time.monotonic() - started
    assert 0.3 + commits.SHUTDOWN_AFTER_SECONDS <= took < 0.3 + commits.SHUTDOWN_AFTER_SECONDS + 1


def test_a_host_that_failed_is_tried_last(hosts):
    hosts[1].mode = FORWARD  # the first host hangs, the second is the database
    started = time.monotonic()
    connection.ensure_connection()
    assert time.monotonic() - started >= HOST_SECONDS
    assert [hole.accepted for hole in hosts] == [1, 1]
    connection.close()
    started = time.monotonic()
    connection.ensure_connection()  # the second host first now: no wait for the first
    assert time.monotonic() - started < HOST_SECONDS
    assert [hole.accepted for hole in hosts] == [1, 2]
    assert not outage.remembered(outage.NO_PRIMARY)


def test_healthz_on_a_connection_whose_host_stops_answering_is_503_within_the_bound(hosts, client):
    hosts[0].mode = FORWARD
    assert client.get("/healthz").status_code == 200  # connected, through the first host
    hosts[0].mode = FREEZE  # the connection's bytes are held; new ones are accepted, unanswered
    response, took = timed(lambda: client.get("/healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"
    # cancelled at the call's deadline (the cancel is not answered either), the socket shut
    # down SHUTDOWN_AFTER_SECONDS later (and one cancel's timeout of slack)
    assert CALL_SECONDS <= took < CALL_SECONDS + commits.SHUTDOWN_AFTER_SECONDS + 0.5
