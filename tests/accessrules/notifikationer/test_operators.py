"""What operators have: the admin's subscriptions and deliveries (superusers and STAR's
Support only), resend from the admin and a command, the dashboard's and /metrics' count of
failed deliveries (read from the database), and `purge`."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accessrules.models import Abonnement, Levering, LeveringStatus, Notifikation
from borgerflytte import services as flytte
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import KommuneFactory

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def failed(abonnent, kommuner):
    integrator = abonnent(kommuner["A"])
    flytte.annuller(flytning_id=BorgerflytningFactory().pk, begrundelse="x", af="test")
    Levering.objects.update(status=LeveringStatus.FEJLET, forsoeg=31)
    integrator.levering = Levering.objects.get()
    return integrator


def test_the_admin_lists_and_resends_failed_deliveries(client, staff_login, failed):
    staff_login()
    page = client.get("/admin/accessrules/levering/?status__exact=fejlet")
    assert page.status_code == 200 and b"fejlet" in page.content
    index = client.get("/admin/")
    assert "Fejlede notifikationsleveringer" in index.content.decode()
    response = client.post(
        "/admin/accessrules/levering/",
        {"action": "gensend", "_selected_action": [failed.levering.pk]},
    )
    assert response.status_code == 302
    assert Levering.objects.get().status == LeveringStatus.AFVENTER


def test_the_admin_ends_a_subscription_and_never_shows_a_secret(client, staff_login, failed):
    staff_login()
    pk = failed.abonnement["abonnementId"]
    page = client.get(f"/admin/accessrules/abonnement/{pk}/change/")
    assert page.status_code == 200
    assert failed.abonnement["hemmelighed"] not in page.content.decode()
    client.post("/admin/accessrules/abonnement/", {"action": "ophoer", "_selected_action": [pk]})
    assert Abonnement.objects.get(pk=pk).ophoert is not None


def test_a_caseworker_sees_no_notification_pages(client, staff_login, failed):
    # a kommune's Support (staff_login's default is STAR's Support: an operator)
    staff_login("view_levering", "view_abonnement", organisation=KommuneFactory())
    assert client.get("/admin/accessrules/levering/").status_code == 403
    assert "Fejlede notifikationsleveringer" not in client.get("/admin/").content.decode()


def test_the_command_resends(failed):
    with pytest.raises(CommandError):
        call_command("gensend_notifikationer")
    call_command("gensend_notifikationer", "--alle", "--dry-run")
    assert Levering.objects.get().status == LeveringStatus.FEJLET
    call_command("gensend_notifikationer", "--levering", str(failed.levering.pk))
    assert Levering.objects.get().status == LeveringStatus.AFVENTER


def test_metrics_count_failed_deliveries_from_the_database(client, settings, failed):
    settings.METRICS_TOKEN = "t"
    text = client.get("/metrics", headers={"X-Metrics-Token": "t"}).content.decode()
    assert 'borgerindsats_notification_deliveries{status="fejlet"} 1.0' in text
    assert 'borgerindsats_notification_deliveries{status="leveret"} 0.0' in text
    assert "borgerindsats_http_requests_total" in text


def test_purge_deletes_old_events_with_no_delivery_waiting(failed, settings):
    old = timezone.now() - datetime.timedelta(days=settings.NOTIFICATION_RETENTION_DAYS + 1)
    Notifikation.objects.update(tidspunkt=old)
    flytte.annuller(flytning_id=BorgerflytningFactory().pk, begrundelse="x", af="test")
    waiting = Notifikation.objects.filter(tidspunkt__gt=old).get()
    Notifikation.objects.filter(pk=waiting.pk).update(tidspunkt=old)  # old, still waiting
    call_command("purge")
    assert list(Notifikation.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert Levering.objects.get().status == LeveringStatus.AFVENTER
