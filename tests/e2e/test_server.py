"""The product as a user starts it: demo data, then the server on loopback, over HTTP."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CAREDESK = Path(sys.executable).with_name("caredesk")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**os.environ, "CAREDESK_VAR": str(tmp_path), "CAREDESK_ENV": "development"}
    env.pop("DATABASE_URL", None)
    demo = subprocess.run(
        [str(CAREDESK), "demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert demo.returncode == 0, demo.stderr
    tokens = dict(re.findall(r"^\s+(\S+)\s+\S+\s+token (cd_\S+)$", demo.stdout, re.M))
    port = _free_port()
    proc = subprocess.Popen(
        [str(CAREDESK), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the server did not answer /healthz within 60 s")
    try:
        yield base, tokens
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _get(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


def test_demo_then_serve_answers_the_api(server: tuple[str, dict[str, str]]) -> None:
    base, tokens = server
    status, cases = _get(f"{base}/api/cases?limit=5", tokens["engineer"])
    assert status == 200
    assert cases["count"] >= 150  # 200 attempted; every one kept its intake rules
    status, queue = _get(f"{base}/api/queue?limit=3", tokens["engineer"])
    assert status == 200
    severities = [c["severity"] for c in queue["items"]]
    assert severities == sorted(severities)
    one = cases["items"][0]
    status, sla = _get(f"{base}/api/cases/{one['id']}/sla", tokens["engineer"])
    assert status == 200
    assert {m["metric"] for m in sla["metrics"]} == {"response", "restoration", "resolution"}
    status, _ = _get(f"{base}/api/cases/{one['id']}", "cd_wrong")
    assert status == 401
    with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=10) as r:
        assert "/api/cases" in json.load(r)["paths"]
