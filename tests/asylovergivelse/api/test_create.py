"""POST /v1/Asylovergivelse (CreateAsylOvergivelse): the success paths and every code the seed
lists for it, each asserting status, code, field and that nothing was written."""

import datetime
import json

import pytest
from django.utils import timezone

from accessrules.models import RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import (
    CPR,
    URL,
    assert_problem,
    body,
    days,
    errors_of,
    opret,
    state,
)
from tests.conftest import error_codes
from tests.factories import (
    AndenAktoerFactory,
    AndenAktoerTildelingFactory,
    BorgerFactory,
    KommuneFactory,
    StarFactory,
    TilknytningFactory,
)
from tests.statements import statements

pytestmark = pytest.mark.django_db


def post(caller, borger, data, **headers):
    return caller.call("post", URL, data, headers={CPR: borger.cpr, **headers})


@pytest.fixture
def before(borger):
    """The stored state before the request; an error must leave it exactly so."""
    return state()


# --- success ---------------------------------------------------------------------------------
def test_create_stores_the_transition_history_and_cv_deadline(jc, borger):
    response = post(jc, borger, body(), **{"x-requestId": "r-1"})
    assert response.status_code == 201
    assert response.content == b""
    stored = Asylovergivelse.objects.get(borger=borger)
    assert stored.overgivelsesdato.isoformat() == days(10)
    assert stored.cv_edit_end_date.isoformat() == days(40)
    assert stored.tidlig_cv_overgivelsesdato.isoformat() == days(5)
    assert stored.tidlig_kontrakt_overgivelsesdato.isoformat() == days(1)
    assert stored.overgivelseskommunekode == "101"
    assert stored.kommentar == ""
    history = stored.history.get()
    assert history.history_type == "+"
    assert (history.api_client, history.organisation) == (jc.client, jc.organisation)
    assert history.overgivelsesdato == stored.overgivelsesdato
    assert JobnetCv.objects.get(borger=borger).cv_edit_end_date == stored.cv_edit_end_date
    assert RequestId.objects.filter(request_id="r-1", client=jc.client).exists()


@pytest.mark.parametrize("absent", [..., None], ids=["left-out", "null"])
def test_create_without_early_dates_or_request_id(jc, borger, absent):
    data = body(tidligCvOvergivelsesdato=absent, tidligKontraktOvergivelsesdato=absent)
    assert post(jc, borger, data).status_code == 201
    stored = Asylovergivelse.objects.get(borger=borger)
    assert stored.tidlig_cv_overgivelsesdato is None
    assert stored.tidlig_kontrakt_overgivelsesdato is None
    assert not RequestId.objects.exists()


def test_boundaries_are_allowed(jc, borger, settings):
    """CVEditEndDate = overgivelsesdato + max days; early dates = overgivelsesdato."""
    settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = 92
    data = body(
        CVEditEndDate=days(10 + 92),
        tidligCvOvergivelsesdato=days(10),
        tidligKontraktOvergivelsesdato=days(10),
    )
    assert post(jc, borger, data).status_code == 201
    assert Asylovergivelse.objects.get().cv_edit_end_date.isoformat() == days(102)


def test_star_may_name_any_municipality(integrator_for, borger):
    star = integrator_for(StarFactory())
    assert post(star, borger, body(overgivelseskommunekode="-1")).status_code == 201
    assert Asylovergivelse.objects.get().overgivelseskommunekode == "-1"


def test_kommune_names_its_own_code(integrator_for, kommune, borger):
    assert post(integrator_for(kommune), borger, body()).status_code == 201


def test_leading_zeros_name_the_same_municipality(jc, borger):
    assert post(jc, borger, body(overgivelseskommunekode="0101")).status_code == 201


def test_anden_aktoer_names_the_municipality_of_the_assigning_jobcenter(
    integrator_for, jobcenter, borger
):
    aktoer = AndenAktoerFactory()
    AndenAktoerTildelingFactory(borger=borger, anden_aktoer=aktoer, jobcenter=jobcenter)
    caller = integrator_for(aktoer)
    assert_problem(post(caller, borger, body(overgivelseskommunekode="147")), 403, 9244)
    assert post(caller, borger, body(overgivelseskommunekode="101")).status_code == 201
    assert Asylovergivelse.objects.get().history.get().organisation == aktoer


# --- 400 1014: the message -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"CVEditEndDate": ...}, "CVEditEndDate"),
        ({"CVEditEndDate": None}, "CVEditEndDate"),
        ({"overgivelsesdato": ...}, "overgivelsesdato"),
        ({"overgivelsesdato": "2026-02-30"}, "overgivelsesdato"),
        ({"overgivelsesdato": "20260101"}, "overgivelsesdato"),
        ({"overgivelsesdato": "2026-01-01T10:00:00"}, "overgivelsesdato"),
        ({"overgivelsesdato": "2026-01-01\n"}, "overgivelsesdato"),
        ({"overgivelsesdato": 20260101}, "overgivelsesdato"),
        ({"tidligCvOvergivelsesdato": "i morgen"}, "tidligCvOvergivelsesdato"),
        ({"tidligKontraktOvergivelsesdato": ""}, "tidligKontraktOvergivelsesdato"),
        ({"overgivelseskommunekode": ...}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": ""}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "123456789"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "-2"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "-1-1"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": " 101"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "101\n"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "1\u0000"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": 101}, "overgivelseskommunekode"),
        ({"kommentar": "not in the create DTO"}, "kommentar"),
        ({"ukendt": 1}, "ukendt"),
    ],
)
def test_invalid_message_is_1014_and_stores_nothing(jc, borger, before, over, field):
    response = post(jc, borger, body(**over), **{"x-requestId": "bad"})
    assert_problem(response, 400, 1014, field)
    assert state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("CVEditEndDate", "9999-12-31"),
        ("CVEditEndDate", "2200-01-01"),
        ("overgivelsesdato", "1899-12-31"),
        ("overgivelsesdato", "0001-01-01"),
        ("tidligCvOvergivelsesdato", "1899-12-31"),
        ("tidligKontraktOvergivelsesdato", "2200-01-01"),
    ],
)
def test_a_date_outside_1900_to_2199_is_1014(jc, borger, before, field, value):
    """SPEC 8: dates only within 1900-01-01..2199-12-31 (9999-12-31 was once stored)."""
    response = post(jc, borger, body(**{field: value}), **{"x-requestId": "far"})
    assert_problem(response, 400, 1014, field)
    assert state() == before


def test_the_date_range_s_own_ends_parse():
    from accessrules.core.dates import parse_iso_date

    assert parse_iso_date("1900-01-01") == datetime.date(1900, 1, 1)
    assert parse_iso_date("2199-12-31") == datetime.date(2199, 12, 31)
    assert parse_iso_date("1899-12-31") is parse_iso_date("2200-01-01") is None


@pytest.mark.parametrize("raw", ["", "null", "[]", '"x"', "{bad", "[{}]"])
def test_a_body_that_is_not_an_object_is_1014(jc, borger, before, raw):
    response = jc.http.post(
        URL, raw, content_type="application/json", headers=jc.headers({CPR: borger.cpr})
    )
    assert response.status_code == 400
    assert set(error_codes(response)) == {1014}
    assert state() == before


def test_header_and_body_violations_are_reported_together(jc, borger, before):
    data = body(overgivelsesdato="x", overgivelseskommunekode="abc")
    response = jc.call("post", URL, data, headers={CPR: "3002901234", "x-requestId": "y" * 47})
    assert response.status_code == 400
    assert sorted(errors_of(response), key=str) == sorted(
        [
            (1014, CPR),
            (1014, "x-requestId"),
            (1014, "overgivelsesdato"),
            (1014, "overgivelseskommunekode"),
        ],
        key=str,
    )
    assert state() == before


def test_invalid_message_is_400_before_the_citizen_is_looked_at(jc, before):
    response = jc.call("post", URL, body(CVEditEndDate="x"), headers={CPR: "0101011234"})
    assert_problem(response, 400, 1014, "CVEditEndDate")
    assert state() == before


# --- access: 1010 / 6005 ---------------------------------------------------------------------
def test_unknown_cpr_is_6005_for_a_jobcenter_and_1010_for_star(jc, integrator_for, before):
    unknown = {CPR: "0101011234"}
    assert_problem(jc.call("post", URL, body(), headers=unknown), 403, 6005)
    star = integrator_for(StarFactory())
    assert_problem(star.call("post", URL, body(), headers=unknown), 404, 1010)
    assert_problem(star.call("post", URL, body(), headers={CPR: "0000000000"}), 404, 1010)
    assert state() == before


def test_citizen_of_another_jobcenter_is_6005(jc):
    stranger = BorgerFactory()
    JobnetCv.objects.create(borger=stranger, nummer="CV-9")
    before = state()
    assert_problem(post(jc, stranger, body()), 403, 6005)
    assert state() == before


def test_6005_comes_before_the_rules(jc, before):
    stranger = BorgerFactory(kontaktgruppe="andet")
    response = post(jc, stranger, body(CVEditEndDate=days(1), overgivelseskommunekode="147"))
    assert_problem(response, 403, 6005)
    assert state() == before


# --- 403 9244 --------------------------------------------------------------------------------
@pytest.mark.parametrize("kode", ["147", "-1", "10100", "1"])
def test_9244_jobcenter_names_another_municipality(jc, borger, before, kode):
    response = post(jc, borger, body(overgivelseskommunekode=kode))
    assert_problem(response, 403, 9244, "overgivelseskommunekode")
    assert state() == before


def test_9244_kommune_names_another_municipality(integrator_for, borger, before):
    frederiksberg = KommuneFactory(kode="147")
    TilknytningFactory(borger=borger, organisation=frederiksberg)
    caller = integrator_for(frederiksberg)
    assert_problem(post(caller, borger, body()), 403, 9244, "overgivelseskommunekode")
    assert state() == before


def test_9244_anden_aktoer_without_a_current_assignment_names_nothing(
    integrator_for, jobcenter, borger
):
    """Its only assignment has ended: it no longer reaches the citizen at all (6005)."""
    aktoer = AndenAktoerFactory()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    AndenAktoerTildelingFactory(
        borger=borger, anden_aktoer=aktoer, jobcenter=jobcenter, til=yesterday
    )
    assert_problem(post(integrator_for(aktoer), borger, body()), 403, 6005)


def test_9244_is_checked_before_the_message_rules(jc, borger, before):
    response = post(jc, borger, body(overgivelseskommunekode="147", CVEditEndDate=days(1)))
    assert_problem(response, 403, 9244)
    assert state() == before


# --- 400 business rules on the message -------------------------------------------------------
def test_9196_cv_edit_end_date_before_transition(jc, borger, before):
    response = post(jc, borger, body(CVEditEndDate=days(9)))
    assert_problem(response, 400, 9196, "CVEditEndDate")
    assert state() == before


def test_9197_cv_edit_period_too_long(jc, borger, before, settings):
    settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = 92
    response = post(jc, borger, body(CVEditEndDate=days(10 + 93)))
    assert_problem(response, 400, 9197, "CVEditEndDate")
    assert state() == before


def test_9197_follows_the_setting(jc, borger, before, settings):
    settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = 10
    assert_problem(post(jc, borger, body(CVEditEndDate=days(21))), 400, 9197, "CVEditEndDate")
    assert state() == before


@pytest.mark.parametrize("field", ["tidligCvOvergivelsesdato", "tidligKontraktOvergivelsesdato"])
def test_9243_an_early_date_after_transition(jc, borger, before, field):
    response = post(jc, borger, body(**{field: days(11)}))
    assert_problem(response, 400, 9243, field)
    assert state() == before


def test_9243_both_early_dates_are_reported_together(jc, borger, before):
    data = body(tidligCvOvergivelsesdato=days(11), tidligKontraktOvergivelsesdato=days(12))
    response = post(jc, borger, data)
    assert response.status_code == 400
    assert errors_of(response) == [
        (9243, "tidligCvOvergivelsesdato"),
        (9243, "tidligKontraktOvergivelsesdato"),
    ]
    assert state() == before


def test_independent_rule_violations_are_reported_together(jc, borger, before):
    response = post(jc, borger, body(CVEditEndDate=days(5), tidligCvOvergivelsesdato=days(20)))
    assert response.status_code == 400
    assert errors_of(response) == [(9196, "CVEditEndDate"), (9243, "tidligCvOvergivelsesdato")]
    assert state() == before


@pytest.fixture
def familiesammenfoert(borger):
    borger.kontaktgruppe = "familiesammenfoert"
    borger.save()
    return borger


def test_9295_familiesammenfoert_needs_equal_dates(jc, familiesammenfoert, before):
    data = body(tidligCvOvergivelsesdato=..., tidligKontraktOvergivelsesdato=...)
    assert_problem(post(jc, familiesammenfoert, data), 400, 9295, "CVEditEndDate")
    assert state() == before
    equal = {**data, "CVEditEndDate": data["overgivelsesdato"]}
    assert post(jc, familiesammenfoert, equal).status_code == 201


def test_9296_familiesammenfoert_has_no_early_dates(jc, familiesammenfoert, before):
    data = body(CVEditEndDate=days(10))
    response = post(jc, familiesammenfoert, data)
    assert response.status_code == 400
    assert errors_of(response) == [
        (9296, "tidligCvOvergivelsesdato"),
        (9296, "tidligKontraktOvergivelsesdato"),
    ]
    assert state() == before


def test_9295_and_9296_together(jc, familiesammenfoert, before):
    response = post(jc, familiesammenfoert, body(tidligKontraktOvergivelsesdato=...))
    assert errors_of(response) == [(9295, "CVEditEndDate"), (9296, "tidligCvOvergivelsesdato")]
    assert state() == before


# --- 409 stored state ------------------------------------------------------------------------
@pytest.mark.parametrize("gruppe", ["jobparat", "", "Flygtning"])
def test_9198_contact_group_not_allowed(jc, borger, gruppe):
    borger.kontaktgruppe = gruppe
    borger.save()
    before = state()
    assert_problem(post(jc, borger, body()), 409, 9198)
    assert state() == before


def test_9198_follows_the_setting(jc, borger, settings):
    settings.ASYLOVERGIVELSE_KONTAKTGRUPPER = ["familiesammenfoert"]
    assert_problem(post(jc, borger, body()), 409, 9198)
    assert not Asylovergivelse.objects.exists()


def test_400_rules_come_before_9198(jc, borger):
    borger.kontaktgruppe = "jobparat"
    borger.save()
    assert_problem(post(jc, borger, body(CVEditEndDate=days(1))), 400, 9196)


def test_9302_transition_exists(jc, borger):
    assert post(jc, borger, body()).status_code == 201
    before = state()
    response = post(jc, borger, body(overgivelsesdato=days(11)), **{"x-requestId": "2nd"})
    assert_problem(response, 409, 9302)
    assert state() == before
    assert Asylovergivelse.objects.get().overgivelsesdato.isoformat() == days(10)


def test_9302_also_when_the_existing_one_was_made_elsewhere(jc, borger):
    opret(borger, overgivelseskommunekode="-1")
    before = state()
    assert_problem(post(jc, borger, body()), 409, 9302)
    assert state() == before


@pytest.mark.parametrize("nummer", [None, ""], ids=["no-cv", "cv-without-number"])
def test_9336_no_cv(jc, borger, nummer):
    if nummer is None:
        JobnetCv.objects.all().delete()
    else:
        JobnetCv.objects.update(nummer=nummer)
    before = state()
    assert_problem(post(jc, borger, body(), **{"x-requestId": "cv"}), 409, 9336)
    assert state() == before


@pytest.mark.parametrize(
    ("status", "code"), [("arkiveret", 4753), ("deaktiveret", 4754), ("laast", 4823)]
)
def test_cv_status_codes(jc, borger, status, code):
    JobnetCv.objects.filter(borger=borger).update(status=status)
    before = state()
    assert_problem(post(jc, borger, body(), **{"x-requestId": "cv"}), 409, code)
    assert state() == before


def test_9302_comes_before_asking_the_cv_service(jc, borger):
    opret(borger)
    JobnetCv.objects.filter(borger=borger).update(status="laast")
    assert_problem(post(jc, borger, body()), 409, 9302)


# --- x-requestId -----------------------------------------------------------------------------
def test_a_failed_write_keeps_the_request_id_free(jc, borger):
    JobnetCv.objects.filter(borger=borger).update(status="laast")
    assert post(jc, borger, body(), **{"x-requestId": "again"}).status_code == 409
    JobnetCv.objects.filter(borger=borger).update(status="aktiv")
    assert post(jc, borger, body(), **{"x-requestId": "again"}).status_code == 201
    before = state()
    reused = post(jc, borger, body(), **{"x-requestId": "again"})
    assert_problem(reused, 412, 41200, "x-requestId")
    assert state() == before


# --- queries ---------------------------------------------------------------------------------
def test_query_count_does_not_grow_with_citizens(jc, borger):
    with statements() as first:
        assert post(jc, borger, body(), **{"x-requestId": "q-1"}).status_code == 201
    assert len(first) <= 21, first  # 20 on SQLite; PG adds SET LOCAL
    BorgerFactory.create_batch(50)
    other = BorgerFactory()
    TilknytningFactory(borger=other, organisation=jc.organisation)
    JobnetCv.objects.create(borger=other, nummer="CV-2")
    with statements() as again:
        assert post(jc, other, body(), **{"x-requestId": "q-2"}).status_code == 201
    assert len(again) <= len(first), again


@pytest.mark.django_db(transaction=True)
def test_a_create_and_an_update_send_no_savepoint(jc, borger):
    """Outside a test's transaction, as in production: the services join the operation's
    transaction (accessrules.accesslog.transaction), so BEGIN ... COMMIT holds no SAVEPOINT."""
    with statements() as sent:
        assert post(jc, borger, body(), **{"x-requestId": "s-1"}).status_code == 201
        changed = body(CVEditEndDate=days(41))
        assert jc.call("put", URL, changed, headers={CPR: borger.cpr}).status_code == 204
    assert sent.matching("asylovergivelse_historical") and not sent.matching("SAVEPOINT"), sent


def test_no_cpr_in_any_error_body(jc, integrator_for, borger):
    star = integrator_for(StarFactory())
    responses = [
        post(jc, borger, body(CVEditEndDate="x")),
        post(jc, BorgerFactory(), body()),
        star.call("post", URL, body(), headers={CPR: "0101011234"}),
        post(jc, borger, body(overgivelseskommunekode="147")),
    ]
    for response in responses:
        text = json.dumps(response.json())
        assert borger.cpr not in text and "0101011234" not in text
