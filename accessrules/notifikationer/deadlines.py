"""One thread that enforces every delivery's deadline (`transport`): a try registers what to
abort and when, and the watchdog calls it when that time comes, unless the try finished
first. One thread for all tries, not a timer thread each (starting a thread per delivery
cost more CPU than the HTTPS exchange on a kept connection)."""

import heapq
import itertools
import threading
import time
from collections.abc import Callable


class Watch:
    """A registered deadline; `stop()` before it passes, and it never fires."""

    __slots__ = ("abort", "done", "lock")

    def __init__(self, abort: Callable[[], None]):
        self.abort, self.done, self.lock = abort, False, threading.Lock()

    def fire(self) -> None:
        with self.lock:
            if self.done:
                return
            self.done = True
            self.abort()

    def stop(self) -> bool:
        """True when the deadline had not fired (what it guards is intact)."""
        with self.lock:
            fired, self.done = self.done, True
            return not fired


class Watchdog:
    def __init__(self):
        self.wakeup = threading.Condition()
        self.heap: list[tuple[float, int, Watch]] = []  # (deadline, order, watch)
        self.order = itertools.count()
        self.thread: threading.Thread | None = None

    def watch(self, deadline: float, abort: Callable[[], None]) -> Watch:
        """Call `abort` at `deadline` (time.monotonic()) unless stopped first."""
        watch = Watch(abort)
        with self.wakeup:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="frister", daemon=True)
                self.thread.start()
            heapq.heappush(self.heap, (deadline, next(self.order), watch))
            if self.heap[0][2] is watch:  # sooner than what the thread waits for
                self.wakeup.notify()
        return watch

    def _run(self) -> None:
        while True:
            due = []
            with self.wakeup:
                now = time.monotonic()
                while self.heap and (self.heap[0][0] <= now or self.heap[0][2].done):
                    due.append(heapq.heappop(self.heap)[2])
                if not due:
                    self.wakeup.wait(self.heap[0][0] - now if self.heap else None)
            for watch in due:
                watch.fire()


WATCHDOG = Watchdog()
