"""On SQLite (the README's demo) notifications are off: Procrastinate's app, whose migrations
are PostgreSQL-only, is not installed, so `migrate` plans none of them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_migrate_on_sqlite_plans_no_procrastinate_migration(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--plan"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "accessrules.0009_notifikationer" in done.stdout
    assert "procrastinate" not in done.stdout
