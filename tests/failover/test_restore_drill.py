"""Issue 24, item 5: the restore drill (bench/restore_drill.py) in CI. pgBackRest archives a
PostgreSQL 15 node's WAL with the recipe's configuration (config/deploy/pgbackrest/); a
point-in-time restore into a new data directory finds every row written before the target
time and none written after it. Port 18526 and 18527."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.live.harness import ROOT

pytestmark = pytest.mark.postgres

ROWS = 2000


def test_a_point_in_time_restore_finds_the_rows_written_before_it(capsys):
    if not shutil.which("pgbackrest"):
        reason = "the restore drill needs pgbackrest (Debian's package)"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    out = subprocess.run(
        [sys.executable, "bench/restore_drill.py", "--rows", str(ROWS), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    result = json.loads(out.stdout)
    assert result["found"] == {"A": ROWS}  # batch A restored whole, batch B not at all
    assert {"full backup", "restore to the target time"} <= set(result["timings"])
    with capsys.disabled():
        timings = ", ".join(f"{name} {s:.1f} s" for name, s in result["timings"].items())
        print(f"\nrestore drill: {timings}")
