"""The retry policy, as a Procrastinate retry strategy: exponential backoff (the first wait,
times a factor each time, at most a longest wait) for as long as the settings' window (24 h by
default). A try that did not deliver says when to come again (`IkkeLeveret.vent`: the next
wait after a real failure; less while a receiver is busy or paused, which is no try); any
other error is retried on the same schedule by the job's attempts."""

import datetime

from django.conf import settings
from procrastinate import BaseRetryStrategy, RetryDecision


def ventetider() -> list[int]:
    """The waits before each retry, in seconds, until they add up to the window."""
    waits, total = [], 0
    wait = max(1, settings.NOTIFICATION_RETRY_FIRST_SECONDS)
    while total < settings.NOTIFICATION_RETRY_WINDOW_SECONDS:
        waits.append(wait)
        total += wait
        wait = min(
            wait * settings.NOTIFICATION_RETRY_FACTOR, settings.NOTIFICATION_RETRY_MAX_WAIT_SECONDS
        )
    return waits


def forsoeg() -> int:
    """How many tries a delivery gets: the first and one after each wait."""
    return len(ventetider()) + 1


def vent_efter(forsoeg_gjort: int) -> float:
    """The wait after the n-th failed try (n >= 1)."""
    waits = ventetider()
    return waits[min(forsoeg_gjort, len(waits)) - 1]


class IkkeLeveret(Exception):
    """This try did not deliver; the queue runs the job again in `vent` seconds."""

    def __init__(self, reason: str, vent: float):
        super().__init__(reason)
        self.vent = vent


class Backoff(BaseRetryStrategy):
    def get_retry_decision(self, *, exception, job) -> RetryDecision | None:
        if isinstance(exception, IkkeLeveret):
            return RetryDecision(retry_in={"seconds": exception.vent})
        waits = ventetider()
        if job.attempts >= len(waits):
            return None
        return RetryDecision(retry_in={"seconds": waits[job.attempts]})


def vindue() -> datetime.timedelta:
    return datetime.timedelta(seconds=sum(ventetider()))
