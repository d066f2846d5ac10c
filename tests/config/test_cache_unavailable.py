"""A shared cache (Redis) that stops answering: the call fails within CACHE_SOCKET_TIMEOUT_MS
and is answered 503 problem+json with Retry-After, as for the database, not held until
gunicorn's timeout and not 500. The Redis here is a loopback listener that accepts and
never answers."""

import time

import pytest

from tests.asylovergivelse.conftest import URL
from tests.config.blackhole import Blackhole
from tests.conftest import error_codes

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
    yield hole
    hole.close()


def test_an_api_call_is_503_within_the_timeout(client, hanging_cache):
    started = time.monotonic()
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer some-token")
    took = time.monotonic() - started
    assert hanging_cache.accepted >= 1  # the token's look-up asked the cache
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert error_codes(response) == [50300]
    assert took < 2
