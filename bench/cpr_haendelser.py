"""The CPR event intake's speed (run by hand, not in CI): EVENTS flytning events (default
100,000) for existing and new citizens, through `indlaes_cpr_haendelser` on PostgreSQL.

    .venv/bin/python bench/cpr_haendelser.py [EVENTS]
    BENCH_DATABASE=bi_events_bench CITIZENS=60000 KOMMUNER=98 CHUNK_SIZE=2000 \
        .venv/bin/python bench/cpr_haendelser.py 100000

It recreates the database BENCH_DATABASE (default `bi_events_bench`) on
127.0.0.1:5432, loads CITIZENS citizens (default 60% of EVENTS), each living in one of
KOMMUNER kommuner and affiliated to its jobcentre, through `import_register`, and writes the
events as JSON Lines to a temporary file: a move of every existing citizen to another kommune
(each opens a flow), a second, later move for one in ten of them (cancels that flow, opens
another), and a first move of new citizens for the rest. Then it runs the command and prints
events per second; then the same file again (every event `allerede behandlet`).

On the national data set instead (issue 23 item 4: at least 3,000 events/s with 6 million
citizens present), built first by `bench/national.py CITIZENS --uden-log` in BENCH_DATABASE:

    BENCH_DATABASE=bi_intake NATIONAL=6000000 .venv/bin/python bench/cpr_haendelser.py 100000

WORKERS=N runs the command with `--workers N` (default 1).
PYPROFILE=FILE writes the first run's Python profile (cProfile, for pstats) to FILE.
PROFILE=1 times each statement of the first run (`connection.execute_wrapper`; COPY passes
beside it, so it is in the rest) and prints the time per chunk of each kind of statement.

NATIONAL is the CITIZENS the set was built with; the database is used as it is (not
recreated, nothing imported). The events, interleaved as a feed would bring them (of every 20):
14 moves of existing citizens to another kommune (one in four has a jobcentre affiliation, so
its move opens a flow; a waiting flow of the set's is cancelled), 2 later second moves of
citizens moved some 2,000 events before, 1 death of an existing citizen, 2 first registrations
(indrejse) of new citizens and 1 first move of a new citizen. The existing citizens are spread
over the whole table (citizen 1 + (k * 1,000,003) mod NATIONAL) and each run takes the next
ones (k counts on from the receipts already stored), so runs can follow each other on the
same database without touching a citizen twice.
"""

import collections
import contextlib
import cProfile
import datetime
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATABASE = os.environ.get("BENCH_DATABASE", "bi_events_bench")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, ROOT)


def recreate_database() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(
            ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql],
            check=True,
        )


def cpr(n: int) -> str:
    """Unique for n < 100,000 * 4; born 1930-1998 (digit 7 in 0-3: the 1900s)."""
    born = datetime.date(1930, 1, 1) + datetime.timedelta(days=n % 25000)
    return f"{born:%d%m%y}{(n // 25000) % 4}{n % 1000:03d}"


def kommunekode(i: int) -> str:
    return str(101 + i)


def register(citizens: int, kommuner: int) -> dict:
    organisationer = []
    for i in range(kommuner):
        kode = kommunekode(i)
        organisationer += [
            {"type": 7, "kode": kode, "navn": f"Kommune {kode}"},
            {"type": 8, "kode": f"{kode}00", "navn": f"Jobcenter {kode}"},
        ]
    borgere = []
    for n in range(citizens):
        kode = kommunekode(n % kommuner)
        borgere.append(
            {
                "cpr": cpr(n),
                "tilknytninger": [
                    {"organisation": f"7:{kode}", "fra": "2020-01-01", "til": None},
                    {"organisation": f"8:{kode}00", "fra": "2020-01-01", "til": None},
                ],
            }
        )
    return {"organisationer": organisationer, "borgere": borgere}


def events(total: int, citizens: int, kommuner: int):
    """total flytning events: every existing citizen moves, one in ten twice; new citizens
    make up the rest (fewer existing ones if total is small)."""
    today = datetime.date.today()
    moving = min(citizens, total * 10 // 11)
    twice = min(moving // 10, total - moving)
    new = total - moving - twice
    for n in range(moving):
        yield move(f"m1-{n}", cpr(n), n, n + 1, today - datetime.timedelta(days=20), kommuner)
    for n in range(twice):
        yield move(f"m2-{n}", cpr(n), n + 1, n + 2, today - datetime.timedelta(days=5), kommuner)
    for n in range(new):
        yield move(
            f"n-{n}", cpr(citizens + n), n, n + 1, today - datetime.timedelta(days=3), kommuner
        )


def move(haendelse_id: str, cpr_: str, fra: int, til: int, day, kommuner: int) -> dict:
    return {
        "haendelseId": haendelse_id,
        "type": "flytning",
        "cpr": cpr_,
        "fraKommunekode": kommunekode(fra % kommuner).zfill(4),
        "tilKommunekode": kommunekode(til % kommuner).zfill(4),
        "flyttedato": day.isoformat(),
    }


# bench/national.py's kommuner (index 0 is the largest) and CPRs, as its SQL computes them
NATIONAL_KOMMUNER = ["101"] + [str(k) for k in range(147, 147 + 97)]
SPREAD = 1_000_003  # a prime: k -> k * SPREAD mod NATIONAL visits every citizen once


def national_cpr(g: int) -> str:
    born = datetime.date(1930, 1, 1) + datetime.timedelta(days=g % 25000)
    return f"{born:%d%m%y}{(g // 25000) % 4}{g // 100000:03d}"


def national_kommune(g: int) -> str:
    return NATIONAL_KOMMUNER[0 if g % 1000 < 108 else 1 + g % 97].zfill(4)


def national_events(total: int, citizens: int, start: int):
    """total events on the national set, run `start` (the receipts already stored)."""
    assert math.gcd(SPREAD, citizens) == 1
    today = datetime.date.today()
    moved: list[tuple[int, str]] = []  # (citizen, its new kommune)
    again = 0  # the next of `moved` to move a second time
    new = citizens + start  # new citizens' numbers: after the set's and earlier runs'

    def existing(k: int) -> int:
        return 1 + ((start + k) * SPREAD) % citizens

    def other(kode: str, step: int) -> str:
        i = (NATIONAL_KOMMUNER.index(kode.lstrip("0")) + 1 + step % 97) % 98
        return NATIONAL_KOMMUNER[i].zfill(4)

    for k in range(total):
        kind, tag = k % 20, f"nat{start}-{k}"
        if kind < 14 or (kind < 16 and len(moved) - again < 2000):
            g = existing(k)
            til = other(national_kommune(g), k)
            moved.append((g, til))
            yield flytning(tag, national_cpr(g), national_kommune(g), til, today, 20)
        elif kind < 16:
            (g, fra), again = moved[again], again + 1
            yield flytning(tag, national_cpr(g), fra, other(fra, k), today, 5)
        elif kind == 16:
            g = existing(k)
            doed = (today - datetime.timedelta(days=2)).isoformat()
            yield {
                "haendelseId": tag,
                "type": "doedsfald",
                "cpr": national_cpr(g),
                "doedsdato": doed,
            }
        elif kind < 19:
            new += 1
            yield {
                "haendelseId": tag,
                "type": "indrejse",
                "cpr": national_cpr(new),
                "tilKommunekode": NATIONAL_KOMMUNER[k % 98].zfill(4),
                "dato": (today - datetime.timedelta(days=3)).isoformat(),
            }
        else:
            new += 1
            fra = NATIONAL_KOMMUNER[k % 98].zfill(4)
            yield flytning(tag, national_cpr(new), fra, other(fra, k), today, 3)


def flytning(haendelse_id: str, cpr_: str, fra: str, til: str, today, days_ago: int) -> dict:
    return {
        "haendelseId": haendelse_id,
        "type": "flytning",
        "cpr": cpr_,
        "fraKommunekode": fra,
        "tilKommunekode": til,
        "flyttedato": (today - datetime.timedelta(days=days_ago)).isoformat(),
    }


class StatementTimes:
    """An execute wrapper: the time and number of each kind of statement (its verb, table and
    whether it locks)."""

    def __init__(self):
        self.seconds = collections.Counter()
        self.count = collections.Counter()

    def __call__(self, execute, sql, params, many, context):
        table = re.search(r'(?:FROM|INTO|UPDATE) "?(\w+)"?', sql)
        lock = " (locks)" if " FOR " in sql and "UPDATE" in sql.rsplit(" FOR ", 1)[-1] else ""
        kind = f"{sql.split()[0]} {table.group(1) if table else ''}{lock}"
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds[kind] += time.perf_counter() - started
            self.count[kind] += 1

    def report(self, chunks: int) -> None:
        print(f"statements' time per chunk ({chunks} chunks):")
        for kind, seconds in self.seconds.most_common():
            ms = 1000 * seconds / chunks
            print(f"  {ms:7.1f} ms  {self.count[kind] / chunks:5.2f} per chunk  {kind}")
        total = 1000 * sum(self.seconds.values()) / chunks
        print(f"  {total:7.1f} ms  in all")


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    national = int(os.environ.get("NATIONAL", 0))
    citizens = int(os.environ.get("CITIZENS", total * 6 // 10))
    kommuner = int(os.environ.get("KOMMUNER", 98))
    chunk_size = os.environ.get("CHUNK_SIZE")  # default: the command's
    workers = os.environ.get("WORKERS", "1")  # the command's --workers
    if not national:
        recreate_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accessrules.models import Borger
    from accessrules.register import import_register
    from borgerflytte.haendelser import CHUNK_SIZE
    from borgerflytte.models import Borgerflytning, HaendelseKvittering

    if national:
        start = HaendelseKvittering.objects.count()
        print(
            f"national set: {Borger.objects.count()} citizens, {start} receipts stored "
            f"(load average {os.getloadavg()[0]:.1f})"
        )
        generated = national_events(total, national, start)
    else:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        import_register(register(citizens, kommuner))
        took = time.perf_counter() - started
        print(f"{citizens} citizens in {kommuner} kommuner loaded in {took:.1f}s")
        generated = events(total, citizens, kommuner)

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for event in generated:
            handle.write(json.dumps(event) + "\n")
        path = handle.name
    try:
        if not national:
            with connection.cursor() as cursor:
                # the loaded tables only: an empty table ANALYZEd as empty (the flows, here;
                # never in a deployment) makes the foreign-key checks' cached plans scan it
                # whole, and the run slower with every event (measured: a third of the speed)
                cursor.execute("ANALYZE accessrules_organisation, accessrules_borger")
                cursor.execute("ANALYZE accessrules_tilknytning")
        for label in ("first run", "the same file again"):
            times = StatementTimes()
            timed = os.environ.get("PROFILE") and label == "first run"
            profiled = os.environ.get("PYPROFILE") if label == "first run" else None
            profiler = cProfile.Profile() if profiled else None
            started, cpu = time.perf_counter(), _cpu()
            try:
                options = ["--chunk-size", chunk_size] if chunk_size else []
                options += ["--workers", workers]
                with (
                    connection.execute_wrapper(times) if timed else contextlib.nullcontext(),
                    profiler or contextlib.nullcontext(),
                ):
                    call_command("indlaes_cpr_haendelser", path, *options)
            finally:
                elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
            if profiler:
                profiler.dump_stats(profiled)
            if timed:
                times.report(math.ceil(total / int(chunk_size or CHUNK_SIZE)))
            print(
                f"{label}: {total} events in {elapsed:.1f}s = {total / elapsed:.0f} events/s"
                f" (CPU of the command and its workers: {cpu:.1f}s;"
                f" load average {os.getloadavg()[0]:.1f})"
            )
        flows = Borgerflytning.objects.values_list("tilstand").order_by()
        statuses = HaendelseKvittering.objects.values_list("status").order_by()
        print(
            f"receipts: {HaendelseKvittering.objects.count()} "
            f"{sorted((s, statuses.filter(status=s).count()) for s in {'behandlet', 'afvist'})}, "
            f"flows: "
            f"{sorted((t, flows.filter(tilstand=t).count()) for t in {'AFVENTER', 'ANNULLERET'})}"
        )
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
