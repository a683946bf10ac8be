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
# Guards against a hang, not measures of speed: the steps wait for events (the demo exits,
# the server answers), and a busy machine may take minutes over each.
GUARD = 600.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    # One demo and one server for this module's tests, which only read.
    tmp_path = tmp_path_factory.mktemp("served")
    env = {
        **os.environ,
        "CAREDESK_VAR": str(tmp_path),
        "CAREDESK_ENV": "development",
        # gunicorn restarts a worker silent for --timeout (30 s): on a starved machine, one
        # still importing the application. The guard here is GUARD, not gunicorn's.
        "GUNICORN_CMD_ARGS": f"--timeout {GUARD:.0f}",
    }
    env.pop("DATABASE_URL", None)
    demo = subprocess.run(
        [str(CAREDESK), "demo"], env=env, capture_output=True, text=True, timeout=GUARD
    )
    assert demo.returncode == 0, demo.stderr
    tokens = dict(re.findall(r"^\s+(\S+)\s+\S+\s+token (cd_\S+)$", demo.stdout, re.M))
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:  # a file, not a pipe nobody reads: it never fills up
        proc = subprocess.Popen(
            [str(CAREDESK), "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # Up when /healthz answers 200: wait for that, or for the server to exit.
        deadline = time.monotonic() + GUARD
        while True:
            assert proc.poll() is None, f"the server exited:\n{_tail(log)}"
            assert time.monotonic() < deadline, f"no answer from /healthz in {GUARD} s"
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=GUARD) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield base, tokens
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=GUARD)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _get(url: str, token: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=GUARD) as r:
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
    with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=GUARD) as r:
        assert "/api/cases" in json.load(r)["paths"]


def test_serve_shows_its_own_error_pages_not_debug(server: tuple[str, dict[str, str]]) -> None:
    base, _ = server
    for language, heading in (("en", "Page not found"), ("ja", "ページが見つかりません")):
        request = urllib.request.Request(
            f"{base}/no/such/page", headers={"Accept-Language": language}
        )
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(request, timeout=GUARD)
        assert missing.value.code == 404
        page = missing.value.read().decode()
        assert f"<h1>{heading}</h1>" in page
        assert "Django" not in page  # not the debug page naming the URL patterns
    with urllib.request.urlopen(f"{base}/api/docs", timeout=GUARD) as r:
        docs = r.read().decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
