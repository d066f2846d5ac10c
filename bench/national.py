"""Build the national data set (issue 23 item 5) in an empty, migrated database, in SQL
(`generate_series`, no ORM, no Python per row), and time each step.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bi_national_bench \\
        .venv/bin/python bench/national.py [CITIZENS=6000000] [--uden-log]

At the full size (CITIZENS=6,000,000): 98 kommuner each with its jobcentre, every citizen with
a residence (a Tilknytning to its kommune), 1.5 million jobcentre affiliations (one citizen in
four), 250,000 flows (60,000 of them out of the largest kommune), 30 million access-log rows
over 200 days (a daily partition each), of which 1,000 citizens have 1,000 rows each, and a
largest kommune (101) of about 650,000 citizens (10.8 %). Everything scales with CITIZENS.
`--uden-log` leaves out the access-log rows (three quarters of the build's time; the partitions
are still made): for benchmarks that need the citizens only, such as bench/cpr_haendelser.py.
It also makes the STAR API client with the bearer token `bench-token` (2 hours), a caseworker
of the largest kommune, and the superuser `bench-admin`. Then VACUUM (ANALYZE).

CPRs: citizen n is born 1930-01-01 + (n mod 25,000) days, its 7th digit (n div 25,000) mod 4
(the 1900s) and its last three digits (n div 100,000): unique up to 100 million.
"""

import datetime
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection, connections  # noqa: E402

from accessrules.accesslog import partitions  # noqa: E402

KOMMUNER = ["101"] + [str(k) for k in range(147, 147 + 97)]
DAYS = 200
ARRAY = "ARRAY[" + ", ".join(f"'{k}'" for k in KOMMUNER) + "]::text[]"
CPR_SQL = (
    "to_char(date '1930-01-01' + (g % 25000), 'DDMMYY') || ((g / 25000) % 4)::text "
    "|| lpad((g / 100000)::text, 3, '0')"
)
PARTS = int(os.environ.get("PARTS", os.cpu_count() or 1))  # loads run this many at once
# Citizen g's kommune: 10.8 % in 101 (index 0), the rest spread over the other 97.
KOMMUNE_OF = "CASE WHEN g % 1000 < 108 THEN 0 ELSE 1 + g % 97 END"


def step(label: str, sql: str, split: tuple[int, int] | None = None) -> None:
    """Run one statement (no parameters: the numbers are ints written into it); with `split`,
    the statement's `{lo}` and `{hi}` bound its g, and PARTS copies of it over as many ranges
    of `split` run at once on their own connections (the machine has more than one core).
    The table it inserts into loses its foreign keys and its indexes but the primary key for
    it and gets them back after: each key checked in one pass and each index built in one
    sorted pass, instead of a trigger and a random b-tree insert per row."""
    started = time.perf_counter()
    table = sql.split()[2] if sql.startswith("INSERT INTO") else None
    with connection.cursor() as cursor:
        keys = foreign_keys(cursor, table) if table else []
        built = secondary_indexes(cursor, table) if table else []
        for name, _ in keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, constraint, _ in built:
            cursor.execute(
                f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'
                if constraint
                else f'DROP INDEX "{name}"'
            )
    rows = run_parts(sql, split)
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for name, constraint, definition in built:
            cursor.execute(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                if constraint
                else definition
            )
        if keys and partitioned(cursor, table):
            # each partition's check: its rows' keys probed in the referenced index, not all
            # 6 million citizens hashed again for each of 200 partitions (3.1 s -> 0.85 s each)
            for setting in ("enable_hashjoin", "enable_mergejoin", "jit"):
                cursor.execute(f"SET {setting} = off")
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("RESET ALL")
    after = f" (rows {loaded - started:.1f} s)" if table else ""
    print(f"{label:<46} {rows:>12,} rows {time.perf_counter() - started:8.1f} s{after}", flush=True)


def run_parts(sql: str, split: tuple[int, int] | None) -> int:
    """The statement once, or with `split` (first, last) cut into PARTS ranges of g, each
    run on its own connection at the same time."""
    if split is None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.rowcount
    first, last = split
    bounds = [first + (last - first + 1) * i // PARTS for i in range(PARTS + 1)]

    def one(i: int) -> int:
        try:
            with connections["default"].cursor() as cursor:
                part = sql.replace("{lo}", str(bounds[i])).replace("{hi}", str(bounds[i + 1] - 1))
                cursor.execute(part)
                return cursor.rowcount
        finally:
            connections["default"].close()

    with ThreadPoolExecutor(PARTS) as pool:
        return sum(pool.map(one, range(PARTS)))


def partitioned(cursor, table: str) -> bool:
    cursor.execute("SELECT relkind = 'p' FROM pg_class WHERE oid = %s::regclass", [table])
    return cursor.fetchone()[0]


def foreign_keys(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' AND conparentid = 0",
        [table],
    )
    return cursor.fetchall()


def secondary_indexes(cursor, table: str) -> list[tuple[str, bool, str]]:
    """(name, is a constraint, how to make it again) of every index but the primary key's."""
    cursor.execute(
        "SELECT c.relname, con.oid IS NOT NULL, COALESCE(pg_get_constraintdef(con.oid), "
        "replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ')) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid LEFT JOIN pg_constraint con "
        "ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary",
        [table],
    )
    return cursor.fetchall()


def build(citizens: int, log: bool = True) -> None:
    flows, log_rows, heavy = citizens // 24, citizens * 5, max(1, citizens // 6000)
    step(
        "organisations",
        "INSERT INTO accessrules_organisation (type, kode, navn) "
        "SELECT 1, 'STAR', 'STAR' UNION ALL "
        f"SELECT 7, k, 'Kommune ' || k FROM unnest({ARRAY}) k UNION ALL "
        f"SELECT 8, k || '00', 'Jobcenter ' || k FROM unnest({ARRAY}) k",
    )
    step(
        "kommuner table",
        "CREATE TABLE bench_kommune AS SELECT (row_number() OVER (ORDER BY k.ord) - 1) "
        "AS i, kommune.id AS kommune_id, jobcenter.id AS jobcenter_id, k.kode "
        f"FROM unnest({ARRAY}) WITH ORDINALITY k(kode, ord) "
        "JOIN accessrules_organisation kommune ON kommune.type = 7 AND kommune.kode = k.kode "
        "JOIN accessrules_organisation jobcenter ON jobcenter.type = 8 "
        "AND jobcenter.kode = k.kode || '00'",
    )
    step(
        "citizens",
        f"INSERT INTO accessrules_borger (id, cpr, kontaktgruppe) SELECT g, {CPR_SQL}, "
        f"CASE WHEN g % 50 = 0 THEN 'flygtning' ELSE '' END FROM generate_series({{lo}}, {{hi}}) g",
        split=(1, citizens),
    )
    step(
        "residences (kommune)",
        "INSERT INTO accessrules_tilknytning (borger_id, organisation_id, fra, kilde) "
        f"SELECT g, k.kommune_id, date '2020-01-01', 'register' "
        f"FROM generate_series({{lo}}, {{hi}}) g JOIN bench_kommune k ON k.i = {KOMMUNE_OF}",
        split=(1, citizens),
    )
    step(
        "affiliations (jobcentre, 1 in 4)",
        "INSERT INTO accessrules_tilknytning (borger_id, organisation_id, fra, kilde) "
        f"SELECT g, k.jobcenter_id, date '2024-01-01', 'register' "
        "FROM generate_series({lo}, {hi}) g "
        f"JOIN bench_kommune k ON k.i = {KOMMUNE_OF} WHERE g % 4 = 0",
        split=(1, citizens),
    )
    step(
        "transitions (the flygtning citizens)",
        "INSERT INTO asylovergivelse_asylovergivelse (borger_id, cv_edit_end_date, "
        "overgivelsesdato, overgivelseskommunekode, kommentar, oprettet, aendret, ekstern_id) "
        f"SELECT g, current_date + 60 + g % 30, current_date - 30 + g % 90, k.kode, '', "
        f"now(), now(), gen_random_uuid() FROM generate_series(50, {citizens}, 50) g "
        # ids in citizen order, the kommuner interleaved as rows made one at a time over
        # months are (the join alone gave each kommune's rows consecutive ids)
        f"JOIN bench_kommune k ON k.i = {KOMMUNE_OF} ORDER BY g",
    )
    # Flow f: citizen 24 f (kommune index 24 f % 1000 < 108 -> 101: the largest kommune's
    # flows out are about 10.8 % plus those of the first 60,000 / 250,000 forced to it).
    step(
        "flows",
        "INSERT INTO borgerflytte_borgerflytning (id, borger_id, flyttedato, tilstand, "
        "annulleret_af, annulleret_begrundelse, oprettet, fraflytningskommune_id, "
        "tilflytningskommune_id) SELECT gen_random_uuid(), s.f * 24, "
        "current_date - 60 + s.f % 120, "
        "CASE WHEN s.f % 3 = 0 THEN 'AFSLUTTET' ELSE 'AFVENTER' END, '', '', now(), "
        "fra.kommune_id, til.kommune_id FROM (SELECT f, CASE WHEN "
        f"f <= {flows * 6 // 25} THEN 0 ELSE (f * 24) % 97 + 1 END AS fi "
        f"FROM generate_series(1, {flows}) f) s JOIN bench_kommune fra ON fra.i = s.fi "
        "JOIN bench_kommune til ON til.i = (s.fi + 1 + s.f % 97) % 98",
    )
    ensure_log_partitions()
    if log:
        step(
            f"access log ({DAYS} days)",
            "INSERT INTO accessrules_accesslogentry (created_at, operation, outcome, request_id, "
            f"borger_id) SELECT now() - (g::bigint * {DAYS} / {log_rows}) * interval '1 day' "
            "- (g % 86400) * interval "
            "'1 second', CASE WHEN g % 5 = 0 THEN 'ListBorgerflytninger' ELSE "
            "'GetAsylOvergivelse' END, CASE WHEN g % 40 = 0 THEN 404 ELSE 200 END, '', "
            f"CASE WHEN g <= {heavy * 1000} THEN 1 + g % {heavy} "
            f"ELSE 1 + (g::bigint * 7919) % {citizens} END FROM generate_series({{lo}}, {{hi}}) g",
            split=(1, log_rows),
        )
    for table in ("accessrules_borger", "accessrules_tilknytning"):
        step(
            f"sequence of {table}",
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}))",
        )
    step("kommuner table dropped", "DROP TABLE bench_kommune")  # the threads' loads read it
    # as autovacuum leaves a live database: statistics, and the visibility map set (the planner
    # reads an index's ends for a join's estimate, through every page not all-visible)
    step("VACUUM (ANALYZE)", "VACUUM (ANALYZE)")
    actors()


def ensure_log_partitions() -> None:
    started = time.perf_counter()
    first = partitions.today() - datetime.timedelta(days=DAYS)
    created = partitions.ensure_ahead(start=first)
    took = time.perf_counter() - started
    print(f"{'access-log partitions':<46} {len(created):>12,} made {took:8.1f} s", flush=True)


def actors() -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    from accessrules.models import ApiClient, Organisation
    from accessrules.oauth.scopes import ALL as SCOPES

    app = Application.objects.create(
        name="bench", client_type="confidential", authorization_grant_type="client-credentials"
    )
    client = ApiClient.objects.create(application=app, navn="bench", scopes=" ".join(SCOPES))
    client.organisationer.set([Organisation.objects.get(type=1, kode="STAR")])
    AccessToken.objects.create(
        application=app,
        token="bench-token",
        scope=" ".join(SCOPES),
        expires=timezone.now() + datetime.timedelta(hours=2),
    )
    User.objects.create_superuser("bench-admin", password=None)


if __name__ == "__main__":
    total = time.perf_counter()
    arguments = [a for a in sys.argv[1:] if a != "--uden-log"]
    build(int(arguments[0]) if arguments else 6_000_000, log="--uden-log" not in sys.argv)
    print(f"{'total':<46} {'':>17} {time.perf_counter() - total:8.1f} s")
