"""The access log partitioned by day on PostgreSQL (issue 23; accessrules.accesslog.partitions).

PostgreSQL only (a RunPython that looks at connection.vendor; SQLite keeps its plain table and
the model's state does not change). The old table is renamed, a table partitioned by range of
created_at takes its name with the same columns, a DEFAULT partition and one partition per day
from its oldest row's day to 14 days ahead; every row is copied (the statement's count is
checked against the old table's), then the indexes, foreign keys and the primary key
(id, created_at) are built with the old names, the id sequence moves over, and the old table is
dropped. It holds an exclusive lock on the log for its length: a maintenance window of about
the time per million rows stated in docs/operations.md. Reversing copies the rows back into a
plain table.
"""

import datetime

from django.db import migrations

TABLE = "accessrules_accesslogentry"
OLD = f"{TABLE}_unpartitioned"
AHEAD = 14


def _one(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchone()[0]


def _definitions(cursor, table):
    """The table's (non-primary-key) index and foreign-key definitions, as SQL for `table`."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p' "
        "AND conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    return indexes, cursor.fetchall()


def _rename_aside(cursor, table, old):
    """Rename the table and its indexes and constraints out of the way; returns the definitions."""
    indexes, foreign_keys = _definitions(cursor, table)
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [table]
    )
    [pkey] = cursor.fetchone()
    cursor.execute(f'ALTER TABLE {table} RENAME TO {old}')
    for name, _ in indexes:
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:57]}_unpt"')
    for name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{name}" TO "{name[:57]}_unpt"')
    cursor.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{pkey}" TO "{pkey[:57]}_unpt"')
    return indexes, foreign_keys, pkey


def _rebuild(cursor, table, old, indexes, foreign_keys, pkey, primary_key):
    """Copy the rows from `old` into `table`, build indexes, keys and sequence, drop `old`."""
    moved = _one(cursor, f"WITH c AS (INSERT INTO {table} SELECT * FROM {old} RETURNING 1) "
                 "SELECT count(*) FROM c")
    if moved != _one(cursor, f"SELECT count(*) FROM {old}"):
        raise RuntimeError("the access log's rows were not all copied")
    cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{pkey}" PRIMARY KEY ({primary_key})')
    for name, definition in indexes:
        on = definition.split(" ON ", 1)[1].removeprefix("ONLY ")
        on = on.replace(f"public.{old} ", f"public.{table} ")
        cursor.execute(f'CREATE INDEX "{name}" ON {on}')
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    sequence = _one(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [old])
    if _one(cursor, "SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname = 'id'", [old]):
        start = _one(cursor, f"SELECT coalesce(max(id), 0) + 1 FROM {old}")
        last = _one(cursor, f"SELECT last_value FROM {sequence}")
        cursor.execute(f"DROP TABLE {old}")
        cursor.execute(f"CREATE SEQUENCE {table}_id_seq OWNED BY {table}.id START {max(start, last + 1)}")
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')")
    else:
        cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.id")
        cursor.execute(f"ALTER TABLE {old} ALTER COLUMN id DROP DEFAULT")
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
        cursor.execute(f"DROP TABLE {old}")
    cursor.execute(f"ANALYZE {table}")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        indexes, foreign_keys, pkey = _rename_aside(cursor, TABLE, OLD)
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS) PARTITION BY RANGE (created_at)"
        )
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        oldest = _one(cursor, f"SELECT min(created_at) FROM {OLD}")
        today = datetime.datetime.now(datetime.UTC).date()
        day = min(oldest.astimezone(datetime.UTC).date(), today) if oldest else today
        while day <= today + datetime.timedelta(days=AHEAD):
            cursor.execute(
                f"CREATE TABLE {TABLE}_p{day:%Y%m%d} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{day} 00:00:00+00') TO "
                f"('{day + datetime.timedelta(days=1)} 00:00:00+00')"
            )
            day += datetime.timedelta(days=1)
        _rebuild(cursor, TABLE, OLD, indexes, foreign_keys, pkey, "id, created_at")


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        indexes, foreign_keys, pkey = _rename_aside(cursor, TABLE, OLD)
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        _rebuild(cursor, TABLE, OLD, indexes, foreign_keys, pkey, "id")


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("accessrules", "0006_sagsbehandler_cvr")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
