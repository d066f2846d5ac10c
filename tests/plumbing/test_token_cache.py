import datetime

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from accessrules.api.authentication import clear_token_cache
from tests.conftest import error_codes
from tests.factories import BorgerFactory, StarFactory

pytestmark = [pytest.mark.urls("tests.plumbing.probe"), pytest.mark.django_db]
CPR = "x-civilRegistrationIdentifier"


@pytest.fixture
def cache_on(settings):
    settings.TOKEN_CACHE_SECONDS = 30
    clear_token_cache()
    yield
    clear_token_cache()


def test_a_cached_token_costs_no_query(cache_on, integrator_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    data = [q["sql"].split()[0] for q in captured if q["sql"].split()[0] in ("SELECT", "INSERT")]
    # the citizen and the access-log row; token, client and organisations come from the cache
    assert data == ["SELECT", "INSERT"]


def test_an_expired_token_is_refused_even_when_cached(cache_on, integrator_for):
    from accessrules.api import authentication

    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    expired = timezone.now() - datetime.timedelta(seconds=1)
    AccessToken.objects.update(expires=expired)
    for token, _client in authentication._cache.values():
        token.expires = expired  # the cached copy expires with the stored one
    response = star.call("get", "/probe", headers={CPR: borger.cpr})
    assert response.status_code == 401
    assert error_codes(response) == [40100]


def test_a_revoked_token_is_refused_after_the_bound(cache_on, integrator_for, settings):
    star = integrator_for(StarFactory())
    borger = BorgerFactory()
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 200
    AccessToken.objects.all().delete()
    settings.TOKEN_CACHE_SECONDS = 0.000001  # the bound has passed
    assert star.call("get", "/probe", headers={CPR: borger.cpr}).status_code == 401
