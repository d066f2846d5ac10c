"""The settings behind PgBouncer and with a shared cache, read from the environment as a
server would (a fresh interpreter with config.settings)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "binding": db.get("OPTIONS", {}).get("server_side_binding"),
    "prepare": db.get("OPTIONS", {}).get("prepare_threshold"),
    "startup": db.get("OPTIONS", {}).get("options", ""),
    "cursors_off": db["DISABLE_SERVER_SIDE_CURSORS"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "location": settings.CACHES["default"]["LOCATION"],
    "prefix": settings.CACHES["default"]["KEY_PREFIX"],
}))
"""


def settings_with(**env) -> dict:
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="settings-probe-only",
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/some_db",
    )
    base.update(env)
    code = f"import django; django.setup()\n{PROBE}"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_defaults_direct_postgresql_and_local_memory():
    found = settings_with()
    assert found["binding"] is True
    assert found["prepare"] == 5  # Django's default would be None: never prepared
    assert found["startup"] == "-c plan_cache_mode=force_custom_plan"
    assert found["cursors_off"] is False
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["prefix"] == "some_db"


def test_behind_pgbouncer_with_a_shared_cache():
    found = settings_with(
        DATABASE_SERVER_SIDE_BINDING="0",
        DATABASE_DISABLE_SERVER_SIDE_CURSORS="1",
        CACHE_URL="redis://127.0.0.1:6379/0",
        CACHE_KEY_PREFIX="deployment-a",
    )
    assert found["binding"] is False
    assert found["prepare"] is None
    assert found["startup"] == ""  # PgBouncer refuses startup options it does not know
    assert found["cursors_off"] is True
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["location"] == "redis://127.0.0.1:6379/0"
    assert found["prefix"] == "deployment-a"


def test_prepared_statements_can_be_turned_off():
    assert settings_with(DATABASE_PREPARE_THRESHOLD="0")["prepare"] is None
    assert settings_with(DATABASE_PREPARE_THRESHOLD="2")["prepare"] == 2
    found = settings_with(DATABASE_PLAN_CACHE_MODE="auto", DATABASE_STATEMENT_TIMEOUT_MS="900")
    assert found["startup"] == "-c plan_cache_mode=auto -c statement_timeout=900"


@pytest.mark.django_db
def test_a_statement_run_often_on_one_connection_is_prepared():
    """On PostgreSQL with the defaults: planned once per connection, not per request."""
    from django.db import connection

    from accessrules.models import Borger

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for pk in range(6):  # different values, one statement
        Borger.objects.filter(pk=pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "accessrules_borger" WHERE "accessrules_borger"."id" = $%'],
        )
        assert cursor.fetchone()[0] == 1
        # ... and planned for its values each time: no generic plan on a guess of them
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"


HANGING_CACHE = """
import json, time
from django.core.cache import cache
started = time.monotonic()
try:
    cache.get("anything")
    error = None
except Exception as exc:
    error = type(exc).__name__
print(json.dumps({"error": error, "seconds": time.monotonic() - started}))
"""


def test_a_redis_that_never_answers_fails_the_call_within_the_timeout(monkeypatch):
    from tests.config.blackhole import Blackhole

    hole = Blackhole(("127.0.0.1", 9))  # accepts, never answers
    monkeypatch.setattr("tests.config.test_pooling_and_cache_settings.PROBE", HANGING_CACHE)
    try:
        found = settings_with(
            CACHE_URL=f"redis://127.0.0.1:{hole.port}/0", CACHE_SOCKET_TIMEOUT_MS="300"
        )
    finally:
        hole.close()
    assert hole.accepted >= 1
    assert found["error"] == "TimeoutError"
    assert 0.25 <= found["seconds"] < 2


def test_a_cache_url_that_is_not_redis_is_refused():
    with pytest.raises(AssertionError, match="CACHE_URL must be a redis"):
        settings_with(CACHE_URL="memcached://127.0.0.1:11211")
