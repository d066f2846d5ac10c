"""A shared cache (Redis) that stops answering: the API goes on without it
(accessrules.api.shared_cache). The first call waits out CACHE_SOCKET_TIMEOUT_MS once and
reads the token from the database; the calls after it skip the cache at once while the
failure is remembered; then the cache is tried again. Elsewhere (a cache error the API does
not expect) the answer is 503 problem+json with Retry-After, not 500. The Redis here is a
loopback listener that accepts and never answers."""

import time

import pytest
from oauth2_provider.models import AccessToken
from redis.exceptions import TimeoutError as RedisTimeoutError

from accessrules.api.problems import problem_of
from tests.config.blackhole import Blackhole
from tests.factories import StarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanging_cache(settings):
    hole = Blackhole(("127.0.0.1", 9))
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{hole.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }
    settings.CACHE_UNAVAILABLE_MEMO_MS = 1000
    yield hole
    hole.close()


URL = "/v1/BorgerFlytte"


@pytest.fixture
def star(integrator_for):
    return integrator_for(StarFactory())


def timed(caller):
    started = time.monotonic()
    response = caller.call("GET", URL)
    return response, time.monotonic() - started


def test_the_api_answers_without_the_cache(star, hanging_cache):
    first, took = timed(star)
    assert first.status_code == 200, first.content
    assert hanging_cache.accepted >= 1 and 0.3 <= took < 2  # one wait for the cache
    asked = hanging_cache.accepted
    second, took = timed(star)
    assert second.status_code == 200 and took < 0.3  # the failure remembered: skipped
    assert hanging_cache.accepted == asked
    time.sleep(1.1)
    third, _ = timed(star)
    assert third.status_code == 200
    assert hanging_cache.accepted > asked  # tried again after the memo


def test_a_token_revoked_while_the_cache_is_down_is_refused(star, hanging_cache):
    timed(star)  # the cache found down
    AccessToken.objects.get(token=star.token).delete()  # its entry cannot be dropped: skipped
    response, _ = timed(star)
    assert response.status_code == 401  # read from the database


def test_an_unexpected_cache_error_is_503_with_retry_after():
    problem = problem_of(RedisTimeoutError("Timeout reading from socket"))
    assert problem.status == 503 and problem.headers == {"Retry-After": "5"}
    assert [v.code for v in problem.violations] == [50300]
