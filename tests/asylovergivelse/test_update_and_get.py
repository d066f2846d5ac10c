import datetime

import pytest
from django.utils import timezone

from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body, days
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

pytestmark = pytest.mark.django_db


def stored(borger, **over) -> Asylovergivelse:
    values = {
        "cv_edit_end_date": timezone.localdate() + datetime.timedelta(days=40),
        "overgivelsesdato": timezone.localdate() + datetime.timedelta(days=10),
        "overgivelseskommunekode": "101",
    }
    values.update(over)
    return Asylovergivelse.objects.create(borger=borger, **values)


def put(caller, borger, data, **headers):
    return caller.call("put", URL, data, headers={CPR: borger.cpr, **headers})


def snapshot(borger):
    return Asylovergivelse.objects.filter(borger=borger).values().first()


def test_update_changes_the_dates_with_history(jc, borger):
    stored(borger)
    data = body(overgivelsesdato=days(12), CVEditEndDate=days(50), kommentar="Ny dato fra US")
    response = put(jc, borger, data)
    assert response.status_code == 204
    row = Asylovergivelse.objects.get(borger=borger)
    assert row.overgivelsesdato.isoformat() == days(12)
    assert row.kommentar == "Ny dato fra US"
    latest = row.history.first()
    assert latest.history_type == "~"
    assert latest.api_client == jc.client
    assert latest.history_change_reason == "Ny dato fra US"
    previous = latest.prev_record
    assert previous is None or previous.overgivelsesdato.isoformat() == days(10)
    assert JobnetCv.objects.get(borger=borger).cv_edit_end_date.isoformat() == days(50)


def test_9201_no_transition_to_update(jc, borger):
    response = put(jc, borger, body())
    assert response.status_code == 409
    assert error_codes(response) == [9201]
    assert not Asylovergivelse.objects.exists()


def test_9202_changed_transition_date_needs_a_comment(jc, borger):
    stored(borger)
    before = snapshot(borger)
    for kommentar in (..., "", "   ", None):
        data = body(overgivelsesdato=days(11), kommentar=kommentar)
        response = put(jc, borger, data)
        assert response.status_code == 400, kommentar
        assert error_codes(response) == [9202]
        assert response.json()["errors"][0]["field"] == "kommentar"
    assert snapshot(borger) == before


def test_unchanged_transition_date_needs_no_comment(jc, borger):
    stored(borger)
    assert put(jc, borger, body(CVEditEndDate=days(41))).status_code == 204


def test_9200_deadline_passed_blocks_date_changes(jc, borger):
    stored(
        borger,
        cv_edit_end_date=timezone.localdate() - datetime.timedelta(days=1),
        overgivelsesdato=timezone.localdate() - datetime.timedelta(days=20),
    )
    before = snapshot(borger)
    data = body(
        overgivelsesdato=days(-20),
        CVEditEndDate=days(5),
        tidligCvOvergivelsesdato=...,
        tidligKontraktOvergivelsesdato=...,
    )
    response = put(jc, borger, data)
    assert response.status_code == 409
    assert error_codes(response) == [9200]
    assert snapshot(borger) == before


def test_9200_allows_other_changes_after_the_deadline(jc, borger):
    stored(
        borger,
        cv_edit_end_date=timezone.localdate() - datetime.timedelta(days=1),
        overgivelsesdato=timezone.localdate() - datetime.timedelta(days=20),
    )
    data = body(
        overgivelsesdato=days(-20),
        CVEditEndDate=days(-1),
        tidligCvOvergivelsesdato=days(-25),
        tidligKontraktOvergivelsesdato=...,
    )
    assert put(jc, borger, data).status_code == 204
    assert Asylovergivelse.objects.get().tidlig_cv_overgivelsesdato.isoformat() == days(-25)


def test_update_runs_the_message_rules(jc, borger):
    stored(borger)
    response = put(jc, borger, body(CVEditEndDate=days(9)))
    assert response.status_code == 400
    assert error_codes(response) == [9196]


def test_update_9244(jc, borger):
    stored(borger)
    response = put(jc, borger, body(overgivelseskommunekode="147"))
    assert response.status_code == 403
    assert error_codes(response) == [9244]


def test_update_9198(jc, borger):
    stored(borger)
    borger.kontaktgruppe = "andet"
    borger.save()
    response = put(jc, borger, body())
    assert response.status_code == 409
    assert error_codes(response) == [9198]


def test_kommentar_longer_than_1500_is_1014(jc, borger):
    stored(borger)
    response = put(jc, borger, body(kommentar="x" * 1501))
    assert response.status_code == 400
    assert error_codes(response) == [1014]


def test_get_without_data_returns_null(jc, borger):
    response = jc.call("get", URL, headers={CPR: borger.cpr})
    assert response.status_code == 200
    assert response.json() == {
        "civilRegistrationIdentifier": borger.cpr,
        "asylovergivelsesdata": None,
    }


def test_get_with_data(jc, borger):
    stored(borger, tidlig_cv_overgivelsesdato=timezone.localdate())
    response = jc.call("get", URL, headers={CPR: borger.cpr})
    assert response.status_code == 200
    assert response.json()["asylovergivelsesdata"] == {
        "overgivelsesdato": days(10),
        "tidligCvOvergivelsesdato": days(0),
        "tidligKontraktOvergivelsesdato": None,
        "overgivelseskommunekode": "101",
        "CVEditEndDate": days(40),
        "kommentar": None,
    }


def test_get_needs_the_read_scope(integrator_for, jobcenter, borger):
    writer = integrator_for(jobcenter, scopes=["borgerindsats.asylovergivelse.write"])
    response = writer.call("get", URL, headers={CPR: borger.cpr})
    assert response.status_code == 403
    assert error_codes(response) == [40300]


def test_get_unknown_cpr(jc, integrator_for):
    assert error_codes(jc.call("get", URL, headers={CPR: "0101011234"})) == [6005]
    star = integrator_for(StarFactory())
    assert error_codes(star.call("get", URL, headers={CPR: "0101011234"})) == [1010]


def test_get_query_count_is_constant(jc, borger, settings):
    """Token cache warm: the citizen with its transition, the affiliation, the log row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accessrules.api.authentication import clear_token_cache
    from tests.conftest import data_statements

    settings.TOKEN_CACHE_SECONDS = 30
    clear_token_cache()
    stored(borger)
    jc.call("get", URL, headers={CPR: borger.cpr})
    with CaptureQueriesContext(connection) as first:
        assert jc.call("get", URL, headers={CPR: borger.cpr}).status_code == 200
    BorgerFactory.create_batch(100)
    with CaptureQueriesContext(connection) as second:
        assert jc.call("get", URL, headers={CPR: borger.cpr}).status_code == 200
    clear_token_cache()
    assert len(data_statements(first)) <= 4
    assert len(second.captured_queries) == len(first.captured_queries)
