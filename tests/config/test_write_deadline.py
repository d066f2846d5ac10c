"""Outside the API's operations (the OAuth token endpoint, the admin's forms), a write is
bounded by DATABASE_OPERATION_TIMEOUT_MS and a commit that no synchronous standby confirmed is
answered 503, not as done (config.middleware.WriteDeadlineMiddleware). The notice PostgreSQL
sends when such a commit is cut short is raised here by the test itself; the real standby:
tests/failover/."""

import time

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models.signals import post_save
from oauth2_provider.models import AccessToken

from accessrules.api import outage
from tests.accessrules.oauth.test_tokens import create_client, token
from tests.conftest import error_codes
from tests.factories import StarFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CUT_SHORT = "DO $$ BEGIN RAISE WARNING 'canceling wait for synchronous replication'; END $$"


@pytest.fixture
def on_save():
    """Run a statement inside the request's own database work, when `model` is saved."""
    connected = []

    def connect(model, sql):
        def receiver(**kwargs):  # noqa: ARG001 - the signal's arguments
            with connection.cursor() as cursor:
                cursor.execute(sql)

        post_save.connect(receiver, sender=model, weak=False)
        connected.append((receiver, model))

    yield connect
    for receiver, model in connected:
        post_save.disconnect(receiver, sender=model)


def test_a_token_whose_commit_no_standby_confirmed_is_503(client, on_save, settings):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 4
    credentials = create_client(StarFactory())
    on_save(AccessToken, CUT_SHORT)
    client.raise_request_exception = False
    response = token(client, credentials)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "4"
    assert error_codes(response) == [50300]


def test_the_token_endpoint_is_bounded_by_the_operation_timeout(client, on_save, settings):
    settings.DATABASE_OPERATION_TIMEOUT_MS = 300
    credentials = create_client(StarFactory())
    on_save(AccessToken, "SELECT pg_sleep(20)")
    client.raise_request_exception = False
    started = time.monotonic()
    response = token(client, credentials)
    assert time.monotonic() - started < 10  # cancelled, not the 20 s of the statement
    assert response.status_code == 503
    assert error_codes(response) == [50300]
    assert not AccessToken.objects.exists()


def test_an_admin_write_whose_commit_is_cut_short_is_a_danish_503(client, on_save, settings):
    client.force_login(User.objects.create_superuser("drift", password="x"))
    on_save(Group, CUT_SHORT)
    client.raise_request_exception = False
    response = client.post("/admin/auth/group/add/", {"name": "Ny gruppe"})
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)
    text = response.content.decode()
    assert "Tjenesten er midlertidigt utilgængelig" in text and 'lang="da"' in text


def test_reads_are_not_wrapped(client, settings):
    settings.DATABASE_OPERATION_TIMEOUT_MS = 300
    assert client.get("/healthz").status_code == 200


def test_after_a_commit_cut_short_the_next_writes_are_503_at_once_for_a_moment(
    client, on_save, settings
):
    settings.DATABASE_UNAVAILABLE_MEMO_MS = 500  # accessrules.api.outage
    outage.forget()
    try:
        credentials = create_client(StarFactory())
        on_save(AccessToken, CUT_SHORT)
        client.raise_request_exception = False
        assert token(client, credentials).status_code == 503
        assert AccessToken.objects.count() == 1  # it committed, on the primary only
        # remembered: refused before the token endpoint runs, nothing written, no wait
        response = token(client, credentials)
        assert response.status_code == 503 and error_codes(response) == [50300]
        assert AccessToken.objects.count() == 1
        time.sleep(0.5)  # expired: the next write is tried again (and cut short again here)
        assert token(client, credentials).status_code == 503
        assert AccessToken.objects.count() == 2
    finally:
        outage.forget()
