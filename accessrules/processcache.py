"""Values reused in this process within a bound of seconds: the token cache and the
organisation cache share it. At most `max_entries` are kept; when full, all are dropped."""

import threading
import time
from collections.abc import Hashable, Mapping


class ProcessCache:
    def __init__(self, max_entries: int = 10_000):
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, ttl: float, now: float | None = None):
        """The value stored under `key` less than `ttl` seconds ago, else None."""
        entry = self._entries.get(key)
        now = time.monotonic() if now is None else now
        if entry is not None and now - entry[0] < ttl:
            return entry[1]
        return None

    def put_many(self, items: Mapping[Hashable, object], now: float | None = None) -> None:
        """Store `items` as of `now` (default: this moment)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._entries) + len(items) > self.max_entries:
                self._entries.clear()
            self._entries.update((key, (now, value)) for key, value in items.items())

    def values(self) -> list:
        return [value for _at, value in list(self._entries.values())]

    def pop(self, key: Hashable) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
