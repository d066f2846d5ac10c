"""Real gunicorn servers for tests: what only shows with real processes and real HTTP.

Some guarantees cannot be tested in-process: a worker killed with SIGKILL, two app servers
sharing a database, a browser or a generated client talking to the service. This harness starts
`gunicorn config.wsgi` (this virtualenv's) on free loopback ports, against the pytest-django
test database, with the production settings (`config.settings`, DEBUG off) plus whatever a
test passes, and always cleans up:

- each server is its own gunicorn master in its own session and process group, with its
  stdout and stderr in a log file (never the test run's output);
- `stop()` sends SIGTERM to the master (a normal shutdown), `kill()` SIGKILL to the whole group;
- the `live_servers` fixture kills every group it started in a `finally`; an `atexit` hook does
  the same for anything still running, and a master started from the main thread gets SIGTERM
  if the test process dies (PR_SET_PDEATHSIG);
- when a test fails, the last lines of each server's log are added to its report.

The servers read committed data only, so tests use `@pytest.mark.django_db(transaction=True)`
and `@pytest.mark.postgres`. To use the fixture outside tests/live, import it and the report hook
into that package's conftest.py:

    from tests.live.harness import live_servers, pytest_runtest_makereport  # noqa: F401

and in a test module (`fetch` is a small loopback-only HTTP helper):

    from tests.live.harness import fetch

    def test_something(live_servers):
        [server] = live_servers(workers=2, env={"TOKEN_CACHE_SECONDS": "0"})
        assert fetch("GET", server.url("/healthz")).status == 200
"""

import atexit
import contextlib
import ctypes
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
HEALTH_TIMEOUT = 30.0  # seconds for a new server to answer /healthz 200
STOP_TIMEOUT = 20.0  # seconds for a stopped or killed group to be gone
# Only these pass from the test run's environment: no app setting leaks into a server.
INHERITED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")

_running: set["LiveServer"] = set()  # for the atexit safety net


def _no_control_socket() -> tuple[str, ...]:
    """Recent gunicorn opens a control socket at one fixed path per user (~/.gunicorn): servers
    running side by side would take it from each other, so it is left off where it exists."""
    from gunicorn.config import KNOWN_SETTINGS

    known = any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)
    return ("--no-control-socket",) if known else ()


_NO_CONTROL_SOCKET = _no_control_socket()


# --- HTTP ---------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def fetch(method: str, url: str, *, headers=None, body=None, timeout: float = 10.0) -> Answer:
    """One request to a loopback server (no proxy, no redirects); any status is returned.
    A dict or list `body` is sent as JSON."""
    parts = urlsplit(url)
    if parts.hostname not in LOOPBACK:
        raise ValueError(f"live tests talk to loopback only, not {parts.hostname!r}")
    headers = dict(headers or {})
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


# --- Environment --------------------------------------------------------------------------


def database_url() -> str:
    """The pytest-django test database (this run's `default` connection) as a DATABASE_URL."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("live servers need PostgreSQL: set DATABASE_URL for the test run")
    auth = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        auth += ":" + quote(settings["PASSWORD"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{auth}@{settings['HOST']}{port}/{quote(settings['NAME'], safe='')}"


def server_env(extra: dict | None = None, *, database_url_override: str | None = None) -> dict:
    """The environment of a server: production settings on the test database, plus `extra`."""
    env = {name: os.environ[name] for name in INHERITED_ENV if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url_override or database_url(),
        DEBUG="0",
        # the test process's key (tests/settings.py): the record tokens in admin URLs that a
        # test builds (accessrules.admin.opake) are the servers' (servers share one key)
        SECRET_KEY=os.environ.get("SECRET_KEY", "live-test-secret-key-for-test-servers-only"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        PYTHONUNBUFFERED="1",
    )
    env.update({name: str(value) for name, value in (extra or {}).items()})
    return env


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Processes ----------------------------------------------------------------------------


def processes() -> Iterator[tuple[int, int, int, str]]:
    """(pid, ppid, process group, state) of every process, from /proc/<pid>/stat."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]  # after "(comm)"
        yield int(entry.name), int(ppid), int(pgrp), state


def group_pids(pgid: int) -> list[int]:
    """The living (not zombie) processes of a process group."""
    return [pid for pid, _, pgrp, state in processes() if pgrp == pgid and state not in "ZX"]


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the thread that started it dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class ServerError(AssertionError):
    pass


class LiveServer:
    """One gunicorn master and its workers, in a process group of their own."""

    def __init__(
        self, *, name, env, log_dir, workers=2, worker_class="sync", threads=1, args=(), port=0
    ):
        self.name, self.env, self.workers = name, env, workers
        self.worker_class, self.threads, self.args = worker_class, threads, tuple(args)
        self.log_path = Path(log_dir) / f"{name}.log"
        self.fixed_port = port  # 0: a free one at each start
        self.port = 0
        self.process: subprocess.Popen | None = None

    def __repr__(self) -> str:
        return f"<LiveServer {self.name} {self.base_url} pid={self.pid}>"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def pid(self) -> int | None:
        """The master's pid, which is also the process group's id."""
        return self.process.pid if self.process else None

    def worker_pids(self) -> list[int]:
        return [pid for pid, ppid, _, state in processes() if ppid == self.pid and state != "Z"]

    @property
    def alive(self) -> bool:
        return self.process is not None and bool(group_pids(self.pid))

    def start(self, timeout: float = HEALTH_TIMEOUT) -> "LiveServer":
        for _attempt in range(3):  # a free port can be taken before gunicorn binds it
            self.port = self.fixed_port or free_port()
            self._spawn()
            if self._wait_healthy(timeout):
                return self
            if self.fixed_port or "Address already in use" not in self.log_tail():
                break
        raise ServerError(f"{self.name} did not answer /healthz 200:\n{self.log_tail()}")

    def _spawn(self) -> None:
        command = [
            *(sys.executable, "-m", "gunicorn", "config.wsgi", "--chdir", str(ROOT)),
            *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
            # None: gunicorn.conf.py's worker model
            *(("--worker-class", self.worker_class) if self.worker_class else ()),
            *(("--threads", str(self.threads)) if self.threads else ()),
            *("--graceful-timeout", "10", *_NO_CONTROL_SOCKET, *self.args),
        ]
        in_main_thread = threading.current_thread() is threading.main_thread()
        with open(self.log_path, "ab") as log:
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent if in_main_thread else None,
            )
        _running.add(self)

    def _wait_healthy(self, timeout: float) -> bool:
        """True once /healthz answers 200; False if the master exits or time runs out (the
        group is then killed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError, http.client.HTTPException):
                if fetch("GET", self.url("/healthz"), timeout=2).status == 200:
                    return True
            time.sleep(0.1)
        self.kill()
        return False

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM to the master (gunicorn's normal shutdown); the group killed if it is not
        gone within `timeout`. Returns the master's exit status."""
        if self.process is None:
            return 0
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ServerError(f"{self.name} ignored SIGTERM for {timeout} s") from None
        self._wait_group_gone(timeout)
        return self.process.returncode

    def kill(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGKILL to every process of the group, then wait until none is alive."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        self._wait_group_gone(timeout)

    def _wait_group_gone(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while group_pids(self.process.pid):
            if time.monotonic() > deadline:
                raise ServerError(f"{self.name}: {group_pids(self.process.pid)} still alive")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            time.sleep(0.05)
        _running.discard(self)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


@atexit.register
def _kill_all() -> None:
    for server in list(_running):
        with contextlib.suppress(Exception):
            server.kill(timeout=5)


# --- pytest -------------------------------------------------------------------------------


@contextlib.contextmanager
def live_server_group(log_dir: Path, started: list | None = None):
    """Yield `start(n=1, workers=2, env=None, ...)`; every server started is killed on exit."""
    started = [] if started is None else started

    def start(
        n: int = 1,
        *,
        workers: int = 2,
        env: dict | None = None,
        database_url: str | None = None,
        worker_class: str = "sync",
        threads: int = 1,
        args: tuple = (),
        timeout: float = HEALTH_TIMEOUT,
        port: int = 0,
    ) -> list[LiveServer]:
        """Start `n` servers with the same options (call again for servers that differ);
        `port` (with n=1): this port, known before (e.g. for a URL in the server's env)."""
        servers = []
        for _ in range(n):
            server = LiveServer(
                name=f"server{len(started) + 1}",
                env=server_env(env, database_url_override=database_url),
                log_dir=log_dir,
                workers=workers,
                worker_class=worker_class,
                threads=threads,
                args=args,
                port=port,
            )
            started.append(server)
            servers.append(server.start(timeout))
        return servers

    try:
        yield start
    finally:
        errors = []
        for server in started:
            try:
                server.kill()
            except Exception as error:  # kill the others first
                errors.append(error)
        if errors:
            raise errors[0]


_STARTED = pytest.StashKey[list]()


@pytest.fixture
def live_servers(request, transactional_db, tmp_path):
    """A factory `start(n=1, workers=2, env=None, ...) -> list[LiveServer]`; every server is
    killed when the test ends, before pytest-django empties the database (hence
    `transactional_db`: the servers see only committed data)."""
    started = request.node.stash.setdefault(_STARTED, [])
    with live_server_group(tmp_path, started) as start:
        yield start


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report gets the last lines of each of its servers' logs."""
    report = yield
    if report.failed:
        for server in item.stash.get(_STARTED, []):
            report.sections.append((f"{server.name} log (last lines)", server.log_tail()))
    return report
