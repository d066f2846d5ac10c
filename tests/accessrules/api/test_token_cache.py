"""The bearer token and its client come from Django's cache (TOKEN_CACHE_SECONDS); an expired
token is refused at once, a revoked one as soon as it is deleted."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken

from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

pytestmark = [pytest.mark.urls("tests.accessrules.api.probe"), pytest.mark.django_db]
CPR = "x-civilRegistrationIdentifier"


def test_a_cached_token_costs_no_query(integrator_for):
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    data = [q["sql"].split()[0] for q in captured if q["sql"].split()[0] in ("SELECT", "INSERT")]
    # the citizen and the access-log row; token, client and organisations come from the cache
    assert data == ["SELECT", "INSERT"]


def test_without_the_cache_the_token_is_read_on_every_call(integrator_for, settings):
    settings.TOKEN_CACHE_SECONDS = 0
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    assert any("oauth2_provider_accesstoken" in q["sql"] for q in captured)


def test_an_expired_token_is_refused_even_when_cached(integrator_for, monkeypatch):
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    later = timezone.now() + datetime.timedelta(days=2)  # past the token's expiry
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = star.call("get", "/probe", headers={CPR: borger.cpr})
    assert response.status_code == 401
    assert error_codes(response) == [40100]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once(integrator_for):
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    AccessToken.objects.get().revoke()  # the toolkit's revocation deletes the token
    response = star.call("get", "/probe", headers={CPR: borger.cpr})
    assert (response.status_code, error_codes(response)) == (401, [40100])


def test_an_unknown_token_is_401(integrator_for):
    star = integrator_for(StarFactory())
    star.token = "not-a-token"
    response = star.call("get", "/probe", headers={CPR: BorgerFactory().cpr})
    assert (response.status_code, error_codes(response)) == (401, [40100])
