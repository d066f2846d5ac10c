"""The restore drill (issue 24, item 5): continuous archiving with pgBackRest and a
point-in-time restore that finds exactly the rows written before the target time.

    .venv/bin/python bench/restore_drill.py [--rows 2000] [--json]

On loopback, in a temporary folder (removed at the end, whatever happens): a PostgreSQL 15
node (port 18526, Debian's /usr/lib/postgresql/15/bin) archiving its WAL with the recipe's
pgBackRest configuration (config/deploy/pgbackrest/pgbackrest.conf.template, encrypted
repository), then:

1. stanza-create and a full backup;
2. ROWS rows written (batch A), the target time taken, ROWS more rows (batch B);
3. the node stopped as if lost (immediate), its data directory moved aside;
4. `pgbackrest restore --type=time --target=T` into a new data directory, started (port 18527)
   and promoted at the target;
5. every row of batch A found, none of batch B.

Each step is timed; the timings are printed (and as JSON with --json: tests/failover/ runs
it in CI). As root, PostgreSQL and pgBackRest run as `postgres`. Exits non-zero if a step
fails or a row is wrong.
"""

import argparse
import contextlib
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "config" / "deploy" / "pgbackrest"))
from render import render  # noqa: E402 - the recipe's own template and renderer

BIN = Path("/usr/lib/postgresql/15/bin")
PORT, RESTORED_PORT = 18526, 18527
STANZA = "drill"
STEP_TIMEOUT = 120


class Drill:
    def __init__(self, folder: Path):
        self.folder = folder
        self.root = os.geteuid() == 0
        self.data = folder / "data"
        self.restored = folder / "restored"
        self.config = folder / "pgbackrest.conf"
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PGBACKREST_CONFIG": str(self.config),
            "PGBACKREST_REPO1_CIPHER_PASS": secrets.token_urlsafe(32),
        }
        self.timings: dict[str, float] = {}

    def run(self, *command, timeout: float = STEP_TIMEOUT) -> str:
        out = subprocess.run(
            [str(part) for part in command],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=self._as_postgres if self.root else None,
            check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(f"{command[0]} failed ({out.returncode}):\n{out.stdout}{out.stderr}")
        return out.stdout

    @staticmethod
    def _as_postgres():
        account = pwd.getpwnam("postgres")
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    def timed(self, name: str, step, *args):
        started = time.monotonic()
        result = step(*args)
        self.timings[name] = round(time.monotonic() - started, 2)
        return result

    def prepare(self) -> None:
        for sub in ("repo", "spool", "log", "lock"):
            (self.folder / sub).mkdir()
        self.config.write_text(
            render(
                {
                    "stanza": STANZA,
                    "repo_path": self.folder / "repo",
                    "spool_path": self.folder / "spool",
                    "log_path": self.folder / "log",
                    "lock_path": self.folder / "lock",
                    "pg_path": self.data,
                    "pg_port": PORT,
                    "socket_path": self.folder,
                }
            )
        )
        if self.root:
            account = pwd.getpwnam("postgres")
            for path in (self.folder, *self.folder.iterdir()):
                os.chown(path, account.pw_uid, account.pw_gid)
        self.run(
            BIN / "initdb", "-D", self.data, "-U", "postgres", "--data-checksums", "-A", "trust"
        )
        archive = f"pgbackrest --config={self.config} --stanza={STANZA} archive-push %p"
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {PORT}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.folder}'\n"
                "wal_level = replica\narchive_mode = on\n"
                f"archive_command = '{archive}'\narchive_timeout = 60\n"
            )

    def start(self, data: Path) -> None:
        self.run(
            BIN / "pg_ctl", "-D", data, "-l", data.with_suffix(".log"), "-w", "-t", "60", "start"
        )

    def stop(self, data: Path, mode: str = "fast") -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.run(BIN / "pg_ctl", "-D", data, "-m", mode, "-w", "-t", "30", "stop")

    def connect(self, port: int):
        return psycopg.connect(
            host="127.0.0.1",
            port=port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )

    def write_rows(self, batch: str, rows: int) -> None:
        with self.connect(PORT) as conn:
            conn.execute(
                "INSERT INTO drill_rows (batch, n) SELECT %s, g FROM generate_series(1, %s) g",
                (batch, rows),
            )

    def wait_promoted(self, port: int) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            with contextlib.suppress(psycopg.OperationalError), self.connect(port) as conn:
                if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                    return
            time.sleep(0.2)
        raise TimeoutError(f"the restored node did not leave recovery within {STEP_TIMEOUT} s")

    def drill(self, rows: int) -> dict:
        self.prepare()
        self.timed("start", self.start, self.data)
        with self.connect(PORT) as conn:
            conn.execute(
                "CREATE TABLE drill_rows (batch text, n int, at timestamptz DEFAULT now())"
            )
        self.timed("stanza-create", self.run, "pgbackrest", f"--stanza={STANZA}", "stanza-create")
        self.timed("check (WAL archived)", self.run, "pgbackrest", f"--stanza={STANZA}", "check")
        self.timed(
            "full backup", self.run, "pgbackrest", f"--stanza={STANZA}", "--type=full", "backup"
        )
        self.timed(f"write {rows} rows (A)", self.write_rows, "A", rows)
        time.sleep(1.1)  # the target lies strictly between the two batches' commits
        with self.connect(PORT) as conn:
            target = conn.execute("SELECT now()::text").fetchone()[0]
        time.sleep(1.1)
        self.timed(f"write {rows} rows (B)", self.write_rows, "B", rows)
        # what continuous archiving has shipped by now is all a restore can use
        self.timed("archive the last WAL", self.run, "pgbackrest", f"--stanza={STANZA}", "check")
        self.stop(self.data, "immediate")  # the node is lost
        self.data.rename(self.folder / "lost")
        self.restored.mkdir()
        if self.root:
            os.chown(self.restored, pwd.getpwnam("postgres").pw_uid, -1)
        self.timed(
            "restore to the target time",
            self.run,
            "pgbackrest",
            f"--stanza={STANZA}",
            f"--pg1-path={self.restored}",
            "--type=time",
            f"--target={target}",
            "--target-action=promote",
            "restore",
        )
        with open(self.restored / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {RESTORED_PORT}\narchive_mode = off\n")
        self.timed("start and replay to the target", self._start_restored)
        with self.connect(RESTORED_PORT) as conn:
            found = dict(
                conn.execute("SELECT batch, count(*) FROM drill_rows GROUP BY batch").fetchall()
            )
        self.stop(self.restored)
        return {"target": target, "rows": rows, "found": found, "timings": self.timings}

    def _start_restored(self) -> None:
        self.start(self.restored)
        self.wait_promoted(RESTORED_PORT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="restore-drill-"))
    drill = Drill(folder)
    try:
        result = drill.drill(args.rows)
    finally:
        for data in (drill.data, drill.restored, folder / "lost"):
            drill.stop(data, "immediate")
        shutil.rmtree(folder, ignore_errors=True)
    ok = result["found"] == {"A": args.rows}
    result["ok"] = ok
    if args.json:
        print(json.dumps(result))
    else:
        for name, seconds in result["timings"].items():
            print(f"{name:32} {seconds:6.2f} s")
        print(f"restored to {result['target']}: rows found {result['found']} (expected A only)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
