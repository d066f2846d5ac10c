"""django-simple-history, as both services' models use it.

`HistoricalRecords` builds a new manager class (`HistoryManager.from_queryset`, with
`inspect.getmembers`) every time `instance.history` is read, which it does once per saved
history row: 0.5 ms of a confirmation's 7 ms (profiled). The classes it builds are the same
every time, so they are built once here.
"""

import functools

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


class _HistoryManager(HistoryManager):
    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


def historical_records(**options) -> HistoricalRecords:
    return HistoricalRecords(history_manager=_HistoryManager, **options)
