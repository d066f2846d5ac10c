"""Reads on a standby (issue 24, item 4): the settings that add the `replica` alias, and the
router that sends a call's reads where `accessrules.core.reads` says, its writes to the
primary. The standby itself: tests/replica/test_standby_reads.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accessrules.access.tables import Operation
from accessrules.api.replica import REPLICA, STANDBY_OPERATIONS, ReplicaRouter, reading
from accessrules.core import reads
from accessrules.models import AccessLogEntry, Borger

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json
from django.conf import settings
replica = settings.DATABASES.get("replica")
print(json.dumps({
    "replica": replica and {k: replica[k] for k in ("HOST", "PORT", "NAME", "OPTIONS", "TEST")},
    "routers": settings.DATABASE_ROUTERS,
    "max_lag": settings.DATABASE_REPLICA_MAX_LAG_SECONDS,
}))
"""
PRIMARY = "postgres://app@pg1:5432,pg2:5432/bi?target_session_attrs=read-write"


def settings_with(**env) -> subprocess.CompletedProcess:
    base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    base.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="probe", DATABASE_URL=PRIMARY)
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{PROBE}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )


def test_no_replica_by_default():
    out = settings_with()
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"replica": None, "routers": [], "max_lag": 5}


def test_a_replica_url_adds_the_alias_and_the_router():
    out = settings_with(
        DATABASE_REPLICA_URL="postgres://app@pg2:5432,pg3:5432/bi?target_session_attrs=standby",
        DATABASE_REPLICA_MAX_LAG_SECONDS="2",
        DATABASE_STATEMENT_TIMEOUT_MS="5000",
        CACHE_URL="redis://127.0.0.1:6379/15",
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    replica = found["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("pg2,pg3", "5432,5432", "bi")
    # the primary's connection options, not its choice of a primary
    assert replica["OPTIONS"]["target_session_attrs"] == "standby"
    assert "statement_timeout=5000" in replica["OPTIONS"]["options"]
    assert replica["OPTIONS"]["server_side_binding"] is True
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["accessrules.api.replica.ReplicaRouter"]
    assert found["max_lag"] == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DATABASE_REPLICA_URL": "postgres://app@pg2/bi"}, "needs CACHE_URL"),
        (
            {
                "DATABASE_REPLICA_URL": "postgres://app@pg2,pg3/bi?target_session_attrs=read-write",
                "CACHE_URL": "redis://127.0.0.1:6379/15",
            },
            "target_session_attrs=standby",
        ),
        (
            {
                "DATABASE_URL": "sqlite:///x.sqlite3",
                "DATABASE_REPLICA_URL": "postgres://app@pg2/bi",
                "CACHE_URL": "redis://127.0.0.1:6379/15",
            },
            "needs PostgreSQL",
        ),
    ],
)
def test_a_replica_is_refused_at_start_when_it_cannot_be_safe(env, message):
    out = settings_with(**env)
    assert out.returncode != 0 and message in out.stderr, out.stderr[-500:]


def test_the_router_reads_where_the_call_says_and_writes_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Borger) == "default"
    with reads.reading_from(REPLICA):
        assert router.db_for_read(Borger) == REPLICA
        assert router.db_for_write(AccessLogEntry) == "default"
        with reads.primary():  # the access decision
            assert router.db_for_read(Borger) == "default"
        assert router.db_for_read(Borger) == REPLICA
    assert router.db_for_read(Borger) == "default"
    assert router.allow_migrate("default", "accessrules") and not router.allow_migrate(
        REPLICA, "accessrules"
    )


def test_only_the_read_only_operations_may_read_on_a_standby(settings):
    assert {Operation.GET_ASYL, Operation.LIST_FLYTNINGER} <= STANDBY_OPERATIONS
    assert not STANDBY_OPERATIONS & {Operation.CREATE_ASYL, Operation.UPDATE_ASYL}
    assert not STANDBY_OPERATIONS & {Operation.FRAFLYTNING, Operation.CPR_HAENDELSER}
    # without the alias nothing changes: the reads stay on the primary
    assert "replica" not in settings.DATABASES
    with reading(Operation.GET_ASYL, object()):
        assert reads.alias() is None
