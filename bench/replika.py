"""Issue 24, items 3 and 4, measured on a real Patroni cluster on loopback: what an access-log
row committed on the synchronous standby costs a read, and what a standby serving reads gives.

    .venv/bin/python bench/replika.py [--seconds 6] [--rounds 3] [--concurrency 8]
                                      [--part log|replica|all] [--json]

etcd and two PostgreSQL 15 nodes under Patroni (tests/failover/cluster.py, ports 18570-18591:
beside the failover test's and tests/replica/'s), node1 the primary and node2 its synchronous
standby (strict mode, `synchronous_commit: on`: the recipe's), the schema migrated and the
failover test's records seeded (tests/failover/seed.py). Then:

- `log`: the access-log row alone, in this process (`accessrules.accesslog.log.write`, the
  real statement), at each ACCESS_LOG_SYNCHRONOUS_COMMIT level, interleaved: one thread
  (latency p50/p99) and --concurrency threads (rows/s); then GET /v1/Asylovergivelse over HTTP
  on two app servers, one per level (`off`, `remote_write`), closed loop, interleaved rounds:
  p50/p99 and requests/s.
- `replica`: GET /v1/Asylovergivelse and the list GET /v1/BorgerFlytte on an app server
  reading from the primary only and on one with DATABASE_REPLICA_URL set to node2.

Everything is torn down at the end, whatever happens. Numbers: bench/README.md.
"""

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from tests.failover import cluster as patroni  # noqa: E402
from tests.failover.conftest import manage  # noqa: E402
from tests.live.harness import live_server_group, server_env  # noqa: E402

BASE_PORT = 18570  # tests/replica/: 18540-18561, the failover test: 18510-18531
DATABASE = "bi_replika_bench"
SEED = 60
LEVELS = ("off", "local", "remote_write", "on")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0


def start_cluster() -> tuple[patroni.Cluster, dict]:
    started = patroni.Cluster(scope="bi-replika-bench", base_port=BASE_PORT)
    started.start()
    with psycopg.connect(started.node_url(started.leader()), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}")
    env = server_env({"DEBUG": "0"}, database_url_override=started.multi_host_url(DATABASE))
    manage(env, "manage.py", "migrate", "--noinput", "-v", "0")
    seed = json.loads(manage(env, "-m", "tests.failover.seed", str(SEED)))
    return started, seed


# --- the row alone, in process -------------------------------------------------------------


def log_rows(cluster: patroni.Cluster, seconds: float, rounds: int, threads: int) -> dict:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL=cluster.multi_host_url(DATABASE),
    )
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from accessrules.accesslog import log

    def one_row() -> float:
        began = time.perf_counter()
        log.write(
            operation="GetAsylOvergivelse", caller=None, borger=None, outcome=200, error_code=None
        )
        return time.perf_counter() - began

    results = {level: {"latency": [], "rows": 0, "busy": 0.0} for level in LEVELS}
    for _ in range(rounds):
        for level in LEVELS:
            settings.ACCESS_LOG_SYNCHRONOUS_COMMIT = level
            end = time.monotonic() + seconds / 2
            while time.monotonic() < end:  # one thread: latency
                results[level]["latency"].append(one_row())
            counts = [0] * threads

            def worker(index: int, end: float, counts: list[int]) -> None:
                while time.monotonic() < end:
                    one_row()
                    counts[index] += 1
                connection.close()

            began = time.monotonic()
            end = began + seconds / 2
            pool = [threading.Thread(target=worker, args=(i, end, counts)) for i in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
            results[level]["rows"] += sum(counts)
            results[level]["busy"] += time.monotonic() - began
    connection.close()
    return {
        level: {
            "p50_ms": round(statistics.median(r["latency"]) * 1000, 2),
            "p99_ms": round(percentile(r["latency"], 0.99) * 1000, 2),
            f"rows_per_s_{threads}_threads": round(r["rows"] / r["busy"]),
        }
        for level, r in results.items()
    }


# --- over HTTP -------------------------------------------------------------------------------


def closed_loop(base_url: str, requests: list[tuple[str, dict]], seconds: float, threads: int):
    """GET each (path, headers) in turn from `threads` keep-alive connections for `seconds`:
    (latencies, statuses)."""
    host, port = base_url.removeprefix("http://").split(":")
    latencies, statuses = [], {}
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        mine, seen, n = [], {}, offset
        while time.monotonic() < end:
            path, headers = requests[n % len(requests)]
            n += 1
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                status = answer.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                status = 0
            mine.append(time.perf_counter() - began)
            seen[status] = seen.get(status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for status, count in seen.items():
                statuses[status] = statuses.get(status, 0) + count

    pool = [threading.Thread(target=worker, args=(i * 7,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, statuses


def headers_of(caller: dict, extra: dict | None = None) -> dict:
    return {
        "Authorization": f"Bearer {caller['token']}",
        "x-activeOrganisationTypeIdentifier": caller["type"],
        "x-activeOrganisationCode": caller["code"],
        **(extra or {}),
    }


def scenarios(seed: dict) -> dict:
    jc = seed["jobcenter"]
    gets = [
        ("/v1/Asylovergivelse", headers_of(jc, {"x-civilRegistrationIdentifier": cpr}))
        for cpr in seed["existing"]
    ]
    return {"get": gets, "list": [("/v1/BorgerFlytte", headers_of(jc))]}


def over_http(
    servers: dict, requests: dict, seconds: float, rounds: int, threads: int, standby_url: str
) -> dict:
    """{server name: {scenario: figures}}, the servers and scenarios interleaved over rounds;
    with the statements the standby ran per request (its transactions, pg_stat_database)."""
    raw = {(name, s): ([], {}, 0.0, 0) for name in servers for s in requests}

    def standby_transactions() -> int:
        with psycopg.connect(standby_url, autocommit=True) as conn:
            sql = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s"
            return conn.execute(sql, (DATABASE,)).fetchone()[0]

    for _ in range(rounds):
        for scenario, calls in requests.items():
            for name, server in servers.items():
                before = standby_transactions()
                began = time.monotonic()
                latencies, statuses = closed_loop(server.base_url, calls, seconds, threads)
                took = time.monotonic() - began
                time.sleep(0.6)  # statistics are flushed to the shared memory every 0.5 s
                ran = standby_transactions() - before
                old = raw[(name, scenario)]
                for status, count in statuses.items():
                    old[1][status] = old[1].get(status, 0) + count
                raw[(name, scenario)] = (old[0] + latencies, old[1], old[2] + took, old[3] + ran)
    out = {}
    for (name, scenario), (latencies, statuses, took, ran) in raw.items():
        out.setdefault(name, {})[scenario] = {
            "req_per_s": round(len(latencies) / took, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "statuses": statuses,
            "standby_statements_per_request": round(ran / max(1, len(latencies)), 2),
        }
    return out


SERVER_ENV = {
    "DATABASE_STATEMENT_TIMEOUT_MS": "5000",
    "DATABASE_OPERATION_TIMEOUT_MS": "10000",
    "CACHE_URL": "redis://127.0.0.1:6379/15",  # the clients' last writes (and tokens), shared
    "CACHE_KEY_PREFIX": "bi_replika_bench",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--part", choices=("log", "replica", "all"), default="all")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = {"load_average_before": os.getloadavg()}
    cluster = None
    try:
        cluster, seed = start_cluster()
        url = cluster.multi_host_url(DATABASE)
        standby = cluster.node_url(cluster.nodes[1], DATABASE)
        with (
            tempfile.TemporaryDirectory(prefix="replika-bench-") as folder,
            live_server_group(Path(folder)) as start,
        ):

            def server(**env):
                options = {"workers": 2, "worker_class": "gthread", "threads": 4}
                [one] = start(1, env={**SERVER_ENV, **env}, database_url=url, **options)
                return one

            calls = scenarios(seed)
            if args.part in ("log", "all"):
                report["row_in_process"] = log_rows(
                    cluster, args.seconds, args.rounds, args.concurrency
                )
                servers = {
                    level: server(ACCESS_LOG_SYNCHRONOUS_COMMIT=level)
                    for level in ("off", "remote_write")
                }
                report["get_by_level"] = over_http(
                    servers,
                    {"get": calls["get"]},
                    args.seconds,
                    args.rounds,
                    args.concurrency,
                    standby,
                )
                for one in servers.values():
                    one.kill()
            if args.part in ("replica", "all"):
                servers = {
                    "primary only": server(),
                    "standby serving reads": server(DATABASE_REPLICA_URL=standby),
                }
                report["reads"] = over_http(
                    servers, calls, args.seconds, args.rounds, args.concurrency, standby
                )
        report["load_average_after"] = os.getloadavg()
    finally:
        if cluster is not None:
            cluster.cleanup()
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
