"""Issue 13 and 12.6: the admin cannot do what the API forbids, keeps CPRs out of URLs, logs
look-ups with the user, cancels through a confirmation page, registers a move through the
CPR event intake."""

import logging

import pytest
from django.contrib.auth.models import Permission, User

from accessrules.models import AccessLogEntry
from borgerflytte.haendelser import modtag_haendelse
from borgerflytte.models import Borgerflytning, HaendelseKvittering, Tilstand
from tests.adminurl import admin_url
from tests.borgerflytte.conftest import bosat, days
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db
URL = "/admin/borgerflytte/borgerflytning/"


@pytest.fixture
def sagsbehandler(staff_login):
    return staff_login("view_borgerflytning", "view_borger", "view_haendelsekvittering")


def test_a_sagsbehandler_gets_no_action_no_save_no_revert(client, sagsbehandler, flow):
    listing = client.get(URL)
    assert listing.context["action_form"] is None or not listing.context["cl"].actions_selected
    assert 'name="action"' not in listing.content.decode()
    page = client.get(f"{URL}{flow.pk}/change/").content.decode()
    assert 'name="_save"' not in page and "Annuller …" not in page
    record = flow.history.first()
    assert client.post(admin_url(flow, "simple_history", record.pk), {}).status_code == 403
    data = {"action": "annuller", "_selected_action": [str(flow.pk)], "bekraeft": "ja"}
    client.post(URL, {**data, "begrundelse": "x"})
    assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFVENTER


def test_nobody_deletes_or_reverts(client, flow):
    StarFactory()  # the superuser acts as STAR (SPEC 7)
    client.force_login(User.objects.create_superuser("root", password="x"))
    assert client.get(f"{URL}{flow.pk}/delete/").status_code == 403
    assert client.get("/admin/accessrules/accesslogentry/1/delete/").status_code in (403, 404)
    record = flow.history.first()
    assert client.post(admin_url(flow, "simple_history", record.pk), {}).status_code == 403


def test_cancel_through_the_confirmation_page(client, staff_login, flow):
    user = staff_login("view_borgerflytning", "change_borgerflytning", username="support")
    first = client.post(URL, {"action": "annuller", "_selected_action": [str(flow.pk)]})
    assert first.status_code == 200 and "Begrundelse" in first.content.decode()
    assert Borgerflytning.objects.get(pk=flow.pk).tilstand == Tilstand.AFVENTER
    data = {"action": "annuller", "_selected_action": [str(flow.pk)], "bekraeft": "ja"}
    assert "Skriv en begrundelse" in client.post(URL, data).content.decode()
    client.post(URL, {**data, "begrundelse": "Dobbeltregistrering"})
    stored = Borgerflytning.objects.get(pk=flow.pk)
    assert (stored.tilstand, stored.annulleret_begrundelse) == (
        Tilstand.ANNULLERET,
        "Dobbeltregistrering",
    )
    assert stored.history.first().history_user == user
    history = client.get(f"{URL}{flow.pk}/history/").content.decode()
    # the choices' labels, not their stored values
    assert "Tilstand:</strong> Afventer bekræftelser" in history and "AFVENTER" not in history
    assert "Dobbeltregistrering" in history


def test_year_9999_is_refused_not_500(client, sagsbehandler):
    assert client.get(URL, {"flyttedato__year": "9999"}).status_code == 302
    assert (
        client.get(URL, {"flyttedato__year": "2026", "flyttedato__month": "13"}).status_code == 302
    )


def test_the_citizen_page_logs_the_user_and_shows_the_flows(client, sagsbehandler, flow):
    page = client.get(admin_url(flow.borger)).content.decode()
    assert "Borgerflytninger" in page and "Seneste opslag" in page
    assert flow.borger.cpr not in page
    row = AccessLogEntry.objects.get(handling="admin:vis_borger")
    assert (row.user, row.borger_id) == (sagsbehandler, flow.borger_id)


def test_support_registers_a_move_and_cpr_later_reports_it(client, staff_login, kommuner):
    user = staff_login("view_haendelsekvittering", username="support")
    user.user_permissions.add(Permission.objects.get(codename="registrer_flytning"))
    borger = bosat(kommuner["A"], kommuner["jcA"], fra=days(-400))
    data = {
        "cpr": borger.cpr,
        "fra": kommuner["A"].pk,
        "til": kommuner["B"].pk,
        "flyttedato": str(days(10)),
    }
    response = client.post("/admin/borgerflytte/haendelsekvittering/registrer/", data)
    assert response.status_code == 302 and borger.cpr not in response["Location"]
    kvittering = HaendelseKvittering.objects.get()
    assert kvittering.haendelse_id.startswith("admin-") and kvittering.status == "behandlet"
    assert Borgerflytning.objects.filter(borger=borger).count() == 1
    event = {
        "haendelseId": "cpr-1",
        "type": "flytning",
        "cpr": borger.cpr,
        "fraKommunekode": "101",
        "tilKommunekode": "147",
        "flyttedato": str(days(10)),
    }
    assert modtag_haendelse(haendelse=event, kilde="cpr").status == "afvist"
    assert Borgerflytning.objects.filter(borger=borger).count() == 1
    listing = client.get("/admin/borgerflytte/haendelsekvittering/", {"status__exact": "afvist"})
    assert [k.haendelse_id for k in listing.context["cl"].queryset] == ["cpr-1"]


@pytest.mark.parametrize(
    ("flyttedato", "shown"),
    [
        ("9999-12-31", "Datoen skal ligge mellem 1900-01-01 og 2199-12-31."),
        ("0001-01-01", "Datoen skal ligge mellem 1900-01-01 og 2199-12-31."),
        (str(days(29)), "1014 «Failed to validate message»"),  # over 28 days ahead
    ],
)
def test_a_move_by_hand_keeps_to_the_range_and_the_feeds_rules(
    client, staff_login, kommuner, flyttedato, shown
):
    user = staff_login("view_haendelsekvittering", username="support")
    user.user_permissions.add(Permission.objects.get(codename="registrer_flytning"))
    borger = bosat(kommuner["A"], kommuner["jcA"], fra=days(-400))
    data = {"cpr": borger.cpr, "fra": kommuner["A"].pk, "til": kommuner["B"].pk}
    response = client.post(
        "/admin/borgerflytte/haendelsekvittering/registrer/", {**data, "flyttedato": flyttedato}
    )
    assert response.status_code == 200 and shown in response.content.decode()
    assert not Borgerflytning.objects.exists()


def test_a_sagsbehandler_cannot_register_a_move(client, sagsbehandler):
    assert client.get("/admin/borgerflytte/haendelsekvittering/registrer/").status_code == 403


def test_dashboard_and_branding(client, sagsbehandler, flow, settings):
    settings.ADMIN_ENVIRONMENT = "TEST"
    page = client.get("/admin/").content.decode()
    assert "Borgerindsats" in page and "miljoe-banner" in page and "TEST" in page
    assert "Afventer fraflytning (A)" in page and "Afviste CPR-hændelser" in page


def test_oauth_management_views_are_not_mounted(client, sagsbehandler):
    assert client.get("/oauth/applications/").status_code == 404
    assert client.get("/oauth/applications/register/").status_code == 404


def test_runserver_request_log_masks_cpr():
    logger = logging.getLogger("django.server")
    handler = logger.handlers[0]
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"GET /?q=%s"', ("0101901234",), None
    )
    for f in handler.filters:
        f.filter(record)
    assert "0101901234" not in record.getMessage()
