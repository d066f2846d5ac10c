"""Fill the bench database: N citizens through import_register (timed), then the same rows
through PostgreSQL COPY into scratch tables (timed). Prints both and the ratio.

Run by bench/run.sh: python bench/populate.py N
"""

import datetime
import io
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection  # noqa: E402

from accessrules.register import import_register  # noqa: E402

FLOWS = int(os.environ.get("FLOWS", 20_000))  # each confirmation scenario uses half


def cpr(n: int) -> str:
    """Unique for n < 100,000; all born 1930-1998 (digit 7 in 0-3: the 1900s)."""
    born = datetime.date(1930, 1, 1) + datetime.timedelta(days=n % 25000)
    return f"{born:%d%m%y}{(n // 25000) % 4}{n % 1000:03d}"


def document(n: int) -> dict:
    organisationer = [{"type": 1, "kode": "STAR", "navn": "STAR"}]
    for kode in ("101", "147"):
        organisationer += [
            {"type": 7, "kode": kode, "navn": f"Kommune {kode}"},
            {"type": 8, "kode": f"{kode}00", "navn": f"Jobcenter {kode}"},
        ]
    borgere = [
        {
            "cpr": cpr(i),
            "kontaktgruppe": "flygtning",
            "tilknytninger": [{"organisation": "8:10100", "fra": "2020-01-01"}],
            "cv": {"nummer": f"CV-{i}", "status": "aktiv"},
        }
        for i in range(n)
    ]
    flows = [
        {
            "id": f"00000000-0000-4000-8000-{i:012d}",
            "cpr": cpr(i),
            "fraflytningskommune": "101",
            "tilflytningskommune": "147",
            "flyttedato": "2026-11-01",
        }
        for i in range(min(FLOWS, n))
    ]
    return {"organisationer": organisationer, "borgere": borgere, "borgerflytninger": flows}


FLOW_COLUMNS = (
    "id",
    "fraflytningskommune_id",
    "tilflytningskommune_id",
    "flyttedato",
    "tilstand",
    "borger_id",
    "oprettet",
    "annulleret_af",
    "annulleret_begrundelse",
)


def copy_same_rows(n: int, *, foreign_keys: bool) -> float:
    """COPY the rows the import wrote (citizens, affiliations, CVs, flows and their history)
    into scratch tables shaped like the real ones."""
    tables = {
        "accessrules_borger": ("cpr", "doedsdato", "kontaktgruppe"),
        "accessrules_tilknytning": ("fra", "til", "borger_id", "organisation_id", "kilde"),
        "asylovergivelse_jobnetcv": ("nummer", "status", "cv_edit_end_date", "borger_id"),
        "borgerflytte_borgerflytning": FLOW_COLUMNS,
        # the import writes a history row per new flow
        "borgerflytte_historicalborgerflytning": (
            *FLOW_COLUMNS,
            "history_date",
            "history_type",
            "history_change_reason",
            "kilde",
        ),
    }
    buffers = {}
    with connection.cursor() as cursor:
        for table, columns in tables.items():
            out = io.StringIO()
            cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                out.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            buffers[table] = (columns, out.getvalue())
            cursor.execute(f"DROP TABLE IF EXISTS bench_{table}")
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
            if foreign_keys:  # the real table's, checked as the import's are (deferred)
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    cursor.execute(
                        f"ALTER TABLE bench_{table} ADD CONSTRAINT bench_{name} {definition}"
                    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, (columns, data) in buffers.items():
            with raw.copy(f"COPY bench_{table} ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(data)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE bench_{table}")
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    doc = document(n)
    started = time.perf_counter()
    stats = import_register(doc)
    imported = time.perf_counter() - started
    print(f"import_register: {n} citizens ({dict(stats)}) in {imported:.1f} s")
    copied = copy_same_rows(n, foreign_keys=True)
    print(f"COPY of the same rows (indexes and foreign keys as the real tables'): {copied:.1f} s")
    print(f"import / COPY: {imported / copied:.1f}x (target <= 2x)")
    plain = copy_same_rows(n, foreign_keys=False)
    print(f"(COPY without the foreign keys: {plain:.1f} s, import / that: {imported / plain:.1f}x)")


if __name__ == "__main__":
    main()
