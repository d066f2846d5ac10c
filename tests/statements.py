"""The one way a test counts the statements code sends to the database.

    with statements() as sent:
        ...
    assert sent.data() == [...]          # SELECT/INSERT/UPDATE/DELETE, in order
    assert not sent.matching("SAVEPOINT")

`sent.all()` is every statement (transaction control too: BEGIN, SAVEPOINT, SET LOCAL, ...);
`sent.data()` leaves transaction control out; `sent.verbs()` gives each data statement's first
word; `sent.matching(text)` the statements containing `text`. A failed assertion shows them.
"""

import contextlib
from collections.abc import Iterator

from django.db import connection
from django.test.utils import CaptureQueriesContext

DATA_VERBS = ("SELECT", "INSERT", "UPDATE", "DELETE")


class Sent:
    def __init__(self, captured: CaptureQueriesContext) -> None:
        self._captured = captured

    def all(self) -> list[str]:
        return [query["sql"] for query in self._captured.captured_queries]

    def data(self) -> list[str]:
        return [sql for sql in self.all() if sql.lstrip().startswith(DATA_VERBS)]

    def verbs(self) -> list[str]:
        return [sql.split()[0] for sql in self.data()]

    def matching(self, text: str) -> list[str]:
        return [sql for sql in self.all() if text in sql]

    def __len__(self) -> int:
        return len(self._captured.captured_queries)

    def __repr__(self) -> str:
        return "\n".join(self.all())


@contextlib.contextmanager
def statements() -> Iterator[Sent]:
    """Capture what the block sends on the default connection (also with DEBUG off)."""
    with CaptureQueriesContext(connection) as captured:
        yield Sent(captured)
