"""Organisations by id, reused in process for `ORGANISATION_CACHE_SECONDS` (default 30).

A page of the BorgerFlytte list names up to four organisations per flow, out of the few hundred
there are; reading them on every request was a quarter of the list's time (profiled). A change
made in this process is seen at once (the entry is dropped on save and delete); one made in
another process within the bound, as with the token cache. 0 reads them on every call.
"""

import time
from collections.abc import Iterable

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accessrules.models import Organisation
from accessrules.processcache import ProcessCache

_cache = ProcessCache()


def organisations_by_id(ids: Iterable[int]) -> dict[int, Organisation]:
    ttl = settings.ORGANISATION_CACHE_SECONDS
    ids = set(ids)
    if ttl <= 0:
        return Organisation.objects.in_bulk(ids)
    now = time.monotonic()
    found, missing = {}, []
    for organisation_id in ids:
        organisation = _cache.get(organisation_id, ttl, now)
        if organisation is not None:
            found[organisation_id] = organisation
        else:
            missing.append(organisation_id)
    if missing:
        fetched = Organisation.objects.in_bulk(missing)
        _cache.put_many(fetched, now)
        found.update(fetched)
    return found


def clear_organisation_cache() -> None:
    _cache.clear()


@receiver([post_save, post_delete], sender=Organisation, dispatch_uid="organisation_cache")
def _forget(sender, instance: Organisation, **kwargs) -> None:
    _cache.pop(instance.pk)
