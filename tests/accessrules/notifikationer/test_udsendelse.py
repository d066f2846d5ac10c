"""An event's deliveries tried at once by one job (`udsendelse`, the event job), and a
subscription's backlog caught up by one job (`indhentning`, the catch-up): real receivers on
loopback, the queue's jobs read from its table."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from accessrules.models import Abonnement, Levering, LeveringStatus
from accessrules.notifikationer import indhentning, levering, tasks, udsendelse
from borgerflytte import services as flytte
from tests.accessrules.notifikationer.receiver import Receiver
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import StarFactory

# notifications need PostgreSQL (Procrastinate); on SQLite they are off: test_sqlite.py
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def other(certificate, receiver):
    """A second receiver (the first is `receiver`), on the same allowed loopback."""
    cert, key = certificate
    with Receiver(cert, key) as running:
        yield running


def _subscribe(abonnent, organisation, to: Receiver):
    integrator = abonnent(organisation, callback=to.url())
    to.secrets.append(integrator.abonnement["hemmelighed"])
    return integrator.abonnement["abonnementId"]


def _cancel(n=1):
    for _ in range(n):
        flytte.annuller(flytning_id=BorgerflytningFactory().pk, begrundelse="fejl", af="test")


def _catch_ups():
    return ProcrastinateJob.objects.filter(task_name="notifikationer.indhent", status="todo")


def test_a_write_queues_one_job_for_its_event(abonnent, kommuner, receiver):
    for organisation in (kommuner["A"], kommuner["jcA"], StarFactory()):
        _subscribe(abonnent, organisation, receiver)
    _cancel()
    [job] = ProcrastinateJob.objects.filter(queue_name=tasks.QUEUE)
    assert job.task_name == "notifikationer.udsend"
    assert sorted(job.args["levering_ids"]) == sorted(Levering.objects.values_list("pk", flat=True))


def test_an_events_deliveries_go_at_once_in_a_read_and_a_record(
    abonnent, kommuner, receiver, django_assert_num_queries
):
    for organisation in (kommuner["A"], kommuner["jcA"], kommuner["B"], StarFactory()):
        _subscribe(abonnent, organisation, receiver)
    _cancel()
    ids = list(Levering.objects.values_list("pk", flat=True))
    with django_assert_num_queries(2):  # whatever the number of subscribers
        udfald = udsendelse.udsend(ids, overdrag=tasks.koe_indhentning)
    assert udfald == (4, 0, 4)
    assert len(receiver.received) == 4 and len(set(receiver.ids())) == 1 and not receiver.refused
    assert set(Levering.objects.values_list("status", "forsoeg")) == {(LeveringStatus.LEVERET, 1)}
    assert udsendelse.udsend(ids, overdrag=tasks.koe_indhentning).fundet == 0  # run twice: once


def test_a_failed_try_is_handed_to_one_catch_up_and_the_others_are_delivered(
    abonnent, kommuner, receiver, other
):
    good = _subscribe(abonnent, kommuner["A"], receiver)
    bad = _subscribe(abonnent, kommuner["B"], other)
    other.mode = "down"
    _cancel(2)
    for job in ProcrastinateJob.objects.filter(task_name="notifikationer.udsend"):
        udsendelse.udsend(job.args["levering_ids"], overdrag=tasks.koe_indhentning)
    assert len(receiver.received) == 2
    delivered = Levering.objects.filter(abonnement_id=good)
    assert set(delivered.values_list("status", flat=True)) == {LeveringStatus.LEVERET}
    # the first event's try failed (503) and paused the subscription; the second's waited
    waiting = Levering.objects.filter(abonnement_id=bad).order_by("pk")
    assert [(x.status, x.forsoeg) for x in waiting] == [
        (LeveringStatus.AFVENTER, 1),
        (LeveringStatus.AFVENTER, 0),
    ]
    assert waiting[0].sidste_fejl == "HTTP 503"
    assert Abonnement.objects.get(pk=bad).pause_til > timezone.now()
    [job] = _catch_ups()  # one for the subscription, not one per delivery
    assert job.args == {"abonnement_id": bad} and job.priority < 0
    assert job.scheduled_at > timezone.now()


def test_a_busy_receiver_is_not_connected_to_and_delays_no_other(
    abonnent, kommuner, receiver, other
):
    _subscribe(abonnent, kommuner["A"], receiver)
    busy = _subscribe(abonnent, kommuner["B"], other)
    _cancel()
    for _ in range(levering.PER_SUBSCRIPTION):  # as if that many tries hung in flight
        assert levering.IN_FLIGHT.enter(Abonnement.objects.get(pk=busy).pk)
    try:
        udfald = udsendelse.udsend(
            list(Levering.objects.values_list("pk", flat=True)), overdrag=tasks.koe_indhentning
        )
    finally:
        for _ in range(levering.PER_SUBSCRIPTION):
            levering.IN_FLIGHT.leave(Abonnement.objects.get(pk=busy).pk)
    assert (udfald.leveret, udfald.overdraget) == (1, 1)
    assert len(receiver.received) == 1 and other.connections == 0
    assert _catch_ups().get().args == {"abonnement_id": busy}


def test_the_catch_up_waits_while_the_oldest_fails_then_delivers_the_backlog(
    abonnent, kommuner, receiver, settings
):
    settings.NOTIFICATION_PAUSE_SECONDS = 0  # no pause after a failure: the backoff alone
    pk = _subscribe(abonnent, kommuner["A"], receiver)
    receiver.mode = "down"
    _cancel(5)
    connections = receiver.connections
    with pytest.raises(levering.IkkeLeveret, match="HTTP 503"):
        indhentning.indhent(pk, overdrag=tasks.koe_indhentning, igen=lambda: None)
    assert receiver.connections - connections <= 1  # the oldest alone was tried
    tries = Levering.objects.order_by("pk").values_list("forsoeg", flat=True)
    assert list(tries) == [1, 0, 0, 0, 0]
    # as the worker runs it: it queues its next run after the backoff's wait
    assert "again in" in tasks.indhent(abonnement_id=pk)
    [job] = _catch_ups()
    assert job.scheduled_at > timezone.now() + datetime.timedelta(seconds=5)
    receiver.mode = "up"
    assert indhentning.indhent(pk, overdrag=tasks.koe_indhentning, igen=lambda: None) == (
        "5 delivered"
    )
    assert set(Levering.objects.values_list("status", flat=True)) == {LeveringStatus.LEVERET}
    assert len(set(receiver.ids())) == 5 and not receiver.refused


def test_a_backlog_without_a_job_gets_one(abonnent, kommuner, receiver):
    pk = _subscribe(abonnent, kommuner["A"], receiver)
    _cancel()
    with connection.cursor() as cursor:  # as if its job were lost
        cursor.execute("DELETE FROM procrastinate_jobs WHERE queue_name = %s", [tasks.QUEUE])
    assert tasks.genoptag_ventende(seconds=60) == 0  # too young: its event job may be coming
    Levering.objects.update(oprettet=timezone.now() - datetime.timedelta(minutes=5))
    assert tasks.genoptag_ventende(seconds=60) == 1
    assert tasks.genoptag_ventende(seconds=60) == 1  # one waiting catch-up, not two
    assert _catch_ups().get().args == {"abonnement_id": pk}
