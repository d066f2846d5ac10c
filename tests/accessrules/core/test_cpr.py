import calendar
import datetime

import pytest

from accessrules.core.cpr import birth_century, birth_date, is_valid_cpr
from accessrules.core.masking import mask_cpr

_MONTH_DAYS_MAX_BY_PATTERN = {
    1: 31,
    2: 29,
    3: 31,
    4: 30,
    5: 31,
    6: 30,
    7: 31,
    8: 31,
    9: 30,
    10: 31,
    11: 30,
    12: 31,
}


@pytest.mark.parametrize("month", range(1, 13))
def test_every_day_of_every_month_in_a_leap_year_of_the_1900s(month):
    # yy=96, digit 7 = 0 -> 1996, a leap year: every day the month has is valid, the next is not
    last = calendar.monthrange(1996, month)[1]
    for day in range(1, last + 1):
        assert is_valid_cpr(f"{day:02d}{month:02d}960123"), (day, month)
    assert not is_valid_cpr(f"{last + 1:02d}{month:02d}960123")
    assert not is_valid_cpr(f"00{month:02d}960123")


@pytest.mark.parametrize("month", range(1, 13))
def test_last_day_of_month_in_a_common_year(month):
    last = calendar.monthrange(1997, month)[1]
    assert is_valid_cpr(f"{last:02d}{month:02d}970123")
    assert not is_valid_cpr(f"{last + 1:02d}{month:02d}970123")


def test_month_00_and_13_are_invalid():
    assert not is_valid_cpr("0100900123")
    assert not is_valid_cpr("0113900123")


@pytest.mark.parametrize(
    ("cpr", "valid", "why"),
    [
        ("2902960123", True, "1996 is a leap year"),
        ("2902970123", False, "1997 is not"),
        ("2902000123", False, "digit 7 = 0 -> 1900, not a leap year"),
        ("2902004123", True, "digit 7 = 4, yy 00 <= 36 -> 2000, a leap year"),
        ("2902009123", True, "digit 7 = 9, yy 00 -> 2000"),
        ("2902005123", True, "digit 7 = 5, yy 00 <= 57 -> 2000"),
        ("2902008123", True, "digit 7 = 8, yy 00 <= 57 -> 2000"),
        ("2902604123", True, "digit 7 = 4, yy 60 > 36 -> 1960, a leap year"),
        ("2902014123", False, "digit 7 = 4, yy 01 <= 36 -> 2001, not a leap year"),
        ("2902615123", False, "digit 7 = 5, yy 61 > 57 -> 1861, not a leap year"),
        ("2902645123", True, "digit 7 = 5, yy 64 -> 1864, a leap year"),
    ],
)
def test_29_february_uses_the_century_from_digit_7(cpr, valid, why):
    assert is_valid_cpr(cpr) is valid, why


@pytest.mark.parametrize(
    ("yy", "digit7", "century"),
    [
        (0, 0, 1900),
        (99, 3, 1900),
        (36, 4, 2000),
        (37, 4, 1900),
        (36, 9, 2000),
        (37, 9, 1900),
        (57, 5, 2000),
        (58, 5, 1800),
        (57, 8, 2000),
        (58, 8, 1800),
        (0, 6, 2000),
        (99, 7, 1800),
    ],
)
def test_birth_century_boundaries(yy, digit7, century):
    assert birth_century(yy, digit7) == century


def test_birth_date():
    assert birth_date("0101901234") == datetime.date(1990, 1, 1)
    assert birth_date("3112204567") == datetime.date(2020, 12, 31)
    assert birth_date("3112585678") == datetime.date(1858, 12, 31)


def test_null_cpr_passes_the_pattern():
    assert is_valid_cpr("0000000000")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "010190123",
        "01019012345",
        "010190-1234",
        "0101901a34",
        " 0101901234",
        None,
        101901234,
        "０１０１９０１２３４",
    ],
)
def test_malformed_values(value):
    assert not is_valid_cpr(value)


def test_mask_cpr():
    assert mask_cpr("0101901234") == "010190-xxxx"
    assert mask_cpr(None) == ""


def test_pattern_months_agree_with_calendar():
    # the seed's pattern allows at most these days; the calendar check never allows more
    for month, max_day in _MONTH_DAYS_MAX_BY_PATTERN.items():
        assert not is_valid_cpr(f"{max_day + 1:02d}{month:02d}960123")
