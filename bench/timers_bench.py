"""Timer benchmark: the automation worker's sweep over a million open cases, on PostgreSQL.

    .venv/bin/python bench/timers_bench.py              # full run: 1,000,000 open cases
    .venv/bin/python bench/timers_bench.py --quick      # smoke run: 20,000 cases, a minute
    .venv/bin/python bench/timers_bench.py --cases 200000 --e2e 5000

1. Drops and recreates the PostgreSQL database ``caredesk_timers_bench``, migrates it and
   writes ``--cases`` open cases with their histories, SLA clock rows and timers with
   ``COPY`` (``bench/generate_open_cases.py``); prints the generation time and checks a
   sample of the cases against the product's replay and scheduling code.
2. The claim: ``caredesk.automation.timers.claim(now, 100)`` (``SELECT ... FOR UPDATE OF
   timer SKIP LOCKED LIMIT 100`` over pending due timers, with their cases) inside a
   transaction that is rolled back, timed over several runs (best and median); the same
   SQL with another transaction holding the first 100; and its ``EXPLAIN (ANALYZE,
   BUFFERS)``, which must use the due index ``timer_due`` and no Seq Scan of the timers or
   the cases.
3. End to end, one worker: the clock is set just after the ``--e2e``-th pending timer (so
   that many are due: SLA warnings and breaches on cases with real histories) and
   ``caredesk.automation.worker.run`` (its timers and outbox threads, as ``caredesk
   worker`` runs them) works in this process until no timer is due and every e-mail is
   delivered; fired timers per second. The first sweep of 100 runs under cProfile with its queries
   captured (not counted in the rate); the profile is printed when the goal is missed.
   E-mails go to Django's in-memory backend.

Prints the machine, the data, the timings and the goals with PASS or FAIL. Exits 1 when
the claim's plan scans the timer table sequentially (or misses the due index), else
0 when it ran to the end. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import psycopg

from api_bench import (
    CLK_TCK,
    cpu_model,
    machine_busy,
    memory_gib,
    postgres_version,
    recreate_database,
)

DATABASE = "caredesk_timers_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
GOAL_CLAIM_MS = 200.0
GOAL_FIRED_PER_S = 500.0
INDEX = "timer_due"


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CAREDESK_ENV", "development")
    os.environ["DEBUG"] = "0"  # as deployed: no query log kept in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def header(server: str, cases: int, e2e: int) -> None:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("django", "psycopg"))
    load = os.getloadavg()
    print("Timer benchmark (bench/timers_bench.py)")
    print(
        f"  machine     {cpu_model()}, {os.cpu_count()} cores, {memory_gib()} RAM, "
        f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(f"  software    Python {platform.python_version()}, {versions}")
    print(f"  database    {postgres_version(server).split(' on ')[0]}")
    print(f"  run         {cases:,} open cases; {e2e:,} timers end to end")


def pg_settings() -> str:
    from django.db import connection

    names = (
        "shared_buffers",
        "work_mem",
        "effective_cache_size",
        "synchronous_commit",
        "random_page_cost",
        "jit",
    )
    values = []
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"SHOW {name}")
            values.append(f"{name}={cursor.fetchone()[0]}")
    return ", ".join(values)


def sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('automation_timer')), "
            "pg_size_pretty(pg_relation_size(%s)) FROM automation_timer",
            [INDEX],
        )
        pending, table, index = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM automation_timerlog")
        (fired,) = cursor.fetchone()
        timers = pending + fired
        cursor.execute("SELECT count(*) FROM cases_case")
        (cases,) = cursor.fetchone()
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'cases_caseevent'")
        (events,) = cursor.fetchone()
    return {
        "cases": cases,
        "events": events,
        "timers": timers,
        "pending": pending,
        "table": table,
        "index": index,
    }


def spread(now: datetime) -> str:
    """Pending timers' due instants relative to ``now``: percentiles, in days."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(ARRAY[0.01, 0.1, 0.5, 0.9, 0.99]) WITHIN GROUP "
            "(ORDER BY extract(epoch FROM due_at - %s)) FROM automation_timer",
            [now],
        )
        (values,) = cursor.fetchone()
    names = ("p1", "p10", "p50", "p90", "p99")
    return ", ".join(f"{n} {v / 86400:+.1f} d" for n, v in zip(names, values, strict=True))


def due_count(now: datetime) -> int:
    from caredesk.automation.models import Timer

    return Timer.objects.filter(due_at__lte=now).count()


# -- (a) the claim ------------------------------------------------------------------------------


def claim_sql(now: datetime, batch: int) -> tuple[str, tuple[Any, ...]]:
    """The SQL and parameters ``timers.claim`` sends (captured, not rebuilt)."""
    from django.db import connection, transaction

    from caredesk.automation import timers

    captured: list[tuple[str, tuple[Any, ...]]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "automation_timer" in sql and "SKIP LOCKED" in sql:
            captured.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(capture):
        timers.claim(now, batch)
        transaction.set_rollback(True)
    assert len(captured) == 1, captured
    return captured[0]


def time_claim(now: datetime, batch: int, runs: int) -> tuple[list[float], int]:
    """Seconds per ``timers.claim`` call (ORM objects included), each in a transaction
    rolled back afterwards; and how many timers one call claimed."""
    from django.db import transaction

    from caredesk.automation import timers

    took, claimed = [], 0
    for _ in range(runs):
        with transaction.atomic():
            t0 = time.perf_counter()
            got = timers.claim(now, batch)
            took.append(time.perf_counter() - t0)
            claimed = len(got)
            transaction.set_rollback(True)
    return took, claimed


def time_claim_while_locked(
    url: str, sql: str, params: tuple[Any, ...], now: datetime, batch: int, runs: int
) -> tuple[list[float], int]:
    """The claim while another worker's transaction holds the first ``batch`` due timers:
    this one skips them."""
    with psycopg.connect(url) as other:
        held = other.execute(sql, params).fetchall()  # its transaction stays open
        took, claimed = time_claim(now, batch, runs)
        other.rollback()
    assert len(held) == batch, len(held)
    return took, claimed


def explain(sql: str, params: tuple[Any, ...]) -> str:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def claim_section(
    url: str, instant: datetime, label: str, batch: int, runs: int, *, show_sql: bool = False
) -> dict[str, Any]:
    """Time ``timers.claim`` at ``instant``, with and without a rival, and check its plan."""
    due = due_count(instant)
    print(f"\n(a) The claim at {label}, {instant.isoformat()}: {due:,} pending timers due")
    sql, params = claim_sql(instant, batch)
    if show_sql:
        print(f"  SQL of timers.claim(now, {batch}):\n    " + sql)
    took, claimed = time_claim(instant, batch, runs)
    median = statistics.median(took)
    print(
        f"  timers.claim (ORM, {claimed} timers with their cases): best {ms(min(took))}, "
        f"median {ms(median)}, worst {ms(max(took))} over {runs} runs"
    )
    if due >= 2 * batch:
        locked, claimed_locked = time_claim_while_locked(url, sql, params, instant, batch, runs)
        print(
            f"  while another transaction holds the first {batch}: best "
            f"{ms(min(locked))}, median {ms(statistics.median(locked))} "
            f"({claimed_locked} others claimed)"
        )
    plan = explain(sql, params)
    print("  EXPLAIN (ANALYZE, BUFFERS):")
    print("\n".join("    " + line for line in plan.splitlines()))
    # The timers and the cases grow with the data: neither may be read in full. The people
    # joined for notifications are a handful of rows, which the planner rightly scans.
    seq_scan = bool(re.search(r"Seq Scan on (automation_timer|cases_case)\b", plan))
    uses_index = INDEX in plan
    plan_ok = uses_index and not seq_scan
    if not plan_ok:
        print("\n" + "!" * 78)
        problems = [
            p
            for p, bad in (("has a Seq Scan", seq_scan), (f"does not use {INDEX}", not uses_index))
            if bad
        ]
        print(f"!! FAIL: the claim's plan {' and '.join(problems)}")
        print("!" * 78)
    return {"median": median, "plan_ok": plan_ok, "uses_index": uses_index, "seq_scan": seq_scan}


# -- (b) end to end -----------------------------------------------------------------------------


def e2e_instant(count: int) -> datetime:
    """Just after the ``count``-th pending timer: that many are due."""
    from caredesk.automation.models import Timer

    due = Timer.objects.order_by("due_at", "id").values_list("due_at", flat=True)[count - 1 : count]
    (at,) = list(due)
    return at + timedelta(seconds=1)


def kinds_due(now: datetime) -> Counter[str]:
    from django.db.models import Count

    from caredesk.automation.models import Timer

    rows = (
        Timer.objects.filter(due_at__lte=now)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return Counter(dict(rows))


def outcomes(now: datetime) -> Counter[str]:
    from caredesk.automation.models import TimerLog

    found: Counter[str] = Counter()
    for outcome in TimerLog.objects.filter(fired_at=now).values_list("outcome", flat=True):
        found[re.sub(r"\d+%", "N%", outcome.split(";")[0])] += 1
    return found


def shape(sql: str) -> str:
    """A query with its column list and literals taken out, to count queries alike."""
    sql = re.sub(r"^SELECT .*? FROM ", "SELECT ... FROM ", sql, flags=re.S)
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
    sql = re.sub(r"\(\?(, \?)*\)", "(...)", sql)
    sql = re.sub(r'"s\d+_x\d+"', "sp", sql)  # savepoint names
    sql = re.sub(r"\s+", " ", sql)
    return sql[:160]


def statement(sql: str) -> str:
    """``SELECT cases_caseevent``, ``UPDATE cases_case``, ``SAVEPOINT``: verb and table."""
    verb = sql.split(None, 1)[0].upper()
    table = re.search(r'(?:FROM|INTO|UPDATE) "([a-z_]+)"', sql)
    return f"{verb} {table.group(1)}" if table else verb


def profiled_sweep(now: datetime, batch: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caredesk.automation import timers

    profile = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        profile.enable()
        claimed = timers.sweep(now=now, batch=batch)
        profile.disable()
        took = time.perf_counter() - t0
    shapes: Counter[str] = Counter()
    statements: Counter[str] = Counter()
    seconds: dict[str, float] = defaultdict(float)
    for q in queries.captured_queries:
        # Django records no text for some statements (psycopg could not render one of
        # the batch's executemany): they are counted under one name.
        text = q["sql"] or "(statement text not recorded)"
        key = shape(text)
        shapes[key] += 1
        statements[statement(text)] += 1
        seconds[key] += float(q["time"])
    return {
        "claimed": claimed,
        "seconds": took,
        "profile": profile,
        "queries": len(queries.captured_queries),
        "shapes": shapes,
        "statements": statements,
        "query_seconds": seconds,
    }


def backends_cpu() -> float:
    """CPU seconds so far of every PostgreSQL backend serving this database (the worker's
    threads each have their own connection)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        pids = [pid for (pid,) in cursor.fetchall()]
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def pending_mail(now: datetime) -> int:
    from caredesk.automation.models import Outbox

    return Outbox.objects.filter(state=Outbox.State.PENDING, next_attempt_at__lte=now).count()


def run_worker(now: datetime, batch: int) -> dict[str, Any]:
    """The worker's loops (``worker.run``: timers and outbox, each in its thread, as
    ``caredesk worker`` runs them) with the clock at ``now``, until no timer is due and
    the outbox is empty; the two halves (the sweep, the outbox) are timed on the way."""
    import threading

    from django.core import mail

    from caredesk.automation import outbox, timers, worker
    from caredesk.automation.models import TimerLog

    spent = {"sweep": 0.0, "dispatch": 0.0}
    counts = {"sweeps": 0, "delivered": 0, "failed": 0}
    sweep, dispatch = timers.sweep, outbox.dispatch

    def timed_sweep(**kwargs: Any) -> int:
        t0 = time.perf_counter()
        try:
            return sweep(**kwargs)
        finally:
            spent["sweep"] += time.perf_counter() - t0
            counts["sweeps"] += 1

    def timed_dispatch(**kwargs: Any) -> tuple[int, int]:
        t0 = time.perf_counter()
        try:
            delivered, failed = dispatch(**kwargs)
            counts["delivered"] += delivered
            counts["failed"] += failed
            mail.outbox = []  # the in-memory backend keeps every message otherwise
            return delivered, failed
        finally:
            spent["dispatch"] += time.perf_counter() - t0

    fired_before = TimerLog.objects.filter(fired_at=now).count()
    stop = threading.Event()
    cpu0, pg0, busy0 = own_cpu(), backends_cpu(), machine_busy()
    t0 = time.perf_counter()
    timers.sweep, outbox.dispatch = timed_sweep, timed_dispatch
    loop = threading.Thread(
        target=worker.run,
        kwargs={"clock": lambda: now, "poll": 0.02, "batch": batch, "stop": stop},
    )
    try:
        loop.start()
        # Done when nothing is due and nothing waits for delivery (checked 10 times a
        # second from here, on this thread's own connection).
        while loop.is_alive():
            time.sleep(0.1)
            if due_count(now) == 0 and pending_mail(now) == 0:
                break
        took = time.perf_counter() - t0
        pg = backends_cpu() - pg0
    finally:
        stop.set()
        loop.join(timeout=60)
        timers.sweep, outbox.dispatch = sweep, dispatch
    return {
        "rounds": counts["sweeps"],
        "claimed": TimerLog.objects.filter(fired_at=now).count() - fired_before,
        "delivered": counts["delivered"],
        "failed": counts["failed"],
        "seconds": took,
        "sweep_seconds": spent["sweep"],
        "dispatch_seconds": spent["dispatch"],
        "cpu_python": own_cpu() - cpu0,
        "cpu_postgres": pg,
        "cpu_machine": machine_busy() - busy0,
    }


def drain_outbox(now: datetime, batch: int) -> tuple[int, float]:
    from django.core import mail

    from caredesk.automation import outbox

    total = 0
    t0 = time.perf_counter()
    while True:
        delivered, failed = outbox.dispatch(now=now, batch=batch)
        mail.outbox = []
        total += delivered
        if delivered + failed == 0:
            return total, time.perf_counter() - t0


# -- report ---------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_profile(profiled: dict[str, Any], claimed: int) -> None:
    per = max(claimed, 1)
    print(
        f"\nProfile of one sweep of {claimed} timers: {profiled['seconds']:.2f} s under "
        f"cProfile, {profiled['queries']} queries ({profiled['queries'] / per:.1f} per timer)"
    )
    print("  statements per timer:")
    for key, n in profiled["statements"].most_common():
        print(f"    {n / per:5.2f}  {key}")
    print("  queries by shape (per timer; time of those queries in the sweep):")
    for key, n in profiled["shapes"].most_common(15):
        print(f"    {n / per:5.2f} {profiled['query_seconds'][key] * 1000:7.1f} ms  {key}")
    for order, top in (("cumulative", 30), ("tottime", 15)):
        out = io.StringIO()
        stats = pstats.Stats(profiled["profile"], stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
        lines = [line for line in out.getvalue().splitlines()[4:] if line.strip()]
        print(f"  cProfile by {order} time (top {top}):")
        print("\n".join("    " + line for line in lines))


def suggestions(profiled: dict[str, Any], claimed: int) -> list[str]:
    """Where the measured sweep's queries go, and what would cut them."""
    per = max(claimed, 1)
    statements: Counter[str] = profiled["statements"]

    def n(*keys: str) -> float:
        return sum(statements[k] for k in keys) / per

    found = []
    if n("SELECT cases_caseevent") >= 1.5:
        found.append(
            f"{n('SELECT cases_caseevent'):.1f} reads of the case history per timer "
            "(timers._clock replays it, timers._already scans the same kind again): read the "
            "events once and pass them to both; _already can be one EXISTS with the JSON match "
            "in SQL (data__metric=..., data__level=..., data__generation=...)."
        )
    if n("SELECT accounts_profile") >= 1.5:
        found.append(
            f"{n('SELECT accounts_profile'):.1f} queries for the managers per timer "
            "(notify._managers runs once for CARE, there being no assignee, and again for "
            "MANAGERS): read the managers with their users and profiles once per sweep, or "
            "at least once per event."
        )
    if n("SELECT cases_case", "UPDATE cases_case") >= 2:
        found.append(
            f"{n('SELECT cases_case', 'UPDATE cases_case'):.1f} statements on the case row per "
            "timer (note() locks it again with select_for_update although the sweep loaded "
            "it; append_event UPDATEs event_count then re-reads it with refresh_from_db): one "
            "UPDATE ... SET event_count = event_count + 1 RETURNING event_count does both."
        )
    if n("SELECT accounts_organisation") >= 0.5:
        found.append(
            f"{n('SELECT accounts_organisation'):.1f} organisation reads per timer: note() "
            "re-reads the case without select_related('organisation'), so notify loads it "
            "again though the claim joined it."
        )
    if n("SELECT automation_outbox") >= 0.5:
        found.append(
            f"{n('SELECT automation_outbox'):.1f} exists() check(s) per timer before each "
            "outbox insert, which also runs in its own savepoint "
            f"({n('SAVEPOINT'):.1f} savepoints per timer in all: fire, note, each insert): "
            "bulk_create(..., ignore_conflicts=True) (INSERT ... ON CONFLICT DO NOTHING) "
            "writes all of an event's deliveries in one statement, without the check or the "
            "savepoint; fire's savepoint alone keeps a failing handler's work undone."
        )
    if n("SELECT automation_webhooksubscription") >= 0.5:
        found.append(
            f"{n('SELECT automation_webhooksubscription'):.1f} webhook-subscription reads per "
            "timer: keep the active subscriptions per organisation for the sweep."
        )
    if n("UPDATE automation_timer") >= 0.5:
        found.append(
            f"{n('UPDATE automation_timer'):.1f} UPDATE automation_timer per timer: mark the "
            "batch fired with one UPDATE ... FROM (VALUES ...) at the end of the sweep."
        )
    found.append(
        f"{profiled['queries'] / per:.1f} queries per timer in all, each a round trip "
        "(Python, the driver, a context switch to the PostgreSQL backend and back): the "
        "number of statements, not PostgreSQL's work per statement, bounds one worker; and "
        "the claim shares work (SKIP LOCKED), so a second worker process on a spare core "
        "adds its own rate."
    )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="open cases to write")
    parser.add_argument(
        "--e2e", type=int, default=20_000, help="timers made due for the end-to-end run"
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs of the claim")
    parser.add_argument("--batch", type=int, default=100, help="timers per sweep")
    parser.add_argument(
        "--quick", action="store_true", help="20,000 cases, 2,000 timers end to end (a smoke run)"
    )
    parser.add_argument("--server", default=SERVER, help="PostgreSQL server URL (no database)")
    parser.add_argument("--database", default=DATABASE)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run (no generation); its "
        "timers fired by that run stay fired",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.cases = min(args.cases, 20_000)
        args.e2e = min(args.e2e, 2_000)
        args.runs = min(args.runs, 7)
    server = args.server.rstrip("/")
    url = f"{server}/{args.database}"

    header(server, args.cases, args.e2e)
    if not args.reuse:
        recreate_database(server, args.database)
    _django(url)
    import generate_open_cases as gen

    now = gen.NOW
    print(f"\nData: {url}")
    if not args.reuse:
        done = gen.generate(args.cases, now=now)
        print(
            f"generated {done['cases']:,} open cases, {done['events']:,} events, "
            f"{done['clocks']:,} SLA clocks, {done['timers']:,} timers "
            f"({done['fired']:,} fired, {done['pending']:,} pending, {done['due']:,} of them "
            f"due at {now:%Y-%m-%d %H:%M} UTC) in {done['seconds']:.1f} s "
            f"(rows built in 2 processes while COPY streamed them: {done['load_seconds']:.1f} s, "
            f"of which COPY {done['copy_seconds']:.1f} s; VACUUM ANALYZE "
            f"{done['vacuum_seconds']:.1f} s)"
        )
        statuses = {
            k.split(":", 1)[1]: v
            for k, v in done.items()
            if isinstance(k, str) and k.startswith("status:")
        }
        print("  statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
        kinds = {
            k: v
            for k, v in done.items()
            if k in ("sla-warning", "sla-breach", "stale-notice", "proposed-close")
        }
        print("  timers by kind: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
        checked = gen.check_sample(200, now=now)
        print(
            f"  {checked} sampled cases agree with sla.replay, sla.stored_rows and "
            "scheduling._desired"
        )
    data = sizes()
    print(
        f"  in the database: {data['cases']:,} cases, ~{data['events']:,} events, "
        f"{data['timers']:,} timers ({data['pending']:,} pending); timer table "
        f"{data['table']} with indexes, due index {INDEX} {data['index']}"
    )
    print(f"  pending timers due, relative to the data's now: {spread(now)}")
    print(f"  PostgreSQL: {pg_settings()}")

    # (a) the claim, at the data's now and at the instant of the end-to-end run
    at = e2e_instant(args.e2e)
    claims = [
        claim_section(url, now, "the data's now", args.batch, args.runs, show_sql=True),
        claim_section(url, at, "the end-to-end instant", args.batch, args.runs),
    ]
    median = max(c["median"] for c in claims)
    plan_ok = all(c["plan_ok"] for c in claims)
    uses_index = all(c["uses_index"] for c in claims)
    seq_scan = any(c["seq_scan"] for c in claims)

    # (b) end to end
    kinds_now = kinds_due(at)
    print(
        f"\n(b) One worker, end to end, at {at.isoformat()} "
        f"({(at - now).total_seconds() / 60:.0f} min after the data's now): "
        f"{sum(kinds_now.values()):,} timers due: "
        + ", ".join(f"{k} {v:,}" for k, v in kinds_now.most_common())
    )
    profiled = profiled_sweep(at, args.batch)
    print(
        f"  first sweep under cProfile: {profiled['claimed']} timers in "
        f"{profiled['seconds']:.2f} s, {profiled['queries']} queries "
        f"({profiled['queries'] / max(profiled['claimed'], 1):.1f} per timer); not counted"
    )
    ran = run_worker(at, args.batch)
    rate = ran["claimed"] / ran["seconds"] if ran["seconds"] else 0.0
    fired = outcomes(at)
    fired_total = sum(fired.values())
    print(
        f"  worker.run (timers and outbox threads), {ran['rounds']} sweeps: "
        f"{ran['claimed']:,} timers fired and their {ran['delivered']:,} e-mails delivered "
        f"({ran['failed']} failed) in {ran['seconds']:.1f} s = {rate:,.0f} timers/s"
    )
    per = max(ran["claimed"], 1)
    print(
        f"  side by side: timers.sweep busy {ran['sweep_seconds']:.1f} s "
        f"({ran['sweep_seconds'] / per * 1000:.2f} ms/timer), outbox.dispatch busy "
        f"{ran['dispatch_seconds']:.1f} s "
        f"({ran['dispatch_seconds'] / max(ran['delivered'], 1) * 1000:.2f} ms/e-mail)"
    )
    others = ran["cpu_machine"] - ran["cpu_python"] - ran["cpu_postgres"]
    print(
        f"  CPU: this process {ran['cpu_python']:.1f} s "
        f"({ran['cpu_python'] / per * 1000:.2f} ms/timer), its PostgreSQL backends "
        f"{ran['cpu_postgres']:.1f} s ({ran['cpu_postgres'] / per * 1000:.2f} ms/timer); "
        f"everything else on the machine {max(others, 0):.1f} s in those "
        f"{ran['seconds']:.1f} s on {os.cpu_count()} cores"
    )
    print(
        f"  outcomes of the {fired_total:,} timers fired at that instant: "
        + ", ".join(f"{k!r} {v:,}" for k, v in fired.most_common())
    )
    still = due_count(at)
    rescheduled = sum(kinds_now.values()) - fired_total - still
    print(f"  still due afterwards: {still}; moved later (Reschedule) or retried: {rescheduled}")
    effectful = sum(
        v for k, v in fired.items() if k.startswith(("warned", "breached", "notice sent", "closed"))
    )
    print(
        f"  real work (a warning, breach, notice or closure written): {effectful:,} of "
        f"{fired_total:,}"
    )
    drained, drain_seconds = drain_outbox(at, args.batch)
    if drained:
        print(
            f"  the rest of the outbox afterwards: {drained:,} e-mails in {drain_seconds:.1f} s "
            f"({drained / drain_seconds:,.0f}/s)"
        )

    print("\nGoals")
    claim_ok = median < GOAL_CLAIM_MS / 1000
    rate_ok = rate >= GOAL_FIRED_PER_S
    print(
        f"  claim of 100 due timers, median < {GOAL_CLAIM_MS:.0f} ms: {ms(median)}  "
        f"{verdict(claim_ok)}"
    )
    print(
        f"  claim plan uses {INDEX}, no Seq Scan of timers or cases: "
        f"{'index yes' if uses_index else 'index NO'}, "
        f"{'Seq Scan YES' if seq_scan else 'no Seq Scan'}  {verdict(plan_ok)}"
    )
    print(
        f"  one worker end to end >= {GOAL_FIRED_PER_S:.0f} timers/s: {rate:,.0f}/s  "
        f"{verdict(rate_ok)}"
    )
    if not (claim_ok and rate_ok) or not plan_ok:
        print_profile(profiled, profiled["claimed"])
        print("\nSuggestions (from the profiled sweep):")
        for line in suggestions(profiled, profiled["claimed"]):
            print(f"  - {line}")
    return 0 if plan_ok else 1


if __name__ == "__main__":
    sys.exit(main())
