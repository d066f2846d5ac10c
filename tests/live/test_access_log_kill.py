"""SPEC 7: an answered API request's access-log row reaches PostgreSQL before the answer is
sent, so SIGKILL of the server (every worker and the master at once) loses no row of a request
that was answered. Real gunicorn, production settings: nothing here changes how the log is
written."""

import pytest

from accessrules.models import AccessLogEntry
from tests.factories import (
    ApiClientFactory,
    BorgerFactory,
    KommuneFactory,
    TilknytningFactory,
    access_token_for,
)
from tests.live.harness import fetch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/v1/Asylovergivelse"
N = 50


@pytest.fixture
def citizen_and_headers():
    """A kommune caller with an "Egne borgere" citizen (residence in the kommune), committed."""
    kommune = KommuneFactory(kode="101", navn="København")
    borger = BorgerFactory(kontaktgruppe="flygtning")
    TilknytningFactory(borger=borger, organisation=kommune)
    client = ApiClientFactory(organisationer=[kommune])
    scopes = ["borgerindsats.asylovergivelse.read", "borgerindsats.asylovergivelse.write"]
    headers = {
        "Authorization": f"Bearer {access_token_for(client, scopes)}",
        "x-civilRegistrationIdentifier": borger.cpr,
        "x-activeOrganisationTypeIdentifier": str(kommune.type),
        "x-activeOrganisationCode": kommune.kode,
    }
    return borger, headers


def rows() -> list[tuple]:
    return list(
        AccessLogEntry.objects.values_list("handling", "outcome", "error_code", "borger_id")
    )


def test_a_kill_loses_no_row_of_an_answered_read(live_servers, citizen_and_headers):
    borger, headers = citizen_and_headers
    [server] = live_servers(workers=2)
    statuses = [fetch("GET", server.url(URL), headers=headers).status for _ in range(N)]
    assert statuses == [200] * N
    server.kill()
    logged = rows()
    assert len(logged) == N, f"{N - len(logged)} of {N} answered reads lost their row"
    assert set(logged) == {("GetAsylOvergivelse", 200, None, borger.pk)}


def test_a_kill_loses_no_row_of_a_refused_write(live_servers, citizen_and_headers):
    _, headers = citizen_and_headers
    [server] = live_servers(workers=2)
    writes = 10
    for _ in range(writes):
        answer = fetch("POST", server.url(URL), headers=headers, body={"CVEditEndDate": "x"})
        assert answer.status == 400, answer.body
        assert {error["code"] for error in answer.json()["errors"]} == {1014}
    server.kill()
    logged = rows()
    assert len(logged) == writes, f"{writes - len(logged)} of {writes} refused writes lost a row"
    assert set(logged) == {("CreateAsylOvergivelse", 400, 1014, None)}
