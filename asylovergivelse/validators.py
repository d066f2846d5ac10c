"""The seed's field patterns, once: used by the API serializers, the model (so the admin form)
and the operator command. A value that fails here is 1014 on the API.

The seed's patterns are matched against the whole value (`\\A...\\Z`: no leading or trailing
whitespace, no trailing newline), and with ASCII digits only.
"""

import datetime
import re

from django.core.exceptions import ValidationError

from accessrules.core import dates

# overgivelseskommunekode (TransitionMunicipality): seed pattern [-][1]|[0-9]{1,8}
KOMMUNEKODE_RE = re.compile(r"\A(?:-1|[0-9]{1,8})\Z")
KOMMUNEKODE_SCHEMA_PATTERN = "^(-1|[0-9]{1,8})$"  # the same, for OpenAPI (ECMA-262 regex)
KOMMUNEKODE_MAX_LENGTH = 8
KOMMENTAR_MAX_LENGTH = 1500
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


def _midnight_date(value: str) -> str:
    """The date part of a midnight date-time; any other value as it is."""
    match = _MIDNIGHT_RE.match(value)
    return match.group(1) if match else value


def is_kommunekode(value: object) -> bool:
    return isinstance(value, str) and KOMMUNEKODE_RE.match(value) is not None


def validate_kommunekode(value: object) -> None:
    """Model-field validator (the admin form runs it)."""
    if not is_kommunekode(value):
        raise ValidationError("'-1' eller 1-8 cifre (seedens mønster [-][1]|[0-9]{1,8}).")


def parse_iso_date(value: object) -> datetime.date | None:
    """A `YYYY-MM-DD` string (or a midnight date-time, SPEC 6) as a date; None for anything
    else (other formats and times of day, impossible dates such as 2026-02-30, dates outside
    1900-01-01..2199-12-31, non-strings)."""
    if isinstance(value, str):
        value = _midnight_date(value)
    return dates.strict_iso_date(value)


DATE_FIELDS = (
    "CVEditEndDate",
    "overgivelsesdato",
    "tidligCvOvergivelsesdato",
    "tidligKontraktOvergivelsesdato",
)
REQUIRED_FIELDS = ("CVEditEndDate", "overgivelsesdato", "overgivelseskommunekode")


def parse_message(message: dict) -> tuple[dict, list[tuple[str, str]]]:
    """A PUT message given as text (an operator's options) checked as the API's serializer
    checks it: dates `YYYY-MM-DD`, the kommunekode pattern, kommentar's length. Returns the
    parsed values and the (field, reason) of each value that fails (1014)."""
    values, failures = {}, []
    for name in REQUIRED_FIELDS:
        if message.get(name) is None:
            failures.append((name, "required"))
    for name, raw in message.items():
        if raw is None:
            continue
        if name in DATE_FIELDS:
            parsed = parse_iso_date(raw)
            if parsed is None:
                failures.append((name, "not a date YYYY-MM-DD"))
            values[name] = parsed
        elif name == "overgivelseskommunekode":
            if not is_kommunekode(raw):
                failures.append((name, "'-1' or 1-8 digits"))
            values[name] = raw
        elif name == "kommentar":
            if len(raw) > KOMMENTAR_MAX_LENGTH:
                failures.append((name, f"at most {KOMMENTAR_MAX_LENGTH} characters"))
            values[name] = raw
        else:
            failures.append((name, "unknown field"))
    return values, failures
