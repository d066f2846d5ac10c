"""Organisations by id, reused in process for `ORGANISATION_CACHE_SECONDS` (default 30).

A page of the BorgerFlytte list names up to four organisations per flow, out of the few hundred
there are; reading them on every request was a quarter of the list's time (profiled). A change
made in this process is seen at once (the entry is dropped on save and delete); one made in
another process within the bound, as with the token cache. 0 reads them on every call.
"""

import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accessrules.models import Organisation

_MAX_ENTRIES = 10_000
_cache: dict[int, tuple[float, Organisation]] = {}
_lock = threading.Lock()


def organisations_by_id(ids: Iterable[int]) -> dict[int, Organisation]:
    ttl = settings.ORGANISATION_CACHE_SECONDS
    ids = set(ids)
    if ttl <= 0:
        return Organisation.objects.in_bulk(ids)
    now = time.monotonic()
    found, missing = {}, []
    for organisation_id in ids:
        entry = _cache.get(organisation_id)
        if entry is not None and now - entry[0] < ttl:
            found[organisation_id] = entry[1]
        else:
            missing.append(organisation_id)
    if missing:
        fetched = Organisation.objects.in_bulk(missing)
        with _lock:
            if len(_cache) + len(fetched) > _MAX_ENTRIES:
                _cache.clear()
            _cache.update((pk, (now, organisation)) for pk, organisation in fetched.items())
        found.update(fetched)
    return found


def clear_organisation_cache() -> None:
    with _lock:
        _cache.clear()


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="organisation_cache")
def _forget(sender, instance: Organisation, **kwargs) -> None:
    _cache.pop(instance.pk, None)
