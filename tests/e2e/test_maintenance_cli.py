"""``caredesk maintenance`` as scripts run it: a real process, no database needed without
--org, its JSON on stdout and every refusal one line on stderr with exit status 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CARES = Path(sys.executable).with_name("caredesk")


def caredesk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CARES), "maintenance", *args],
        capture_output=True,
        text=True,
        timeout=60,
        # No database at all: the catalogue and the core answer alone.
        env={**os.environ, "PYTHONWARNINGS": "ignore", "DATABASE_URL": "sqlite:////nonexistent/x"},
    )


def test_at_as_json() -> None:
    # Thu 5 Mar 2026 01:00 EST: inside Outbound Engagement's Thursday 00:00-03:00 window.
    result = caredesk(
        "at", "--service", "outbound-engagement", "--at", "2026-03-05T01:00:00-05:00", "--json"
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {
        "service": "outbound-engagement",
        "at": "2026-03-05T06:00:00Z",
        "in_maintenance": True,
        "window": {"start": "2026-03-05T05:00:00Z", "end": "2026-03-05T08:00:00Z"},
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("at", "--service", "pureengage-cloud", "--at", "2026-03-05T01:00Z"),
            "give --tz ZONE or --org ORG",
        ),
        (("at", "--service", "nope", "--at", "2026-03-05T01:00Z"), "unknown service 'nope'"),
        (
            (
                "windows",
                "--service",
                "premier-edition",
                "--from",
                "2026-03-05",
                "--to",
                "2026-03-06T00:00Z",
            ),
            "has no UTC offset",
        ),
    ],
)
def test_refusals(args: tuple[str, ...], message: str) -> None:
    result = caredesk(*args)
    assert (result.returncode, result.stdout) == (2, "")
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
