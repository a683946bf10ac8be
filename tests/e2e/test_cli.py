"""The ``caredesk`` command: every seed number through ``sla due``, errors as one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from caredesk.testing import run_cli
from tests.seed_targets import COUNTRY, OPENED, ROWS, TZ

CARES = Path(sys.executable).with_name("caredesk")


_CASES: dict[tuple[str, str, str, int], dict[str, tuple[str | None, str | None]]] = defaultdict(
    dict
)
for _policy, _plan, _type, _sev, _metric, _target, _due in ROWS:
    _CASES[(_policy, _plan, _type, _sev)][_metric] = (_target, _due)


@pytest.mark.parametrize(("key", "metrics"), list(_CASES.items()), ids=str)
def test_sla_due_json_for_every_seed_row(
    capsys: pytest.CaptureFixture[str],
    key: tuple[str, str, str, int],
    metrics: dict[str, tuple[str | None, str | None]],
) -> None:
    policy, plan, case_type, severity = key
    code, out, err = run_cli(
        capsys,
        "sla",
        "due",
        "--policy",
        policy,
        "--plan",
        plan,
        "--severity",
        str(severity),
        "--case-type",
        case_type,
        "--opened",
        OPENED,
        "--tz",
        TZ,
        "--country",
        COUNTRY,
        "--json",
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["policy"] == policy
    assert document["opened"] == "2026-11-20T21:30:00Z"
    for metric, (target, due_local) in metrics.items():
        shown = document["metrics"][metric]
        if target is None:
            assert shown is None
        else:
            assert shown["target"] == target
            assert shown["due_local"] == due_local


def test_the_issue_example_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        "sla",
        "due",
        "--policy",
        "genesys-care-cloud-reseller",
        "--plan",
        "care-for-cloud",
        "--severity",
        "2",
        "--opened",
        "2026-11-20T16:30:00-05:00",
        "--tz",
        "America/New_York",
        "--country",
        "US",
        "--json",
    )
    assert code == 0
    assert json.loads(out) == {
        "policy": "genesys-care-cloud-reseller",
        "plan": "care-for-cloud",
        "severity": 2,
        "case_type": "incident",
        "opened": "2026-11-20T21:30:00Z",
        "metrics": {
            "response": {
                "target": "6 BH",
                "due": "2026-11-23T18:30:00Z",
                "due_local": "2026-11-23T13:30:00-05:00",
            },
            "restoration": {
                "target": "4 BD",
                "due": "2026-11-27T21:30:00Z",
                "due_local": "2026-11-27T16:30:00-05:00",
            },
            "resolution": {
                "target": "15 BD",
                "due": "2026-12-14T21:30:00Z",
                "due_local": "2026-12-14T16:30:00-05:00",
            },
        },
    }


def test_text_output_names_local_times_and_the_next_response(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Customer Care, Severity 2 opened Saturday 10:00 in Tokyo; Monday 23 November is
    # Labour Thanksgiving Day in Japan, so the first business hour is Tuesday 08:00-09:00.
    code, out, _ = run_cli(
        capsys,
        "sla",
        "due",
        "--policy",
        "purecloud-customer-care",
        "--plan",
        "standard",
        "--severity",
        "2",
        "--opened",
        "2026-11-21T10:00:00+09:00",
        "--tz",
        "Asia/Tokyo",
        "--country",
        "JP",
    )
    assert code == 0
    assert "response     1 BH   due Tue 2026-11-24 09:00 JST  (2026-11-24T00:00:00Z)" in out
    assert "resolution   n/a" in out
    assert "Care will respond by Tue 2026-11-24 09:00 JST." in out


def test_explain_lists_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys,
        "sla",
        "explain",
        "--policy",
        "genesys-care-cloud-reseller",
        "--plan",
        "care-for-cloud",
        "--severity",
        "2",
        "--opened",
        OPENED,
        "--tz",
        TZ,
        "--country",
        "US",
    )
    assert code == 0
    assert "  - Skipped Thu 2026-11-26: public holiday (Thanksgiving Day)." in out
    assert (
        "  - Due Mon 2026-11-23 13:30 EST (2026-11-23 18:30 UTC): 6:00 counted = the target 6:00."
        in out
    )


def test_policies_lists_policies_and_plans(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "policies", "--json")
    assert code == 0
    rows = {row["policy"]: row for row in json.loads(out)}
    assert set(rows["genesys-care-cloud-reseller"]["plans"]) == {"care-for-cloud", "business-care"}
    assert rows["genesys-care-cloud-reseller"]["effective"] == "2018-02-01"


BASE = [
    "sla",
    "due",
    "--policy",
    "genesys-care-cloud-reseller",
    "--plan",
    "care-for-cloud",
    "--severity",
    "2",
    "--opened",
    OPENED,
    "--tz",
    TZ,
]


def _with(option: str, value: str) -> list[str]:
    args = list(BASE)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    return args


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (_with("--policy", "gold-care"), "unknown policy 'gold-care'"),
        (_with("--plan", "platinum"), "unknown plan 'platinum'"),
        (_with("--severity", "5"), "unknown severity '5'"),
        (_with("--severity", "high"), "unknown severity 'high'"),
        (_with("--tz", "Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (_with("--opened", "2026-11-20T16:30:00"), "'2026-11-20T16:30:00' has no UTC offset"),
        (_with("--opened", "last friday"), "malformed opened time 'last friday'"),
        (_with("--country", "ZZ"), "unknown country 'ZZ'"),
        (_with("--case-type", "complaint"), "unknown case type 'complaint'"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = subprocess.run(
        [str(CARES), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("caredesk: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "sla", "due", "--policy", "purecloud-support")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "Missing option" in err
