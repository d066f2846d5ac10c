"""The shared cache (Redis, CACHE_URL) as an accelerator the API can do without (issue 24: no
single point of failure). The bearer token's look-up and the standby reads' last-write
positions go through here: a cache that refuses, drops or does not answer within
CACHE_SOCKET_TIMEOUT_MS is a miss (the token is read from the database; the read goes to the
primary) and a write to it is skipped, so the API keeps answering through a Redis outage.

A failure is remembered per process for CACHE_UNAVAILABLE_MEMO_MS: meanwhile every call skips
the cache at once instead of waiting out the timeout again; then the next call tries it. The
local-memory cache never fails this way. What the cache's absence costs: a database read per
call, and a token revoked while Redis could not be told stays accepted until its entry expires
(TOKEN_CACHE_SECONDS) once Redis is back.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

ERRORS = (RedisConnectionError, RedisTimeoutError)

_lock = threading.Lock()
_down_until = 0.0  # monotonic


def down() -> bool:
    """Whether the cache failed less than CACHE_UNAVAILABLE_MEMO_MS ago (in this process)."""
    with _lock:
        return time.monotonic() < _down_until


def _failed(error: Exception) -> None:
    global _down_until  # noqa: PLW0603 - the process's one memo
    logger.warning("Shared cache unavailable, skipped: %s", type(error).__name__)
    with _lock:
        _down_until = time.monotonic() + settings.CACHE_UNAVAILABLE_MEMO_MS / 1000


def forget() -> None:
    """Forget a failure (tests)."""
    global _down_until  # noqa: PLW0603
    with _lock:
        _down_until = 0.0


def get(key: str):
    """The value, or None: absent, or the cache unavailable."""
    if down():
        return None
    try:
        return cache.get(key)
    except ERRORS as error:
        _failed(error)
        return None


def set(key: str, value, timeout: float) -> None:  # noqa: A001 - the cache's own verb
    if down():
        return
    try:
        cache.set(key, value, timeout)
    except ERRORS as error:
        _failed(error)


def delete(key: str) -> None:
    if down():
        return
    try:
        cache.delete(key)
    except ERRORS as error:
        _failed(error)
