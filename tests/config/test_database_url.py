"""DATABASE_URL with the Patroni cluster's nodes in libpq's multi-host form (config.env), and the
settings derived from it in a server's fresh interpreter (config.settings)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url
from tests.config.test_pooling_and_cache_settings import settings_with

CLUSTER = (
    "postgres://app:s%40cret@pg1.example:5432,pg2.example:5433,[2001:db8::3]/borgerindsats"
    "?target_session_attrs=read-write&connect_timeout=3"
)


def test_several_hosts_become_libpq_host_and_port_lists():
    config = database_from_url(CLUSTER, conn_max_age=60, conn_health_checks=True)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["HOST"] == "pg1.example,pg2.example,2001:db8::3"
    assert config["PORT"] == "5432,5433,5432"
    assert (config["USER"], config["PASSWORD"]) == ("app", "s@cret")
    assert config["NAME"] == "borgerindsats"
    assert config["OPTIONS"] == {"target_session_attrs": "read-write", "connect_timeout": 3}
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)


def test_one_host_is_dj_database_urls_own_reading():
    config = database_from_url("postgres://postgres@127.0.0.1:5432/bi?sslmode=require")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("127.0.0.1", 5432, "bi")
    assert config["OPTIONS"] == {"sslmode": "require"}
    assert database_from_url("sqlite:////tmp/x.sqlite3")["NAME"] == "/tmp/x.sqlite3"


@pytest.mark.parametrize("attrs", ["", "?target_session_attrs=any", "?connect_timeout=2"])
def test_several_hosts_without_read_write_are_refused(attrs):
    with pytest.raises(ImproperlyConfigured, match="target_session_attrs=read-write") as caught:
        database_from_url(f"postgres://app:secret@pg1,pg2/bi{attrs}")
    assert "secret" not in str(caught.value)  # the password is masked in the message


def test_primary_is_accepted_like_read_write():
    config = database_from_url("postgres://a@h1,h2/bi?target_session_attrs=primary")
    assert config["HOST"] == "h1,h2"


@pytest.mark.parametrize(
    "url",
    ["postgres://app@pg1,:5432/bi?target_session_attrs=read-write", "postgres://app@pg1:x,pg2/bi"],
)
def test_a_malformed_host_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="HOST"):
        database_from_url(url)


def test_several_hosts_need_postgresql():
    with pytest.raises(ImproperlyConfigured, match="need PostgreSQL"):
        database_from_url("mysql://a@h1,h2/bi?target_session_attrs=read-write")


PROBE_DB = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({k: db[k] for k in ("HOST", "PORT")} | {"OPTIONS": db["OPTIONS"]}))
"""


def test_a_server_reads_the_cluster_url_with_timeouts(monkeypatch):
    monkeypatch.setattr("tests.config.test_pooling_and_cache_settings.PROBE", PROBE_DB)
    found = settings_with(DATABASE_URL=CLUSTER, DATABASE_STATEMENT_TIMEOUT_MS="5000")
    assert found["HOST"] == "pg1.example,pg2.example,2001:db8::3"
    assert found["OPTIONS"]["connect_timeout"] == 3  # the URL's own wins
    assert found["OPTIONS"]["options"] == (
        "-c plan_cache_mode=force_custom_plan -c statement_timeout=5000"
    )
    assert found["OPTIONS"]["target_session_attrs"] == "read-write"
    default = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1/bi")
    assert default["OPTIONS"]["connect_timeout"] == 2
    assert default["OPTIONS"]["options"] == "-c plan_cache_mode=force_custom_plan"
    pooled = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1/bi", DATABASE_SERVER_SIDE_BINDING="0"
    )
    assert "options" not in pooled["OPTIONS"]  # none behind PgBouncer (it refuses them)
