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
# A guard against a hang, not a measure of speed: each command is waited for until it exits.
GUARD = 900.0


def _caredesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CAREDESK), *args], env=env, capture_output=True, text=True, timeout=GUARD
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


def test_rules_preview_writes_nothing_and_apply_records_the_change(tmp_path: Path) -> None:
    env = {**os.environ, "CAREDESK_VAR": str(tmp_path), "CAREDESK_ENV": "development"}
    env.pop("DATABASE_URL", None)
    assert _caredesk(env, "demo").returncode == 0
    (database,) = tmp_path.glob("*.sqlite3")
    state = (
        "SELECT c.number, c.timezone, c.event_count, k.metric, k.due_at FROM cases_case c "
        "JOIN cases_slaclock k ON k.case_id = c.id ORDER BY c.id, k.metric"
    )
    with sqlite3.connect(database) as db:
        before = db.execute(state).fetchall()
        open_cases = db.execute(
            "SELECT count(*) FROM cases_case c JOIN accounts_organisation o "
            "ON o.id = c.organisation_id WHERE o.short_name = 'globex-london' "
            "AND c.status != 'closed'"
        ).fetchone()[0]
    assert open_cases > 0
    move = ("rules", "globex-london", "--timezone", "Europe/Dublin", "--country", "IE")

    preview = _caredesk(env, *move)

    assert preview.returncode == 0, preview.stderr
    lines = preview.stdout.splitlines()
    assert lines[0] == ("globex-london: timezone Europe/London -> Europe/Dublin, country GB -> IE")
    assert lines[1] == f"{open_cases} open cases count under other rules"
    assert lines[-1] == "preview only: nothing written (--apply)"
    with sqlite3.connect(database) as db:
        assert db.execute(state).fetchall() == before
    for args, message in (
        ((*move, "--apply"), "--apply needs --by"),
        ((*move, "--apply", "--by", "max@care.example"), "needs a reason"),
        ((*move, "--apply", "--by", "erin@care.example", "--reason", "x"), "manager"),
        (("rules", "globex-london", "--timezone", "Mars/Olympus"), "Mars/Olympus"),
        (("rules", "no-such-org"), "unknown organisation 'no-such-org'"),
    ):
        refused = _caredesk(env, *args)
        assert refused.returncode == 2, refused.stdout
        (line,) = refused.stderr.strip().splitlines()
        assert message in line
        assert "Traceback" not in refused.stderr
    with sqlite3.connect(database) as db:
        assert db.execute(state).fetchall() == before

    applied = _caredesk(env, *move, "--apply", "--by", "max@care.example", "--reason", "moved")

    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[-1] == "applied"
    with sqlite3.connect(database) as db:
        changed = db.execute(
            "SELECT count(*) FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id "
            "WHERE e.kind = 'rules-changed' AND c.timezone = 'Europe/Dublin'"
        ).fetchone()[0]
    assert changed == open_cases
