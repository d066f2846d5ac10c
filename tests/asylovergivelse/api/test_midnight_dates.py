"""SPEC 6: a date field also accepts a midnight date-time (as .NET and Java clients write
dates): the date part is the date. Any other time of day is 1014, and nothing is stored. The
parser itself: tests/accessrules/core/test_dates.py."""

import pytest

from asylovergivelse.models import Asylovergivelse
from tests.accessrules.core.test_dates import MIDNIGHTS, NOT_MIDNIGHT
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, body, days

pytestmark = pytest.mark.django_db


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
