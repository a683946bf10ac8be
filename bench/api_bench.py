"""HTTP API benchmark: the served product on PostgreSQL, as users run it.

    .venv/bin/python bench/api_bench.py              # full run: 10,000 cases, 100,000 recomputed
    .venv/bin/python bench/api_bench.py --quick      # smoke run, a minute or so
    .venv/bin/python bench/api_bench.py --cases 2000 --sla-cases 20000

1. Drops and recreates the PostgreSQL database ``caredesk_bench`` (``--database NAME``:
   NAME, and NAME_sla in step 5), runs ``caredesk migrate``
   and ``caredesk demo`` (organisations, designated contacts, 200 cases) and reads the
   demo's API tokens from its output (when the demo fails, it says so and loads the same
   people without the cases).
2. Starts ``caredesk serve --workers 2 --threads 1`` (sync workers) (gunicorn) with
   ``CAREDESK_ENV=development`` and ``DEBUG=0`` (as deployed: Django's debug cursor off)
   and waits for ``/healthz``.
3. Opens 10,000 cases with ``POST /api/cases`` from 8 client threads (one connection
   each, written on the socket: see ``Connection``), spread over the demo's designated
   contacts with the intake each policy requires; every answer must be 201.
4. ``VACUUM (ANALYZE)`` of the case tables (what autovacuum does after a bulk load), then
   reads: single cases, SLA explanations, and the case lists (contacts and Care) and Care's
   queue as clients walking them by cursor (pages of 50; each list is walked once,
   untimed, for its cursors, then its pages are asked for in random order). Shown beside
   them, without a rate goal: pages jumped into by offset and the queue's first page, each
   counted again.
5. Stops the server; in a second database ``caredesk_bench_sla`` writes 100,000 cases with
   histories (``bench/generate_cases.py``), times ``caredesk sla recompute`` and checks a
   sample of the stored clocks against a fresh replay.

Prints per endpoint: requests, rate, p50/p99 latency, errors, CPU per request (client,
gunicorn, PostgreSQL, other processes); then the goals with PASS or FAIL. Exits 0 when it
ran to the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CAREDESK = str(BIN / "caredesk")
API_DB = "caredesk_bench"  # the default of --database; the recompute uses <name>_sla
SEED = 20_261_123

GOAL_CREATE_RPS = 300.0
GOAL_READ_RPS = 1000.0
GOAL_P99_MS = 100.0
GOAL_RECOMPUTE_S = 20.0

TOKEN_LINE = re.compile(r"^\s+(\S+)\s+(\S+@\S+)\s+token\s+(cd_\S+)\s*$")
PHONES = {"US": "+1 212 555 0100", "GB": "+44 20 7946 0000", "JP": "+81 3-1234-5678"}
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- machine and process accounting ---------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(ppid, own CPU seconds, reaped children's CPU seconds) of a process."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text.rsplit(")", 1)[1].split()
    own = (int(rest[11]) + int(rest[12])) / CLK_TCK
    children = (int(rest[13]) + int(rest[14])) / CLK_TCK
    return int(rest[1]), own, children


def _processes() -> dict[int, tuple[str, int, float, float]]:
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        stat = _stat(pid)
        if stat is None:
            continue
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        found[pid] = (comm, *stat)
    return found


def _tree_cpu(procs: dict[int, tuple[str, int, float, float]], root: int) -> float:
    """CPU seconds of a process, its live descendants and its reaped children."""
    if root not in procs:
        return 0.0
    total = procs[root][2] + procs[root][3]
    todo = [root]
    while todo:
        parent = todo.pop()
        for pid, (_, ppid, own, _) in procs.items():
            if ppid == parent:
                total += own
                todo.append(pid)
    return total


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine (all cores) since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in fields]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / CLK_TCK


@dataclass
class CpuSnapshot:
    client: float
    server: float
    postgres: float
    busy: float
    at: float


def cpu_snapshot(server_pid: int | None) -> CpuSnapshot:
    procs = _processes()
    postmasters = [
        pid
        for pid, (comm, ppid, _, _) in procs.items()
        if comm == "postgres" and procs.get(ppid, ("",))[0] != "postgres"
    ]
    pg = sum(_tree_cpu(procs, pid) for pid in postmasters)
    mine = os.times()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = _tree_cpu(procs, server_pid) if server_pid else 0.0
    # Subprocesses this script waited for (migrate, demo, generator, recompute) count as
    # the client; a running server is measured as its own tree.
    client = mine.user + mine.system + children.ru_utime + children.ru_stime
    return CpuSnapshot(client, server, pg, machine_busy(), time.perf_counter())


# -- databases and commands -----------------------------------------------------------


def recreate_database(base: str, name: str) -> None:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def postgres_version(base: str) -> str:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT version()").fetchone()
    return str(row[0]) if row else "?"


def run(cmd: Sequence[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(list(cmd), env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(
            f"\n{what} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}",
            file=sys.stderr,
        )
        raise SystemExit(1)
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``caredesk serve`` in its own session; CPU is counted over its process tree."""

    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.env, self.workers, self.threads, self.log_path = env, workers, threads, log
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                CAREDESK,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                tail = self.log_path.read_text(errors="replace")[-3000:]
                raise SystemExit(f"caredesk serve exited ({self.proc.returncode}):\n{tail}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    conn.close()
                    if self._workers_up():
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("caredesk serve did not answer /healthz within 90 s")

    def _workers_up(self) -> bool:
        """At least ``workers`` processes under ``caredesk serve`` (gunicorn's workers are
        its children when it execs gunicorn, its grandchildren when it spawns it)."""
        assert self.proc is not None
        procs = _processes()
        found, todo = 0, [self.proc.pid]
        while todo:
            parent = todo.pop()
            for pid, p in procs.items():
                if p[1] == parent:
                    found += 1
                    todo.append(pid)
        return found >= self.workers

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


# -- the load client ------------------------------------------------------------------


@dataclass
class Req:
    method: str
    path: str
    token: str
    body: bytes | None = None


@dataclass
class Phase:
    name: str
    kind: str  # "create" or "read": which rate goal applies; "shown": none
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int
    first_error: str
    statuses: Counter[int]
    cpu: dict[str, float] = field(default_factory=dict)  # ms of CPU per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


class Connection:
    """HTTP/1.1 on one loopback socket, opened again whenever the server closes it
    (gunicorn's sync workers close after every answer). Written on the socket rather than
    with ``http.client``, whose header parsing cost the client about 0.2 ms of CPU per
    request: the client shares its two cores with the server it measures."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock: socket.socket | None = None

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(self, payload: bytes) -> tuple[int, bytes]:
        """Send one request (``payload``, whole); the answer's status and body."""
        reused = self.sock is not None
        try:
            return self._exchange(payload)
        except ConnectionError:
            self.close()
            if not reused:
                raise
            # The server closed an idle kept-alive connection: once more on a new one.
            return self._exchange(payload)

    def _exchange(self, payload: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=120)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = self.sock
        sock.sendall(payload)
        data = b""
        while (end := data.find(b"\r\n\r\n")) < 0:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection before answering")
            data += chunk
        status_line, *lines = data[:end].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        length, close = None, status_line.startswith("HTTP/1.0")
        for line in lines:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection":
                close = value == "close"
            elif name == "transfer-encoding":
                raise http.client.HTTPException(f"unexpected transfer-encoding {value!r}")
        body = data[end + 4 :]
        while length is None or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                if length is None:
                    break
                raise ConnectionError("the server closed the connection mid-answer")
            body += chunk
        if close or length is None:
            self.close()
        return status, body


def payload(r: Req) -> bytes:
    """The bytes of ``r``, built before the clock starts."""
    body = r.body or b""
    head = [
        f"{r.method} {r.path} HTTP/1.1",
        "Host: 127.0.0.1",
        f"Authorization: Bearer {r.token}",
        f"Content-Length: {len(body)}",
    ]
    if r.body is not None:
        head.append("Content-Type: application/json")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def load(
    name: str,
    kind: str,
    port: int,
    reqs: Sequence[Req],
    concurrency: int,
    expect: int,
    server_pid: int | None,
    on_ok: Callable[[int, bytes], None] | None = None,
) -> Phase:
    """Send ``reqs`` from ``concurrency`` threads, each with one connection (kept alive
    when the server allows)."""
    counter = itertools.count()
    latencies = [0.0] * len(reqs)
    statuses = [0] * len(reqs)
    errors: list[str] = []
    lock = threading.Lock()
    payloads = [payload(r) for r in reqs]

    def worker() -> None:
        conn = Connection(port)
        while True:
            i = next(counter)
            if i >= len(reqs):
                break
            began = time.perf_counter()
            try:
                status, data = conn.request(payloads[i])
            except (OSError, http.client.HTTPException) as exc:
                latencies[i] = (time.perf_counter() - began) * 1000
                statuses[i] = -1
                conn.close()
                with lock:
                    errors.append(f"{reqs[i].method} {reqs[i].path}: {type(exc).__name__}: {exc}")
                continue
            latencies[i] = (time.perf_counter() - began) * 1000
            statuses[i] = status
            if status != expect:
                r = reqs[i]
                with lock:
                    errors.append(
                        f"{status} {r.method} {r.path}: {data[:800].decode(errors='replace')}"
                    )
            elif on_ok is not None:
                on_ok(i, data)
        conn.close()

    before = cpu_snapshot(server_pid)
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    after = cpu_snapshot(server_pid)
    n = max(1, len(reqs))
    cpu = {
        "client": (after.client - before.client) / n * 1000,
        "gunicorn": (after.server - before.server) / n * 1000,
        "postgres": (after.postgres - before.postgres) / n * 1000,
        "other": (
            (after.busy - before.busy)
            - (after.client - before.client)
            - (after.server - before.server)
            - (after.postgres - before.postgres)
        )
        / n
        * 1000,
        "busy": (after.busy - before.busy) / max(seconds, 1e-9) / (os.cpu_count() or 1),
    }
    return Phase(
        name,
        kind,
        len(reqs),
        seconds,
        latencies,
        len(errors),
        errors[0] if errors else "",
        Counter(statuses),
        cpu,
    )


def get_json(port: int, path: str, token: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        resp = conn.getresponse()
        data = resp.read()
    finally:
        conn.close()
    if resp.status != 200:
        raise SystemExit(f"GET {path} answered {resp.status}: {data[:500]!r}")
    return json.loads(data)


# -- the world and the payloads -----------------------------------------------------------


@dataclass
class Contact:
    key: str
    email: str
    token: str
    organisation_id: int
    short_name: str
    policy: str
    country: str
    count: int = 0  # cases visible to this contact


# When ``caredesk demo`` fails, the same organisations and people without the 200 cases.
WORLD_ONLY = """
import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
import django
django.setup()
from caredesk import demo
from caredesk.infra.clock import CLOCK
loaded = demo.load(CLOCK.now(), case_count=0)
for name, p in loaded.people.items():
    print(f"  {name:<18} {p.user.email:<26} token {loaded.tokens[name]}")
"""


def load_demo(env: dict[str, str], notes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Run ``caredesk demo``; tokens and e-mail addresses by the demo's names."""
    done = subprocess.run(
        [CAREDESK, "demo"], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    out = done.stdout
    if done.returncode != 0 or not any(TOKEN_LINE.match(x) for x in out.splitlines()):
        last = (done.stderr.strip() or done.stdout.strip() or "?").splitlines()[-1]
        note = (
            f"caredesk demo failed (exit {done.returncode}): {last}; loaded the demo's "
            "organisations and people without its 200 cases instead "
            "(caredesk.demo.load(now, case_count=0))"
        )
        print(f"   WARNING: {note}", flush=True)
        notes.append(note)
        out = run([sys.executable, "-c", WORLD_ONLY], env, "loading the demo world")
    tokens, emails = {}, {}
    for line in out.splitlines():
        m = TOKEN_LINE.match(line)
        if m:
            tokens[m.group(1)] = m.group(3)
            emails[m.group(1)] = m.group(2)
    if "engineer" not in tokens or not any(k.startswith("contact-") for k in tokens):
        raise SystemExit(f"could not read the demo's tokens from its output:\n{out}")
    return tokens, emails


def designated_contacts(port: int, tokens: dict[str, str], emails: dict[str, str]) -> list[Contact]:
    contacts = []
    for key, token in sorted(tokens.items()):
        if not key.startswith("contact-"):
            continue
        me = get_json(port, "/api/me", token)
        if not me["designated"]:
            continue
        org = get_json(port, f"/api/organisations/{me['organisation_id']}", token)
        contacts.append(
            Contact(
                key, emails[key], token, org["id"], org["short_name"], org["policy"], org["country"]
            )
        )
    if not contacts:
        raise SystemExit("the demo has no designated contact")
    return contacts


def case_payloads(
    contacts: Sequence[Contact], count: int, rng: random.Random
) -> tuple[list[Req], list[int]]:
    """Valid ``POST /api/cases`` bodies, round-robin over the contacts; and which contact
    sends each."""
    from caredesk.core import policy as policies
    from caredesk.demo import SUBJECTS
    from caredesk.testing import PURECLOUD_INTAKE, RESELLER_INTAKE

    reqs, owners = [], []
    for n in range(count):
        who = n % len(contacts)
        c = contacts[who]
        policy = policies.load(c.policy)
        by_phone_raise = policy.intake.severity1_by_phone_raise
        severity = rng.choices((1, 2, 3, 4), weights=(1, 4, 6, 4))[0]
        if by_phone_raise and severity == 1:
            severity = 2  # refused on the reseller policy: submit High, raise by phone
        body: dict[str, Any] = {
            "case_type": "admin" if rng.random() < 0.15 else "incident",
            "severity": severity,
            "priority": rng.randint(1, 4),
            "channel": "portal",
            "subject": f"{rng.choice(SUBJECTS)} ({n + 1})",
            "description": "Agents report the problem since this morning; it affects inbound "
            "voice first. Time of the last occurrence and screenshots attached.",
        }
        if "account_name" in {f.key for f in policy.intake.fields}:
            body["product"] = "pureengage-cloud"
            body["intake"] = dict(RESELLER_INTAKE)
        else:
            body["intake"] = dict(PURECLOUD_INTAKE, org_short_name=c.short_name)
        if severity == 1:
            body["channel"] = "phone"
            body["critical_contact_name"] = c.email.split("@")[0].title()
            body["critical_contact_phone"] = PHONES.get(c.country, "+1 212 555 0100")
        reqs.append(Req("POST", "/api/cases", c.token, json.dumps(body).encode()))
        owners.append(who)
    return reqs, owners


# -- reporting ------------------------------------------------------------------------


def fmt_phase(p: Phase) -> str:
    return (
        f"{p.name:<42} {p.requests:>7,} {p.rate:>9.1f} {p.pct(0.50):>8.1f} "
        f"{p.pct(0.99):>8.1f} {max(p.latencies_ms, default=0):>8.1f} {p.errors:>6} "
        f"{p.cpu['client']:>6.2f} {p.cpu['gunicorn']:>6.2f} {p.cpu['postgres']:>6.2f} "
        f"{max(p.cpu['other'], 0):>6.2f} {p.cpu['busy'] * 100:>5.0f}%"
    )


HEADER = (
    f"{'endpoint':<42} {'reqs':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
    f"{'max ms':>8} {'errors':>6} {'client':>6} {'gunic.':>6} {'postgr':>6} {'other':>6} "
    f"{'busy':>6}"
)


def print_phase(p: Phase) -> None:
    print(fmt_phase(p), flush=True)
    if p.errors:
        other = {k: v for k, v in p.statuses.items() if k not in (200, 201)}
        print(f"    {p.errors} failed ({dict(other)}); first: {p.first_error}", flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# -- the API part ------------------------------------------------------------------------


@dataclass
class ApiWorld:
    port: int
    engineer: str
    contacts: list[Contact]
    created: list[tuple[int, int]] = field(default_factory=list)  # (case id, contact index)


def create_cases(
    world: ApiWorld,
    count: int,
    concurrency: int,
    rng: random.Random,
    server_pid: int | None,
    name: str = "POST /api/cases",
) -> Phase:
    reqs, owners = case_payloads(world.contacts, count, rng)
    ids: list[int] = [0] * len(reqs)

    def remember(i: int, data: bytes) -> None:
        ids[i] = json.loads(data)["id"]

    phase = load(name, "create", world.port, reqs, concurrency, 201, server_pid, remember)
    world.created.extend((cid, owners[i]) for i, cid in enumerate(ids) if cid)
    return phase


def walk(port: int, path: str, token: str) -> list[str]:
    """Every page of a list, as a client walking it by cursor asks for them: the first
    page (counted), then each page after the previous page's ``next``."""
    pages = [path]
    page = get_json(port, path, token)
    while page["next"] is not None:
        pages.append(f"{path}&after={page['next']}")
        page = get_json(port, pages[-1], token)
    return pages


def read_phases(
    world: ApiWorld, reads: int, concurrency: int, rng: random.Random, server_pid: int | None
) -> list[Phase]:
    """Fetches, SLA answers, and the lists walked by cursor (the goals), then lists
    jumped into by offset and the queue's first page again and again (shown beside them:
    each of those pages is counted, and an offset walks its rows)."""
    contact_walks = [
        Req("GET", path, c.token)
        for c in world.contacts
        for path in walk(world.port, "/api/cases?limit=50", c.token)
    ]
    care_walk = walk(world.port, "/api/cases?limit=50", world.engineer)
    queue_walk = walk(world.port, "/api/queue?limit=50", world.engineer)
    for c in world.contacts:
        c.count = get_json(world.port, "/api/cases?limit=1", c.token)["count"]
    care_count = get_json(world.port, "/api/cases?limit=1", world.engineer)["count"]

    def offset(count: int) -> int:
        return rng.randrange(0, max(1, count - 49))

    contact_offsets = []
    for _ in range(reads):
        c = rng.choice(world.contacts)
        contact_offsets.append(Req("GET", f"/api/cases?limit=50&offset={offset(c.count)}", c.token))
    care_offsets = [
        Req("GET", f"/api/cases?limit=50&offset={offset(care_count)}", world.engineer)
        for _ in range(reads)
    ]
    picks = [rng.choice(world.created) for _ in range(reads)]
    fetches = [Req("GET", f"/api/cases/{cid}", world.contacts[who].token) for cid, who in picks]
    picks = [rng.choice(world.created) for _ in range(reads)]
    slas = [Req("GET", f"/api/cases/{cid}/sla", world.contacts[who].token) for cid, who in picks]
    first_pages = [Req("GET", "/api/queue?limit=50", world.engineer) for _ in range(reads)]
    plan = [
        ("GET /api/cases/{id}", "read", fetches),
        ("GET /api/cases/{id}/sla", "read", slas),
        ("GET /api/cases walk by cursor (contacts)", "read", pick(contact_walks, reads, rng)),
        (
            "GET /api/cases walk by cursor (Care)",
            "read",
            pick([Req("GET", p, world.engineer) for p in care_walk], reads, rng),
        ),
        (
            "GET /api/queue walk by cursor (Care)",
            "read",
            pick([Req("GET", p, world.engineer) for p in queue_walk], reads, rng),
        ),
        ("GET /api/cases?offset=N (contacts)", "shown", contact_offsets),
        ("GET /api/cases?offset=N (Care)", "shown", care_offsets),
        ("GET /api/queue first page (Care)", "shown", first_pages),
    ]
    phases = []
    for name, kind, reqs in plan:
        phase = load(name, kind, world.port, reqs, concurrency, 200, server_pid)
        print_phase(phase)
        phases.append(phase)
    return phases


def pick(pages: Sequence[Req], reads: int, rng: random.Random) -> list[Req]:
    """``reads`` pages drawn from walks: many clients, each somewhere in its walk."""
    return [rng.choice(pages) for _ in range(reads)]


def warm_up(world: ApiWorld, concurrency: int, server_pid: int | None) -> None:
    """Each worker loads the policies and builds the calendars before anything is timed."""
    reqs = []
    for c in world.contacts:
        page = get_json(world.port, "/api/cases?limit=5", c.token)
        for item in page["items"]:
            reqs.append(Req("GET", f"/api/cases/{item['id']}/sla", c.token))
            reqs.append(Req("GET", f"/api/cases/{item['id']}", c.token))
        reqs.append(Req("GET", "/api/cases?limit=50", c.token))
    reqs.append(Req("GET", "/api/queue?limit=50", world.engineer))
    load("warm-up", "read", world.port, reqs * 4, concurrency, 200, server_pid)


def api_part(
    args: argparse.Namespace, base: str, env: dict[str, str], tmp: Path, results: dict[str, Any]
) -> list[Phase]:
    url = f"{base}/{args.database}"
    env = dict(env, DATABASE_URL=url)
    print(f"\n== API: database {args.database}, caredesk migrate, caredesk demo", flush=True)
    began = time.perf_counter()
    recreate_database(base, args.database)
    run([CAREDESK, "migrate"], env, "caredesk migrate")
    notes: list[str] = results.setdefault("notes", [])
    tokens, emails = load_demo(env, notes)
    print(
        f"   ready in {time.perf_counter() - began:.1f} s; demo people with tokens: "
        f"{', '.join(tokens)}",
        flush=True,
    )

    server = Server(env, args.workers, args.threads, tmp / "serve.log")
    server.start()
    phases: list[Phase] = []
    try:
        contacts = designated_contacts(server.port, tokens, emails)
        world = ApiWorld(server.port, tokens["engineer"], contacts)
        print(
            f"   caredesk serve on 127.0.0.1:{server.port}: gunicorn pid {server.pid}, "
            f"{args.workers} workers x {args.threads} threads; client: {args.concurrency} "
            "threads, one connection each (kept alive when the server allows)",
            flush=True,
        )
        print(
            "   designated contacts: " + ", ".join(f"{c.email} ({c.policy})" for c in contacts),
            flush=True,
        )
        warm_up(world, args.concurrency, server.pid)
        rng = random.Random(SEED)
        print(f"\n{HEADER}\n{'-' * len(HEADER)}", flush=True)
        create = create_cases(world, args.cases, args.concurrency, rng, server.pid)
        print_phase(create)
        phases.append(create)
        if not world.created:
            raise SystemExit("no case was created; see the first error above")
        settle(env["DATABASE_URL"])
        phases.extend(read_phases(world, args.reads, args.concurrency, rng, server.pid))
        results["api"] = {"port": server.port, "cases_created": len(world.created)}
        if args.compare_threads:
            results["threads"] = compare_threads(args, env, tmp, world, server)
    finally:
        server.stop()
    return phases


def settle(url: str) -> None:
    """What autovacuum does after a bulk load (statistics, visibility map), done now: else
    the read phases measure when its next round happens to come (stale estimates had the
    newest-first page sort the whole table instead of reading its index)."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) cases_case, cases_slaclock, cases_caseevent")
    print(f"   (VACUUM ANALYZE of the case tables: {time.perf_counter() - started:.1f} s)")


def compare_threads(
    args: argparse.Namespace, env: dict[str, str], tmp: Path, world: ApiWorld, server: Server
) -> list[dict[str, Any]]:
    """The same short round for each ``--threads`` value, the default's included, on the
    same (grown) database."""
    values = [args.threads] + [t for t in args.compare_threads if t != args.threads]
    size = max(200, args.reads // 2)
    print(
        f"\n== gunicorn threads per worker: {', '.join(map(str, values))} "
        f"({size:,} of each request; {args.workers} workers)",
        flush=True,
    )
    print(f"{'threads':<8}{HEADER}", flush=True)
    rows = []
    server.stop()
    for threads in values:
        other = Server(env, args.workers, threads, tmp / f"serve-{threads}.log")
        other.start()
        try:
            world.port = other.port
            warm_up(world, args.concurrency, other.pid)
            rng = random.Random(SEED + threads)
            picks = [rng.choice(world.created) for _ in range(size)]
            fetches = [
                Req("GET", f"/api/cases/{cid}", world.contacts[who].token) for cid, who in picks
            ]
            lists = [
                Req("GET", f"/api/cases?limit=50&offset={rng.randrange(0, 500)}", world.engineer)
                for _ in range(size)
            ]
            round_phases = [
                create_cases(world, size, args.concurrency, rng, other.pid),
                load(
                    "GET /api/cases/{id}",
                    "read",
                    other.port,
                    fetches,
                    args.concurrency,
                    200,
                    other.pid,
                ),
                load(
                    "GET /api/cases?limit=50 (Care)",
                    "read",
                    other.port,
                    lists,
                    args.concurrency,
                    200,
                    other.pid,
                ),
            ]
            for p in round_phases:
                print(f"{threads:<8}{fmt_phase(p)}", flush=True)
                rows.append({"threads": threads, **phase_json(p)})
        finally:
            other.stop()
    return rows


# -- the SLA recompute part ------------------------------------------------------------


def sla_part(
    args: argparse.Namespace, base: str, env: dict[str, str], results: dict[str, Any]
) -> dict[str, Any]:
    sla_db = f"{args.database}_sla"
    url = f"{base}/{sla_db}"
    env = dict(env, DATABASE_URL=url)
    print(f"\n== SLA recompute: database {sla_db}, {args.sla_cases:,} generated cases", flush=True)
    recreate_database(base, sla_db)
    run([CAREDESK, "migrate"], env, "caredesk migrate")
    began = time.perf_counter()
    out = run(
        [sys.executable, str(ROOT / "bench" / "generate_cases.py"), "--cases", str(args.sla_cases)],
        env,
        "bench/generate_cases.py",
    )
    generated = time.perf_counter() - began
    print("   " + out.strip().splitlines()[-1], flush=True)

    before = cpu_snapshot(None)
    began = time.perf_counter()
    out = run([CAREDESK, "sla", "recompute"], env, "caredesk sla recompute")
    wall = time.perf_counter() - began
    after = cpu_snapshot(None)
    m = re.search(r"recomputed the SLA clocks of (\d+) cases in ([\d.]+) s", out)
    if not m:
        raise SystemExit(f"unexpected output of caredesk sla recompute: {out!r}")
    count, seconds = int(m.group(1)), float(m.group(2))
    print(
        f"   caredesk sla recompute: {out.strip()} (process wall time {wall:.1f} s; CPU: "
        f"caredesk {after.client - before.client:.1f} s, PostgreSQL "
        f"{after.postgres - before.postgres:.1f} s)",
        flush=True,
    )
    check = check_clocks(url, args.sample)
    print(f"   check of {check['sample']} random cases: {check['summary']}", flush=True)
    for problem in check["problems"][:5]:
        print(f"     {problem}", flush=True)
    sla = {
        "cases": count,
        "seconds": seconds,
        "wall_seconds": wall,
        "generate_seconds": generated,
        "cpu_caredesk": after.client - before.client,
        "cpu_postgres": after.postgres - before.postgres,
        **check,
    }
    results["sla"] = {k: v for k, v in sla.items() if k != "problems"}
    return sla


def check_clocks(url: str, sample: int) -> dict[str, Any]:
    """Every case has its three clock rows; a random sample matches a fresh replay and has
    plausible instants."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from caredesk.cases import sla
    from caredesk.cases.models import Case, SlaClock
    from caredesk.core.policy import Metric

    if not url.endswith("/" + str(settings.DATABASES["default"]["NAME"])):
        raise SystemExit(f"check_clocks: Django is set up for another database than {url}")
    metrics = {m.value for m in Metric}
    wrong_count = Case.objects.annotate(n=Count("clocks")).exclude(n=len(metrics)).count()
    ids = list(Case.objects.values_list("id", flat=True))
    rng = random.Random(SEED)
    chosen = rng.sample(ids, min(sample, len(ids)))
    now = datetime.now(UTC)
    problems: list[str] = []
    compared = running = 0
    fields = ("target", "started_at", "due_at", "at_risk_at", "stopped_at", "paused_since")
    for case in Case.objects.filter(id__in=chosen).order_by("id"):
        stored = {c.metric: c for c in SlaClock.objects.filter(case=case)}
        if set(stored) != metrics:
            problems.append(f"{case.number}: clocks {sorted(stored)}")
            continue
        events = list(case.events.order_by("seq"))
        clocks = sla.replay(case, events, now, explain=False)
        for fresh in sla.stored_rows(case, clocks):
            row = stored[fresh.metric]
            compared += 1
            for f in fields:
                if getattr(row, f) != getattr(fresh, f):
                    problems.append(
                        f"{case.number} {fresh.metric}.{f}: stored "
                        f"{getattr(row, f)}, replay {getattr(fresh, f)}"
                    )
            if not row.target:
                continue
            if row.started_at is None or row.started_at < case.opened_at:
                problems.append(
                    f"{case.number} {row.metric}: start {row.started_at} "
                    f"before opening {case.opened_at}"
                )
            if row.due_at is not None:
                span = (row.due_at - row.started_at).total_seconds() / 86400
                if not 0 < span < 400:
                    problems.append(
                        f"{case.number} {row.metric}: due {span:.1f} days after its start"
                    )
                if row.at_risk_at is not None and not (
                    row.started_at <= row.at_risk_at <= row.due_at
                ):
                    problems.append(
                        f"{case.number} {row.metric}: at risk {row.at_risk_at} outside start..due"
                    )
            elif row.paused_since is None and row.stopped_at is None:
                problems.append(f"{case.number} {row.metric}: running without a due instant")
            if row.stopped_at is None and row.paused_since is None:
                running += 1
        if case.next_due != sla.next_due(clocks):
            problems.append(
                f"{case.number}: next_due {case.next_due}, replay {sla.next_due(clocks)}"
            )
    connection.close()
    summary = (
        f"{wrong_count} cases without exactly {len(metrics)} clock rows; "
        f"{compared} clocks compared with a fresh replay ({running} running), "
        f"{len(problems)} problems"
    )
    return {
        "sample": len(chosen),
        "cases_without_3_clocks": wrong_count,
        "compared": compared,
        "problems": problems,
        "summary": summary,
        "ok": wrong_count == 0 and not problems,
    }


# -- main -------------------------------------------------------------------------------


def phase_json(p: Phase) -> dict[str, Any]:
    return {
        "name": p.name,
        "requests": p.requests,
        "rate": round(p.rate, 1),
        "p50_ms": round(p.pct(0.5), 2),
        "p99_ms": round(p.pct(0.99), 2),
        "max_ms": round(max(p.latencies_ms, default=0), 2),
        "errors": p.errors,
        "first_error": p.first_error,
        "cpu_ms_per_request": {k: round(v, 3) for k, v in p.cpu.items()},
    }


def source_revision() -> str:
    """The commit of the measured source (read-only; uncommitted changes are not shown)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def versions() -> str:
    names = ("django", "django-ninja", "gunicorn", "psycopg", "pydantic")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} ?")
    return ", ".join(found)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="HTTP API and SLA recompute benchmark on PostgreSQL (see bench/README.md)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: 1,000 cases, 300 of each read, 10,000 recomputed",
    )
    parser.add_argument("--cases", type=int, help="cases opened over HTTP (10,000)")
    parser.add_argument("--reads", type=int, help="requests per read endpoint (3,000)")
    parser.add_argument("--sla-cases", type=int, help="generated cases recomputed (100,000)")
    parser.add_argument(
        "--sample", type=int, default=500, help="recomputed cases checked against a fresh replay"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)"
    )
    parser.add_argument(
        "--compare-threads",
        type=lambda s: [int(x) for x in s.split(",")],
        default=[],
        metavar="N,N",
        help="also run a short round per threads value, e.g. 1,8",
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL without a database name",
    )
    parser.add_argument(
        "--database",
        default=API_DB,
        metavar="NAME",
        help="database of the API part, dropped and recreated (caredesk_bench); the "
        "recompute uses NAME_sla",
    )
    parser.add_argument("--skip-api", action="store_true", help="only the SLA recompute")
    parser.add_argument("--skip-sla", action="store_true", help="only the HTTP API")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if args.cases is None:
        args.cases = 1_000 if args.quick else 10_000
    if args.reads is None:
        args.reads = 300 if args.quick else 3_000
    if args.sla_cases is None:
        args.sla_cases = 10_000 if args.quick else 100_000
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    base = args.postgres.rstrip("/")
    env = dict(os.environ, CAREDESK_ENV="development")
    # As deployed: no debug cursor keeping and formatting every query (DEBUG=1 to compare).
    env.setdefault("DEBUG", "0")
    env.pop("DATABASE_URL", None)
    tmp = Path(tempfile.mkdtemp(prefix="caredesk-bench-"))
    env["CAREDESK_VAR"] = str(tmp / "var")  # collected static files and the like
    # The payload builders import caredesk (Django models): settings need a database URL,
    # the SLA one is the only database this process ever queries.
    os.environ["DATABASE_URL"] = f"{base}/{args.database}_sla"
    os.environ["DJANGO_SETTINGS_MODULE"] = "caredesk.site.settings"
    import django

    django.setup()

    started = time.perf_counter()
    load1, load5, _ = os.getloadavg()
    debug = env["DEBUG"]
    print("CareDesk API benchmark")
    print(
        f"machine     {cpu_model()}, {os.cpu_count()} cores, {memory_gib()} RAM, "
        f"load average {load1:.2f} / {load5:.2f}"
    )
    print(
        f"system      {platform.platform()}, Python {platform.python_version()}; "
        f"caredesk {metadata.version('caredesk')} at commit {source_revision()}"
    )
    print(f"postgres    {postgres_version(base)}")
    print(
        f"server      caredesk serve: gunicorn {args.workers} workers x {args.threads} "
        f"threads, CAREDESK_ENV=development (DEBUG={debug}); {versions()}"
    )
    print(
        f"client      {args.concurrency} threads (HTTP/1.1 on raw sockets), "
        f"{args.cases:,} cases, {args.reads:,} requests per read endpoint; "
        f"recompute of {args.sla_cases:,} generated cases"
    )
    print(
        "columns     client, gunic., postgr, other = CPU milliseconds per request used by this "
        "load client, caredesk serve (gunicorn),\n            PostgreSQL and every other process "
        "on the machine; busy = share of all cores in use during the phase"
    )
    if load1 > 0.5 * (os.cpu_count() or 1):
        print(
            f"WARNING     the machine is busy (load average {load1:.2f}): other processes take "
            "CPU from the server; see the 'other' column"
        )
    results: dict[str, Any] = {
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count()},
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
    }
    phases: list[Phase] = []
    sla: dict[str, Any] | None = None
    try:
        if not args.skip_api:
            phases = api_part(args, base, env, tmp, results)
        if not args.skip_sla:
            sla = sla_part(args, base, env, results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n== Summary ({time.perf_counter() - started:.0f} s in all)")
    if phases:
        print(f"{HEADER}\n{'-' * len(HEADER)}")
        for p in phases:
            print(fmt_phase(p))
    if sla:
        print(
            f"SLA recompute of {sla['cases']:,} cases: {sla['seconds']:.1f} s "
            f"({sla['cases'] / max(sla['seconds'], 1e-9):,.0f} cases/s); "
            f"generating them took {sla['generate_seconds']:.1f} s"
        )
    for note in results.get("notes", []):
        print(f"NOTE: {note}")
    print("\nGoals")
    lines = []
    for p in phases:
        if p.kind != "shown":
            goal = GOAL_CREATE_RPS if p.kind == "create" else GOAL_READ_RPS
            lines.append((f"{p.name}: >= {goal:,.0f} req/s", p.rate >= goal, f"{p.rate:,.1f}/s"))
        lines.append(
            (
                f"{p.name}: p99 < {GOAL_P99_MS:.0f} ms",
                p.pct(0.99) < GOAL_P99_MS,
                f"{p.pct(0.99):.1f} ms",
            )
        )
        lines.append((f"{p.name}: no errors", p.errors == 0, f"{p.errors} errors"))
    if sla:
        lines.append(
            (
                f"SLA recompute of {sla['cases']:,} cases: < {GOAL_RECOMPUTE_S:.0f} s",
                sla["seconds"] < GOAL_RECOMPUTE_S,
                f"{sla['seconds']:.1f} s",
            )
        )
        lines.append(
            (
                "recomputed clocks: 3 per case, sample equals a fresh replay",
                sla["ok"],
                sla["summary"],
            )
        )
    for text, ok, value in lines:
        print(f"  {verdict(ok)}  {text:<58} {value}")
    if args.quick:
        print("  (--quick only shows that everything runs; judge the goals on a full run)")
    results["phases"] = [phase_json(p) for p in phases]
    results["goals"] = [{"goal": t, "pass": ok, "value": v} for t, ok, v in lines]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, default=str))
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
