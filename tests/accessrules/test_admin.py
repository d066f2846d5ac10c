import pytest
from django.contrib.auth.models import Permission

from asylovergivelse.models import Asylovergivelse
from tests.factories import BorgerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login("view_borger", "view_asylovergivelse")


def test_changelist_masks_the_cpr(client, sagsbehandler):
    borger = BorgerFactory()
    html = client.get("/admin/accessrules/borger/").content.decode()
    assert f"{borger.cpr[:6]}-xxxx" in html
    assert borger.cpr not in html


def test_full_cpr_with_the_permission(client, sagsbehandler):
    sagsbehandler.user_permissions.add(Permission.objects.get(codename="view_full_cpr"))
    borger = BorgerFactory()
    html = client.get("/admin/accessrules/borger/").content.decode()
    assert borger.cpr in html


def test_change_form_masks_the_cpr(client, sagsbehandler):
    borger = BorgerFactory()
    html = client.get(f"/admin/accessrules/borger/{borger.pk}/change/").content.decode()
    assert borger.cpr not in html


@pytest.mark.parametrize("form", ["plain", "dash"])
def test_search_by_exact_cpr(client, sagsbehandler, form):
    wanted, other = BorgerFactory(), BorgerFactory()
    term = wanted.cpr if form == "plain" else f"{wanted.cpr[:6]}-{wanted.cpr[6:]}"
    response = client.get("/admin/accessrules/borger/", {"q": term})
    assert list(response.context["cl"].queryset) == [wanted]
    assert other not in response.context["cl"].queryset


def test_partial_cpr_finds_nothing(client, sagsbehandler):
    borger = BorgerFactory()
    response = client.get("/admin/accessrules/borger/", {"q": borger.cpr[:6]})
    assert list(response.context["cl"].queryset) == []


def test_transition_list_masks_and_searches(client, sagsbehandler):
    import datetime

    borger = BorgerFactory()
    Asylovergivelse.objects.create(
        borger=borger,
        cv_edit_end_date=datetime.date(2026, 12, 1),
        overgivelsesdato=datetime.date(2026, 11, 1),
        overgivelseskommunekode="101",
    )
    BorgerFactory()
    response = client.get("/admin/asylovergivelse/asylovergivelse/", {"q": borger.cpr})
    assert response.status_code == 200
    assert [row.borger for row in response.context["cl"].queryset] == [borger]
    listing = client.get("/admin/asylovergivelse/asylovergivelse/").content.decode()
    assert f"{borger.cpr[:6]}-xxxx" in listing and borger.cpr not in listing
