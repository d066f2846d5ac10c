"""The caseworkers' view of flows: masked CPR, exact-CPR search, filters, both stamps, creating a
flow between two kommuner."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from borgerflytte.models import Borgerflytning, Tilstand
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import ApiClientFactory, BorgerFactory

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
    found = client.get(URL, {"q": f"{flow.borger.cpr[:6]}-{flow.borger.cpr[6:]}"})
    assert list(found.context["cl"].queryset) == [flow]
    assert list(client.get(URL, {"q": flow.borger.cpr[:6]}).context["cl"].queryset) == []


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
    for label in ("Fraflytning organisation", "Fraflytning klient", "Tilflytning organisation"):
        assert label in html
    assert str(kommuner["A"]) in html and str(kommuner["B"]) in html
    assert "Fagsystem A" in html
    assert flow.borger.cpr not in html


def test_a_caseworker_creates_a_flow_between_two_kommuner(client, support, kommuner):
    borger = BorgerFactory()
    form = client.get(f"{URL}add/").context["adminform"].form
    assert set(form.fields["fraflytningskommune"].queryset) == {kommuner["A"], kommuner["B"]}
    data = {
        "borger": borger.pk,
        "fraflytningskommune": kommuner["A"].pk,
        "tilflytningskommune": kommuner["A"].pk,
        "flyttedato": "2026-11-01",
    }
    response = client.post(f"{URL}add/", data)
    assert response.status_code == 200  # the form again, with the error
    assert "two different kommuner" in response.content.decode()
    assert not Borgerflytning.objects.exists()
    data["tilflytningskommune"] = kommuner["B"].pk
    data["fraflytningskommune"] = kommuner["jcA"].pk  # a jobcentre is not a kommune
    assert client.post(f"{URL}add/", data).status_code == 200
    assert not Borgerflytning.objects.exists()
    data["fraflytningskommune"] = kommuner["A"].pk
    assert client.post(f"{URL}add/", data).status_code == 302
    flow = Borgerflytning.objects.get()
    assert (flow.borger, flow.tilstand) == (borger, Tilstand.AFVENTER)
    assert flow.history.get().history_user == support


def test_the_action_leaves_a_finished_flow_alone(client, kommuner, flow):
    client.force_login(User.objects.create_superuser("admin", password="x"))
    Borgerflytning.objects.filter(pk=flow.pk).update(tilstand=Tilstand.AFSLUTTET)
    data = {"action": "annuller", "_selected_action": [str(flow.pk)], "begrundelse": "Fejl"}
    response = client.post(URL, data, follow=True)
    assert "AFSLUTTET" in response.content.decode()
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert (stored.tilstand, stored.annulleret_begrundelse) == (Tilstand.AFSLUTTET, "")
