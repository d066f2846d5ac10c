"""The seed's field patterns, once: used by the API serializers, the model (so the admin form)
and the operator command. A value that fails here is 1014 on the API.

The seed's patterns are matched against the whole value (`\\A...\\Z`: no leading or trailing
whitespace, no trailing newline), and with ASCII digits only.
"""

import re

from django.core.exceptions import ValidationError

from accessrules.core.dates import parse_iso_date

# overgivelseskommunekode (TransitionMunicipality): the seed's pattern [-][1]|[0-9]{1,8},
# declared once: as OpenAPI (ECMA-262) writes it, and matched whole (`re.fullmatch`) here.
KOMMUNEKODE_PATTERN = "^(-1|[0-9]{1,8})$"
KOMMUNEKODE_MAX_LENGTH = 8
KOMMENTAR_MAX_LENGTH = 1500


def is_kommunekode(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(KOMMUNEKODE_PATTERN, value) is not None


def validate_kommunekode(value: object) -> None:
    """Model-field validator (the admin form runs it)."""
    if not is_kommunekode(value):
        raise ValidationError("'-1' eller 1-8 cifre (seedens mønster [-][1]|[0-9]{1,8}).")


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
