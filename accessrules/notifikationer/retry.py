"""The retry policy, as a Procrastinate retry strategy: exponential backoff (the first wait,
times a factor each time, at most a longest wait) for as long as the settings' window (24 h by
default); `forsoeg()` is the number of tries that fit in it."""

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


class Backoff(BaseRetryStrategy):
    def get_retry_decision(self, *, exception, job) -> RetryDecision | None:
        waits = ventetider()
        if job.attempts >= len(waits):
            return None
        return RetryDecision(retry_in={"seconds": waits[job.attempts]})


def vindue() -> datetime.timedelta:
    return datetime.timedelta(seconds=sum(ventetider()))
