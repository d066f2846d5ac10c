"""A database that is unavailable (a failover under way, only standbys reachable, a statement
timeout) is answered 503 problem+json with Retry-After, never 500: in a DRF view and outside
one (the OAuth token view). The real failover: tests/failover/."""

import pytest
from django.db import OperationalError

from accessrules.api import authentication
from tests.asylovergivelse.conftest import URL
from tests.conftest import error_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection failed: server is in recovery (read-only)")

    return refuse


def test_an_api_call_is_503_with_retry_after(client, monkeypatch, no_database, settings):
    settings.UNAVAILABLE_RETRY_AFTER_SECONDS = 7
    monkeypatch.setattr(authentication.BearerTokenAuthentication, "authenticate", no_database)
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer x")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "7"
    assert error_codes(response) == [50300]
    assert "recovery" not in response.content.decode()


def test_outside_a_drf_view_too(client, monkeypatch, no_database):
    from oauth2_provider.views import TokenView

    monkeypatch.setattr(TokenView, "post", no_database)
    client.raise_request_exception = False
    response = client.post("/oauth/token/", {"grant_type": "client_credentials"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert error_codes(response) == [50300]


def test_any_other_error_outside_a_view_stays_500(client, monkeypatch):
    from oauth2_provider.views import TokenView

    def boom(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(TokenView, "post", boom)
    client.raise_request_exception = False
    response = client.post("/oauth/token/", {"grant_type": "client_credentials"})
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert error_codes(response) == [50000]
