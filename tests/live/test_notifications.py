"""SPEC 9 over HTTP against real processes: gunicorn answers the writes, the worker
(`lever_notifikationer`) delivers to HTTPS receivers on loopback that verify every signature
with the Standard Webhooks library. A receiver that was down gets every event; a worker
SIGKILLed mid-delivery loses none (a duplicate carries the same id); a hanging receiver does
not hold up another; a failed write sends nothing; a refused address is never connected to."""

import uuid

import pytest

from accessrules.models import Levering, LeveringStatus, Notifikation
from tests.accessrules.notifikationer.receiver import Receiver, make_certificate
from tests.borgerflytte.conftest import BorgerflytningFactory
from tests.factories import (
    ApiClientFactory,
    JobcenterFactory,
    KommuneFactory,
    access_token_for,
)
from tests.live.harness import fetch
from tests.live.notifikationer import FAST, wait_for, workers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SCOPES = [
    "borgerkommunikation.jobcentertilknytning.write",
    "borgerindsats.abonnementer.write",
]
FRA_URL = "/v1/BorgerFlytte/action/bekraeftfraflytning"


class Org:
    """An API client for one organisation, talking to a live server."""

    def __init__(self, organisation, server):
        self.organisation, self.server = organisation, server
        client = ApiClientFactory(organisationer=[organisation])
        self.headers = {
            "Authorization": f"Bearer {access_token_for(client, SCOPES)}",
            "x-activeOrganisationTypeIdentifier": str(organisation.type),
            "x-activeOrganisationCode": organisation.kode,
        }

    def call(self, method, path, body=None, **headers):
        return fetch(method, self.server.url(path), headers={**self.headers, **headers}, body=body)

    def subscribe(self, receiver: Receiver, url: str | None = None) -> dict:
        body = {
            "callbackUrl": url or receiver.url(),
            "haendelsestyper": ["borgerflytning.bekraeftet"],
        }
        answer = self.call("POST", "/v1/Abonnementer", body)
        assert answer.status == 201, answer.body
        receiver.secrets.append(answer.json()["hemmelighed"])
        return answer.json()

    def confirm(self, flow, cpr=None):
        return self.call(
            "POST",
            FRA_URL,
            {"borgerflytningId": str(flow.pk)},
            **{
                "x-civilRegistrationIdentifier": cpr or flow.borger.cpr,
                "x-requestId": str(uuid.uuid4()),
            },
        )


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("receiver"))


@pytest.fixture
def setup(live_servers, tmp_path, certificate):
    cert, key = certificate
    env = {**FAST, "NOTIFICATION_CA_BUNDLE": str(cert), "TOKEN_CACHE_SECONDS": "0"}
    [server] = live_servers(workers=2, env=env)
    a, b = KommuneFactory(kode="101"), KommuneFactory(kode="147")
    JobcenterFactory(kode="10100")
    receivers = []

    def receiver(host="127.0.0.1"):
        running = Receiver(cert, key, host=host).__enter__()
        receivers.append(running)
        return running

    with workers(tmp_path) as start_worker:
        yield {
            "A": Org(a, server),
            "B": Org(b, server),
            "receiver": receiver,
            "worker": lambda: start_worker(env),
        }
    for running in receivers:
        running.__exit__()


def flows(n):
    return [
        BorgerflytningFactory(fraflytningskommune="101", tilflytningskommune="147")
        for _ in range(n)
    ]


def test_a_receiver_down_then_a_worker_killed_mid_delivery_loses_nothing(setup):
    receiver = setup["receiver"]()
    receiver.mode = "down"
    setup["A"].subscribe(receiver)
    worker = setup["worker"]()  # it starts while the writes are made
    confirmed = flows(30)
    for flow in confirmed:
        assert setup["A"].confirm(flow).status == 204
    wait_for(lambda: Levering.objects.filter(forsoeg__gte=2).exists(), 30, "a retry")
    assert receiver.received == []  # down: 503 to every try
    receiver.mode, receiver.delay = "up", 0.1
    wait_for(lambda: len(receiver.received) >= 3, 30, "the first deliveries")
    worker.kill()  # SIGKILL, with deliveries in progress
    assert len(set(receiver.ids())) < 30, "all delivered before the kill: nothing proven"
    setup["worker"]()
    expected = {str(i) for i in Notifikation.objects.values_list("id", flat=True)}
    wait_for(lambda: set(receiver.ids()) == expected, 60, "every event after the restart")
    assert len(expected) == 30  # duplicates (a try the kill cut short) carry the same id
    assert not receiver.refused  # every signature verified
    assert {e["event"]["subject"] for e in receiver.received} == {str(f.pk) for f in confirmed}
    delivered = {LeveringStatus.LEVERET}
    wait_for(lambda: set(Levering.objects.values_list("status", flat=True)) == delivered, 10, "")


def test_a_hanging_receiver_a_refused_address_and_a_failed_write(setup):
    """While one receiver hangs until the timeout another keeps receiving; a callback at a
    refused address is never connected to; a write that fails sends nothing; a subscription
    for an organisation the client is not bound to is refused."""
    hanging, up = setup["receiver"](), setup["receiver"]()
    refused = setup["receiver"](host="127.0.0.2")  # not in NOTIFICATION_ALLOWED_NETWORKS
    hanging.mode = "hang"
    setup["A"].subscribe(hanging)
    setup["B"].subscribe(up)
    setup["B"].subscribe(refused, url=refused.url(host="127.0.0.2"))
    [flow, other] = flows(2)
    answer = setup["A"].confirm(flow, cpr=other.borger.cpr)  # the flow is not that citizen's
    assert answer.status == 404, answer.body
    assert not Notifikation.objects.exists()
    setup["worker"]()
    for flow in flows(20):
        assert setup["A"].confirm(flow).status == 204
    wait_for(lambda: len(set(up.ids())) == 20, 15, "the other receiver's events")
    assert hanging.received == [] and not up.refused
    at_refused = Levering.objects.filter(abonnement__callback_url__contains="127.0.0.2")
    wait_for(lambda: at_refused.filter(forsoeg__gte=1).exists(), 15, "a try at 127.0.0.2")
    assert refused.connections == 0
    assert "not allowed" in at_refused.filter(forsoeg__gte=1).first().sidste_fejl
    stranger = setup["A"].call(
        "POST",
        "/v1/Abonnementer",
        {"callbackUrl": up.url(), "haendelsestyper": ["borgerflytning.oprettet"]},
        **{"x-activeOrganisationCode": "147", "x-activeOrganisationTypeIdentifier": "7"},
    )
    assert stranger.status == 403 and stranger.json()["errors"][0]["code"] == 40301
