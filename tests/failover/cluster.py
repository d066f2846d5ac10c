"""A real Patroni cluster on loopback for tests: one etcd member and PostgreSQL 15 nodes managed
by Debian's `patroni`, the recipe's settings (config/deploy/patroni/) with small timings.

Everything lives in one temporary folder: etcd's data, each node's data directory, its
patroni.yml and logs. As root, etcd, Patroni and PostgreSQL run as `postgres` (PostgreSQL
refuses root). Each process is started in a session of its own; `kill_node()` SIGKILLs a node's
Patroni and its PostgreSQL (postmaster and every backend) together, `cleanup()` kills whatever
is left and removes the folder; an atexit hook does the same if the test run dies first. Every
wait has a deadline.
"""

import atexit
import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from config.deploy.patroni import render
from tests.live.harness import processes

BIN_DIR = "/usr/lib/postgresql/15/bin"
ETCD = shutil.which("etcd") or "/usr/bin/etcd"
PATRONI = shutil.which("patroni") or "/usr/bin/patroni"
# The task's port ranges (see tests/failover/README in the docstring of the test module):
# etcd BASE and BASE+1, PostgreSQL BASE+10.., Patroni's REST API BASE+20..; a cluster made with
# another `base_port` (the replica tests and bench: 18540) runs beside the failover test's.
BASE_PORT = 18510
ETCD_CLIENT_PORT, ETCD_PEER_PORT = BASE_PORT, BASE_PORT + 1
PG_PORTS = (BASE_PORT + 10, BASE_PORT + 11, BASE_PORT + 12)
REST_PORTS = (BASE_PORT + 20, BASE_PORT + 21, BASE_PORT + 22)
# Small timings so that a failover takes seconds on 2 cores (production: the recipe's values).
TIMINGS = {"ttl": 6, "loop_wait": 1, "retry_timeout": 2}
SUPERUSER_PASSWORD = "failover-test-superuser"  # noqa: S105 - a throwaway local cluster
REPLICATION_PASSWORD = "failover-test-replication"  # noqa: S105

# Patroni reads the passwords from its environment (the recipe keeps them out of the file).
PATRONI_ENV = {
    "PATRONI_SUPERUSER_PASSWORD": SUPERUSER_PASSWORD,
    "PATRONI_REPLICATION_PASSWORD": REPLICATION_PASSWORD,
}
_BASE_ENV = {name: os.environ[name] for name in ("PATH", "LANG", "TZ") if name in os.environ}

_clusters: set["Cluster"] = set()


def _as_postgres():
    """preexec_fn as root: become `postgres` (PostgreSQL will not run as root)."""
    account = pwd.getpwnam("postgres")
    os.setgid(account.pw_gid)
    os.setuid(account.pw_uid)


def rest(port: int, path: str, timeout: float = 1.0) -> tuple[int, dict]:
    """GET Patroni's REST API: (status, JSON body); (0, {}) when it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:  # noqa: S310
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as error:
        with contextlib.suppress(ValueError):
            return error.code, json.loads(error.read() or b"{}")
        return error.code, {}
    except (OSError, ValueError):
        return 0, {}


@dataclass
class Node:
    name: str
    pg_port: int
    rest_port: int
    folder: Path
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self):
        self.log = self.folder / f"{self.name}.patroni.log"

    @property
    def data_dir(self) -> Path:
        return self.folder / self.name

    def postmaster_pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            return int((self.data_dir / "postmaster.pid").read_text().split()[0])
        return None

    def role(self) -> str | None:
        status, body = rest(self.rest_port, "/patroni")
        return body.get("role") if status else None


class Cluster:
    def __init__(
        self,
        scope="bi-failover",
        nodes=2,
        *,
        strict=True,
        node_env: dict | None = None,
        base_port: int = BASE_PORT,
    ):
        self.scope, self.strict, self.node_env = scope, strict, dict(node_env or {})
        self.etcd_client_port, self.etcd_peer_port = base_port, base_port + 1
        self.folder = Path(tempfile.mkdtemp(prefix="patroni-"))
        self.root = os.geteuid() == 0
        if self.root:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self.nodes = [
            Node(f"node{i + 1}", base_port + 10 + i, base_port + 20 + i, self.folder)
            for i in range(nodes)
        ]
        self.etcd: subprocess.Popen | None = None
        _clusters.add(self)

    # --- processes ---------------------------------------------------------------------

    def _spawn(self, command: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
        with open(log, "ab") as out:
            process = subprocess.Popen(
                command,
                env={**_BASE_ENV, **(env or {})},
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_as_postgres if self.root else None,
            )
        if self.root:
            os.chown(log, pwd.getpwnam("postgres").pw_uid, -1)
        return process

    def start_etcd(self) -> None:
        client = f"http://127.0.0.1:{self.etcd_client_port}"
        peer = f"http://127.0.0.1:{self.etcd_peer_port}"
        self.etcd = self._spawn(
            [
                ETCD,
                *("--name", "etcd1", "--data-dir", str(self.folder / "etcd")),
                *("--listen-client-urls", client, "--advertise-client-urls", client),
                *("--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer),
                *("--initial-cluster", f"etcd1={peer}", "--initial-cluster-state", "new"),
                *("--heartbeat-interval", "100", "--election-timeout", "1000"),
            ],
            self.folder / "etcd.log",
        )
        self.wait(lambda: self._etcd_healthy(), 20, "etcd did not become healthy")

    def _etcd_healthy(self) -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310
                f"http://127.0.0.1:{self.etcd_client_port}/health", timeout=1
            ) as answer:
                return json.loads(answer.read()).get("health") == "true"
        except (OSError, ValueError):
            return False

    def config_of(self, node: Node) -> str:
        """The recipe's template with this node's values and the test's small timings."""
        return render.render(
            "patroni",
            {
                "PGHA_SCOPE": self.scope,
                "PGHA_NAME": node.name,
                "PGHA_HOST": "127.0.0.1",
                "PGHA_NETWORK": "127.0.0.1/32",
                "PGHA_ETCD_HOSTS": f"127.0.0.1:{self.etcd_client_port}",
                "PGHA_PG_PORT": str(node.pg_port),
                "PGHA_REST_PORT": str(node.rest_port),
                "PGHA_DATA_DIR": str(node.data_dir),
                "PGHA_BIN_DIR": BIN_DIR,
                "PGHA_SOCKET_DIR": str(self.folder),
                "PGHA_PGPASS": str(self.folder / f"{node.name}.pgpass"),
                "PGHA_SYNCHRONOUS_STRICT": "true" if self.strict else "false",
                "PGHA_MAX_CONNECTIONS": "100",
                "PGHA_WAL_KEEP_SIZE": "128MB",
                **{f"PGHA_{key.upper()}": str(value) for key, value in TIMINGS.items()},
                **self.node_env,
            },
        )

    def start_node(self, node: Node) -> None:
        config = self.folder / f"{node.name}.yml"
        config.write_text(self.config_of(node))
        if self.root:
            os.chown(config, pwd.getpwnam("postgres").pw_uid, -1)
        node.process = self._spawn([PATRONI, str(config)], node.log, env=PATRONI_ENV)

    def kill_node(self, node: Node) -> None:
        """SIGKILL the node's Patroni and its PostgreSQL (postmaster and children) at once."""
        victims = set()
        if node.process is not None:
            victims.add(node.process.pid)
        postmaster = node.postmaster_pid()
        if postmaster:
            victims.add(postmaster)
            victims.update(pid for pid, ppid, _, _ in processes() if ppid == postmaster)
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if node.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                node.process.wait(10)
        self.wait(
            lambda: not any(pid in victims for pid, *_ in processes()),
            10,
            f"{node.name}'s processes outlived SIGKILL",
        )

    # --- state ---------------------------------------------------------------------------

    @staticmethod
    def wait(predicate, timeout: float, message: str, interval: float = 0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise TimeoutError(f"{message} within {timeout} s")

    def leader(self) -> Node | None:
        """The node whose REST API answers /primary 200 (Patroni's own check)."""
        for node in self.nodes:
            if rest(node.rest_port, "/primary")[0] == 200:
                return node
        return None

    def cluster_state(self) -> dict:
        for node in self.nodes:
            status, body = rest(node.rest_port, "/cluster")
            if status == 200:
                return body
        return {}

    def maintenance(self, on: bool, timeout: float = 15) -> None:
        """Patroni's maintenance mode (`patronictl pause`/`resume`: PATCH /config), once every
        node says so. Paused, Patroni leaves PostgreSQL alone, e.g. a standby whose replay a
        test paused (running, it resumes a paused replay within a loop)."""
        leader = self.leader() or self.nodes[0]
        request = urllib.request.Request(  # noqa: S310 - loopback
            f"http://127.0.0.1:{leader.rest_port}/config",
            data=json.dumps({"pause": on}).encode(),
            method="PATCH",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310
            pass
        self.wait(
            lambda: all(
                bool(rest(node.rest_port, "/patroni")[1].get("pause")) == on for node in self.nodes
            ),
            timeout,
            f"maintenance mode {'on' if on else 'off'} not seen by every node",
        )

    def sync_standby(self) -> Node | None:
        for node in self.nodes:
            if rest(node.rest_port, "/sync")[0] == 200:
                return node
        return None

    def start(self, timeout: float = 90) -> "Cluster":
        """etcd, then the first node (bootstraps and leads), then the others as replicas;
        returns once one of them is the synchronous standby."""
        self.start_etcd()
        first, *others = self.nodes
        self.start_node(first)
        self.wait(self.leader, timeout, "node1 did not become the leader")
        for node in others:
            self.start_node(node)
        if others:
            self.wait(self.sync_standby, timeout, "no synchronous standby")
        return self

    def multi_host_url(self, database: str) -> str:
        hosts = ",".join(f"127.0.0.1:{node.pg_port}" for node in self.nodes)
        return (
            f"postgres://postgres:{SUPERUSER_PASSWORD}@{hosts}/{database}"
            "?target_session_attrs=read-write&connect_timeout=1"
        )

    def node_url(self, node: Node, database: str = "postgres") -> str:
        return f"postgresql://postgres:{SUPERUSER_PASSWORD}@127.0.0.1:{node.pg_port}/{database}"

    def log_tail(self, lines: int = 25) -> str:
        parts = []
        for path in sorted(self.folder.glob("*.log")):
            with contextlib.suppress(OSError):
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(parts)

    def cleanup(self) -> None:
        for node in self.nodes:
            with contextlib.suppress(Exception):
                self.kill_node(node)
        if self.etcd is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.etcd.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.etcd.wait(10)
        keep = os.environ.get("FAILOVER_KEEP_LOGS")  # a folder: the logs are copied there
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            for path in self.folder.glob("*.log"):
                shutil.copy(path, keep)
        shutil.rmtree(self.folder, ignore_errors=True)
        _clusters.discard(self)


@atexit.register
def _cleanup_all() -> None:
    for cluster in list(_clusters):
        with contextlib.suppress(Exception):
            cluster.cleanup()
