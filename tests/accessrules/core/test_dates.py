"""The one date parser (accessrules.core.dates): `YYYY-MM-DD` within 1900-2199, or a midnight
date-time naming its date (SPEC 6); nothing else."""

import datetime

import pytest

from accessrules.core.dates import DATE_MAX, DATE_MIN, in_range, parse_iso_date, strict_iso_date

MIDNIGHTS = ["T00:00:00", "T00:00:00Z", "T00:00:00.000", "T00:00:00.0000000Z", "T00:00:00+01:00"]
NOT_MIDNIGHT = ["T00:00:01", "T12:00:00Z", "T00:00:00.001", "T23:59:59+01:00", "T00:00", "T00"]


def test_a_date_within_the_range():
    assert strict_iso_date("2026-12-05") == datetime.date(2026, 12, 5)
    assert strict_iso_date("1900-01-01") == DATE_MIN and strict_iso_date("2199-12-31") == DATE_MAX
    assert in_range(DATE_MIN) and not in_range(DATE_MIN - datetime.timedelta(days=1))


@pytest.mark.parametrize(
    "value",
    [
        "1899-12-31",
        "2200-01-01",
        "2026-02-30",
        "2026-1-05",
        "20261205",
        " 2026-12-05",
        "2026-12-05\n",
        "２０２６-12-05",
        "2026-12-05T00:00:00",
        None,
        20261205,
        datetime.date(2026, 12, 5),
    ],
)
def test_strict_reads_nothing_else(value):
    assert strict_iso_date(value) is None


@pytest.mark.parametrize("suffix", MIDNIGHTS)
def test_parse_iso_date_reads_a_midnight_date_time_as_its_date(suffix):
    assert parse_iso_date("2026-12-05" + suffix).isoformat() == "2026-12-05"


@pytest.mark.parametrize("suffix", [*NOT_MIDNIGHT, "T00:00:00 ", "t00:00:00", "T00:00:00+1"])
def test_any_other_time_of_day_is_not_a_date(suffix):
    assert parse_iso_date("2026-12-05" + suffix) is None


def test_an_impossible_or_out_of_range_date_at_midnight_is_not_a_date():
    assert parse_iso_date("2026-02-30T00:00:00") is None
    assert parse_iso_date("2200-01-01T00:00:00Z") is None
    assert parse_iso_date(None) is None


def test_a_moment_is_read_within_the_range_only():
    from accessrules.core.dates import parse_iso_datetime

    assert parse_iso_datetime("2026-11-25") == datetime.datetime(2026, 11, 25)
    assert parse_iso_datetime("2026-11-25T08:00:00Z").tzinfo is not None
    assert parse_iso_datetime("2199-12-31T23:59:59") == datetime.datetime(2199, 12, 31, 23, 59, 59)
    for value in ("2200-01-01T00:00:00", "1899-12-31", "i går", None, 20261125, "2026-02-30"):
        assert parse_iso_datetime(value) is None, value


def test_every_path_reads_dates_with_the_one_parser():
    """No module outside accessrules.core.dates parses a client's date itself."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[3]
    found = [
        str(path.relative_to(root))
        for package in ("accessrules", "borgerflytte", "asylovergivelse")
        for path in (root / package).rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "dates.py"
        and ("fromisoformat(" in path.read_text() or "strptime(" in path.read_text())
    ]
    assert not found
