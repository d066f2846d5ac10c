"""manage.py without the environment a setting needs says so in one line (issue 19: a
`create_api_client` without DEBUG=1 or SECRET_KEY gave a 30-line traceback)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_missing_secret_key_is_one_clear_line_not_a_traceback(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "create_api_client", "x", "--scope", "y"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("manage.py: SECRET_KEY must be set when DEBUG is off.")
    assert "DEBUG=1" in line
