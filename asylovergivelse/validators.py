"""The seed's field patterns, once: used by the API serializers, the model (so the admin form)
and the operator command. A value that fails here is 1014 on the API.

The seed's patterns are matched against the whole value (`\\A...\\Z`: no leading or trailing
whitespace, no trailing newline), and with ASCII digits only.
"""

import datetime
import re

from django.core.exceptions import ValidationError

# overgivelseskommunekode (TransitionMunicipality): seed pattern [-][1]|[0-9]{1,8}
KOMMUNEKODE_RE = re.compile(r"\A(?:-1|[0-9]{1,8})\Z")
KOMMUNEKODE_SCHEMA_PATTERN = "^(-1|[0-9]{1,8})$"  # the same, for OpenAPI (ECMA-262 regex)
KOMMUNEKODE_MAX_LENGTH = 8
KOMMENTAR_MAX_LENGTH = 1500
_ISO_DATE_RE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def is_kommunekode(value: object) -> bool:
    return isinstance(value, str) and KOMMUNEKODE_RE.match(value) is not None


def validate_kommunekode(value: object) -> None:
    """Model-field validator (the admin form runs it)."""
    if not is_kommunekode(value):
        raise ValidationError("'-1' or 1-8 digits (the seed's pattern [-][1]|[0-9]{1,8}).")


def parse_iso_date(value: object) -> datetime.date | None:
    """A `YYYY-MM-DD` string as a date; None for anything else (other formats, impossible
    dates such as 2026-02-30, non-strings)."""
    if not isinstance(value, str) or not _ISO_DATE_RE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None
