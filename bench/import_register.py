"""Time `import_register` at national scale (issue 23 item 4): a fresh database, the document
of bench/register_document.py (written once per size, streamed), loaded into the empty
database, then loaded again (nothing to change). Each run is the command in its own process,
its wall time and peak RSS (`/usr/bin/time -v`) printed.

    .venv/bin/python bench/import_register.py [CITIZENS=100000 ...]

Uses the database bi_import_bench on the DATABASE_URL's server (dropped and created).
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = os.environ.get("PY", str(ROOT / ".venv/bin/python"))
SERVER = os.environ.get("BENCH_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = "bi_import_bench"
DOCUMENTS = Path(os.environ.get("DOCUMENTS", "/tmp"))


def run(*argv: str, env: dict) -> tuple[float, int, str]:
    """argv's wall seconds, peak RSS in MB, and its stdout; exits on a failure."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-v", *argv], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{argv} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)[1])
    return elapsed, rss // 1024, done.stdout


def measure(citizens: int) -> list[tuple]:
    document = DOCUMENTS / f"register-{citizens}.json"
    if not document.exists():
        subprocess.run(
            [PY, str(ROOT / "bench/register_document.py"), str(citizens), str(document)], check=True
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
    }
    for sql in (f"DROP DATABASE IF EXISTS {DATABASE}", f"CREATE DATABASE {DATABASE}"):
        subprocess.run(["psql", f"{SERVER}/postgres", "-qc", sql], check=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    command = [PY, str(ROOT / "manage.py"), "import_register", str(document)]
    size = document.stat().st_size / 1e6
    rows = []
    for label in ("into the empty database", "re-run (nothing to change)"):
        seconds, rss, out = run(*command, env=env)
        created = re.search(r"borger created: (\d+)", out)
        unchanged = re.search(r"borger unchanged: (\d+)", out)
        what = f"created {created[1]}" if created else f"unchanged {unchanged[1]}"
        rows.append((citizens, f"{size:.0f} MB", label, seconds, rss, what))
        print(
            f"{citizens:>10,} {size:7.0f} MB  {label:<28} {seconds:8.1f} s {rss:6} MB  {what}",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    load = os.getloadavg()[0]
    print(f"load average at the start: {load:.1f}")
    for n in sys.argv[1:] or ["100000"]:
        measure(int(n))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
