"""Kept-alive HTTPS connections per callback origin, so that a delivery to a receiver that was
just delivered to needs no new TCP connection and no TLS handshake (the largest cost of a
delivery after the database).

A connection enters the pool only after a complete exchange whose answer allows keep-alive;
it is keyed by the host, the port and the transport's policy (its allowed networks and CA
bundle), so a connection made under one policy is never used under another. The address it
is connected to was checked when it was opened (`transport._connect`) and a TCP connection's
peer never changes, so the check holds for every request sent on it. A connection idle longer
than `IDLE_SECONDS`, or that the receiver closed or wrote to while idle, is dropped when taken.
"""

import select
import threading
import time
from collections import deque

IDLE_SECONDS = 15.0  # below the usual server keep-alive timeouts (nginx 75 s, Apache 5-15 s)
PER_ORIGIN = 8  # idle connections kept per origin
ORIGINS = 256  # origins with idle connections kept


class Pool:
    def __init__(self):
        self.lock = threading.Lock()
        self.idle: dict[object, deque] = {}  # origin -> (connection, since), oldest first

    def take(self, origin):
        """An idle connection to `origin` that still looks usable, or None."""
        while True:
            with self.lock:
                kept = self.idle.get(origin)
                if not kept:
                    return None
                connection, since = kept.pop()  # the most recently used
                if not kept:
                    del self.idle[origin]
            if time.monotonic() - since < IDLE_SECONDS and _quiet(connection):
                return connection
            connection.close()

    def put(self, origin, connection) -> None:
        dropped = []
        with self.lock:
            kept = self.idle.setdefault(origin, deque())
            kept.append((connection, time.monotonic()))
            while len(kept) > PER_ORIGIN:
                dropped.append(kept.popleft()[0])
            while len(self.idle) > ORIGINS:
                oldest = next(iter(self.idle))
                dropped += [c for c, _ in self.idle.pop(oldest)]
        for connection in dropped:
            connection.close()

    def clear(self) -> None:
        with self.lock:
            kept, self.idle = self.idle, {}
        for connections in kept.values():
            for connection, _ in connections:
                connection.close()


def _quiet(connection) -> bool:
    """True while the idle socket has nothing to read: a receiver that closed the connection
    (or sent something unasked) makes it readable."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


POOL = Pool()
