"""POST/GET/DELETE /v1/Abonnementer and the secret's rotation (SPEC 9)."""

import pytest
from django.test import override_settings

from accessrules.models import Abonnement, Levering, LeveringStatus
from tests.accessrules.notifikationer.conftest import CALLBACK, SCOPES, URL
from tests.conftest import ALL_SCOPES, error_codes
from tests.factories import KommuneFactory

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_subscribe_shows_the_secret_once_and_lists_without_it(abonnent, kommuner):
    integrator = abonnent(kommuner["A"], ["borgerflytning.oprettet"])
    created = integrator.abonnement
    assert created["hemmelighed"].startswith("whsec_")
    assert created["organisation"] == "7:101"
    stored = Abonnement.objects.get(pk=created["abonnementId"])
    assert stored.hemmelighed == created["hemmelighed"]
    assert stored.klient == integrator.client and stored.organisation == kommuner["A"]
    listed = integrator.call("get", URL)
    assert listed.status_code == 200
    assert [a["abonnementId"] for a in listed.json()] == [created["abonnementId"]]
    assert "hemmelighed" not in listed.json()[0]


def test_an_http_callback_and_unknown_types_are_refused(integrator_for, kommuner):
    integrator = integrator_for(kommuner["A"], SCOPES)
    body = {"callbackUrl": "http://modtager.example.dk/", "haendelsestyper": ["x.y"]}
    response = integrator.call("post", URL, body)
    assert response.status_code == 400
    fields = {e.get("field") for e in response.json()["errors"]}
    assert fields == {"callbackUrl", "haendelsestyper.0"}
    body["haendelsestyper"] = ["borgerflytning.oprettet"]
    response = integrator.call("post", URL, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "callbackUrl"
    assert not Abonnement.objects.exists()


def test_the_scope_is_needed(integrator_for, kommuner):
    response = integrator_for(kommuner["A"], ALL_SCOPES).call("get", URL)
    assert response.status_code == 403 and error_codes(response) == [40300]


def test_an_organisation_the_client_is_not_bound_to_is_refused(integrator_for, kommuner):
    integrator = integrator_for(kommuner["A"], SCOPES)
    other = KommuneFactory(kode="169")
    headers = {"x-activeOrganisationTypeIdentifier": "7", "x-activeOrganisationCode": other.kode}
    body = {"callbackUrl": CALLBACK, "haendelsestyper": ["borgerflytning.oprettet"]}
    response = integrator.call("post", URL, body, headers=headers)
    assert response.status_code == 403 and error_codes(response) == [40301]
    assert not Abonnement.objects.exists()


def test_another_clients_subscription_is_404_code_3(abonnent, integrator_for, kommuner):
    owner = abonnent(kommuner["A"])
    other = integrator_for(kommuner["A"], SCOPES)
    pk = owner.abonnement["abonnementId"]
    for method, path in [
        ("delete", f"{URL}/{pk}"),
        ("post", f"{URL}/{pk}/ny-hemmelighed"),
        ("get", f"{URL}/{pk}/haendelser"),
    ]:
        response = other.call(method, path)
        assert response.status_code == 404 and error_codes(response) == [3], path
    assert Abonnement.objects.get(pk=pk).ophoert is None


def test_delete_ends_the_subscription_and_its_waiting_deliveries(abonnent, kommuner):
    from borgerflytte.services import annuller
    from tests.borgerflytte.conftest import BorgerflytningFactory

    integrator = abonnent(kommuner["A"])
    flow = BorgerflytningFactory()
    annuller(flytning_id=flow.pk, begrundelse="test", af="test")
    assert Levering.objects.filter(status=LeveringStatus.AFVENTER).count() == 1
    pk = integrator.abonnement["abonnementId"]
    assert integrator.call("delete", f"{URL}/{pk}").status_code == 204
    assert Abonnement.objects.get(pk=pk).ophoert is not None
    assert Levering.objects.get().status == LeveringStatus.OPHOERT
    assert integrator.call("get", URL).json() == []
    assert integrator.call("delete", f"{URL}/{pk}").status_code == 404


def test_rotation_keeps_the_old_secret_signing_for_the_overlap(abonnent, kommuner):
    integrator = abonnent(kommuner["A"])
    pk, old = integrator.abonnement["abonnementId"], integrator.abonnement["hemmelighed"]
    response = integrator.call("post", f"{URL}/{pk}/ny-hemmelighed")
    assert response.status_code == 200
    new = response.json()["hemmelighed"]
    assert new != old and response.json()["forrigeHemmelighedUdloeber"]
    stored = Abonnement.objects.get(pk=pk)
    assert (stored.hemmelighed, stored.forrige_hemmelighed) == (new, old)


@override_settings(NOTIFICATIONS_ENABLED=False)
def test_notifications_off_answers_503_problem(integrator_for, kommuner):
    integrator = integrator_for(kommuner["A"], SCOPES)
    body = {"callbackUrl": CALLBACK, "haendelsestyper": ["borgerflytning.oprettet"]}
    for response in (integrator.call("post", URL, body), integrator.call("get", URL)):
        assert response.status_code == 503
        assert response["Content-Type"].startswith("application/problem+json")
        assert "Notifications are off" in response.json()["errors"][0]["detail"]
    assert not Abonnement.objects.exists()
