"""Write many open cases with their histories, SLA clocks and timers straight into
PostgreSQL, fast: the state the automation worker sweeps (``bench/timers_bench.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caredesk_timers_bench \\
        .venv/bin/python bench/generate_open_cases.py --cases 100000

Migrations are applied first and the demo's organisations and people are loaded when the
database holds no designated contact (``bench/generate_cases.py`` does the same). Nothing
goes through the services: case ids are reserved from the sequence, two processes build the
rows and the main process streams them in with ``COPY`` (psycopg 3), one transaction, then
``VACUUM ANALYZE``.

The rows are what the services would have written for the same story, up to ``NOW``
(Monday 2026-11-23 15:00 UTC, 10:00 in New York):

- every case is open (new, open, waiting on the customer, restored or resolution proposed),
  opened within the ``--weeks`` before ``NOW``, mostly recently (age drawn from an
  exponential distribution with a mean of a week);
- history events as ``caredesk.cases.services`` writes them: ``opened``; Care's first public
  reply (``comment``, ``responded``, ``status-changed`` new -> open); sometimes a severity
  change; waiting-on-customer rounds ended by the customer's reply; the last status change
  (waiting on the customer and resolution proposed within the last 2.5 days, so that no
  stale-case notice or closure is overdue);
- SLA clock rows: the replay of that history by the core (``compute_clocks``) stored as
  ``caredesk.cases.sla.stored_rows`` does, and ``Case.next_due``;
- timers: exactly the keys, kinds, instants and payloads ``caredesk.automation.scheduling``
  derives from those clocks (SLA warnings at 50/75/90 % and the breach of every running
  clock; stale-case notice and proposed-case closure). Timers due more than ``--backlog``
  minutes before ``NOW`` have fired: they are in the timer log (``fired_at`` a few seconds
  after the instant), with the ``sla-warning`` / ``sla-breached`` note the handler appends
  in the history; the rest are pending timers, those due in the last ``--backlog`` minutes
  already due (a worker that was away for that long).

A sample of the written cases is checked against the product's own code
(``sla.replay``, ``sla.stored_rows``, ``scheduling._desired``) after the load.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_cases import CASE_COLUMNS, DESCRIPTIONS, PHONES, Org

SEED = 20_261_124
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
WEEKS = 6
AGE_DAYS = 7  # mean age of an open case
BACKLOG_MINUTES = 10

EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "kind", "data", "reason")
CLOCK_COLUMNS = (
    "case_id",
    "metric",
    "target",
    "started_at",
    "due_at",
    "at_risk_at",
    "stopped_at",
    "paused_since",
    "elapsed_seconds",
)
TIMER_COLUMNS = (
    "key",
    "kind",
    "case_id",
    "subject_id",
    "due_at",
    "payload",
    "created_at",
    "attempts",
    "last_error",
)
LOG_COLUMNS = ("key", "kind", "case_id", "subject_id", "due_at", "fired_at", "attempts", "outcome")
STATUSES = ("new", "open", "waiting-on-customer", "restored", "resolution-proposed")
STATUS_WEIGHTS = (8, 50, 17, 13, 12)
AT_RISK_LEVEL = 75  # caredesk.cases.sla.AT_RISK_LEVEL


# -- COPY text format ---------------------------------------------------------------------------


def _field(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _line(row: Sequence[object]) -> str:
    return "\t".join(_field(v) for v in row) + "\n"


# -- one case -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    orgs: list[Org]
    care: list[int]
    now: datetime
    weeks: int
    backlog: timedelta
    seed: int
    first_id: int
    chunk: int


_CONTEXT: Context | None = None  # set before the pool forks


class _Event:
    """What ``sla.clock_events`` reads of a history row."""

    __slots__ = ("at", "data", "kind")

    def __init__(self, at: datetime, kind: str, data: dict[str, Any]) -> None:
        self.at, self.kind, self.data = at, kind, data


@lru_cache(maxsize=64)
def _policy_and_calendar(policy: str, version: int, zone: str, country: str, sub: str) -> Any:
    from caredesk.core import policy as policies

    loaded = policies.load(policy, version=version)
    calendar = loaded.calendar(zone, country=country or None, subdivision=sub or None)
    return loaded, calendar


class _Story:
    def __init__(self, opened: datetime, now: datetime, rng: random.Random) -> None:
        self.at, self.now, self.rng = opened, now, rng
        self.events: list[tuple[datetime, int | None, str, dict[str, Any], str]] = []
        self.status = "new"

    def later(self, low_hours: float, high_hours: float) -> datetime:
        step = timedelta(hours=self.rng.uniform(low_hours, high_hours))
        self.at = min(self.at + step, self.now)
        return self.at

    def at_least(self, instant: datetime) -> None:
        self.at = min(max(self.at, instant), self.now)

    def add(self, actor: int | None, kind: str, data: dict[str, Any], reason: str = "") -> None:
        self.events.append((self.at, actor, kind, data, reason))

    def move(self, actor: int, to: str, reason: str) -> None:
        self.add(actor, "status-changed", {"from": self.status, "to": to}, reason)
        self.status = to


def _open_case(n: int, case_id: int, org: Org, ctx: Context, rng: random.Random) -> dict[str, Any]:
    """One open case: its row, history, clock rows and timers (as dicts of lines)."""
    from caredesk.cases import sla
    from caredesk.core.clocks import compute_clocks
    from caredesk.demo import SUBJECTS

    now = ctx.now
    contact = rng.choice(org.contact_ids)
    engineer = rng.choice(ctx.care)
    severity = rng.choices((1, 2, 3, 4), weights=(1, 4, 6, 4))[0]
    if org.reseller_policy and severity == 1:
        severity = 2  # critical issues: submitted as High, raised by phone
    case_type = "admin" if rng.random() < 0.15 else "incident"
    product = ""
    if org.products:
        product = org.products[0] if rng.random() < 0.7 else rng.choice(org.products)
    channel = "phone" if severity == 1 else rng.choice(("portal", "portal", "portal", "api"))
    critical_name = critical_phone = ""
    if severity == 1:
        critical_name, critical_phone = org.contact_name, PHONES.get(org.country, "")
    priority = rng.randint(1, 4)
    # Open cases are mostly young: ages drawn from an exponential (mean AGE_DAYS), at most
    # ``weeks`` old.
    age = float(ctx.weeks * 7 * 86400)
    while age >= ctx.weeks * 7 * 86400:
        age = rng.expovariate(1 / (AGE_DAYS * 86400))
    opened = now - timedelta(seconds=60 + int(age))
    target = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]

    story = _Story(opened, now, rng)
    story.add(
        contact,
        "opened",
        {
            "severity": severity,
            "priority": priority,
            "case_type": case_type,
            "channel": channel,
            "product": product,
            "on_behalf_of": contact,
            "policy": f"{org.policy} v{org.version}",
        },
    )
    if target != "new":
        story.later(0.05, 6)
        story.add(
            engineer,
            "comment",
            {"body": "Thanks, we are looking into it.", "public": True, "by_care": True},
        )
        story.add(engineer, "responded", {})
        story.move(engineer, "open", "first response by Care")
        if rng.random() < 0.08:
            story.later(0.5, 24)
            new = rng.choice([s for s in (2, 3, 4) if s != severity])
            story.add(
                engineer,
                "severity-changed",
                {"from": severity, "to": new, "phone_raise": False},
                "impact re-assessed with the customer",
            )
            severity = new
        for _ in range(rng.choices((0, 1, 2), weights=(70, 24, 6))[0]):
            story.later(1, 48)
            story.move(engineer, "waiting-on-customer", "need logs")
            story.later(1, 30)
            story.add(
                contact, "comment", {"body": "Logs attached.", "public": True, "by_care": False}
            )
            story.move(contact, "open", "the customer replied")
        if target in ("waiting-on-customer", "resolution-proposed"):
            # Recently: the stale-case notice and the closure are still ahead.
            story.at_least(now - timedelta(hours=rng.uniform(0, 60)))
            if target == "waiting-on-customer":
                story.move(engineer, "waiting-on-customer", "need logs")
            else:
                story.move(engineer, "resolution-proposed", "fix deployed")
        elif target == "restored":
            story.later(1, 72)
            story.move(engineer, "restored", "workaround in place")

    policy, calendar = _policy_and_calendar(
        org.policy, org.version, org.timezone, org.country, org.subdivision
    )
    clocks = compute_clocks(
        sla.clock_events(cast(Any, [_Event(at, k, d) for at, _, k, d, _ in story.events])),
        policy=policy,
        plan=org.plan,
        case_type=case_type,
        calendar=calendar,
        now=now,
        explain=False,
    )

    # Timers, as scheduling._desired derives them from the clocks and the status.
    generation = sum(1 for e in story.events if e[2] == "severity-changed")
    desired: list[tuple[str, str, datetime, dict[str, Any], Any]] = []
    for metric, clock in clocks.items():
        if clock.target is None or clock.stop is not None:
            continue
        base = f"{case_id}:{metric.value}:{generation}"
        for level, at in clock.warnings:
            if at is not None:
                payload = {"metric": metric.value, "level": level, "generation": generation}
                desired.append((f"sla-warning:{base}:{level}", "sla-warning", at, payload, clock))
        if clock.due is not None:
            payload = {"metric": metric.value, "generation": generation}
            desired.append((f"sla-breach:{base}", "sla-breach", clock.due, payload, clock))
    if policy.stale is not None and story.status in ("waiting-on-customer", "resolution-proposed"):
        since = [e[0] for e in story.events if e[2] == "status-changed"][-1]
        stamp = f"{case_id}:{since.isoformat()}"
        payload = {"since": since.isoformat(), "status": story.status}
        if story.status == "waiting-on-customer":
            due = policy.stale.waiting_on_customer.due(since, calendar)
            desired.append((f"stale-notice:{stamp}", "stale-notice", due, payload, None))
        else:
            third = policy.stale.resolution_proposed.due(since, calendar)
            desired.append(
                (
                    f"proposed-close:{stamp}",
                    "proposed-close",
                    calendar.day_end(third),
                    payload,
                    None,
                )
            )

    scheduled = story.events[-1][0]  # the last resync wrote them
    timer_lines = []
    log_lines = []
    fired = pending = due_now = 0
    kinds: Counter[str] = Counter()
    notes: list[tuple[datetime, int | None, str, dict[str, Any], str]] = []
    for key, kind, due, payload, clock in desired:
        kinds[kind] += 1
        fired_at, outcome = None, ""
        if due <= now - ctx.backlog and kind in ("sla-warning", "sla-breach"):
            fired_at = min(due + timedelta(seconds=rng.uniform(0.5, 5)), now)
            data: dict[str, Any] = {"metric": payload["metric"]}
            if kind == "sla-warning":
                data.update(
                    level=payload["level"],
                    generation=generation,
                    target=str(clock.target),
                    due=clock.due.isoformat() if clock.due else None,
                )
                outcome = f"warned {payload['level']}%"
                notes.append((fired_at, None, "sla-warning", data, ""))
            else:
                data.update(
                    generation=generation, target=str(clock.target), due=clock.due.isoformat()
                )
                outcome = "breached"
                notes.append((fired_at, None, "sla-breached", data, ""))
            fired += 1
            log_lines.append(_line((key, kind, case_id, None, due, fired_at, 0, outcome)))
            continue
        pending += 1
        due_now += due <= now
        timer_lines.append(
            _line((key, kind, case_id, None, due, json.dumps(payload), min(scheduled, due), 0, ""))
        )

    events = sorted(story.events + notes, key=lambda e: e[0])  # stable: same-instant order kept
    event_lines = [
        _line((case_id, seq, at, actor, kind, json.dumps(data), reason))
        for seq, (at, actor, kind, data, reason) in enumerate(events, start=1)
    ]
    clock_lines = []
    for metric, clock in clocks.items():  # as sla.stored_rows
        at_risk = dict(clock.warnings).get(AT_RISK_LEVEL) if clock.target else None
        paused_since = None
        if clock.pauses and clock.pauses[-1][1] is None and clock.stop is None:
            paused_since = clock.pauses[-1][0]
        clock_lines.append(
            _line(
                (
                    case_id,
                    metric.value,
                    str(clock.target) if clock.target else "",
                    clock.start,
                    clock.due,
                    at_risk,
                    clock.stop,
                    paused_since,
                    int(clock.elapsed.total_seconds()),
                )
            )
        )
    case_row = (
        case_id,
        f"CD{case_id:07d}",
        org.id,
        contact,
        None,
        case_type,
        severity,
        priority,
        channel,
        product,
        f"{rng.choice(SUBJECTS)} ({n + 1})",
        rng.choice(DESCRIPTIONS),
        org.intake,
        story.status,
        org.policy,
        org.version,
        org.plan,
        org.timezone,
        org.country,
        org.subdivision,
        "{}",  # the policy's business hours
        critical_name,
        critical_phone,
        opened,
        events[-1][0],
        None,
        sla.next_due(clocks),
        len(events),
    )
    return {
        "case": _line(case_row),
        "events": event_lines,
        "clocks": clock_lines,
        "timers": timer_lines,
        "log": log_lines,
        "fired": fired,
        "pending": pending,
        "due": due_now,
        "kinds": kinds,
        "status": story.status,
    }


def _chunk(index: int) -> dict[str, Any]:
    """Rows of one chunk of cases, as COPY text; its own seeded generator, so the output
    does not depend on which process builds it."""
    ctx = _CONTEXT
    assert ctx is not None
    rng = random.Random(ctx.seed * 1_000_003 + index)
    first = index * ctx.chunk
    parts: dict[str, list[str]] = {
        "case": [],
        "events": [],
        "clocks": [],
        "timers": [],
        "log": [],
    }
    stats: Counter[str] = Counter()
    for n in range(first, first + ctx.chunk):
        built = _open_case(n, ctx.first_id + n, ctx.orgs[n % len(ctx.orgs)], ctx, rng)
        parts["case"].append(built["case"])
        parts["events"].extend(built["events"])
        parts["clocks"].extend(built["clocks"])
        parts["timers"].extend(built["timers"])
        parts["log"].extend(built["log"])
        stats.update(built["kinds"])
        stats["status:" + built["status"]] += 1
        for name in ("fired", "pending", "due"):
            stats[name] += built[name]
    return {
        "cases": len(parts["case"]),
        "events": len(parts["events"]),
        "clocks": len(parts["clocks"]),
        "timers": len(parts["timers"]) + len(parts["log"]),
        "stats": stats,
        "copy": {name: "".join(lines).encode() for name, lines in parts.items()},
    }


# -- the load -----------------------------------------------------------------------------------


def _organisations(now: datetime) -> tuple[list[Org], list[int]]:
    from generate_cases import _organisations as organisations

    return organisations(now)


def generate(
    count: int,
    *,
    now: datetime = NOW,
    seed: int = SEED,
    weeks: int = WEEKS,
    backlog_minutes: int = BACKLOG_MINUTES,
    chunk: int = 5_000,
    processes: int = 2,
    quiet: bool = False,
) -> dict[str, Any]:
    """Write ``count`` open cases (a multiple of ``chunk`` is written: rounded up)."""
    global _CONTEXT
    from django.db import connection, connections, transaction

    from caredesk.automation.models import Timer, TimerLog
    from caredesk.cases.models import Case, CaseEvent, SlaClock

    if connection.vendor != "postgresql":
        raise SystemExit("generate_open_cases: DATABASE_URL must name a PostgreSQL database")
    began = time.perf_counter()
    orgs, care = _organisations(now)
    chunk = max(1, min(chunk, count))
    chunks = -(-count // chunk)
    total = chunks * chunk
    tables = {
        "case": (Case._meta.db_table, CASE_COLUMNS),
        "events": (CaseEvent._meta.db_table, EVENT_COLUMNS),
        "clocks": (SlaClock._meta.db_table, CLOCK_COLUMNS),
        "timers": (Timer._meta.db_table, TIMER_COLUMNS),
        "log": (TimerLog._meta.db_table, LOG_COLUMNS),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{tables['case'][0]}', 'id'), "
            f"nextval(pg_get_serial_sequence('{tables['case'][0]}', 'id')) + %s - 1)",
            [total],
        )
        (last,) = cursor.fetchone()
    first_id = int(last) - total + 1
    _CONTEXT = Context(
        orgs, care, now, weeks, timedelta(minutes=backlog_minutes), seed, first_id, chunk
    )
    connections.close_all()  # nothing shared with the forked builders
    written: Counter[str] = Counter()
    copy_seconds = 0.0
    t_load = time.perf_counter()
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(processes) as pool, transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        results: Iterator[dict[str, Any]] = pool.imap(_chunk, range(chunks))
        for done in results:
            t0 = time.perf_counter()
            for name, (table, columns) in tables.items():
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    copy.write(done["copy"][name])
            copy_seconds += time.perf_counter() - t0
            for name in ("cases", "events", "clocks", "timers"):
                written[name] += done[name]
            written.update(done["stats"])
            if not quiet and (
                written["cases"] % max(chunk, total // 20) == 0 or written["cases"] == total
            ):
                print(
                    f"  {written['cases']:>9,} cases {written['events']:>11,} events "
                    f"{written['clocks']:>10,} clocks {written['timers']:>11,} timers  "
                    f"({time.perf_counter() - began:.0f} s)",
                    flush=True,
                )
        # The demo's own timers (credentials of its contacts) fired long ago.
        timers, log = tables["timers"][0], tables["log"][0]
        cursor.execute(
            f"WITH gone AS (DELETE FROM {timers} WHERE case_id IS NULL AND due_at <= %s "
            "RETURNING key, kind, subject_id, due_at, attempts) "
            f"INSERT INTO {log} (key, kind, subject_id, due_at, fired_at, attempts, outcome) "
            "SELECT key, kind, subject_id, due_at, due_at, attempts, "
            "'done: credentials issued' FROM gone",
            [now - timedelta(minutes=backlog_minutes)],
        )
    load_seconds = time.perf_counter() - t_load
    t_vacuum = time.perf_counter()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for table, _ in tables.values():
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    vacuum_seconds = time.perf_counter() - t_vacuum
    return {
        **written,
        "organisations": len(orgs),
        "seconds": time.perf_counter() - began,
        "load_seconds": load_seconds,
        "copy_seconds": copy_seconds,
        "vacuum_seconds": vacuum_seconds,
    }


def check_sample(size: int = 200, *, now: datetime = NOW, seed: int = SEED) -> int:
    """Compare a sample of written cases with what the product's own code derives from their
    histories: clock rows, ``next_due``, timers. Returns how many were checked."""
    from caredesk.automation import scheduling
    from caredesk.automation.models import Timer
    from caredesk.cases import sla
    from caredesk.cases.models import Case, SlaClock

    ids = list(Case.objects.order_by("?").values_list("id", flat=True)[:size])
    for case_id in ids:
        case = Case.objects.select_related("organisation").get(id=case_id)
        events = list(case.events.order_by("seq"))
        clocks = sla.replay(case, events, now, explain=False)
        expected = sorted(
            tuple(getattr(row, c) for c in CLOCK_COLUMNS[1:])
            for row in sla.stored_rows(case, clocks)
        )
        stored = sorted(SlaClock.objects.filter(case=case).values_list(*CLOCK_COLUMNS[1:]))
        assert stored == expected, (case.number, stored, expected)
        assert case.next_due == sla.next_due(clocks), case.number
        desired = {
            key: (kind, due, payload)
            for key, (kind, due, payload) in scheduling._desired(case, clocks).items()
        }
        written = {t.key: (t.kind, t.due_at, t.payload) for t in Timer.objects.filter(case=case)}
        assert written == desired, (case.number, written, desired)
    return len(ids)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="open cases to write")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--weeks", type=int, default=WEEKS, help="cases are opened over this many weeks before NOW"
    )
    parser.add_argument(
        "--backlog",
        type=int,
        default=BACKLOG_MINUTES,
        help="minutes of timers before NOW left pending (already due)",
    )
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        print("generate_open_cases: set DATABASE_URL (postgres://...)", file=sys.stderr)
        return 2
    _django()
    done = generate(args.cases, seed=args.seed, weeks=args.weeks, backlog_minutes=args.backlog)
    print(
        f"wrote {done['cases']:,} open cases, {done['events']:,} events, {done['clocks']:,} "
        f"clocks and {done['timers']:,} timers ({done['pending']:,} pending, {done['due']:,} "
        f"of them due) in {done['seconds']:.1f} s"
    )
    print(f"checked {check_sample()} cases against sla.replay and scheduling: they agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
