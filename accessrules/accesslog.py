"""The access log's batched writer: a request queues its row, one thread per process writes.

With `ACCESS_LOG_BATCH_MS` > 0 (the default on PostgreSQL) `log_access` only appends its row to
an in-process queue. A daemon thread writes what is queued every `ACCESS_LOG_BATCH_MS`, or as
soon as `max_rows` rows wait, in one round trip (`executemany`, pipelined by psycopg) on the
thread's own connection. A request so spends no round trip, and the database one statement
per batch instead of one per call (bench: README).

What can be lost: the rows still queued when a process is killed without warning (SIGKILL, out
of memory), at most one batch window of calls. A normal exit (SIGTERM, a gunicorn reload or
max-requests restart) writes them first (`atexit`). A failed write is retried once on a fresh
connection, then logged with its row count (as a synchronous write's failure is). A forked
child starts with an empty queue and its own thread: the parent writes its own rows.
"""

import atexit
import collections
import logging
import os
import threading
from collections.abc import Callable, Sequence

logger = logging.getLogger(__name__)


class BatchedWriter:
    def __init__(
        self,
        write_rows: Callable[[list[Sequence]], None],
        *,
        interval_seconds: Callable[[], float],
        on_thread_exit: Callable[[], None] = lambda: None,
        max_rows: int = 500,
        max_queued: int = 100_000,
    ):
        self._write_rows = write_rows
        self._interval_seconds = interval_seconds
        self._on_thread_exit = on_thread_exit
        self.max_rows, self.max_queued = max_rows, max_queued
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush)

    def _reset(self) -> None:
        self._rows: collections.deque = collections.deque()
        self._wake = threading.Event()
        self._flushing = threading.Lock()  # one writer at a time: the thread or a flush()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.dropped = 0

    def submit(self, row: Sequence) -> None:
        if len(self._rows) >= self.max_queued:  # the database has been unwritable for long
            self.dropped += 1
            if self.dropped % 1000 == 1:
                logger.error("Access-log queue full: %d rows dropped so far", self.dropped)
            return
        self._rows.append(row)
        if self._thread is None or not self._thread.is_alive():
            self._start()
        if len(self._rows) >= self.max_rows:
            self._wake.set()

    def queued(self) -> int:
        return len(self._rows)

    def flush(self) -> None:
        """Write every queued row now, in batches of `max_rows` (from any thread)."""
        with self._flushing:
            while self._rows:
                batch = []
                while self._rows and len(batch) < self.max_rows:
                    batch.append(self._rows.popleft())
                try:
                    self._write_rows(batch)
                except Exception:
                    logger.exception("Could not write %d access-log rows", len(batch))

    def _start(self) -> None:
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(
                    target=self._run, name="access-log-writer", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Write what is queued and end the thread, which closes its connections (a later
        submit starts a new one)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._stopping = True
            self._wake.set()
            thread.join(timeout)
        self.flush()

    def _run(self) -> None:
        try:
            while not self._stopping:
                self._wake.wait(self._interval_seconds() or 1.0)
                self._wake.clear()
                self.flush()
        finally:
            self._on_thread_exit()
