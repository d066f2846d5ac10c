"""A real nginx (Debian's `nginx`) with the recipe's configuration, for tests and the bench.

The configuration is rendered from config/deploy/nginx/nginx.conf.template by the recipe's
own renderer (config/deploy/nginx/render.py) with only the deployment-specific values of a
test run: free loopback ports, a self-signed certificate made with `openssl`, the pid file,
logs and temporary files in the run's folder, the worker user (this process's), and the app
servers started by the test. Everything else (timeouts, limits, buffering, the problem
pages) is the recipe's as an operator gets it.

nginx runs in the foreground (`daemon off`) as a child in its own process group, started with
`nginx -c FILE -p FOLDER`; `stop()` sends SIGTERM (fast shutdown) and kills the group if it
lingers; an atexit hook does the same if the test run dies first.
"""

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from config.deploy.nginx import render
from tests.live.harness import _die_with_parent, free_port, group_pids

BINARY_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0
SERVER_NAME = "localhost"

_running: set["Nginx"] = set()


def binary() -> str:
    for path in BINARY_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("nginx")
    if found:
        return found
    raise RuntimeError("nginx is not installed (apt-get install nginx; .ci/run does)")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (ECDSA P-256), valid two days."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "ec"),
            *("-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"),
            *("-subj", f"/CN={SERVER_NAME}"),
            *("-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


class Nginx:
    def __init__(self, folder: Path, upstreams: list[str], env: dict | None = None):
        self.folder = Path(folder)
        self.upstreams = upstreams
        self.extra_env = dict(env or {})
        self.https_port = self.http_port = 0
        self.process: subprocess.Popen | None = None
        self.certificate, self.key = make_certificate(self.folder)

    @property
    def config_path(self) -> Path:
        return self.folder / "nginx.conf"

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "access.log"

    @property
    def error_log(self) -> Path:
        return self.folder / "logs" / "error.log"

    def environment(self) -> dict:
        """The renderer's input: the test's deployment values, plus the test's own `env`."""
        return {
            "NGINX_SERVER_NAME": SERVER_NAME,
            "NGINX_UPSTREAMS": ",".join(self.upstreams),
            "NGINX_TLS_CERTIFICATE": str(self.certificate),
            "NGINX_TLS_CERTIFICATE_KEY": str(self.key),
            "NGINX_LISTEN_HTTPS": f"127.0.0.1:{self.https_port}",
            "NGINX_LISTEN_HTTP": f"127.0.0.1:{self.http_port}",
            "NGINX_USER": pwd.getpwuid(os.geteuid()).pw_name,
            "NGINX_PID": str(self.folder / "nginx.pid"),
            "NGINX_LOG_DIR": str(self.folder / "logs"),
            "NGINX_TEMP_DIR": str(self.folder / "temp"),
            **self.extra_env,
        }

    def write_config(self) -> Path:
        (self.folder / "logs").mkdir(exist_ok=True)
        (self.folder / "temp").mkdir(exist_ok=True)
        self.config_path.write_text(render.render(self.environment()))
        return self.config_path

    def check(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the rendered configuration."""
        command = [binary(), "-t", "-c", str(self.config_path), "-p", str(self.folder)]
        return subprocess.run(command, capture_output=True, text=True, timeout=30)

    def start(self) -> "Nginx":
        for _attempt in range(3):  # a free port can be taken before nginx binds it
            self.https_port, self.http_port = free_port(), free_port()
            self.write_config()
            command = [binary(), "-c", str(self.config_path), "-p", str(self.folder)]
            self.process = subprocess.Popen(
                [*command, "-g", "daemon off;"],
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
        raise RuntimeError(f"nginx did not start:\n{self.log_tail()}")

    def _wait_listening(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            with contextlib.suppress(OSError):
                for port in (self.https_port, self.http_port):
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
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

    def log_tail(self, lines: int = 30) -> str:
        text = ""
        for path in (self.folder / "stderr.log", self.error_log):
            with contextlib.suppress(OSError):
                text += path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:]) or "(no log)"


@atexit.register
def _stop_all() -> None:
    for nginx in list(_running):
        with contextlib.suppress(Exception):
            nginx.stop()
