"""Issue 24, item 2: a failover under load loses no answered write.

etcd, two PostgreSQL 15 nodes under Patroni (synchronous mode, strict: the recipe's) and two
app servers on the cluster's multi-host DATABASE_URL. 50 requests/s, 20 % writes (creates,
updates, departure confirmations, CPR events), alternating between the servers. Then:

1. SIGKILL the primary's Patroni and PostgreSQL together; the standby is promoted (asserted).
   While no primary is reachable every call is 503 problem+json with Retry-After within 2 s,
   and /healthz says the database is down.
2. The new primary has no synchronous standby: strict mode refuses every commit (the write is
   answered 503, never 2xx), and so every read too: its access-log row commits on the
   synchronous standby (ACCESS_LOG_SYNCHRONOUS_COMMIT=remote_write, item 3), and no call is
   answered without its row. Durability wins.
3. The killed node is started again (what its systemd unit does) and rejoins as the
   synchronous standby: writes are answered again. The app servers are never restarted.

Then every write answered 2xx is in the new primary (its row, its history, its x-requestId
claim and its access-log row), and sent again with the same x-requestId it is 412 (or, a CPR
event, the same answer and nothing new): no write is applied twice. Every read answered 200 has
its access-log row there too (item 3): each matched to a row of its own, of its operation and
citizen, written while the call was under way. Ports: etcd 18510-18511,
PostgreSQL 18520-18521, Patroni's REST API 18530-18531 (tests/failover/cluster.py).
"""

import bisect
import collections
import json
import os
import threading
import time
from pathlib import Path

import psycopg
import pytest

from tests.failover.conftest import DATABASE
from tests.failover.load import Call, Load, Traffic, send
from tests.live.harness import fetch

pytestmark = pytest.mark.postgres

RATE = 50  # requests per second
WARM_SECONDS = 5  # load before the kill
STRICT_SECONDS = 4  # load on the new primary without a standby, before node1 comes back
AFTER_SECONDS = 5  # load once writes are answered again
FAILOVER_TIMEOUT = 60
REJOIN_TIMEOUT = 60
# A 503 is answered within this many seconds (the issue's 2 s): the app servers' calls end their
# database work 1 s after arrival (conftest.APP_ENV). On a machine whose cores are shared with
# other work, every answer also waits for a CPU: FAILOVER_ANSWER_SECONDS raises it there.
ANSWER_SECONDS = float(os.environ.get("FAILOVER_ANSWER_SECONDS", "2"))
ANSWERED = {200, 201, 204}
EXPECTED_WRITE = {"create": 201, "update": 204, "confirm": 204, "event": 200}


class HealthProbe:
    """GET /healthz on every server every 0.2 s: (time, server, status, database)."""

    def __init__(self, servers):
        self.servers, self.seen = servers, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.2):
            for index, server in enumerate(self.servers):
                try:
                    answer = fetch("GET", server.url("/healthz"), timeout=3)
                    self.seen.append((time.monotonic(), index, answer.status, answer.json()))
                except (OSError, ValueError) as error:
                    self.seen.append((time.monotonic(), index, 0, {"error": repr(error)}))

    def stop(self):
        self._stop.set()
        self._thread.join(5)
        return self.seen


def windows_of_503(calls: list[Call]) -> float:
    """Seconds during which calls were answered 503 (the union of 0.1 s slots with a 503)."""
    return len({int(c.sent * 10) for c in calls if c.status == 503}) / 10


def report(terminal, calls, retries, timeline, health) -> None:
    outcomes = collections.Counter((c.kind, c.status or c.error) for c in calls)
    lines = [
        f"failover: {len(calls)} calls at {RATE}/s; timeline (s after the kill): "
        + ", ".join(f"{name} {value:.1f}" for name, value in timeline.items()),
        f"failover: seconds with 503 answers: {windows_of_503(calls):.1f} (no primary "
        f"{timeline['new leader']:.1f} s; writes refused without a synchronous standby "
        f"{timeline['writes answered'] - timeline['new leader']:.1f} s)",
        "failover: outcomes: "
        + ", ".join(f"{kind} {status}: {n}" for (kind, status), n in sorted(outcomes.items())),
        "failover: retries with the same x-requestId: "
        + ", ".join(f"{k}: {n}" for k, n in sorted(collections.Counter(retries).items())),
        f"failover: /healthz answers: {collections.Counter(s for _, _, s, _ in health)}",
        "failover: reads answered 200, each matched to its own access-log row on the new "
        f"primary: {sum(1 for c in calls if not c.write and c.status == 200)}",
    ]
    with terminal():
        print("\n" + "\n".join(lines))


def test_a_failover_under_load_loses_no_answered_write(cluster, app_servers, capsys):
    servers = app_servers
    t0 = time.monotonic()
    masters = [server.pid for server in servers]
    old = cluster.leader()
    assert old is cluster.nodes[0] and cluster.sync_standby() is cluster.nodes[1]
    load = Load(Traffic(cluster.seed), servers, RATE).start()
    health = HealthProbe(servers)
    timeline = {}
    try:
        time.sleep(WARM_SECONDS)
        killed = time.monotonic()
        cluster.kill_node(old)
        new = cluster.wait(cluster.leader, FAILOVER_TIMEOUT, "no new leader")
        promoted = time.monotonic()
        timeline["new leader"] = promoted - killed
        assert new is cluster.nodes[1], "the leader did not change"
        time.sleep(STRICT_SECONDS)
        restarted = time.monotonic()
        timeline["node1 started"] = restarted - killed
        cluster.start_node(old)
        cluster.wait(cluster.sync_standby, REJOIN_TIMEOUT, "node1 did not rejoin as standby")
        timeline["sync standby back"] = time.monotonic() - killed
        time.sleep(AFTER_SECONDS)
    finally:
        calls = load.stop()
        seen = health.stop()
        keep = os.environ.get("FAILOVER_KEEP_LOGS")  # a folder: every call is written there
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            Path(keep, "calls.json").write_text(
                json.dumps([{**vars(c), "since_kill": c.sent - killed} for c in calls], indent=0)
            )
    assert cluster.leader() is new
    answered_again = [c.sent for c in calls if c.write and c.status in ANSWERED and c.sent > killed]
    timeline["writes answered"] = (min(answered_again) - killed) if answered_again else -1

    # every call answered; 503s are problem+json with Retry-After, within 2 s; no 500
    unanswered = [c for c in calls if not c.status]
    assert not unanswered, [(c.kind, c.error, round(c.took, 2)) for c in unanswered[:10]]
    statuses = collections.Counter(c.status for c in calls)
    assert set(statuses) <= ANSWERED | {503}, statuses
    wrong = [c for c in calls if c.status in ANSWERED and c.status != expected(c)]
    assert not wrong, [(c.kind, c.status) for c in wrong[:10]]
    unavailable = [c for c in calls if c.status == 503]
    assert unavailable, "no call saw the outage"
    assert all(c.content_type == "application/problem+json" for c in unavailable)
    assert all(c.retry_after == "5" and c.codes == [50300] for c in unavailable)
    slow = sorted(
        (
            (round(c.took, 2), c.kind, round(c.sent - killed, 1))
            for c in unavailable
            if c.took > ANSWER_SECONDS
        ),
        reverse=True,
    )
    assert not slow, (
        f"{len(slow)} of {len(unavailable)} 503s slower than {ANSWER_SECONDS} s: {slow[:10]}"
    )
    # /healthz said so while there was no primary, and is 200 again
    down = [s for t, _, s, body in seen if killed < t < promoted and body.get("database") == "down"]
    assert down and set(down) == {503}
    assert all(s == 200 for t, _, s, _ in seen[-4:]), seen[-4:]
    # strict mode: no write answered while the new primary had no synchronous standby, and no
    # read either (its access-log row waits for a standby as a write's commit does)
    alone = [c for c in calls if promoted < c.sent and c.sent + c.took < restarted]
    assert [c for c in alone if c.write] and [c for c in alone if not c.write]
    assert not [c for c in alone if c.status in ANSWERED], "answered without a standby"
    # recovered without restarting the app servers: the last second's calls all answered
    assert [server.pid for server in servers] == masters and all(s.alive for s in servers)
    last = [c for c in calls if c.sent > calls[-1].sent - 1.0]
    assert last and all(c.status in ANSWERED for c in last), [(c.kind, c.status) for c in last]

    written = [c for c in calls if c.write and c.status in ANSWERED]
    with psycopg.connect(cluster.node_url(new, DATABASE), autocommit=True) as conn:
        for call in written:
            assert_stored(conn, call)
        answered_events = sum(1 for c in written if c.kind == "event")
        assert one(conn, LOGGED_EVENTS) >= answered_events, "an answered batch without its row"
        assert_reads_logged(conn, calls)
    retries = retry_every_write(calls, servers)
    with psycopg.connect(cluster.node_url(new, DATABASE), autocommit=True) as conn:
        for call in written:
            assert_stored(conn, call)  # still once: the retries applied nothing again
    timeline["test"] = time.monotonic() - t0
    report(capsys.disabled, calls, retries, timeline, seen)


def expected(call: Call) -> int:
    return EXPECTED_WRITE.get(call.kind, 200)


def retry_every_write(calls: list[Call], servers) -> list[str]:
    """Send every write again with its x-requestId, to the other server: an answered one is 412
    (a CPR event: the same 200, its event is known); one answered 503 is 412 if it committed
    after all, else it is applied now (2xx). Returns the outcomes, named."""
    outcomes = []
    for call in calls:
        if not call.write:
            continue
        again = Call(call.kind, call.method, call.path, call.headers, call.body, call.subject)
        send(again, servers[1 - call.server].base_url)
        first = "answered" if call.status in ANSWERED else "unanswered"
        outcomes.append(f"{call.kind} {first} -> {again.status}")
        if call.kind == "event":
            assert again.status == 200, (call.status, again.status)
        elif call.status in ANSWERED:
            assert (again.status, again.codes) == (412, [41200]), (call.kind, again.status)
        else:
            assert again.status in (412, expected(call)), (call.kind, call.status, again.status)
            if again.status in ANSWERED:
                call.status = again.status  # now answered: looked for in the database too
    return outcomes


READ_OPERATIONS = {"get": "GetAsylOvergivelse", "list": "ListBorgerflytninger"}
CLOCK_SLACK = 0.05  # seconds: the app's timezone.now() and the load's time.time() share a clock


def assert_reads_logged(conn, calls: list[Call]) -> None:
    """Every read answered 200 has an access-log row of its own on the new primary: of its
    operation and citizen (the list: none), outcome 200, created while the call was under
    way. Reads send no x-requestId, so each is matched to a distinct row by its time window:
    the windows sorted by their end, each takes the earliest unused row inside it (the
    greedy matching of intervals to points, which finds one whenever one exists)."""
    rows = collections.defaultdict(list)
    for operation, cpr, at in conn.execute(
        "SELECT e.operation, b.cpr, extract(epoch FROM e.created_at)::float8 "
        "FROM accessrules_accesslogentry e LEFT JOIN accessrules_borger b ON b.id = e.borger_id "
        "WHERE e.outcome = 200 AND e.operation = ANY(%s)",
        (list(READ_OPERATIONS.values()),),
    ):
        rows[(operation, cpr)].append(at)
    for times in rows.values():
        times.sort()
    reads = sorted(
        (c for c in calls if not c.write and c.status == 200), key=lambda c: c.sent_at + c.took
    )
    unmatched = []
    for call in reads:
        times = rows[(READ_OPERATIONS[call.kind], call.subject or None)]
        start = bisect.bisect_left(times, call.sent_at - CLOCK_SLACK)
        if start < len(times) and times[start] <= call.sent_at + call.took + CLOCK_SLACK:
            times.pop(start)
        else:
            unmatched.append((call.kind, round(call.sent_at, 3), round(call.took, 3)))
    assert reads and not unmatched, f"{len(unmatched)} of {len(reads)} reads: {unmatched[:10]}"


LOGGED_EVENTS = (
    "SELECT count(*) FROM accessrules_accesslogentry "
    "WHERE operation = 'CreateCprHaendelser' AND outcome = 200"
)


def one(conn, sql: str, *params):
    return conn.execute(sql, params).fetchone()[0]


def assert_stored(conn, call: Call) -> None:
    """The write's row and history, its x-requestId claim and its access-log row, once each."""
    rid = call.request_id
    if call.kind == "event":  # no x-requestId (its haendelseId makes a replay safe): the
        # access-log rows of the answered batches are counted together (LOGGED_EVENTS)
        assert (
            one(
                conn,
                "SELECT count(*) FROM borgerflytte_haendelsekvittering WHERE haendelse_id = %s",
                call.subject,
            )
            == 1
        ), call.subject
        return
    assert one(conn, "SELECT count(*) FROM accessrules_requestid WHERE request_id = %s", rid) == 1
    logged = one(
        conn,
        "SELECT count(*) FROM accessrules_accesslogentry WHERE request_id = %s AND outcome = %s",
        rid,
        call.status,
    )
    assert logged == 1, (call.kind, rid, "access-log row")
    if call.kind == "create":
        borger = one(conn, "SELECT id FROM accessrules_borger WHERE cpr = %s", call.subject)
        assert (
            one(
                conn,
                "SELECT count(*) FROM asylovergivelse_asylovergivelse WHERE borger_id = %s",
                borger,
            )
            == 1
        )
        assert (
            one(
                conn,
                "SELECT count(*) FROM asylovergivelse_historicalasylovergivelse "
                "WHERE borger_id = %s AND history_type = '+'",
                borger,
            )
            == 1
        )
    elif call.kind == "update":
        borger = one(conn, "SELECT id FROM accessrules_borger WHERE cpr = %s", call.subject)
        assert (
            one(
                conn,
                "SELECT count(*) FROM asylovergivelse_historicalasylovergivelse "
                "WHERE borger_id = %s AND history_type = '~' AND overgivelsesdato = %s",
                borger,
                call.value,
            )
            == 1
        ), (call.subject, call.value)
    elif call.kind == "confirm":
        assert one(
            conn,
            "SELECT fraflytning_tidspunkt IS NOT NULL FROM borgerflytte_borgerflytning "
            "WHERE id = %s",
            call.subject,
        )
        assert (
            one(
                conn,
                "SELECT count(*) FROM borgerflytte_historicalborgerflytning "
                "WHERE id = %s AND history_type = '~' AND fraflytning_tidspunkt IS NOT NULL",
                call.subject,
            )
            >= 1
        )
