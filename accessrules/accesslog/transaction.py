"""The transaction of a write and its access-log row (SPEC 7), without a savepoint.

The API runs a writing operation in `logged_write()`: the service's writes and the row commit
together. A service is decorated with `@write`: inside `logged_write` it joins that
transaction as it is (a refusal rolls the whole call back, and the API writes the refusal's
row after the rollback, so no savepoint is needed); anywhere else (the admin, a command, a
test) it is `transaction.atomic`, a savepoint when its caller holds a transaction already.
"""

import contextlib
import contextvars
import functools

from django.db import transaction

_IN_LOGGED_WRITE = contextvars.ContextVar("in_logged_write", default=False)


@contextlib.contextmanager
def logged_write():
    with transaction.atomic():
        token = _IN_LOGGED_WRITE.set(True)
        try:
            yield
        finally:
            _IN_LOGGED_WRITE.reset(token)


def write(service):
    @functools.wraps(service)
    def run(*args, **kwargs):
        if _IN_LOGGED_WRITE.get():
            return service(*args, **kwargs)
        with transaction.atomic():
            return service(*args, **kwargs)

    return run
