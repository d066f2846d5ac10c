"""A call's database work: bounded from the call's arrival, and a write's transaction that a
synchronous standby does not confirm never answered as done.

`call(seconds)` (config.middleware.CallDeadlineMiddleware, around every request) fixes the
moment at which the call's database work must be over: `seconds` after its arrival
(DATABASE_OPERATION_TIMEOUT_MS; 0: none). What is left of it is what a new connection may wait
for (`remaining()`, config.postgresql.base) and what a `deadline` block may run.

With Patroni's synchronous mode (config/deploy/patroni/), a COMMIT waits until a synchronous
standby has flushed it; in strict mode, while the primary has no standby, it waits until one
is back. PostgreSQL's statement_timeout does not end that wait (it is off during the commit).
`deadline(seconds)` around an operation's database work bounds it, to the earlier of `seconds`
from now and the call's own deadline: when it runs out, the statement under way is cancelled
through libpq's cancel request. A statement is then rolled back (OperationalError: 503); a
COMMIT waiting for the standby ends with the WARNING "canceling wait for synchronous
replication" and is reported successful, although the transaction is committed on the primary
only. Such a write could be lost with the primary, so its answer is 503 instead (the client
retries with the same x-requestId and gets 412: it did commit). A server that answers neither
the statement nor the cancel (a host that hangs, or whose network black-holes) does not hold
the call: SHUTDOWN_AFTER_SECONDS past the deadline, a statement still under way loses the
connection's socket, and fails at once (OperationalError: 503).

`watch` (connected to Django's `connection_created` signal, config/apps.py) adds a notice
handler to each new PostgreSQL connection; `unreplicated()` after the transaction tells
whether its COMMIT was cut short. Per thread, as Django's connections are.
"""

import contextlib
import os
import socket
import threading
import time

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from psycopg.pq import TransactionStatus

from accessrules.api import outage

SYNC_REP_CANCELLED = "canceling wait for synchronous replication"

_state = threading.local()


def watch(sender, connection, **kwargs) -> None:  # noqa: ARG001 - the signal's arguments
    if connection.vendor != "postgresql":
        return

    def on_notice(diagnostic) -> None:
        if (diagnostic.message_primary or "").startswith(SYNC_REP_CANCELLED):
            _state.unreplicated = True

    connection.connection.add_notice_handler(on_notice)


def forget() -> None:
    _state.unreplicated = False


def unreplicated() -> bool:
    return getattr(_state, "unreplicated", False)


# the access log's levels whose rows wait for a synchronous standby, as a write's commit does
STANDBY_LEVELS = ("remote_write", "on", "remote_apply")


def raise_if_unreplicated(message: str) -> None:
    """OperationalError (503) if this thread's last commit was cut short, and remember that a
    moment (accessrules.api.outage): the commits after it would wait as long."""
    if unreplicated():
        outage.remember(outage.UNREPLICATED)
        raise OperationalError(message)


def refuse_while_unreplicated() -> None:
    """OperationalError (503) at once while a commit cut short is remembered."""
    if outage.remembered(outage.UNREPLICATED):
        raise OperationalError("a commit was not confirmed by a synchronous standby just now")


@contextlib.contextmanager
def call(seconds: float):
    """This thread's call: its database work ends `seconds` from now (0: no limit)."""
    previous = getattr(_state, "call_ends", None)
    _state.call_ends = time.monotonic() + seconds if seconds > 0 else None
    try:
        yield
    finally:
        _state.call_ends = previous


def remaining() -> float | None:
    """Seconds left of this thread's call (at least 0), or None: no call, or no limit."""
    ends = getattr(_state, "call_ends", None)
    return None if ends is None else max(0.0, ends - time.monotonic())


CANCEL_AGAIN_SECONDS = 0.25  # a cancel that found no statement running is sent again
CANCEL_TIMEOUT_SECONDS = 0.25  # a cancel request gets no longer to be delivered
SHUTDOWN_AFTER_SECONDS = 0.5  # past the deadline, a statement still waiting loses its socket


@contextlib.contextmanager
def deadline(seconds: float = 0):
    """Cancel what this thread's connection runs once `seconds` have passed or the call's
    deadline has (the earlier; neither: no limit), and again every CANCEL_AGAIN_SECONDS until
    the block ends (a cancel request that arrives between two statements is ignored by
    PostgreSQL); SHUTDOWN_AFTER_SECONDS past it, shut the connection's socket down under a
    statement still waiting for its answer. Forgets an earlier unreplicated commit. Inside a
    block that ends no later (the call's whole work, config.middleware), it adds nothing."""
    forget()
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's own, not the per-thread proxy
    limits = [left for left in (seconds if seconds > 0 else None, remaining()) if left is not None]
    if not limits or wrapper.vendor != "postgresql":
        yield
        return
    ends = time.monotonic() + min(limits)
    watched = getattr(_state, "watched_until", None)
    if watched is not None and watched <= ends:  # an outer block cancels sooner already
        yield
        return
    done = threading.Event()
    canceller = threading.Thread(
        target=_cancel_until, args=(wrapper, min(limits), done), daemon=True
    )
    _state.watched_until = ends
    canceller.start()
    try:
        yield
    finally:
        done.set()
        canceller.join()
        _state.watched_until = watched


def _cancel_until(wrapper, seconds: float, done: threading.Event) -> None:
    if done.wait(seconds):
        return
    shutdown_at = time.monotonic() + SHUTDOWN_AFTER_SECONDS
    while not done.is_set():
        raw = wrapper.connection
        if raw is None:  # closed meanwhile, or connecting (bounded: config.postgresql.base)
            done.wait(CANCEL_AGAIN_SECONDS)
            continue
        if time.monotonic() >= shutdown_at and _waiting(raw):
            _shut_down(raw)
            return
        with contextlib.suppress(Exception):  # closed meanwhile: nothing to cancel
            raw.cancel_safe(timeout=CANCEL_TIMEOUT_SECONDS)
        done.wait(CANCEL_AGAIN_SECONDS)


def _waiting(raw) -> bool:
    """Whether a statement is under way on the connection (sent, not yet answered)."""
    with contextlib.suppress(Exception):  # closed meanwhile
        return raw.info.transaction_status == TransactionStatus.ACTIVE
    return False


def _shut_down(raw) -> None:
    """End the connection's TCP session (the server answers nothing, not even a cancel): the
    statement waiting on it fails at once, and Django discards the connection. The socket is
    shut down through a duplicate of its descriptor, which alone is closed here: psycopg's own
    stays valid until Django closes the connection."""
    with (
        contextlib.suppress(Exception),  # closed meanwhile
        socket.socket(fileno=os.dup(raw.fileno())) as duplicate,
    ):
        duplicate.shutdown(socket.SHUT_RDWR)
