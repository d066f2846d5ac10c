"""The notification worker (`manage.py lever_notifikationer`) as a real process for live
tests: its own process group and log file, SIGKILL or SIGTERM, always cleaned up."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.live.harness import ROOT, server_env

# Short retries, a short timeout and a fast heartbeat, so that a test sees in seconds what
# production spreads over 24 hours.
FAST = {
    "NOTIFICATION_TIMEOUT_SECONDS": "2",
    "NOTIFICATION_RETRY_FIRST_SECONDS": "1",
    "NOTIFICATION_RETRY_FACTOR": "2",
    "NOTIFICATION_RETRY_MAX_WAIT_SECONDS": "2",
    "NOTIFICATION_RETRY_WINDOW_SECONDS": "120",
    "NOTIFICATION_PAUSE_SECONDS": "1",
    "NOTIFICATION_WORKER_STALLED_SECONDS": "2",
    "NOTIFICATION_ALLOWED_NETWORKS": "127.0.0.1/32",
}


class Worker:
    def __init__(self, env: dict, log_dir: Path, name: str = "worker"):
        self.env, self.log_path = server_env(env), Path(log_dir) / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "lever_notifikationer"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextlib.contextmanager
def workers(log_dir: Path):
    """Yield `start(env) -> Worker`; every worker started is killed on exit."""
    started: list[Worker] = []

    def start(env: dict) -> Worker:
        worker = Worker(env, log_dir, f"worker{len(started) + 1}")
        started.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        for worker in started:
            worker.kill()


def wait_for(predicate, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"not within {timeout} s: {what}")
