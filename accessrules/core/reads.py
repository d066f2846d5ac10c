"""Where this request's reads go (issue 24, item 4): the primary, or a standby.

The API decides it once per call (`accessrules.api.replica.reading`) and says so here, in a
context variable (per thread and per task, as Django's connections are); the database router
(`accessrules.api.replica.ReplicaRouter`) reads it for every query. Code that must read the
primary whatever the call (the access decision: residence, affiliation, guest access) runs
inside `primary()`. Writes always go to the primary: the router never sends them elsewhere.
No framework here: the alias is a name.
"""

import contextlib
import contextvars
from collections.abc import Iterator

_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar("reads_from", default=None)


def alias() -> str | None:
    """The database alias reads go to now; None: the primary (Django's default)."""
    return _alias.get()


def elsewhere() -> bool:
    """Whether reads go to a standby now (a selector may then split what it reads on the
    primary, the access decision, from the data it reads on the standby)."""
    return _alias.get() is not None


@contextlib.contextmanager
def reading_from(name: str | None) -> Iterator[None]:
    token = _alias.set(name)
    try:
        yield
    finally:
        _alias.reset(token)


def primary() -> contextlib.AbstractContextManager[None]:
    """Reads inside go to the primary, whatever the call decided."""
    return reading_from(None)
