"""Issue 24, item 4: reads on a standby, over HTTP, with a real streaming standby.

etcd and two PostgreSQL 15 nodes under Patroni (tests/failover/cluster.py on ports
18540-18561, beside the failover test's 18510-18531): node1 the primary, node2 its
synchronous standby. Three app servers with DATABASE_REPLICA_URL naming node2 and one shared
Redis (db 15) for the clients' last writes: A and B with DATABASE_REPLICA_MAX_LAG_SECONDS=30,
C with 1. Two clients of one jobcentre: the writer and a reader that never writes.

- A write through A, then the writer's read through B: it sees the write (the standby has
  replayed it, or B reads the primary).
- With the standby's replay paused (Patroni in maintenance mode, `pg_wal_replay_pause()`: it
  receives the WAL and applies none, so it is stale by exactly what is written after): the
  writer's read through B still sees its write (the standby has not replayed the client's
  WAL position: the primary answers); the reader's read through B is the standby's (the old
  value: within 30 s of lag), and through C the primary's (the standby lags more than 1 s); a
  citizen whose affiliations were removed on the primary is refused to the reader through B
  although the standby still has them (the access decision reads the primary); the
  access-log rows are on the primary.
- Replay resumed: the reader sees the write through B too.
"""

import datetime
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.failover import cluster as patroni
from tests.failover.conftest import seeded_cluster
from tests.live.harness import fetch, live_server_group

pytestmark = pytest.mark.postgres

BASE_PORT = 18540
DATABASE = "bi_replika"
REDIS = "redis://127.0.0.1:6379/15"
SEED_COUNT = 6
ASYL = "/v1/Asylovergivelse"
CPR = "x-civilRegistrationIdentifier"
SERVER_ENV = {
    "CACHE_URL": REDIS,
    "CACHE_KEY_PREFIX": f"bi_replika_test_{uuid.uuid4().hex[:8]}",  # this run's keys only
    "DATABASE_STATEMENT_TIMEOUT_MS": "5000",
    "DATABASE_OPERATION_TIMEOUT_MS": "5000",
}


@pytest.fixture(scope="module")
def standby():
    """A two-node cluster with the schema and records; the seed and the cluster, yielded."""
    options = {"scope": "bi-replika", "base_port": BASE_PORT}
    with seeded_cluster(DATABASE, "tests.replica.seed", SEED_COUNT, **options) as started:
        yield started


@pytest.fixture(scope="module")
def servers(standby):
    """{"A", "B", "C"}: gunicorn masters on the primary, reading on node2."""
    replica_url = standby.node_url(standby.nodes[1], DATABASE)
    with (
        tempfile.TemporaryDirectory(prefix="replika-servers-") as folder,
        live_server_group(Path(folder)) as start,
    ):

        def one(max_lag: int):
            env = {
                **SERVER_ENV,
                "DATABASE_REPLICA_URL": replica_url,
                "DATABASE_REPLICA_MAX_LAG_SECONDS": str(max_lag),
            }
            url = standby.multi_host_url(DATABASE)
            options = {"workers": 1, "worker_class": "gthread", "threads": 2}
            [server] = start(1, env=env, database_url=url, **options)
            return server

        yield {"A": one(30), "B": one(30), "C": one(1)}


def headers(caller: dict, cpr: str, request_id: str | None = None) -> dict:
    found = {
        "Authorization": f"Bearer {caller['token']}",
        "x-activeOrganisationTypeIdentifier": caller["type"],
        "x-activeOrganisationCode": caller["code"],
        CPR: cpr,
    }
    if request_id:
        found["x-requestId"] = request_id
    return found


def day(n: int) -> str:
    return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()


def put(server, caller: dict, cpr: str, overgivelsesdato: str, request_id: str) -> None:
    body = {
        "CVEditEndDate": day(90),
        "overgivelsesdato": overgivelsesdato,
        "tidligCvOvergivelsesdato": day(5),
        "tidligKontraktOvergivelsesdato": day(1),
        "overgivelseskommunekode": "101",
        "kommentar": f"Ny dato ({request_id})",
    }
    answer = fetch("PUT", server.url(ASYL), headers=headers(caller, cpr, request_id), body=body)
    assert answer.status == 204, answer.body


def read(server, caller: dict, cpr: str):
    return fetch("GET", server.url(ASYL), headers=headers(caller, cpr))


def date_seen(server, caller: dict, cpr: str) -> str:
    answer = read(server, caller, cpr)
    assert answer.status == 200, answer.body
    return answer.json()["asylovergivelsesdata"]["overgivelsesdato"]


def on(standby, node: int, sql: str, *params):
    with psycopg.connect(standby.node_url(standby.nodes[node], DATABASE), autocommit=True) as c:
        return c.execute(sql, params).fetchone()


def test_a_clients_read_after_its_write_on_the_other_server_sees_the_write(standby, servers):
    writer, [cpr, *_] = standby.seed["jobcenter"], standby.seed["existing"]
    for n in range(5):
        put(servers["A"], writer, cpr, day(20 + n), f"ryw-{n}")
        assert date_seen(servers["B"], writer, cpr) == day(20 + n)
        assert date_seen(servers["A"], writer, cpr) == day(20 + n)
    assert read(servers["B"], standby.seed["reader"], cpr).status == 200
    listed = fetch("GET", servers["B"].url("/v1/BorgerFlytte"), headers=headers(writer, cpr))
    assert listed.status == 200, listed.body


def test_a_paused_standby_never_answers_stale_data_to_the_writer_nor_grants_stale_access(
    standby, servers
):
    writer, reader = standby.seed["jobcenter"], standby.seed["reader"]
    _, cpr, moved, *_ = standby.seed["existing"]
    before = date_seen(servers["B"], reader, cpr)  # a commit (its row) just before the pause
    assert read(servers["B"], reader, moved).status == 200
    standby.maintenance(True)  # or Patroni resumes the replay
    on(standby, 1, "SELECT pg_wal_replay_pause()")
    try:
        patroni.Cluster.wait(
            lambda: on(standby, 1, "SELECT pg_get_wal_replay_pause_state()")[0] == "paused",
            10,
            "the standby's replay did not pause",
        )
        put(servers["A"], writer, cpr, day(60), "paused-1")
        # the writer, on the other server: its own write, from the primary
        assert date_seen(servers["B"], writer, cpr) == day(60)
        # the reader, within 30 s of lag: the standby's value (it serves reads, and is stale)
        assert date_seen(servers["B"], reader, cpr) == before
        # ... on C, whose bound is 1 s, once the standby lags more: the primary's
        time.sleep(1.5)
        assert date_seen(servers["C"], reader, cpr) == day(60)
        # affiliations removed on the primary, still on the paused standby: refused
        borger = on(standby, 0, "SELECT id FROM accessrules_borger WHERE cpr = %s", moved)[0]
        on(
            standby,
            0,
            "WITH gone AS (DELETE FROM accessrules_tilknytning WHERE borger_id = %s "
            "RETURNING 1) SELECT count(*) FROM gone",
            borger,
        )
        query = "SELECT count(*) FROM accessrules_tilknytning WHERE borger_id = %s"
        assert on(standby, 1, query, borger)[0] > 0  # the standby would still grant it
        refused = read(servers["B"], reader, moved)
        assert refused.status == 403, refused.body
        assert [e["code"] for e in refused.json()["errors"]] == [6005]
        # every read's access-log row is on the primary
        rows = on(
            standby,
            0,
            "SELECT count(*) FROM accessrules_accesslogentry e JOIN accessrules_borger b "
            "ON b.id = e.borger_id WHERE b.cpr = %s AND e.operation = 'GetAsylOvergivelse'",
            moved,
        )[0]
        assert rows == 2
    finally:
        on(standby, 1, "SELECT pg_wal_replay_resume()")
        standby.maintenance(False)
    patroni.Cluster.wait(
        lambda: date_seen(servers["B"], reader, cpr) == day(60), 20, "the standby did not catch up"
    )
