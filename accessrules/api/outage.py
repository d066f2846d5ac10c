"""A database outage remembered for a moment, per process (issue 24: 503 within 2 s).

While no primary is reachable, every call would otherwise try every host again, and while the
primary has no synchronous standby (strict mode), every call's commit would wait its whole
deadline: each holds a server thread for that long, the threads run out, and the answers
queue. Instead, once seen, an outage is remembered for DATABASE_UNAVAILABLE_MEMO_MS (0: off):

- `NO_PRIMARY`: a new connection found no usable host (config.postgresql.base, per database
  alias); until it expires a new connection fails at once, without trying the hosts;
- `UNREPLICATED`: a commit's wait for a synchronous standby was cut short by its deadline
  (accessrules.api.commits); until it expires a call that would commit and wait again is 503
  at once (accessrules.api.views, config.middleware).

When it expires the next call tries again, so recovery needs no restart; each process finds
out by itself (there is nothing to share: the next try is the probe).
"""

import threading
import time

from django.conf import settings

NO_PRIMARY = "no primary"
UNREPLICATED = "unreplicated"

_lock = threading.Lock()
_until: dict[tuple[str, str], float] = {}  # (kind, database alias) -> monotonic expiry


def remember(kind: str, alias: str = "default") -> None:
    seconds = settings.DATABASE_UNAVAILABLE_MEMO_MS / 1000
    if seconds <= 0:
        return
    with _lock:
        _until[(kind, alias)] = time.monotonic() + seconds


def remembered(kind: str, alias: str = "default") -> bool:
    """Whether an outage of this kind was seen less than the memo's time ago."""
    with _lock:
        until = _until.get((kind, alias))
        if until is None:
            return False
        if until > time.monotonic():
            return True
        del _until[(kind, alias)]
        return False


def forget() -> None:
    """Forget every outage (tests)."""
    with _lock:
        _until.clear()
