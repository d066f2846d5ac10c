"""How often a caseworker may find a citizen by CPR (SPEC 7): `ADMIN_FIND_CPR_PER_MINUTE`
(default 20) and `ADMIN_FIND_CPR_PER_DAY` (default 300) tries per user, found or not. Without a
limit, a birth date and 0000-9999 find a masked citizen in minutes.

The tries are counted in Django's cache (one key per user and window: the current minute, the
current UTC day), so with `CACHE_URL` every server counts the same tries. A try over either
limit is refused; the first refused try in a window logs an alert (a warning with the user's id,
never a CPR) and every refused try counts in `/metrics`
(`borgerindsats_admin_find_cpr_limited_total{vindue="minut"|"dag"}`)."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from prometheus_client import Counter

logger = logging.getLogger(__name__)

BEGRAENSET = Counter(
    "borgerindsats_admin_find_cpr_limited",
    "Find-by-CPR tries in the admin refused because the caseworker passed a limit, by window",
    ["vindue"],
)
# (name, seconds, the setting with its limit)
VINDUER = (("minut", 60, "ADMIN_FIND_CPR_PER_MINUTE"), ("dag", 86400, "ADMIN_FIND_CPR_PER_DAY"))
BESKED = {
    "minut": "Du har søgt efter for mange CPR-numre det sidste minut. "
    "Vent et øjeblik, og prøv igen.",
    "dag": "Du har søgt efter for mange CPR-numre i dag. "
    "Prøv igen i morgen, eller kontakt support.",
}


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, timeout=seconds + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        return 1


def tael_forsoeg(user) -> str | None:
    """Count one try of `user`; the window whose limit it passes (`minut`, `dag`), or None."""
    now = int(time.time())
    passed = None
    for name, seconds, setting in VINDUER:
        limit = getattr(settings, setting)
        count = _count(f"admin-find-cpr:{user.pk}:{name}:{now // seconds}", seconds)
        if count > limit and passed is None:
            passed = name
            if count == limit + 1:
                logger.warning(
                    "ALERT: caseworker (user id %s) passed the find-by-CPR limit of %s per %s",
                    user.pk,
                    limit,
                    name,
                )
    if passed is not None:
        BEGRAENSET.labels(passed).inc()
    return passed


def besked(vindue: str) -> str:
    return BESKED[vindue]
