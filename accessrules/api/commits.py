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


CANCEL_AGAIN_SECONDS = 0.25  # a cancel that found no statement running is sent again


@contextlib.contextmanager
def deadline(seconds: float):
    """Cancel what this thread's connection runs once `seconds` have passed, and again every
    CANCEL_AGAIN_SECONDS until the block ends (a cancel request that arrives between two
    statements is ignored by PostgreSQL); 0: no limit. Forgets an earlier unreplicated
    commit."""
    forget()
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's own, not the per-thread proxy
    if seconds <= 0 or wrapper.vendor != "postgresql":
        yield
        return
    done = threading.Event()
    canceller = threading.Thread(target=_cancel_until, args=(wrapper, seconds, done), daemon=True)
    canceller.start()
    try:
        yield
    finally:
        done.set()
        canceller.join()


def _cancel_until(wrapper, seconds: float, done: threading.Event) -> None:
    if done.wait(seconds):
        return
    while not done.is_set():
        raw = wrapper.connection
        if raw is not None:
            with contextlib.suppress(Exception):  # closed meanwhile: nothing to cancel
                raw.cancel_safe(timeout=1.0)
        done.wait(CANCEL_AGAIN_SECONDS)
