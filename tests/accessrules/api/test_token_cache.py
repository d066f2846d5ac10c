"""The bearer token and its client come from Django's cache (TOKEN_CACHE_SECONDS); an expired
token is refused at once, a revoked one as soon as it is deleted."""

import datetime

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory
from tests.statements import statements

pytestmark = [pytest.mark.urls("tests.accessrules.api.probe"), pytest.mark.django_db]
CPR = "x-civilRegistrationIdentifier"


def test_a_cached_token_costs_no_query(integrator_for):
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    with statements() as sent:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    # the citizen and the access-log row; token, client and organisations come from the cache
    assert sent.verbs() == ["SELECT", "INSERT"], sent


def test_without_the_cache_the_token_is_read_on_every_call(integrator_for, settings):
    settings.TOKEN_CACHE_SECONDS = 0
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    with statements() as sent:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    assert sent.matching("oauth2_provider_accesstoken"), sent


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
