"""Issue 23 item 1: the access log is partitioned by day on PostgreSQL, with a DEFAULT
partition; `opret_partitioner` creates partitions ahead and moves the DEFAULT partition's rows
of a new day into it; `purge` detaches and drops whole days and keeps no row more than a day
past the retention; /metrics says how far ahead the partitions exist."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accessrules.accesslog import partitions, retention
from accessrules.models import AccessLogEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL partitioning"),
]


def _row(at: datetime.datetime) -> int:
    entry = AccessLogEntry.objects.create(handling="GET x", outcome=200)
    AccessLogEntry.objects.filter(pk=entry.pk).update(created_at=at)  # moves it across partitions
    return entry.pk


def _partition_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM accessrules_accesslogentry WHERE id = %s", [pk]
        )
        return cursor.fetchone()[0]


def _exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        return cursor.fetchone()[0] is not None


def test_the_table_is_partitioned_by_day_with_a_default_and_the_key_in_the_primary_key():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_partkeydef('accessrules_accesslogentry'::regclass), "
            "pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'accessrules_accesslogentry'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone() == ("RANGE (created_at)", "PRIMARY KEY (id, created_at)")
    assert _exists(partitions.DEFAULT)
    assert partitions.days_ahead() >= 13  # the migration made 14 (a midnight may have passed)
    today = _row(timezone.now())
    assert _partition_of(today) == partitions.name_of(partitions.today())


def test_opret_partitioner_creates_days_ahead_and_moves_the_default_partitions_rows():
    later = timezone.now() + datetime.timedelta(days=30)
    pk = _row(later)
    assert _partition_of(pk) == partitions.DEFAULT  # no partition that far ahead yet
    out = StringIO()
    call_command("opret_partitioner", "--ahead", "31", stdout=out)
    assert "they exist 31 days ahead" in out.getvalue()
    assert partitions.days_ahead() == 31
    assert _partition_of(pk) == partitions.name_of(later.astimezone(datetime.UTC).date())
    assert AccessLogEntry.objects.filter(pk=pk).exists()
    call_command("opret_partitioner", "--ahead", "31", stdout=out)
    assert "0 partitions created" in out.getvalue()


def test_purge_drops_whole_old_days_and_keeps_no_row_a_day_past_retention(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    cutoff = retention.cutoff(30)
    old_day = (cutoff - datetime.timedelta(days=10)).date()
    partitions.create(old_day)
    in_old_partition = _row(cutoff - datetime.timedelta(days=10))
    assert _partition_of(in_old_partition) == partitions.name_of(old_day)
    in_default = _row(cutoff - datetime.timedelta(days=2))
    kept = _row(cutoff + datetime.timedelta(hours=1))
    with connection.cursor() as cursor:  # the test's inserts' deferred FK checks, done now
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("purge", stdout=StringIO(), stderr=StringIO())
    assert not _exists(partitions.name_of(old_day))  # detached and dropped
    remaining = set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert in_old_partition not in remaining and in_default not in remaining
    assert kept in remaining
    day_past = cutoff - datetime.timedelta(days=1)
    assert not AccessLogEntry.objects.filter(created_at__lt=day_past).exists()


def test_metrics_report_how_far_ahead_partitions_exist(client, settings):
    settings.METRICS_TOKEN = "a-metrics-secret"
    partitions.ensure_ahead(20)
    body = client.get("/metrics", headers={"X-Metrics-Token": "a-metrics-secret"}).content
    assert b"borgerindsats_access_log_partitions_ahead_days 20\n" in body


def test_purge_drops_a_month_of_partitions_in_one_statement_and_one_transaction(settings):
    """Issue 23 item 4 (purge of a month under a second): one DROP TABLE for every expired
    day, no DETACH per day (each took the parent's lock and a commit of its own)."""
    from tests.statements import statements

    cutoff = retention.cutoff(30)
    first = (cutoff - datetime.timedelta(days=40)).date()
    month = [first + datetime.timedelta(days=i) for i in range(31)]
    for day in month:
        partitions.create(day)
    with statements() as sent:
        partitions.drop_expired(cutoff)
    assert not any(_exists(partitions.name_of(day)) for day in month)
    [drop] = sent.matching("DROP TABLE")
    assert all(partitions.name_of(day) in drop for day in month)
    assert not sent.matching("DETACH")
    assert len([sql for sql in sent.all() if sql.startswith("SAVEPOINT")]) == 1  # one transaction
