"""CPR numbers (x-civilRegistrationIdentifier): the seed's pattern plus a real calendar date.

The pattern is copied from the seeds. The century comes from digit 7 (SPEC 2); modulus 11 is
not checked (dropped in 2007). `0000000000` passes (the seed allows it) and is never a known
citizen.
"""

import datetime
import re

CPR_PATTERN = (
    r"((((0[1-9]|1[0-9]|2[0-9]|3[0-1])(01|03|05|07|08|10|12))"
    r"|((0[1-9]|1[0-9]|2[0-9]|30)(04|06|09|11))"
    r"|((0[1-9]|1[0-9]|2[0-9])(02)))[0-9]{6})"
    r"|0000000000"
)
_CPR_RE = re.compile(rf"^(?:{CPR_PATTERN})$")
NULL_CPR = "0000000000"


def birth_century(yy: int, digit7: int) -> int:
    """The century (1800, 1900 or 2000) of a CPR from its year digits and digit 7."""
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def birth_date(cpr: str) -> datetime.date | None:
    """The birth date a CPR encodes, or None when the digits name no calendar day."""
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    try:
        return datetime.date(birth_century(yy, digit7) + yy, month, day)
    except ValueError:
        return None


def is_valid_cpr(value: object) -> bool:
    if not isinstance(value, str) or not _CPR_RE.match(value):
        return False
    return value == NULL_CPR or birth_date(value) is not None
