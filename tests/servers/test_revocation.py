"""A token revoked on one app server is refused by the other: at once with a shared cache
(Redis, CACHE_URL), within TOKEN_CACHE_SECONDS (5 s) with each process's local memory."""

import base64
import time
import uuid
from urllib.parse import urlencode

import pytest
from django.test import override_settings

from accessrules.oauth.clients import opret_api_klient
from tests.factories import BorgerFactory, KommuneFactory, TilknytningFactory
from tests.live.harness import fetch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

READ = "borgerindsats.asylovergivelse.read"
BOUND = 5.0  # TOKEN_CACHE_SECONDS's default: the documented bound without a shared cache
SLACK = 1.5  # scheduling on a busy 2-core machine
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def client_and_citizen():
    """A kommune client created as an operator would (its secret hashed as the servers hash)."""
    kommune = KommuneFactory(kode="101", navn="København")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=kommune)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        client, secret = opret_api_klient(navn="revoke", organisationer=[kommune], scopes=[READ])
    basic = base64.b64encode(f"{client.application.client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {basic}"}, kommune, borger


def form(data: dict) -> bytes:
    return urlencode(data).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def issue_and_warm(servers, client_auth, kommune, borger):
    """A token from server 1's token endpoint, used on both servers until cached."""
    first = servers[0]
    answer = fetch(
        "POST",
        first.url("/oauth/token/"),
        headers={**client_auth, **FORM},
        body=form({"grant_type": "client_credentials", "scope": READ}),
    )
    assert answer.status == 200, answer.body
    token = answer.json()["access_token"]
    api = {
        "Authorization": f"Bearer {token}",
        "x-civilRegistrationIdentifier": borger.cpr,
        "x-activeOrganisationTypeIdentifier": str(kommune.type),
        "x-activeOrganisationCode": kommune.kode,
    }
    for server in servers:
        for _ in range(12):  # new connections: both workers of each server see it
            assert fetch("GET", server.url("/v1/Asylovergivelse"), headers=api).status == 200
    return token, api


def revoke(server, client_auth, token) -> None:
    answer = fetch(
        "POST",
        server.url("/oauth/revoke_token/"),
        headers={**client_auth, **FORM},
        body=form({"token": token, "token_type_hint": "access_token"}),
    )
    assert answer.status == 200, answer.body


def statuses(server, api, n=12) -> list[int]:
    return [fetch("GET", server.url("/v1/Asylovergivelse"), headers=api).status for _ in range(n)]


def test_with_redis_a_revocation_on_one_server_holds_on_the_other_at_once(
    two_servers, client_and_citizen
):
    client_auth, kommune, borger = client_and_citizen
    env = {"CACHE_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"test-revoke-{uuid.uuid4()}"}
    servers = two_servers(env)
    token, api = issue_and_warm(servers, client_auth, kommune, borger)
    revoke(servers[0], client_auth, token)
    assert statuses(servers[1], api) == [401] * 12
    assert statuses(servers[0], api) == [401] * 12


def test_without_a_shared_cache_every_server_refuses_it_within_the_bound(
    two_servers, client_and_citizen
):
    client_auth, kommune, borger = client_and_citizen
    servers = two_servers()
    token, api = issue_and_warm(servers, client_auth, kommune, borger)
    revoke(servers[0], client_auth, token)
    revoked_at = time.monotonic()
    deadline = revoked_at + BOUND + SLACK
    while True:
        seen = statuses(servers[1], api, 6) + statuses(servers[0], api, 6)
        if seen == [401] * 12:
            break
        assert set(seen) <= {200, 401}, seen
        assert time.monotonic() < deadline, f"still accepted {time.monotonic() - revoked_at:.1f} s"
        time.sleep(0.2)
    # and it stays refused
    time.sleep(BOUND - min(BOUND, time.monotonic() - revoked_at))
    assert statuses(servers[1], api) == statuses(servers[0], api) == [401] * 12
