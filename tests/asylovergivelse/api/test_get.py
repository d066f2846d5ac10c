"""GET /v1/Asylovergivelse (GetAsylOvergivelse)."""

import pytest
from django.utils import timezone

from accessrules.models import AccessLogEntry
from tests.asylovergivelse.conftest import CPR, URL, assert_problem, days, opret
from tests.factories import BorgerFactory, StarFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def get(caller, borger, **headers):
    return caller.call("get", URL, headers={CPR: borger.cpr, **headers})


def test_get_without_data_returns_null(jc, borger):
    response = get(jc, borger)
    assert response.status_code == 200
    assert response.json() == {
        "civilRegistrationIdentifier": borger.cpr,
        "asylovergivelsesdata": None,
    }


def test_get_with_data(jc, borger):
    opret(borger, tidlig_cv_overgivelsesdato=timezone.localdate(), kommentar="rettet")
    response = get(jc, borger)
    assert response.status_code == 200
    assert response.json() == {
        "civilRegistrationIdentifier": borger.cpr,
        "asylovergivelsesdata": {
            "overgivelsesdato": days(10),
            "tidligCvOvergivelsesdato": days(0),
            "tidligKontraktOvergivelsesdato": None,
            "overgivelseskommunekode": "101",
            "CVEditEndDate": days(40),
            "kommentar": "rettet",
        },
    }


def test_an_empty_kommentar_is_null(jc, borger):
    opret(borger)
    assert get(jc, borger).json()["asylovergivelsesdata"]["kommentar"] is None


def test_get_writes_one_access_log_row(jc, borger):
    assert get(jc, borger).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.borger, entry.outcome, entry.organisation) == (borger, 200, jc.organisation)


def test_get_needs_the_read_scope(integrator_for, jobcenter, borger):
    writer = integrator_for(jobcenter, scopes=["borgerindsats.asylovergivelse.write"])
    assert_problem(get(writer, borger), 403, 40300)


def test_the_write_scope_is_not_enough_for_post_without_it(integrator_for, jobcenter, borger):
    reader = integrator_for(jobcenter, scopes=["borgerindsats.asylovergivelse.read"])
    assert_problem(reader.call("post", URL, {}, headers={CPR: borger.cpr}), 403, 40300)
    assert_problem(reader.call("put", URL, {}, headers={CPR: borger.cpr}), 403, 40300)


@pytest.mark.parametrize("cpr", [None, "", "010190123", "3102901234", "01019012345"])
def test_invalid_or_missing_cpr_header_is_1014(jc, cpr):
    response = jc.call("get", URL, headers={CPR: cpr})
    assert_problem(response, 400, 1014, CPR)


def test_get_unknown_cpr(jc, integrator_for):
    assert_problem(jc.call("get", URL, headers={CPR: "0101011234"}), 403, 6005)
    star = integrator_for(StarFactory())
    assert_problem(star.call("get", URL, headers={CPR: "0101011234"}), 404, 1010)


def test_get_another_jobcenters_citizen_is_6005(jc):
    assert_problem(get(jc, BorgerFactory()), 403, 6005)


def test_get_query_count_is_constant(jc, borger):
    """Token cache warm: the citizen with its transition and relation, then the log row."""
    opret(borger)
    get(jc, borger)
    with statements() as first:
        assert get(jc, borger).status_code == 200
    BorgerFactory.create_batch(100)
    for _ in range(3):
        opret(BorgerFactory())
    with statements() as again:
        assert get(jc, borger).status_code == 200
    assert len(again) <= len(first), again
    citizen, log_row = first.data()
    assert "accessrules_borger" in citizen and "asylovergivelse_asylovergivelse" in citizen
    assert log_row.startswith('INSERT INTO "accessrules_accesslogentry"'), log_row
