"""Django's PostgreSQL backend, with a new connection's wait bounded (issue 24).

psycopg tries the hosts of a multi-host URL one after the other and gives each at least 2 s
(libpq's `connect_timeout` is whole seconds, 2 at the least), so a URL of three hosts that do
not answer could hold a call for 6 s. Here the hosts are tried one at a time by the app:

- each gets DATABASE_CONNECT_TIMEOUT seconds (a decimal: 0.5 is half a second), and all of
  them together no more than the call has left (accessrules.api.commits.remaining); an
  attempt that runs out is left to end in the background (within libpq's own
  `connect_timeout`), and its connection, if it comes, is closed;
- a host that failed lately (DOWN_HOST_SECONDS: refused, timed out, or not the primary) is
  tried after the others, so a dead first host costs no time while the cluster serves;
- when no host would do, that is remembered (accessrules.api.outage, NO_PRIMARY): for
  DATABASE_UNAVAILABLE_MEMO_MS, a new connection of this alias fails at once.

Each failure is an OperationalError (Django's), answered 503 with Retry-After.
"""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base

from accessrules.api import commits, outage

DOWN_HOST_SECONDS = 30.0  # a host that failed is tried last for this long
CONNECTING_THREADS = 32  # per process (started as needed): more than a worker has threads, so
# attempts left behind (each ends within libpq's connect_timeout) never hold up a new one

_lock = threading.Lock()
_down: dict[tuple[str, str, str], float] = {}  # (host, port, session attrs) -> failed at
_pool: tuple[int, ThreadPoolExecutor] | None = None  # per process (gunicorn forks)


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(CONNECTING_THREADS, "db-connect"))
        return _pool[1]


def _close_when_done(future) -> None:
    if not future.cancelled() and future.exception() is None:
        future.result().close()  # nobody waits for it any more


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        if self.pool:  # psycopg's pool connects by itself
            return super().get_new_connection(conn_params)
        if outage.remembered(outage.NO_PRIMARY, self.alias):
            raise psycopg.OperationalError("no usable database host a moment ago")
        if not conn_params.get("host"):  # libpq's default: the local socket
            return super().get_new_connection(conn_params)
        attrs = str(self.settings_dict["OPTIONS"].get("target_session_attrs", ""))
        hosts = _hosts(conn_params, attrs)
        per_host = settings.DATABASE_CONNECT_TIMEOUT
        errors, complete = [], True
        for host, port in hosts:
            left = commits.remaining()
            timeout = per_host if left is None else min(per_host, left)
            if timeout < per_host:
                complete = False  # cut short by the call's deadline: not the hosts' fault
            if timeout <= 0:
                break
            params = {**conn_params, "host": host, "port": port}
            try:
                connection = _attempt(super().get_new_connection, params, timeout)
            except psycopg.Error as error:
                errors.append(f"{host}:{port}: {error}")
                _mark((host, port, attrs), failed=True)
                continue
            _mark((host, port, attrs), failed=False)
            return connection
        if complete and errors:
            outage.remember(outage.NO_PRIMARY, self.alias)
        found = "; ".join(errors) or "no time left in the call to try one"
        raise psycopg.OperationalError(f"no usable database host: {found}")


def _attempt(connect, params: dict, timeout: float):
    """`connect(params)` (Django's, to one host), given `timeout` seconds: in a thread when
    that is below what libpq itself would wait (its connect_timeout, 2 s at the least)."""
    if timeout >= _libpq_timeout(params):
        return connect(params)
    future = _executor().submit(connect, params)
    try:
        return future.result(timeout)
    except FutureTimeout:
        future.cancel()
        future.add_done_callback(_close_when_done)
        raise psycopg.errors.ConnectionTimeout(f"no answer within {timeout:.2f} s") from None


def _libpq_timeout(params: dict) -> float:
    """What psycopg waits for one host: connect_timeout's whole seconds, 2 at the least;
    without one (or 0), its own default of minutes: as good as none here."""
    seconds = int(float(params.get("connect_timeout") or 0))
    return max(2, seconds) if seconds > 0 else float("inf")


def _hosts(conn_params: dict, attrs: str) -> list[tuple[str, str]]:
    """The hosts in the URL's order, those that failed lately last."""
    hosts = str(conn_params["host"]).split(",")
    ports = str(conn_params.get("port") or "5432").split(",")
    if len(ports) == 1:
        ports *= len(hosts)
    pairs = list(zip(hosts, ports, strict=False))
    now = time.monotonic()
    with _lock:
        down = {key for key, at in _down.items() if now - at < DOWN_HOST_SECONDS}
    return sorted(pairs, key=lambda pair: (*pair, attrs) in down)


def _mark(key: tuple[str, str, str], *, failed: bool) -> None:
    with _lock:
        if failed:
            _down[key] = time.monotonic()
        else:
            _down.pop(key, None)
