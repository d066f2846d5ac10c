"""The failover tests' cluster: etcd and PostgreSQL nodes under Patroni (tests/failover/cluster.py)
with the app's schema and the seeded records, and two app servers on its multi-host URL.

Without Patroni, etcd or PostgreSQL 15 the tests skip locally, with the reason; with `CI` set
they fail, so CI never passes without them (.ci/run installs the packages)."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.failover import cluster as patroni
from tests.live.harness import ROOT, live_server_group, server_env

DATABASE = "bi_failover"
SEED_COUNT = 120  # citizens of each kind: enough for the load's creates and confirmations
TOOLS = (patroni.PATRONI, patroni.ETCD, f"{patroni.BIN_DIR}/postgres")
# The app servers' settings for the cluster: a call's database work (its connects, statements
# and a COMMIT's wait for a synchronous standby) ends 1 s after its arrival, each of the two
# hosts gets 0.5 s to connect, and an outage seen is remembered 0.5 s (503 at once meanwhile),
# so an answer takes under 2 s whatever the cluster does.
APP_ENV = {
    "DATABASE_STATEMENT_TIMEOUT_MS": "1000",
    "DATABASE_OPERATION_TIMEOUT_MS": "1000",
    "DATABASE_CONNECT_TIMEOUT": "0.5",
    "DATABASE_UNAVAILABLE_MEMO_MS": "500",
}


def require_tools() -> None:
    missing = [tool for tool in TOOLS if not (shutil.which(tool) or os.access(tool, os.X_OK))]
    if not missing:
        return
    reason = f"the failover test needs {', '.join(missing)} (patroni, etcd-server, postgresql-15)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def manage(env: dict, *args: str, timeout: float = 180) -> str:
    out = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert out.returncode == 0, f"{args}: {out.stdout[-2000:]}\n{out.stderr[-4000:]}"
    return out.stdout


@contextlib.contextmanager
def seeded_cluster(database: str, seed_module: str, seed_count: int, **cluster_options):
    """A started two-node cluster (node1 leads, node2 its synchronous standby) with the app's
    schema in `database` and the records `seed_module` prints (as JSON) in `.seed`; killed and
    removed afterwards, whatever happened. `cluster_options` go to `patroni.Cluster`."""
    require_tools()
    started = patroni.Cluster(**cluster_options)
    try:
        started.start()
        with psycopg.connect(started.node_url(started.leader()), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database}")
        env = server_env({"DEBUG": "0"}, database_url_override=started.multi_host_url(database))
        manage(env, "manage.py", "migrate", "--noinput", "-v", "0")
        started.seed = json.loads(manage(env, "-m", seed_module, str(seed_count)))
        yield started
    finally:
        started.cleanup()


@pytest.fixture
def cluster():
    """The failover test's cluster with its records in DATABASE."""
    with seeded_cluster(DATABASE, "tests.failover.seed", SEED_COUNT) as started:
        yield started


@pytest.fixture
def app_servers(cluster):
    """Two gunicorn masters (gthread, 2 workers x 8 threads) on the cluster's multi-host URL."""
    with (
        tempfile.TemporaryDirectory(prefix="failover-servers-") as folder,
        live_server_group(Path(folder)) as start,
    ):
        try:
            yield start(
                2,
                workers=2,
                worker_class="gthread",
                threads=8,
                env=APP_ENV,
                database_url=cluster.multi_host_url(DATABASE),
            )
        finally:
            keep = os.environ.get("FAILOVER_KEEP_LOGS")  # a folder: the logs are copied there
            if keep:
                Path(keep).mkdir(parents=True, exist_ok=True)
                for log in Path(folder).glob("*.log"):
                    shutil.copy(log, keep)
