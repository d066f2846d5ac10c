"""SPEC 6: a date field also accepts a midnight date-time (as .NET and Java clients write
dates): the date part is the date. Any other time of day is 1014, and nothing is stored."""

import pytest

from accessrules.core.dates import parse_iso_date
from asylovergivelse.models import Asylovergivelse
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, days

pytestmark = pytest.mark.django_db

MIDNIGHTS = ["T00:00:00", "T00:00:00Z", "T00:00:00.000", "T00:00:00.0000000Z", "T00:00:00+01:00"]
NOT_MIDNIGHT = ["T00:00:01", "T12:00:00Z", "T00:00:00.001", "T23:59:59+01:00", "T00:00", "T00"]


@pytest.mark.parametrize("suffix", MIDNIGHTS)
def test_parse_iso_date_reads_a_midnight_date_time_as_its_date(suffix):
    assert parse_iso_date("2026-12-05" + suffix).isoformat() == "2026-12-05"


@pytest.mark.parametrize("suffix", [*NOT_MIDNIGHT, "T00:00:00 ", "t00:00:00", "T00:00:00+1"])
def test_any_other_time_of_day_is_not_a_date(suffix):
    assert parse_iso_date("2026-12-05" + suffix) is None


def test_an_impossible_date_at_midnight_is_not_a_date():
    assert parse_iso_date("2026-02-30T00:00:00") is None


@pytest.mark.parametrize("suffix", MIDNIGHTS)
def test_a_create_with_midnight_date_times_stores_the_dates(jc, borger, suffix):
    data = body(
        CVEditEndDate=days(40) + suffix,
        overgivelsesdato=days(10) + suffix,
        tidligCvOvergivelsesdato=days(5) + suffix,
    )
    response = jc.call("post", URL, data, headers={CPR: borger.cpr})
    assert response.status_code == 201, response.content
    stored = Asylovergivelse.objects.get(borger=borger)
    assert stored.cv_edit_end_date.isoformat() == days(40)
    assert stored.overgivelsesdato.isoformat() == days(10)
    assert stored.tidlig_cv_overgivelsesdato.isoformat() == days(5)


@pytest.mark.parametrize("suffix", NOT_MIDNIGHT)
def test_another_time_of_day_is_1014_naming_the_field(jc, borger, suffix):
    response = jc.call(
        "post", URL, body(overgivelsesdato=days(10) + suffix), headers={CPR: borger.cpr}
    )
    assert_problem(response, 400, 1014, "overgivelsesdato")
    assert not Asylovergivelse.objects.exists()
