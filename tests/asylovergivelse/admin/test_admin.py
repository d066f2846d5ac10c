"""The caseworkers' admin for transitions: the API's rules and service, history, filters,
masked CPR."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from accessrules.models import Borger
from asylovergivelse.cvservice import backend_class
from asylovergivelse.models import Asylovergivelse, JobnetCv
from tests.adminurl import admin_url
from tests.asylovergivelse.conftest import opret, state
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/asylovergivelse/asylovergivelse/add/"
LIST = "/admin/asylovergivelse/asylovergivelse/"


def today(n=0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def admin_user(staff_login):
    return staff_login(username="admin")


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login("view_asylovergivelse", "change_asylovergivelse", "view_borger")


def form(borger, **over) -> dict:
    data = {
        "cpr": borger.cpr,
        "overgivelsesdato": today(10),
        "cv_edit_end_date": today(40),
        "tidlig_cv_overgivelsesdato": "",
        "tidlig_kontrakt_overgivelsesdato": "",
        "overgivelseskommunekode": "101",
        "kommentar": "",
    }
    data.update(over)
    return data


def change_url(row) -> str:
    return admin_url(row)


@pytest.mark.parametrize(
    ("over", "shown"),
    [
        ({"cv_edit_end_date": today(5)}, "9196"),
        ({"cv_edit_end_date": today(200)}, "9197"),
        ({"tidlig_cv_overgivelsesdato": today(11)}, "9243"),
        ({"overgivelseskommunekode": "abc"}, "1-8 cifre"),
        ({"overgivelseskommunekode": "123456789"}, "overgivelseskommunekode"),
    ],
)
def test_add_refuses_what_the_api_refuses(client, admin_user, borger, over, shown):
    before = state()
    response = client.post(ADD, form(borger, **over))
    assert response.status_code == 200
    assert shown in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        (lambda b: JobnetCv.objects.filter(borger=b).update(status="laast"), "4823"),
        (lambda b: JobnetCv.objects.filter(borger=b).delete(), "9336"),
        (lambda b: Borger.objects.filter(pk=b.pk).update(kontaktgruppe=""), "9198"),
    ],
)
def test_add_refuses_stored_state_conflicts(client, admin_user, borger, setup, code):
    setup(borger)
    before = state()
    response = client.post(ADD, form(borger))
    assert code in response.content.decode()
    assert state() == before


def test_add_stores_through_the_service(client, admin_user, borger):
    response = client.post(ADD, form(borger))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Asylovergivelse.objects.get()
    history = row.history.get()
    assert (history.history_type, history.history_user) == ("+", admin_user)
    # the caseworker acts as their organisation (a superuser: STAR), and the history says so
    assert history.history_change_reason == "superbruger"
    assert history.organisation.reference == "1:STAR"
    assert JobnetCv.objects.get().cv_edit_end_date == row.cv_edit_end_date


def test_change_form_starts_with_an_empty_kommentar_and_applies_9202(client, admin_user, borger):
    row = opret(borger, kommentar="Den gamle kommentar")
    page = client.get(change_url(row)).content.decode()
    assert "Den gamle kommentar" not in page
    # one CPR display per permission: the superuser may see it, so the citizen's link shows it
    assert f">{borger.cpr}</a>" in page and f"{borger.cpr[:6]}-xxxx" not in page
    data = form(borger, overgivelsesdato=today(11))
    del data["cpr"]  # read-only on change
    response = client.post(change_url(row), data)
    assert response.status_code == 200
    assert "9202" in response.content.decode()
    assert Asylovergivelse.objects.get().overgivelsesdato.isoformat() == today(10)
    data["kommentar"] = "Rettet efter opkald fra kommunen"
    assert client.post(change_url(row), data).status_code == 302
    row.refresh_from_db()
    assert row.overgivelsesdato.isoformat() == today(11)
    assert row.history.first().history_user == admin_user


def test_history_shows_who_and_old_and_new_values(client, admin_user, borger):
    row = opret(borger)
    data = form(borger, overgivelsesdato=today(11), kommentar="Ny dato")
    del data["cpr"]
    assert client.post(change_url(row), data).status_code == 302
    page = client.get(f"{change_url(row).removesuffix('change/')}history/").content.decode()
    page = re.sub(r"\s+", " ", page)
    old, new = (timezone.localdate() + datetime.timedelta(days=n) for n in (10, 11))
    assert f"{old:%d.%m.%Y} &nbsp;&rarr;&nbsp;&nbsp;{new:%d.%m.%Y}" in page  # DD.MM.ÅÅÅÅ
    assert "&rarr;&nbsp;&nbsp;Ny dato" in page
    assert "/admin/auth/user/" in page and "superbruger: Ny dato" in page
    assert borger.cpr not in page


def test_history_names_the_api_client_and_organisation(client, admin_user, jc, borger):
    from tests.asylovergivelse.conftest import CPR, URL, body

    assert jc.call("post", URL, body(), headers={CPR: borger.cpr}).status_code == 201
    row = Asylovergivelse.objects.get()
    page = client.get(f"{change_url(row).removesuffix('change/')}history/").content.decode()
    assert jc.client.navn in page and jc.organisation.reference in page


def test_list_filters_by_municipality_contact_group_and_dates(client, sagsbehandler):
    a = opret(BorgerFactory(kontaktgruppe="flygtning"), overgivelseskommunekode="101")
    b = opret(BorgerFactory(kontaktgruppe="familiesammenfoert"), overgivelseskommunekode="147")
    cases = [
        ({"overgivelseskommunekode": "147"}, [b]),
        ({"borger__kontaktgruppe": "flygtning"}, [a]),
        ({"overgivelsesdato__gte": today(0), "overgivelsesdato__lt": today(30)}, [a, b]),
        ({"overgivelsesdato__gte": today(30)}, []),
    ]
    for query, expected in cases:
        response = client.get(LIST, query)
        assert response.status_code == 200, query
        assert set(response.context["cl"].queryset) == set(expected), query


def test_list_masks_the_cpr_and_searches_exactly(client, sagsbehandler):
    wanted, other = opret(BorgerFactory()), opret(BorgerFactory())
    listing = client.get(LIST).content.decode()
    assert wanted.borger.cpr not in listing and f"{wanted.borger.cpr[:6]}-xxxx" in listing
    assert client.get(LIST, {"q": wanted.borger.cpr}).status_code == 302
    assert other.borger.cpr not in listing


def test_full_cpr_with_the_permission(client, sagsbehandler):
    sagsbehandler.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    row = opret(BorgerFactory())
    assert row.borger.cpr in client.get(LIST).content.decode()


def test_a_cv_service_failure_is_shown_and_nothing_is_stored(client, admin_user, borger, settings):
    settings.CV_SERVICE_BACKEND = "tests.asylovergivelse.api.test_cv_service.ReadOnlyCv"
    backend_class.cache_clear()
    before = state()
    try:
        response = client.post(ADD, form(borger), follow=True)
    finally:
        backend_class.cache_clear()
    assert response.status_code == 200
    assert "9346" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    "over",
    [
        {"overgivelsesdato": "9999-11-01", "cv_edit_end_date": "9999-12-31"},
        {"tidlig_cv_overgivelsesdato": "0001-01-01"},
        {"tidlig_kontrakt_overgivelsesdato": "1899-12-31"},
        {"cv_edit_end_date": "2200-01-01"},
    ],
)
def test_the_form_keeps_to_spec_8s_date_range(client, admin_user, borger, over):
    """Issue 20: Support saved 9999-12-31 or 0001-01-01, which the API refuses (and rule 9200
    then locked the record)."""
    before = state()
    response = client.post(ADD, form(borger, **over))
    assert response.status_code == 200
    assert "Datoen skal ligge mellem 1900-01-01 og 2199-12-31." in response.content.decode()
    assert state() == before
    row = opret(borger)
    data = {**form(borger, kommentar="ret"), **over}
    response = client.post(change_url(row), data)
    assert response.status_code == 200
    assert Asylovergivelse.objects.get().cv_edit_end_date == row.cv_edit_end_date
