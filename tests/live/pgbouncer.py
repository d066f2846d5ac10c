"""A real PgBouncer (Debian's `pgbouncer`) in transaction-pooling mode in front of the test
run's PostgreSQL, for tests that run several app servers on one database.

It runs in the foreground as a child of the test process, in its own process group, with its
own ini file, port, log and pid file in a temporary folder; as root it drops to the `postgres`
user (`-u postgres`: it refuses to run as root). `stop()` terminates it and waits, and kills
the group if it lingers; an atexit hook does the same if a test run dies first.

Only the app servers connect through it: pytest-django creates and flushes its test database
directly on PostgreSQL.
"""

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.live.harness import _die_with_parent, free_port, group_pids

BINARY_CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0

# What the settings need behind it (docs/operations.md, "Several app servers"): Debian's 1.18
# keeps no prepared statements and no session state between transactions.
APP_SETTINGS = {
    "DATABASE_SERVER_SIDE_BINDING": "0",
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1",
}

_running: set["PgBouncer"] = set()


def binary() -> str:
    for path in BINARY_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("pgbouncer")
    if found:
        return found
    raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer; .ci/run does)")


class PgBouncer:
    def __init__(self, database_url: str, *, pool_size: int = 30):
        self.upstream = urlsplit(database_url)
        self.pool_size = pool_size
        self.folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def log_path(self) -> Path:
        return self.folder / "pgbouncer.log"

    def url(self) -> str:
        """The upstream DATABASE_URL with PgBouncer's address instead of PostgreSQL's."""
        user = self.upstream.username or "postgres"
        netloc = f"{user}@127.0.0.1:{self.port}"
        return urlunsplit(self.upstream._replace(netloc=netloc))

    def _write_config(self) -> Path:
        user = self.upstream.username or "postgres"
        (self.folder / "users.txt").write_text(f'"{user}" ""\n')
        ini = self.folder / "pgbouncer.ini"
        ini.write_text(
            "\n".join(
                [
                    "[databases]",
                    f"* = host={self.upstream.hostname or '127.0.0.1'} "
                    f"port={self.upstream.port or 5432}",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    f"listen_port = {self.port}",
                    "unix_socket_dir =",
                    f"auth_file = {self.folder / 'users.txt'}",
                    "auth_type = trust",
                    "pool_mode = transaction",
                    f"default_pool_size = {self.pool_size}",
                    "max_client_conn = 200",
                    "ignore_startup_parameters = extra_float_digits",
                    f"logfile = {self.log_path}",
                    f"pidfile = {self.folder / 'pgbouncer.pid'}",
                    "",
                ]
            )
        )
        if os.geteuid() == 0:  # pgbouncer drops to postgres and must read and write here
            account = pwd.getpwnam("postgres")
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
        return ini

    def start(self) -> "PgBouncer":
        for _attempt in range(3):  # a free port can be taken before pgbouncer binds it
            self.port = free_port()
            ini = self._write_config()
            command = [binary(), *(("-u", "postgres") if os.geteuid() == 0 else ()), str(ini)]
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=open(self.folder / "stderr.log", "ab"),  # noqa: SIM115
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            _running.add(self)
            if self._wait_listening():
                return self
            self.stop()
        raise RuntimeError(f"pgbouncer did not start:\n{self.log_tail()}")

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)
        deadline = time.monotonic() + STOP_TIMEOUT
        while group_pids(self.process.pid) and time.monotonic() < deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            time.sleep(0.05)
        _running.discard(self)

    @property
    def alive(self) -> bool:
        return self.process is not None and bool(group_pids(self.process.pid))

    def logins(self, database: str) -> int:
        """How many client logins to `database` PgBouncer has logged."""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace").count(f"login attempt: db={database} ")
        return 0

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for name in ("stderr.log", "pgbouncer.log"):
            with contextlib.suppress(OSError):
                text += (self.folder / name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:]) or "(no log)"

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@atexit.register
def _stop_all() -> None:
    for bouncer in list(_running):
        with contextlib.suppress(Exception):
            bouncer.stop()
