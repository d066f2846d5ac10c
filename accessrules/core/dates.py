"""The dates the service accepts (SPEC 8): 1900-01-01..2199-12-31. A date outside is 400 1014
wherever a client gives one (a body's date field, a date filter, a cursor)."""

import datetime
import re

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2199, 12, 31)
_ISO_DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


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
