"""PUT /v1/Asylovergivelse (UpdateAsylOvergivelse): the success paths and every code the seed
lists for it, each asserting status, code, field and that nothing was written."""

import datetime

import pytest
from django.utils import timezone

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
from tests.factories import BorgerFactory, StarFactory, TilknytningFactory
from tests.statements import statements

pytestmark = pytest.mark.django_db


def put(caller, borger, data, **headers):
    return caller.call("put", URL, data, headers={CPR: borger.cpr, **headers})


@pytest.fixture
def stored(borger):
    return opret(borger)


@pytest.fixture
def before(stored):
    return state()


def passed_deadline(borger):
    """A transition whose CVEditEndDate was yesterday."""
    today = timezone.localdate()
    return opret(
        borger,
        cv_edit_end_date=today - datetime.timedelta(days=1),
        overgivelsesdato=today - datetime.timedelta(days=20),
    )


# --- success ---------------------------------------------------------------------------------
def test_update_changes_the_dates_with_history(jc, borger, stored):
    data = body(overgivelsesdato=days(12), CVEditEndDate=days(50), kommentar="Ny dato fra US")
    response = put(jc, borger, data, **{"x-requestId": "u-1"})
    assert response.status_code == 204
    assert response.content == b""
    row = Asylovergivelse.objects.get(borger=borger)
    assert row.overgivelsesdato.isoformat() == days(12)
    assert row.cv_edit_end_date.isoformat() == days(50)
    assert row.kommentar == "Ny dato fra US"
    latest, previous = row.history.all()[:2]
    assert latest.history_type == "~"
    assert (latest.api_client, latest.organisation) == (jc.client, jc.organisation)
    assert latest.history_change_reason == "Ny dato fra US"
    assert latest.kommentar == "Ny dato fra US"
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes["overgivelsesdato"] == (stored.overgivelsesdato, row.overgivelsesdato)
    assert changes["cv_edit_end_date"] == (stored.cv_edit_end_date, row.cv_edit_end_date)
    assert JobnetCv.objects.get(borger=borger).cv_edit_end_date.isoformat() == days(50)


def test_unchanged_transition_date_needs_no_comment(jc, borger, stored):
    assert put(jc, borger, body(CVEditEndDate=days(41))).status_code == 204
    assert Asylovergivelse.objects.get().cv_edit_end_date.isoformat() == days(41)


def test_update_clears_early_dates_left_out(jc, borger, stored):
    Asylovergivelse.objects.update(tidlig_cv_overgivelsesdato=timezone.localdate())
    data = body(tidligCvOvergivelsesdato=..., tidligKontraktOvergivelsesdato=None)
    assert put(jc, borger, data).status_code == 204
    assert Asylovergivelse.objects.get().tidlig_cv_overgivelsesdato is None


def test_kommentar_of_1500_characters_is_kept(jc, borger, stored):
    data = body(overgivelsesdato=days(11), kommentar="æ" * 1500)
    assert put(jc, borger, data).status_code == 204
    assert Asylovergivelse.objects.get().kommentar == "æ" * 1500


def test_9200_allows_other_changes_after_the_deadline(jc, borger):
    passed_deadline(borger)
    data = body(
        overgivelsesdato=days(-20),
        CVEditEndDate=days(-1),
        tidligCvOvergivelsesdato=days(-25),
        tidligKontraktOvergivelsesdato=...,
    )
    assert put(jc, borger, data).status_code == 204
    assert Asylovergivelse.objects.get().tidlig_cv_overgivelsesdato.isoformat() == days(-25)


def test_a_deadline_of_today_has_not_passed(jc, borger):
    opret(borger, cv_edit_end_date=timezone.localdate(), overgivelsesdato=timezone.localdate())
    data = body(CVEditEndDate=days(3), overgivelsesdato=days(0), tidligCvOvergivelsesdato=...)
    data["tidligKontraktOvergivelsesdato"] = days(0)
    assert put(jc, borger, data).status_code == 204


# --- 400 1014 --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"CVEditEndDate": ...}, "CVEditEndDate"),
        ({"overgivelsesdato": "1/2/2026"}, "overgivelsesdato"),
        ({"overgivelseskommunekode": "12a"}, "overgivelseskommunekode"),
        ({"kommentar": "x" * 1501}, "kommentar"),
        ({"kommentar": 7}, "kommentar"),
        ({"ukendt": "x"}, "ukendt"),
    ],
)
def test_invalid_message_is_1014(jc, borger, before, over, field):
    assert_problem(put(jc, borger, body(**over)), 400, 1014, field)
    assert state() == before


# --- access ----------------------------------------------------------------------------------
def test_unknown_cpr_is_6005_for_a_jobcenter_and_1010_for_star(jc, integrator_for, before):
    unknown = {CPR: "0101011234"}
    assert_problem(jc.call("put", URL, body(), headers=unknown), 403, 6005)
    star = integrator_for(StarFactory())
    assert_problem(star.call("put", URL, body(), headers=unknown), 404, 1010)
    assert state() == before


def test_citizen_of_another_jobcenter_is_6005(jc):
    stranger = BorgerFactory()
    opret(stranger)
    before = state()
    assert_problem(put(jc, stranger, body()), 403, 6005)
    assert state() == before


def test_a_former_citizen_of_the_jobcenter_is_6005(jc, jobcenter):
    """The seed's table has no "Tidligere egne borgere" for asylovergivelse."""
    former = BorgerFactory()
    today = timezone.localdate()
    TilknytningFactory(
        borger=former,
        organisation=jobcenter,
        fra=today - datetime.timedelta(days=300),
        til=today - datetime.timedelta(days=5),
    )
    opret(former)
    assert_problem(put(jc, former, body()), 403, 6005)


# --- 403 9244, then the 400 rules ------------------------------------------------------------
def test_9244(jc, borger, before):
    response = put(jc, borger, body(overgivelseskommunekode="147"))
    assert_problem(response, 403, 9244, "overgivelseskommunekode")
    assert state() == before


def test_9196(jc, borger, before):
    assert_problem(put(jc, borger, body(CVEditEndDate=days(9))), 400, 9196, "CVEditEndDate")
    assert state() == before


def test_9197(jc, borger, before, settings):
    settings.ASYLOVERGIVELSE_MAX_CV_EDIT_DAYS = 92
    response = put(jc, borger, body(CVEditEndDate=days(103)))
    assert_problem(response, 400, 9197, "CVEditEndDate")
    assert state() == before


def test_9243(jc, borger, before):
    response = put(jc, borger, body(tidligKontraktOvergivelsesdato=days(11)))
    assert_problem(response, 400, 9243, "tidligKontraktOvergivelsesdato")
    assert state() == before


def test_9295_and_9296_familiesammenfoert(jc, borger, before):
    borger.kontaktgruppe = "familiesammenfoert"
    borger.save()
    response = put(jc, borger, body(tidligKontraktOvergivelsesdato=...))
    assert response.status_code == 400
    assert errors_of(response) == [(9295, "CVEditEndDate"), (9296, "tidligCvOvergivelsesdato")]
    assert state() == before


@pytest.mark.parametrize("kommentar", [..., "", "   ", None], ids=["absent", "", "blank", "null"])
def test_9202_changed_transition_date_needs_a_comment(jc, borger, before, kommentar):
    data = body(overgivelsesdato=days(11), kommentar=kommentar)
    assert_problem(put(jc, borger, data), 400, 9202, "kommentar")
    assert state() == before


def test_9202_with_other_rules_together(jc, borger, before):
    response = put(jc, borger, body(overgivelsesdato=days(11), CVEditEndDate=days(10)))
    assert errors_of(response) == [(9196, "CVEditEndDate"), (9202, "kommentar")]
    assert state() == before


# --- 409 -------------------------------------------------------------------------------------
def test_9201_no_transition_to_update(jc, borger):
    before = state()
    assert_problem(put(jc, borger, body(), **{"x-requestId": "u"}), 409, 9201)
    assert state() == before


def test_9198(jc, borger, stored):
    borger.kontaktgruppe = "andet"
    borger.save()
    before = state()
    assert_problem(put(jc, borger, body()), 409, 9198)
    assert state() == before


@pytest.mark.parametrize(
    "over",
    [
        lambda: {"CVEditEndDate": days(5)},
        lambda: {"overgivelsesdato": days(-19), "CVEditEndDate": days(-1), "kommentar": "ny"},
    ],
    ids=["CVEditEndDate", "overgivelsesdato"],
)
def test_9200_deadline_passed_blocks_date_changes(jc, borger, over):
    passed_deadline(borger)
    before = state()
    data = body(
        **{
            "overgivelsesdato": days(-20),
            "tidligCvOvergivelsesdato": ...,
            "tidligKontraktOvergivelsesdato": ...,
            **over(),
        }
    )
    assert_problem(put(jc, borger, data), 409, 9200, "CVEditEndDate")
    assert state() == before


# --- queries ---------------------------------------------------------------------------------
def test_query_count_does_not_grow_with_citizens(jc, borger, stored):
    with statements() as first:
        assert put(jc, borger, body(CVEditEndDate=days(41))).status_code == 204
    assert len(first) <= 18, first  # 17 on SQLite; PG adds SET LOCAL
    BorgerFactory.create_batch(50)
    for _ in range(3):
        opret(BorgerFactory())
    with statements() as again:
        assert put(jc, borger, body(CVEditEndDate=days(42))).status_code == 204
    assert len(again) <= len(first), again
