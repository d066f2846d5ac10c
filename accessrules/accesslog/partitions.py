"""The access log's daily partitions on PostgreSQL (issue 23): plain declarative partitioning,
no extension.

The table `accessrules_accesslogentry` is partitioned by range of `created_at`, one partition
per UTC day (`accessrules_accesslogentry_pYYYYMMDD`, [day, day + 1)), and a DEFAULT partition
(`accessrules_accesslogentry_default`) that takes a row whose day has no partition yet, so a
missed schedule never fails a write. `ensure_ahead` (command `opret_partitioner`, run on a
schedule) creates the partitions from today to `ACCESS_LOG_PARTITIONS_AHEAD` days ahead, moving
any rows the DEFAULT partition holds for such a day into it; `drop_expired` detaches and drops
the partitions wholly older than the retention (a day's rows at most stay past it).
The primary key is (id, created_at): PostgreSQL requires the partition key in it; `id` stays
unique by its sequence, and Django keeps addressing rows by `id`.

Why not pg_partman: it needs the extension installed in every database (tests, the demo, the
recipe's replicas) and its own background worker or a cron call, for what is here ~100 lines
of SQL the migration and the command share; the demo on SQLite keeps a plain table.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

TABLE = "accessrules_accesslogentry"
DEFAULT = f"{TABLE}_default"
_PREFIX = f"{TABLE}_p"


def enabled() -> bool:
    """Whether the table is partitioned (PostgreSQL; SQLite keeps a plain table)."""
    return connection.vendor == "postgresql"


def name_of(day: datetime.date) -> str:
    return f"{_PREFIX}{day:%Y%m%d}"


def _bound(day: datetime.date) -> str:
    """A partition bound, written into DDL (which takes no parameters): a date, nothing else."""
    return f"{day.isoformat()} 00:00:00+00"


def today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


def days() -> list[datetime.date]:
    """The days that have a partition, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass AND c.relname LIKE %s",
            [TABLE, _PREFIX + "%"],
        )
        names = [row[0] for row in cursor.fetchall()]
    return sorted(_day_of(name[len(_PREFIX) :]) for name in names)


def _day_of(digits: str) -> datetime.date:
    """The day a partition's name (YYYYMMDD, written by name_of) is for."""
    return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def days_ahead() -> int:
    """How many days past today have a partition, counting only an unbroken run from today
    (-1: not even today's)."""
    have = set(days())
    ahead, day = -1, today()
    while day in have:
        ahead, day = ahead + 1, day + datetime.timedelta(days=1)
    return ahead


def create(day: datetime.date) -> bool:
    """Create the day's partition if missing, moving the DEFAULT partition's rows of that day
    into it (one transaction); True when it was created."""
    name, low, high = name_of(day), _bound(day), _bound(day + datetime.timedelta(days=1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [name])
        if cursor.fetchone()[0] is not None:
            return False
        # The DEFAULT partition is locked first, so no row of that day lands in it meanwhile.
        cursor.execute(f"LOCK TABLE {DEFAULT} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT EXISTS (SELECT FROM {DEFAULT} WHERE created_at >= %s AND created_at < %s)",  # noqa: S608 (constants)
            [low, high],
        )
        if not cursor.fetchone()[0]:
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{low}') TO ('{high}')"
            )
            return True
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE created_at >= %s AND created_at < %s "  # noqa: S608 (a date's name)
            f"RETURNING *) INSERT INTO {name} SELECT * FROM moved",
            [low, high],
        )
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{low}') TO ('{high}')"
        )
        return True


def ensure_ahead(ahead: int | None = None, *, start: datetime.date | None = None) -> list[str]:
    """Create every missing partition from `start` (today) to `ahead` days past today."""
    ahead = settings.ACCESS_LOG_PARTITIONS_AHEAD if ahead is None else ahead
    first, last = start or today(), today() + datetime.timedelta(days=ahead)
    created, day = [], first
    while day <= last:
        if create(day):
            created.append(name_of(day))
        day += datetime.timedelta(days=1)
    return created


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def droppable_before(cutoff: datetime.datetime) -> datetime.datetime:
    """The start of the UTC day `cutoff` falls in: the partitions before it are dropped whole;
    the rows of the cutoff's own day wait for the next day's purge."""
    return _midnight(cutoff.astimezone(datetime.UTC).date())


def drop_expired(cutoff: datetime.datetime) -> int:
    """Drop every partition whose whole day lies before `cutoff`, all in one `DROP TABLE`
    (which detaches them too) in one transaction; returns how many rows they held
    (PostgreSQL's statistics' estimate: counting would read them all).

    One statement for all, not a DETACH and a DROP per day: each of those took the parent's
    ACCESS EXCLUSIVE lock (and the lock of every table the log refers to, for its foreign
    keys' triggers) anew, waiting each time for the reads and writes in flight, and a commit
    each (measured: bench/README.md). No DEFAULT partition is scanned: only ATTACH does that.
    """
    before = droppable_before(cutoff)
    names = [
        name_of(day) for day in days() if _midnight(day + datetime.timedelta(days=1)) <= before
    ]
    if not names:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class "
            "WHERE relname = ANY(%s)",
            [names],
        )
        dropped_rows = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {', '.join(names)}")
    return dropped_rows
