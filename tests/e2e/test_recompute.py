"""``caredesk sla recompute`` on a stored database: processes side by side rebuild exactly
the clocks the services stored."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

CAREDESK = Path(sys.executable).with_name("caredesk")
# Everything of a stored clock but the time used so far, which depends on the instant.
CLOCK = (
    "SELECT case_id, metric, target, started_at, due_at, at_risk_at, stopped_at, paused_since "
    "FROM cases_slaclock ORDER BY case_id, metric"
)


def _caredesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CAREDESK), *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_parallel_recompute_rebuilds_the_stored_clocks(tmp_path: Path) -> None:
    env = {**os.environ, "CAREDESK_VAR": str(tmp_path), "CAREDESK_ENV": "development"}
    env.pop("DATABASE_URL", None)
    assert _caredesk(env, "demo").returncode == 0
    (database,) = tmp_path.glob("*.sqlite3")
    with sqlite3.connect(database) as db:
        before = db.execute(CLOCK).fetchall()
        dues = db.execute("SELECT id, next_due FROM cases_case ORDER BY id").fetchall()
        db.execute("DELETE FROM cases_slaclock")
        db.execute("UPDATE cases_case SET next_due = NULL")
    assert len(before) >= 3 * 150

    done = _caredesk(env, "sla", "recompute", "--jobs", "2", "--batch", "40")

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"recomputed the SLA clocks of {len(dues)} cases in ")
    with sqlite3.connect(database) as db:
        assert db.execute(CLOCK).fetchall() == before
        assert db.execute("SELECT id, next_due FROM cases_case ORDER BY id").fetchall() == dues


def test_bad_recompute_options_exit_2_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "CAREDESK_VAR": str(tmp_path), "CAREDESK_ENV": "development"}
    env.pop("DATABASE_URL", None)
    for option, value, message in (
        ("--jobs", "-1", "--jobs -1 is not a number of processes"),
        ("--batch", "0", "--batch 0 is not a batch size"),
    ):
        done = _caredesk(env, "sla", "recompute", option, value)
        assert done.returncode == 2
        (line,) = done.stderr.strip().splitlines()
        assert message in line
        assert "Traceback" not in done.stderr
