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
"""

import datetime
import json
import os
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


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    citizens = int(os.environ.get("CITIZENS", total * 6 // 10))
    kommuner = int(os.environ.get("KOMMUNER", 98))
    chunk_size = os.environ.get("CHUNK_SIZE")  # default: the command's
    recreate_database()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from accessrules.register import import_register
    from borgerflytte.models import Borgerflytning, HaendelseKvittering

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    import_register(register(citizens, kommuner))
    print(
        f"{citizens} citizens in {kommuner} kommuner loaded in {time.perf_counter() - started:.1f}s"
    )

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for event in events(total, citizens, kommuner):
            handle.write(json.dumps(event) + "\n")
        path = handle.name
    try:
        with connection.cursor() as cursor:
            # the loaded tables only: an empty table ANALYZEd as empty (the flows, here; never
            # in a deployment) makes the foreign-key checks' cached plans scan it whole, and
            # the run slower with every event (measured: a third of the speed)
            cursor.execute("ANALYZE accessrules_organisation, accessrules_borger")
            cursor.execute("ANALYZE accessrules_tilknytning")
        for label in ("first run", "the same file again"):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                options = ["--chunk-size", chunk_size] if chunk_size else []
                call_command("indlaes_cpr_haendelser", path, *options)
            finally:
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(
                f"{label}: {total} events in {elapsed:.1f}s = {total / elapsed:.0f} events/s"
                f" (this process's CPU: {cpu:.1f}s; load average {os.getloadavg()[0]:.1f})"
            )
        flows = Borgerflytning.objects.values_list("tilstand").order_by()
        print(
            f"receipts: {HaendelseKvittering.objects.count()}, flows: "
            f"{sorted((t, flows.filter(tilstand=t).count()) for t in {'AFVENTER', 'ANNULLERET'})}"
        )
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
