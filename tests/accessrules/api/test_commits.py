"""accessrules.api.commits: a write's transaction is bounded (its statement cancelled through
libpq when the deadline passes) and a COMMIT whose wait for a synchronous standby was cut
short is noticed. The real standby-less primary: tests/failover/."""

import time

import pytest
from django.db import OperationalError, connection, transaction

from accessrules.api import commits

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_statement_past_the_deadline_is_cancelled():
    started = time.monotonic()
    with (
        pytest.raises(OperationalError, match="canceling statement due to user request"),
        commits.deadline(0.3),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(5)")
    assert time.monotonic() - started < 2
    with connection.cursor() as cursor:  # the connection is usable afterwards
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_no_deadline_and_a_quick_transaction_are_left_alone():
    for seconds in (0, 5):
        with commits.deadline(seconds), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.05)")
        assert not commits.unreplicated()


def test_the_warning_of_a_cancelled_wait_for_the_standby_is_noticed():
    connection.close()  # a new connection: watch() adds its notice handler
    with commits.deadline(5), transaction.atomic(), connection.cursor() as cursor:
        # what PostgreSQL sends when a COMMIT's wait for a synchronous standby is cancelled
        cursor.execute(
            "DO $$ BEGIN RAISE WARNING 'canceling wait for synchronous replication due to "
            "user request'; END $$"
        )
    assert commits.unreplicated()
    with commits.deadline(5):  # forgotten at the next write
        assert not commits.unreplicated()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DO $$ BEGIN RAISE WARNING 'something else'; END $$")
    assert not commits.unreplicated()
