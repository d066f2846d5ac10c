"""The catch-up list (`GET /v1/Abonnementer/{id}/haendelser?efter=`) with two transactions:
an event whose transaction commits after a later-numbered event committed is not skipped by
a cursor that has read up to then (selectors.haendelser_efter serves events below the oldest
transaction still running, in the order of their transactions)."""

import threading

import pytest
from django.db import connections, transaction

from accessrules.models import Abonnement, Notifikation
from accessrules.notifikationer.haendelser import Haendelse, Haendelsestype, registrer
from tests.accessrules.notifikationer.conftest import URL

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _record(abonnement, subject):
    event = Haendelse(
        type=Haendelsestype.BORGERFLYTNING_ANNULLERET,
        subject=subject,
        data={"borgerflytningId": subject},
        synlig_for=lambda a: True,
    )
    with transaction.atomic():
        registrer([event], abonnementer=[abonnement])


def test_an_event_that_commits_late_is_not_skipped(abonnent, kommuner):
    integrator = abonnent(kommuner["A"], ["borgerflytning.annulleret"])
    pk = integrator.abonnement["abonnementId"]
    abonnement = Abonnement.objects.get(pk=pk)

    def subjects(**query):
        answer = integrator.call("get", f"{URL}/{pk}/haendelser", **query)
        assert answer.status_code == 200, answer.content
        return [e["subject"] for e in answer.json()["haendelser"]], answer.json()

    _record(abonnement, "foerst")
    got, body = subjects()
    assert got == ["foerst"]
    cursor = body["haendelser"][-1]["id"]

    recorded, release = threading.Event(), threading.Event()

    def late():
        try:
            with transaction.atomic():
                registrer(
                    [
                        Haendelse(
                            type=Haendelsestype.BORGERFLYTNING_ANNULLERET,
                            subject="sen",
                            data={},
                            synlig_for=lambda a: True,
                        )
                    ],
                    abonnementer=[abonnement],
                )
                recorded.set()
                assert release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=late)
    thread.start()
    try:
        assert recorded.wait(30)
        _record(abonnement, "tidlig")  # a later number, committed first
        # the late transaction is still running: what came after it waits for it
        assert subjects(efter=cursor)[0] == []
    finally:
        release.set()
        thread.join(30)
    sen, tidlig = (Notifikation.objects.get(subject=s).nummer for s in ("sen", "tidlig"))
    assert sen < tidlig  # the order that made a cursor in number order skip "sen"
    got, body = subjects(efter=cursor)
    assert got == ["sen", "tidlig"] and body["flere"] is False
    assert subjects(efter=body["haendelser"][-1]["id"])[0] == []
