"""Status page benchmark: ``/status/`` as everyone loads it during an outage.

    .venv/bin/python bench/status_bench.py            # 20,000 requests per phase
    .venv/bin/python bench/status_bench.py --quick    # 3,000 per phase

1. Drops and recreates the PostgreSQL database ``caredesk_status_bench``, runs ``caredesk
   migrate`` and ``caredesk demo``, and through the API declares an outage on PureCloud
   with two updates and publishes an advisory (so the page has what an outage shows).
2. Starts ``caredesk serve`` (gunicorn, 2 sync workers, as ``bench/api_bench.py`` does).
3. Phases, 8 client threads (one kept-alive connection each, raw sockets):
   ``GET /status/``; the same with ``If-None-Match`` (304); ``GET /status/index.json``;
   and ``GET /status/`` again while 50 case creations per second (``POST /api/cases``,
   paced) run beside it.
Prints per phase requests, rate, p50/p99 and the machine's load; then the goals (2,000
requests/s with p99 under 50 ms; 1,000/s beside the creations) with PASS or FAIL. The
machine may be shared: the load average before each phase is printed with it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_bench import (
    CAREDESK,
    SEED,
    Connection,
    Phase,
    Req,
    Server,
    case_payloads,
    designated_contacts,
    load,
    load_demo,
    payload,
    recreate_database,
    run,
)

GOAL_RPS, GOAL_P99_MS, GOAL_BESIDE_RPS = 2000.0, 50.0, 1000.0


def post_json(port: int, path: str, token: str, body: dict[str, Any]) -> Any:
    conn = Connection(port)
    try:
        status, data = conn.request(payload(Req("POST", path, token, json.dumps(body).encode())))
    finally:
        conn.close()
    if status not in (200, 201):
        raise SystemExit(f"POST {path} answered {status}: {data[:400]!r}")
    return json.loads(data)


def outage(port: int, token: str) -> None:
    incident = post_json(
        port,
        "/api/incidents",
        token,
        {
            "title_en": "Calls fail to connect",
            "title_ja": "通話が接続できません",
            "impact": "outage",
            "services": ["purecloud"],
            "started_at": "2020-01-01T00:00:00Z",
            "text_en": "We are investigating failed calls.",
            "text_ja": "通話の失敗を調査しています。",
        },
    )
    post_json(
        port,
        f"/api/incidents/{incident['id']}/updates",
        token,
        {"stage": "identified", "text_en": "A router failed.", "text_ja": "ルーター障害。"},
    )
    post_json(
        port,
        "/api/advisories",
        token,
        {
            "service": "premier-edition",
            "title_en": "Wallboards show stale figures",
            "title_ja": "ウォールボードの数値が古い",
            "text_en": "Reload the wallboard every hour.",
            "text_ja": "1時間ごとに再読み込みしてください。",
        },
    )


def pages(path: str, count: int, headers: str = "") -> list[Req]:
    # No token: the page is public (the Authorization header is sent empty and ignored).
    return [Req("GET", path + headers, "") for _ in range(count)]


class Creator(threading.Thread):
    """Sends its share of case creations at a fixed pace, one kept-alive connection."""

    def __init__(self, port: int, reqs: list[Req], per_second: float) -> None:
        super().__init__(daemon=True)
        self.port, self.reqs, self.interval = port, reqs, 1.0 / per_second
        self.stop = threading.Event()
        self.done = self.failed = 0

    def run(self) -> None:
        conn = Connection(self.port)
        began = time.perf_counter()
        for n, r in enumerate(self.reqs):
            if self.stop.is_set():
                break
            delay = began + n * self.interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _ = conn.request(payload(r))
            if status == 201:
                self.done += 1
            else:
                self.failed += 1
        conn.close()


def show(p: Phase, load_avg: tuple[float, float, float]) -> None:
    print(
        f"{p.name:<44} {p.requests:>7} {p.rate:>9.0f}/s  p50 {p.pct(0.5):6.1f} ms  "
        f"p99 {p.pct(0.99):6.1f} ms  errors {p.errors}  statuses {dict(p.statuses)}  "
        f"load before {load_avg[0]:.2f} {load_avg[1]:.2f} {load_avg[2]:.2f}  "
        f"machine busy {p.cpu.get('busy', 0) * 100:.0f} %",
        flush=True,
    )
    if p.first_error:
        print(f"   first error: {p.first_error[:300]}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--creations-per-second", type=float, default=50.0)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="caredesk_status_bench")
    args = parser.parse_args(argv)
    count = 3000 if args.quick else args.requests
    base = args.postgres.rstrip("/")
    tmp = Path(tempfile.mkdtemp(prefix="status-bench-"))
    env = dict(os.environ, CAREDESK_ENV="development", DEBUG="0", CAREDESK_VAR=str(tmp / "var"))
    env["DATABASE_URL"] = f"{base}/{args.database}"
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.site.settings"
    import django

    django.setup()  # the payload builder reads the demo and the policies
    print(f"cpus {os.cpu_count()}; load average {os.getloadavg()}", flush=True)
    recreate_database(base, args.database)
    run([CAREDESK, "migrate"], env, "caredesk migrate")
    tokens, emails = load_demo(env, [])
    server = Server(env, args.workers, 1, tmp / "serve.log")
    server.start()
    phases: dict[str, Phase] = {}
    try:
        outage(server.port, tokens["engineer"])
        load("warm-up", "shown", server.port, pages("/status/", 400), args.concurrency, 200, None)
        etag = _etag(server.port)
        runs = [
            ("GET /status/", pages("/status/", count), 200),
            (
                "GET /status/ If-None-Match (304)",
                [Req("GET", "/status/", "") for _ in range(count)],
                304,
            ),
            ("GET /status/index.json", pages("/status/index.json", count), 200),
        ]
        for name, reqs, expect in runs:
            avg = os.getloadavg()
            if expect == 304:
                reqs = [_conditional(etag) for _ in reqs]
            phases[name] = load(
                name, "read", server.port, reqs, args.concurrency, expect, server.pid
            )
            show(phases[name], avg)
        contacts = designated_contacts(server.port, tokens, emails)
        creations, _ = case_payloads(contacts, 20_000, random.Random(SEED))
        shares = [creations[i::4] for i in range(4)]
        creators = [Creator(server.port, s, args.creations_per_second / 4) for s in shares]
        avg = os.getloadavg()
        began = time.perf_counter()
        for c in creators:
            c.start()
        name = "GET /status/ beside 50 creations/s"
        phases[name] = load(
            name, "read", server.port, pages("/status/", count), args.concurrency, 200, server.pid
        )
        for c in creators:
            c.stop.set()
        for c in creators:
            c.join()
        spent = time.perf_counter() - began
        show(phases[name], avg)
        made = sum(c.done for c in creators)
        print(
            f"   creations beside it: {made} in {spent:.1f} s = {made / spent:.1f}/s, "
            f"failed {sum(c.failed for c in creators)}",
            flush=True,
        )
    finally:
        server.stop()
    plain, beside = phases["GET /status/"], phases["GET /status/ beside 50 creations/s"]
    print("\nGoals")
    print(
        f"  /status/ >= {GOAL_RPS:.0f}/s: {plain.rate:.0f}/s "
        f"{'PASS' if plain.rate >= GOAL_RPS else 'FAIL'}"
    )
    print(
        f"  /status/ p99 < {GOAL_P99_MS:.0f} ms: {plain.pct(0.99):.1f} ms "
        f"{'PASS' if plain.pct(0.99) < GOAL_P99_MS else 'FAIL'}"
    )
    print(
        f"  beside creations >= {GOAL_BESIDE_RPS:.0f}/s: {beside.rate:.0f}/s "
        f"{'PASS' if beside.rate >= GOAL_BESIDE_RPS else 'FAIL'}"
    )
    return 0


def _etag(port: int) -> str:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/status/")
    tag = c.getresponse().getheader("ETag") or ""
    c.close()
    return tag


def _conditional(etag: str) -> Req:
    # The shared request builder writes "METHOD PATH HTTP/1.1" then Host: the header rides
    # in the path's place, and the builder's " HTTP/1.1" ends up in a harmless X-Ignore.
    return Req("GET", "/status/ HTTP/1.1\r\nIf-None-Match: " + etag + "\r\nX-Ignore: x", "")


if __name__ == "__main__":
    sys.exit(main())
