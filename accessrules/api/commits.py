"""A write's transaction that a synchronous standby does not confirm: bounded, and never
answered as done.

With Patroni's synchronous mode (config/deploy/patroni/), a COMMIT waits until a synchronous
standby has flushed it; in strict mode, while the primary has no standby, it waits until one
is back. PostgreSQL's statement_timeout does not end that wait (it is off during the commit).
`deadline(seconds)` around an operation's database work bounds it: when it runs out, the statement
under way is cancelled through libpq's cancel request. A statement is then rolled back
(OperationalError: 503); a COMMIT waiting for the standby ends with the WARNING "canceling wait
for synchronous replication" and is reported successful, although the transaction is
committed on the primary only. Such a write could be lost with the primary, so its answer is
503 instead (the client retries with the same x-requestId and gets 412: it did commit).

`watch` (connected to Django's `connection_created` signal, config/apps.py) adds a notice
handler to each new PostgreSQL connection; `unreplicated()` after the transaction tells
whether its COMMIT was cut short. Per thread, as Django's connections are.
"""

import contextlib
import threading

from django.db import DEFAULT_DB_ALIAS, connections

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


@contextlib.contextmanager
def deadline(seconds: float):
    """Cancel what this thread's connection runs once `seconds` have passed (0: no limit);
    forget an earlier unreplicated commit."""
    forget()
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's own, not the per-thread proxy
    if seconds <= 0 or wrapper.vendor != "postgresql":
        yield
        return
    timer = threading.Timer(seconds, _cancel, args=(wrapper,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _cancel(wrapper) -> None:
    raw = wrapper.connection
    if raw is not None:
        with contextlib.suppress(Exception):  # a connection closed meanwhile: nothing to cancel
            raw.cancel_safe(timeout=2.0)
