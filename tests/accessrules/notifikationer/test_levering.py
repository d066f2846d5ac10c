"""Events recorded in the write's transaction, and one delivery try (SPEC 9): signed per
Standard Webhooks (verified by the receiver with that library), CloudEvents in structured
mode, retried and then failed, never to a refused address."""

import json
import logging

import pytest
from django.db import transaction
from django.utils import timezone

from accessrules.models import Abonnement, Levering, LeveringStatus, Notifikation
from accessrules.notifikationer import levering, retry, services
from borgerflytte import services as flytte
from tests.accessrules.notifikationer.conftest import URL
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import KommuneFactory, StarFactory

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_flows_events_go_to_those_that_see_it(abonnent, kommuner):
    a, jc_b, star = abonnent(kommuner["A"]), abonnent(kommuner["jcB"]), abonnent(StarFactory())
    outsider = abonnent(KommuneFactory(kode="169"))
    only_created = abonnent(kommuner["B"], ["borgerflytning.oprettet"])
    flow = BorgerflytningFactory()
    flytte.annuller(flytning_id=flow.pk, begrundelse="fejl", af="test")
    [event] = Notifikation.objects.all()
    assert (event.type, event.subject) == ("borgerflytning.annulleret", str(flow.pk))
    assert event.data == {
        "borgerflytningId": str(flow.pk),
        "tilstand": "ANNULLERET",
        "fraflytningskommunekode": "101",
        "tilflytningskommunekode": "147",
    }
    got = {str(lev.abonnement_id) for lev in Levering.objects.all()}
    assert got == {x.abonnement["abonnementId"] for x in (a, jc_b, star)}
    assert outsider.abonnement["abonnementId"] not in got
    assert only_created.abonnement["abonnementId"] not in got


def test_a_rolled_back_write_records_nothing(abonnent, kommuner):
    abonnent(kommuner["A"])
    flow = BorgerflytningFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        flytte.annuller(flytning_id=flow.pk, begrundelse="fejl", af="test")
        assert Levering.objects.count() == 1
        raise RuntimeError
    assert not Notifikation.objects.exists() and not Levering.objects.exists()


def _one_delivery(abonnent, kommuner, receiver):
    integrator = abonnent(kommuner["A"], callback=receiver.url())
    receiver.secrets = [integrator.abonnement["hemmelighed"]]
    flow = BorgerflytningFactory()
    flytte.annuller(flytning_id=flow.pk, begrundelse="fejl", af="test")
    return integrator, Levering.objects.get()


def test_a_delivery_is_signed_and_a_cloudevent(abonnent, kommuner, receiver):
    integrator, lev = _one_delivery(abonnent, kommuner, receiver)
    assert levering.proev(lev.pk, sidste=False) == LeveringStatus.LEVERET
    [got] = receiver.received
    event = got["event"]
    assert got["headers"]["content-type"].startswith("application/cloudevents+json")
    assert event["id"] == got["headers"]["webhook-id"] == str(lev.notifikation.id)
    assert event["specversion"] == "1.0" and event["source"] == "urn:dk:star:borgerindsats"
    assert event["type"] == "borgerflytning.annulleret"
    assert lev.notifikation.subject == event["subject"]
    assert "cpr" not in json.dumps(event).lower()
    lev.refresh_from_db()
    assert (lev.status, lev.forsoeg, lev.sidste_fejl) == (LeveringStatus.LEVERET, 1, "")
    assert levering.proev(lev.pk, sidste=False) == LeveringStatus.LEVERET  # run twice: once
    assert len(receiver.received) == 1


def test_during_a_rotation_both_secrets_sign(abonnent, kommuner, receiver):
    integrator, lev = _one_delivery(abonnent, kommuner, receiver)
    old = integrator.abonnement["hemmelighed"]
    pk = integrator.abonnement["abonnementId"]
    new = integrator.call("post", f"{URL}/{pk}/ny-hemmelighed").json()["hemmelighed"]
    receiver.secrets = [old]  # a receiver that has not switched yet still verifies
    levering.proev(lev.pk, sidste=False)
    assert len(receiver.received[0]["headers"]["webhook-signature"].split()) == 2
    receiver.secrets = [new]
    Levering.objects.filter(pk=lev.pk).update(status=LeveringStatus.AFVENTER)
    levering.proev(lev.pk, sidste=False)
    assert len(receiver.received) == 2 and not receiver.refused


def test_a_failed_try_is_retried_then_failed_and_logged(abonnent, kommuner, receiver, caplog):
    integrator, lev = _one_delivery(abonnent, kommuner, receiver)
    receiver.mode = "down"
    with pytest.raises(levering.IkkeLeveret, match="HTTP 503"):
        levering.proev(lev.pk, sidste=False)
    abonnement = Abonnement.objects.get(pk=lev.abonnement_id)
    assert abonnement.pause_til > timezone.now()
    connections = receiver.connections
    with pytest.raises(levering.IkkeLeveret, match="paused"):
        levering.proev(lev.pk, sidste=False)
    assert receiver.connections == connections  # paused: not connected to
    with caplog.at_level(logging.ERROR):
        assert levering.proev(lev.pk, sidste=True) == LeveringStatus.FEJLET
    assert "failed after 2 tries" in caplog.text
    lev.refresh_from_db()
    assert (lev.status, lev.forsoeg) == (LeveringStatus.FEJLET, 2)
    receiver.mode = "up"
    assert services.gensend([lev]) == 1
    assert levering.proev(lev.pk, sidste=False) == LeveringStatus.LEVERET
    assert receiver.ids() == [str(lev.notifikation.id)]  # the same id as every try


def test_a_hanging_receiver_is_a_timeout(abonnent, kommuner, receiver):
    _, lev = _one_delivery(abonnent, kommuner, receiver)
    receiver.mode = "hang"
    with pytest.raises(levering.IkkeLeveret, match="timeout"):
        levering.proev(lev.pk, sidste=False)


def test_a_refused_address_is_never_connected_to(abonnent, kommuner, receiver, settings):
    _, lev = _one_delivery(abonnent, kommuner, receiver)
    settings.NOTIFICATION_ALLOWED_NETWORKS = []  # loopback no longer listed
    with pytest.raises(levering.IkkeLeveret, match="not allowed"):
        levering.proev(lev.pk, sidste=False)
    assert receiver.connections == 0


def test_a_certificate_outside_the_bundle_is_refused(abonnent, kommuner, receiver, settings):
    _, lev = _one_delivery(abonnent, kommuner, receiver)
    settings.NOTIFICATION_CA_BUNDLE = ""  # the system's: the receiver's is self-made
    with pytest.raises(levering.IkkeLeveret, match="CERTIFICATE_VERIFY_FAILED"):
        levering.proev(lev.pk, sidste=False)
    assert not receiver.received


def test_the_backoff_covers_24_hours_by_default():
    waits = retry.ventetider()
    assert waits[:3] == [10, 20, 40] and max(waits) == 3600
    assert sum(waits) >= 24 * 3600 and retry.forsoeg() == len(waits) + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # committed: the list serves only ended transactions
def test_catch_up_lists_the_subscriptions_events_in_order(abonnent, kommuner):
    integrator = abonnent(kommuner["A"])
    flows = [BorgerflytningFactory() for _ in range(3)]
    for flow in flows:
        flytte.annuller(flytning_id=flow.pk, begrundelse="fejl", af="test")
    pk = integrator.abonnement["abonnementId"]
    first = integrator.call("get", f"{URL}/{pk}/haendelser", limit="2").json()
    assert [e["subject"] for e in first["haendelser"]] == [str(f.pk) for f in flows[:2]]
    assert first["flere"] is True
    after = first["haendelser"][-1]["id"]
    rest = integrator.call("get", f"{URL}/{pk}/haendelser", efter=after).json()
    assert [e["subject"] for e in rest["haendelser"]] == [str(flows[2].pk)]
    assert rest["flere"] is False
    bad = integrator.call("get", f"{URL}/{pk}/haendelser", efter="nej", x="1")
    assert bad.status_code == 400
    assert {e["field"] for e in bad.json()["errors"]} == {"efter", "x"}
