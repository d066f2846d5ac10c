"""The caseworkers' view of flows: masked CPR, exact-CPR search, filters, both stamps, creating a
flow between two kommuner."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import ApiClientFactory, StarFactory

pytestmark = pytest.mark.django_db

URL = "/admin/borgerflytte/borgerflytning/"


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login("view_borgerflytning")


@pytest.fixture
def support(staff_login):
    return staff_login(
        "view_borgerflytning", "add_borgerflytning", "change_borgerflytning", username="support"
    )


def test_list_masks_the_cpr_and_searches_by_exact_cpr(client, sagsbehandler, flow):
    BorgerflytningFactory()
    listing = client.get(URL).content.decode()
    assert f"{flow.borger.cpr[:6]}-xxxx" in listing
    assert flow.borger.cpr not in listing
    assert client.get(URL, {"q": flow.borger.cpr}).status_code == 302  # no CPR in a URL


def test_filters_on_state_and_municipalities(client, sagsbehandler, kommuner, flow):
    other = BorgerflytningFactory(
        fraflytningskommune="147", tilflytningskommune="101", tilstand=Tilstand.AFSLUTTET
    )
    by_state = client.get(URL, {"tilstand__exact": "AFSLUTTET"}).context["cl"].queryset
    assert list(by_state) == [other]
    by_kommune = client.get(URL, {"fraflytningskommune__id__exact": kommuner["A"].pk})
    assert list(by_kommune.context["cl"].queryset) == [flow]


def test_change_form_shows_both_stamps_and_no_full_cpr(client, sagsbehandler, kommuner, flow):
    klient = ApiClientFactory(navn="Fagsystem A")
    Borgerflytning.objects.filter(pk=flow.pk).update(
        fraflytning_tidspunkt=timezone.now(),
        fraflytning_organisation=kommuner["A"],
        fraflytning_klient=klient,
        tilflytning_tidspunkt=timezone.now(),
        tilflytning_organisation=kommuner["B"],
    )
    html = client.get(f"{URL}{flow.pk}/change/").content.decode()
    for label in (
        "Fraflytning bekræftet for",
        "Fraflytning bekræftet af API-klient",
        "Tilflytning bekræftet for",
    ):
        assert label in html
    assert str(kommuner["A"]) in html and str(kommuner["B"]) in html
    assert "Fagsystem A" in html
    assert flow.borger.cpr not in html


def test_no_flow_is_added_by_hand(client, support):
    assert client.get(f"{URL}add/").status_code == 403


def test_the_action_leaves_a_finished_flow_alone(client, kommuner, flow):
    StarFactory()  # the superuser acts as STAR (SPEC 7)
    client.force_login(User.objects.create_superuser("admin", password="x"))
    Borgerflytning.objects.filter(pk=flow.pk).update(tilstand=Tilstand.AFSLUTTET)
    data = {
        "action": "annuller",
        "_selected_action": [str(flow.pk)],
        "begrundelse": "Fejl",
        "bekraeft": "ja",
    }
    response = client.post(URL, data, follow=True)
    assert "afsluttet og kan ikke annulleres" in response.content.decode()
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert (stored.tilstand, stored.annulleret_begrundelse) == (Tilstand.AFSLUTTET, "")
