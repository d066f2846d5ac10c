"""A commit that PostgreSQL reports done although no synchronous standby confirmed it.

With Patroni's synchronous mode (config/deploy/patroni/), a COMMIT waits until a synchronous
standby has flushed it. If that wait is cancelled (the statement timeout,
DATABASE_STATEMENT_TIMEOUT_MS, while no standby is there), PostgreSQL ends it with the WARNING
"canceling wait for synchronous replication" and reports the COMMIT successful: the
transaction is committed on the primary only. A write answered then could be lost with the
primary, so the write's answer is 503 instead (the client retries with the same x-requestId
and gets 412 once the first did commit).

`watch` (connected to Django's `connection_created` signal, config/apps.py) adds a notice
handler to each new PostgreSQL connection; `forget` before a write's transaction and
`unreplicated` after it tell whether its COMMIT was cut short. Per thread, as Django's
connections are.
"""

import threading

SYNC_REP_CANCELLED = "canceling wait for synchronous replication"

_state = threading.local()


def watch(sender, connection, **kwargs) -> None:
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
