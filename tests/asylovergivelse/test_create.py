import pytest

from accessrules.models import RequestId
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.asylovergivelse.conftest import CPR, URL, body, days
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

pytestmark = pytest.mark.django_db


def post(caller, borger, data, **headers):
    return caller.call("post", URL, data, headers={CPR: borger.cpr, **headers})


def assert_problem(response, status, code, field=None):
    assert response.status_code == status, response.content
    assert error_codes(response) == [code]
    if field is not None:
        assert response.json()["errors"][0]["field"] == field


def test_create_stores_the_transition_history_and_cv_deadline(jc, borger):
    response = post(jc, borger, body(), **{"x-requestId": "r-1"})
    assert response.status_code == 201
    assert response.content == b""
    stored = Asylovergivelse.objects.get(borger=borger)
    assert stored.overgivelsesdato.isoformat() == days(10)
    assert stored.cv_edit_end_date.isoformat() == days(40)
    assert stored.tidlig_cv_overgivelsesdato.isoformat() == days(5)
    assert stored.overgivelseskommunekode == "101"
    history = stored.history.get()
    assert history.history_type == "+"
    assert (history.api_client, history.organisation) == (jc.client, jc.organisation)
    assert JobnetCv.objects.get(borger=borger).cv_edit_end_date == stored.cv_edit_end_date
    assert RequestId.objects.filter(request_id="r-1", client=jc.client).exists()


def test_create_without_early_dates_or_request_id(jc, borger):
    data = body(tidligCvOvergivelsesdato=..., tidligKontraktOvergivelsesdato=None)
    assert post(jc, borger, data).status_code == 201
    stored = Asylovergivelse.objects.get(borger=borger)
    assert stored.tidlig_cv_overgivelsesdato is None
    assert stored.tidlig_kontrakt_overgivelsesdato is None


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"CVEditEndDate": ...}, "CVEditEndDate"),
        ({"overgivelsesdato": "2026-02-30"}, "overgivelsesdato"),
        ({"overgivelsesdato": "20260101"}, "overgivelsesdato"),
        ({"overgivelsesdato": 20260101}, "overgivelsesdato"),
        ({"tidligCvOvergivelsesdato": "i morgen"}, "tidligCvOvergivelsesdato"),
        ({"overgivelseskommunekode": "123456789"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": "-2"}, "overgivelseskommunekode"),
        ({"overgivelseskommunekode": 101}, "overgivelseskommunekode"),
        ({"kommentar": "not in the create DTO"}, "kommentar"),
        ({"ukendt": 1}, "ukendt"),
    ],
)
def test_invalid_message_is_1014_and_stores_nothing(jc, borger, over, field):
    response = post(jc, borger, body(**over))
    assert_problem(response, 400, 1014, field)
    assert not Asylovergivelse.objects.exists()


def test_invalid_cpr_header_is_1014(jc, borger):
    response = jc.call("post", URL, body(), headers={CPR: "3002901234"})
    assert_problem(response, 400, 1014, CPR)


def test_unknown_cpr_is_6005_for_a_jobcenter_and_1010_for_star(jc, integrator_for, borger):
    unknown = {CPR: "0101011234"}
    assert_problem(jc.call("post", URL, body(), headers=unknown), 403, 6005)
    star = integrator_for(StarFactory())
    assert_problem(star.call("post", URL, body(), headers=unknown), 404, 1010)


def test_citizen_of_another_jobcenter_is_6005(jc):
    stranger = BorgerFactory()
    assert_problem(post(jc, stranger, body()), 403, 6005)
    assert not Asylovergivelse.objects.exists()


def test_9196_cv_edit_end_date_before_transition(jc, borger):
    response = post(jc, borger, body(CVEditEndDate=days(9)))
    assert_problem(response, 400, 9196, "CVEditEndDate")
    assert not Asylovergivelse.objects.exists()


def test_9197_cv_edit_period_too_long(jc, borger, settings):
    settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = 92
    assert post(jc, borger, body(CVEditEndDate=days(10 + 92))).status_code == 201
    Asylovergivelse.objects.all().delete()
    response = post(jc, borger, body(CVEditEndDate=days(10 + 93)))
    assert_problem(response, 400, 9197, "CVEditEndDate")
    assert not Asylovergivelse.objects.exists()


def test_9243_early_dates_after_transition_are_reported_together(jc, borger):
    response = post(
        jc, borger, body(tidligCvOvergivelsesdato=days(11), tidligKontraktOvergivelsesdato=days(12))
    )
    assert response.status_code == 400
    assert [(e["code"], e["field"]) for e in response.json()["errors"]] == [
        (9243, "tidligCvOvergivelsesdato"),
        (9243, "tidligKontraktOvergivelsesdato"),
    ]
    assert not Asylovergivelse.objects.exists()


def test_independent_rule_violations_are_reported_together(jc, borger):
    response = post(jc, borger, body(CVEditEndDate=days(5), tidligCvOvergivelsesdato=days(20)))
    assert response.status_code == 400
    assert error_codes(response) == [9196, 9243]


def test_9198_contact_group_not_allowed(jc, borger):
    borger.kontaktgruppe = "jobparat"
    borger.save()
    assert_problem(post(jc, borger, body()), 409, 9198)
    assert not Asylovergivelse.objects.exists()


def test_9295_familiesammenfoert_needs_equal_dates(jc, borger):
    borger.kontaktgruppe = "familiesammenfoert"
    borger.save()
    data = body(tidligCvOvergivelsesdato=..., tidligKontraktOvergivelsesdato=...)
    assert_problem(post(jc, borger, data), 400, 9295, "CVEditEndDate")
    assert not Asylovergivelse.objects.exists()
    equal = {**data, "CVEditEndDate": data["overgivelsesdato"]}
    assert post(jc, borger, equal).status_code == 201


def test_9296_familiesammenfoert_has_no_early_dates(jc, borger):
    borger.kontaktgruppe = "familiesammenfoert"
    borger.save()
    data = body(CVEditEndDate=days(10), tidligKontraktOvergivelsesdato=...)
    assert_problem(post(jc, borger, data), 400, 9296, "tidligCvOvergivelsesdato")
    assert not Asylovergivelse.objects.exists()


def test_9244_jobcenter_names_another_municipality(jc, borger):
    response = post(jc, borger, body(overgivelseskommunekode="147"))
    assert_problem(response, 403, 9244, "overgivelseskommunekode")
    assert not Asylovergivelse.objects.exists()


def test_9244_is_checked_before_the_message_rules(jc, borger):
    response = post(jc, borger, body(overgivelseskommunekode="147", CVEditEndDate=days(1)))
    assert_problem(response, 403, 9244)


def test_star_may_name_any_municipality(integrator_for, borger):
    star = integrator_for(StarFactory())
    assert post(star, borger, body(overgivelseskommunekode="-1")).status_code == 201


def test_9302_transition_exists(jc, borger):
    assert post(jc, borger, body()).status_code == 201
    response = post(jc, borger, body(overgivelsesdato=days(11)))
    assert_problem(response, 409, 9302)
    assert Asylovergivelse.objects.get().overgivelsesdato.isoformat() == days(10)


def test_9336_no_cv(jc, borger):
    JobnetCv.objects.all().delete()
    assert_problem(post(jc, borger, body()), 409, 9336)
    assert not Asylovergivelse.objects.exists()


@pytest.mark.parametrize(
    ("status", "code"), [("arkiveret", 4753), ("deaktiveret", 4754), ("laast", 4823)]
)
def test_cv_status_codes(jc, borger, status, code):
    JobnetCv.objects.filter(borger=borger).update(status=status)
    assert_problem(post(jc, borger, body(), **{"x-requestId": "cv"}), 409, code)
    assert not Asylovergivelse.objects.exists()
    assert not RequestId.objects.exists()


def test_a_failed_write_keeps_the_request_id_free(jc, borger):
    JobnetCv.objects.filter(borger=borger).update(status="laast")
    assert post(jc, borger, body(), **{"x-requestId": "again"}).status_code == 409
    JobnetCv.objects.filter(borger=borger).update(status="aktiv")
    assert post(jc, borger, body(), **{"x-requestId": "again"}).status_code == 201
    reused = post(jc, borger, body(), **{"x-requestId": "again"})
    assert_problem(reused, 412, 41200)


def test_query_count_does_not_grow_with_citizens(jc, borger, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as first:
        assert post(jc, borger, body()).status_code == 201
    BorgerFactory.create_batch(50)
    other = BorgerFactory()
    from tests.factories import TilknytningFactory

    TilknytningFactory(borger=other, organisation=jc.organisation)
    JobnetCv.objects.create(borger=other, nummer="CV-2")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert post(jc, other, body()).status_code == 201
