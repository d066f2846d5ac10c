"""The one date parser (SPEC 6 and 8), for every path that reads a date from outside: the API's
bodies, filters (`oprettetFra` too) and cursors, the CPR feed, the register importer, the
commands. A client's date is `YYYY-MM-DD` within 1900-01-01..2199-12-31, or a midnight
date-time naming that date (as .NET and Java clients write dates: `2026-12-05T00:00:00`, with
or without `Z`, zero fractions or an offset); a moment (`parse_iso_datetime`) is an ISO 8601
date-time on a day within the same range. Anything else is 400 1014 wherever a client gives
one. No framework: plain Python."""

import datetime
import re

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
_ISO_DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# SPEC 6: a midnight date-time names its date, as .NET and Java clients write dates:
# 2026-12-05T00:00:00, with or without Z, zero fractions (.000) or an offset (+01:00).
_MIDNIGHT_RE = re.compile(
    r"\A([0-9]{4}-[0-9]{2}-[0-9]{2})T00:00:00(?:\.0+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?\Z"
)
DATE_FORMAT_TEXT = (
    "Dato `YYYY-MM-DD`; et tidspunkt ved midnat (`2026-12-05T00:00:00`, med eller uden `Z`, "
    "nuller som brøkdel eller en tidszone som `+01:00`) læses som datoen. Et andet klokkeslæt "
    "giver 1014."
)


def in_range(value: datetime.date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def strict_iso_date(value: object) -> datetime.date | None:
    """A `YYYY-MM-DD` string within the range as a date; None for anything else."""
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        return None
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if in_range(parsed) else None


def _midnight_date(value: str) -> str:
    """The date part of a midnight date-time; any other value as it is."""
    match = _MIDNIGHT_RE.match(value)
    return match.group(1) if match else value


def parse_iso_date(value: object) -> datetime.date | None:
    """A `YYYY-MM-DD` string (or a midnight date-time, SPEC 6) as a date; None for anything
    else (other formats and times of day, impossible dates such as 2026-02-30, dates outside
    1900-01-01..2199-12-31, non-strings)."""
    if isinstance(value, str):
        value = _midnight_date(value)
    return strict_iso_date(value)


def parse_iso_datetime(value: object) -> datetime.datetime | None:
    """An ISO 8601 date-time (`2026-11-25T08:00:00Z`, an offset or none: then naive, for the
    caller to place in the service's time zone) or a `YYYY-MM-DD` date (its first moment), on
    a day within the range; None for anything else."""
    day = strict_iso_date(value)
    if day is not None:
        return datetime.datetime.combine(day, datetime.time.min)
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if in_range(moment.date()) else None
