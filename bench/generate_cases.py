"""Write many realistic cases with their histories straight into the database, fast.

For the SLA recompute benchmark (``bench/api_bench.py``), and on its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caredesk_bench \\
        .venv/bin/python bench/generate_cases.py --cases 100000
    DATABASE_URL=... .venv/bin/caredesk sla recompute

The database must be PostgreSQL. Migrations are applied first; when it holds no designated
contact yet, the demo's organisations and people are loaded (no demo cases). Cases are
spread over every non-vendor organisation that has a designated contact.

Nothing goes through the services or the HTTP API: ids are reserved from the sequence and
the rows go in with ``COPY`` (psycopg 3), one transaction, then ``ANALYZE``. The rows are
what the services would have written for the same story (``caredesk.cases.services``):

- the case columns of ``open_case`` (policy, version, plan and calendar of the
  organisation; number ``CD%07d``; ``event_count`` = number of events; ``updated_at`` = the
  last event; ``closed_at`` when closed; ``next_due`` left empty for the recompute);
- history events with ``seq`` 1..n: ``opened`` ``{"severity", "priority", "case_type",
  "channel", "product", "on_behalf_of", "policy"}``; a public Care ``comment`` followed by
  ``responded`` ``{}`` and ``status-changed`` ``{"from": "new", "to": "open"}``; internal
  notes; ``severity-changed`` ``{"from", "to", "phone_raise"}`` (Care re-determining it, or
  a phone raise to Critical on the reseller policy); ``status-changed`` to
  ``waiting-on-customer`` and back to ``open`` when the customer replies (sometimes twice);
  ``restored``, ``resolution-proposed``, ``closed`` by the customer.

SLA clock rows are not written: ``caredesk sla recompute`` (``sla.recompute``) makes them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

SEED = 20_261_123

CASE_COLUMNS = (
    "id",
    "number",
    "organisation_id",
    "opened_by_id",
    "assignee_id",
    "case_type",
    "severity",
    "priority",
    "channel",
    "product",
    "subject",
    "description",
    "intake",
    "status",
    "policy",
    "policy_version",
    "plan",
    "timezone",
    "country",
    "subdivision",
    "hours",
    "critical_contact_name",
    "critical_contact_phone",
    "opened_at",
    "updated_at",
    "closed_at",
    "next_due",
    "event_count",
)
EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "kind", "data", "reason")
PHONES = {"US": "+1 212 555 0100", "GB": "+44 20 7946 0000", "JP": "+81 3-1234-5678"}
DESCRIPTIONS = [
    "Agents on the contact-centre floor report the problem since this morning; it affects "
    "inbound voice first. Screenshots and the time of the last occurrence are attached.",
    "Intermittent: roughly one interaction in ten. We restarted the desktop clients and "
    "cleared the browser cache without effect.",
    "Reported by the supervisors of the night shift; the business impact grows at the "
    "month-end peak.",
]


@dataclass
class Org:
    id: int
    short_name: str
    policy: str
    version: int
    plan: str
    timezone: str
    country: str
    subdivision: str
    products: tuple[str, ...]
    reseller_policy: bool
    intake: str  # JSON text, the same for every case of the organisation
    contact_ids: tuple[int, ...]
    contact_name: str


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    import django

    django.setup()


def _organisations(now: datetime) -> tuple[list[Org], list[int]]:
    """Organisations with designated contacts, and Care engineers' user ids (the demo world
    is loaded first when there is none)."""
    from django.core.management import call_command

    from caredesk import demo
    from caredesk.accounts.models import OrgKind, Profile, Role
    from caredesk.core import policy as policies
    from caredesk.testing import PURECLOUD_INTAKE, RESELLER_INTAKE

    call_command("migrate", interactive=False, verbosity=0)
    designated = Profile.objects.filter(role=Role.CONTACT, training_completed_at__isnull=False)
    if not designated.exists():
        demo.load(now, case_count=0)
    care = list(
        Profile.objects.filter(role__in=[Role.ENGINEER, Role.MANAGER])
        .order_by("id")
        .values_list("user_id", flat=True)
    )
    if not care:
        raise SystemExit("generate_cases: no Care engineer in the database")
    by_org: dict[int, list[Profile]] = {}
    for p in designated.select_related("organisation", "user").order_by("id"):
        if p.organisation.kind != OrgKind.VENDOR:
            by_org.setdefault(p.organisation_id, []).append(p)
    orgs = []
    for people in by_org.values():
        o = people[0].organisation
        policy = policies.load(o.policy, on=now.date())
        reseller_policy = bool(policy.intake.severity1_by_phone_raise)
        keys = {f.key for f in policy.intake.fields}
        if "account_name" in keys:
            intake: dict[str, Any] = dict(RESELLER_INTAKE)
        else:
            intake = dict(PURECLOUD_INTAKE, org_short_name=o.short_name)
        intake = {k: v for k, v in intake.items() if k in keys}
        orgs.append(
            Org(
                id=o.id,
                short_name=o.short_name,
                policy=policy.id,
                version=policy.version,
                plan=o.plan,
                timezone=o.timezone,
                country=o.country,
                subdivision=o.subdivision,
                products=tuple(policy.products),
                reseller_policy=reseller_policy,
                intake=json.dumps(intake),
                contact_ids=tuple(p.user_id for p in people),
                contact_name=people[0].user.get_full_name() or people[0].user.email,
            )
        )
    if not orgs:
        raise SystemExit("generate_cases: no organisation with a designated contact")
    return orgs, care


class _Story:
    """One case's history, written the way the services write it."""

    def __init__(self, case_id: int, at: datetime, now: datetime, rng: random.Random) -> None:
        self.case_id, self.at, self.now, self.rng = case_id, at, now, rng
        self.events: list[tuple[object, ...]] = []
        self.status = "new"
        self.responded = False
        self.closed_at: datetime | None = None

    def later(self, max_hours: float) -> datetime:
        self.at = min(self.at + timedelta(hours=self.rng.uniform(0.05, max_hours)), self.now)
        return self.at

    def event(self, kind: str, actor: int | None, data: dict[str, Any], reason: str = "") -> None:
        self.events.append(
            (self.case_id, len(self.events) + 1, self.at, actor, kind, json.dumps(data), reason)
        )

    def move(self, to: str, actor: int, reason: str) -> None:
        self.event("status-changed", actor, {"from": self.status, "to": to}, reason)
        self.status = to
        if to == "closed":
            self.closed_at = self.at

    def comment(self, actor: int, body: str, *, care: bool, public: bool = True) -> None:
        self.event("comment", actor, {"body": body, "public": public, "by_care": care})
        if care and public:
            if not self.responded:
                self.event("responded", actor, {})
                self.responded = True
            if self.status == "new":
                self.move("open", actor, "first response by Care")
        elif not care and self.status == "waiting-on-customer":
            self.move("open", actor, "the customer replied")


def _case(
    n: int,
    case_id: int,
    org: Org,
    care: list[int],
    now: datetime,
    days: int,
    rng: random.Random,
    subjects: list[str],
) -> tuple[tuple[object, ...], _Story]:
    contact = rng.choice(org.contact_ids)
    engineer = rng.choice(care)
    severity = rng.choices((1, 2, 3, 4), weights=(1, 4, 6, 4))[0]
    if org.reseller_policy and severity == 1:
        severity = 2  # critical issues: submit as High, then raise by phone
    case_type = "admin" if rng.random() < 0.15 else "incident"
    product = ""
    if org.products:
        product = org.products[0] if rng.random() < 0.7 else rng.choice(org.products)
    channel = "phone" if severity == 1 else rng.choice(("portal", "portal", "portal", "api"))
    critical_name = critical_phone = ""
    if severity == 1:
        critical_name, critical_phone = org.contact_name, PHONES.get(org.country, "")
    priority = rng.randint(1, 4)
    opened_at = now - timedelta(minutes=rng.randrange(1, days * 24 * 60))
    story = _Story(case_id, opened_at, now, rng)
    story.event(
        "opened",
        contact,
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
    plan = rng.random()
    if rng.random() < 0.05:
        story.later(2)
        story.comment(engineer, "Looks like the known queue issue.", care=True, public=False)
    if plan >= 0.10:  # 10 % still new: nobody has answered
        story.later(6)
        story.comment(engineer, "Thanks, we are looking into it.", care=True)
        if rng.random() < 0.12 and story.status != "closed":
            story.later(4)
            if org.reseller_policy and severity == 2 and rng.random() < 0.5:
                critical_name, critical_phone = org.contact_name, PHONES.get(org.country, "")
                story.event(
                    "severity-changed",
                    engineer,
                    {"from": severity, "to": 1, "phone_raise": True},
                    "the customer called: all down",
                )
                severity = 1
            else:
                new = rng.choice([s for s in (2, 3, 4) if s != severity])
                story.event(
                    "severity-changed",
                    engineer,
                    {"from": severity, "to": new, "phone_raise": False},
                    "impact re-assessed with the customer",
                )
                severity = new
        if plan >= 0.30:
            rounds = 2 if rng.random() < 0.2 else 1
            for _ in range(rounds):
                if rng.random() < 0.7:
                    story.later(8)
                    story.move("waiting-on-customer", engineer, "need logs")
                    if plan < 0.40:
                        break  # still waiting on the customer
                    story.later(30)
                    story.comment(contact, "Logs attached.", care=False)
            if plan >= 0.50 and story.status == "open":
                story.later(24)
                story.move("restored", engineer, "workaround in place")
                if plan >= 0.62:
                    story.later(48)
                    story.move("resolution-proposed", engineer, "fix deployed")
                    if plan >= 0.74 and rng.random() < 0.15:
                        story.later(24)
                        story.move("open", contact, "the issue came back")
                    elif plan >= 0.78:
                        story.later(24)
                        story.move("closed", contact, "confirmed")
    row = (
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
        f"{rng.choice(subjects)} ({n + 1})",
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
        opened_at,
        story.at,
        story.closed_at,
        None,
        len(story.events),
    )
    return row, story


def generate(
    count: int,
    *,
    now: datetime | None = None,
    seed: int = SEED,
    days: int = 90,
    chunk: int = 20_000,
    quiet: bool = False,
) -> dict[str, float]:
    """Write ``count`` cases and their histories; returns what was written and how fast."""
    from django.db import connection, transaction

    from caredesk.cases.models import Case, CaseEvent
    from caredesk.demo import SUBJECTS

    if connection.vendor != "postgresql":
        raise SystemExit("generate_cases: DATABASE_URL must name a PostgreSQL database")
    now = now or datetime.now(UTC)
    began = time.perf_counter()
    orgs, care = _organisations(now)
    rng = random.Random(seed)
    case_table, event_table = Case._meta.db_table, CaseEvent._meta.db_table
    events = 0
    build = copy_time = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute(
            f"SELECT nextval(pg_get_serial_sequence('{case_table}', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        ids = [r[0] for r in raw.fetchall()]
        for first in range(0, count, chunk):
            t0 = time.perf_counter()
            cases, histories = [], []
            for n in range(first, min(first + chunk, count)):
                row, story = _case(n, ids[n], orgs[n % len(orgs)], care, now, days, rng, SUBJECTS)
                cases.append(row)
                histories.extend(story.events)
            t1 = time.perf_counter()
            with raw.copy(f"COPY {case_table} ({', '.join(CASE_COLUMNS)}) FROM STDIN") as cp:
                for row in cases:
                    cp.write_row(row)
            with raw.copy(f"COPY {event_table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as cp:
                for row in histories:
                    cp.write_row(row)
            build += t1 - t0
            copy_time += time.perf_counter() - t1
            events += len(histories)
            if not quiet:
                print(f"  {first + len(cases):>9,} cases  {events:>10,} events", flush=True)
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {case_table}")
        cursor.execute(f"ANALYZE {event_table}")
    total = time.perf_counter() - began
    return {
        "cases": count,
        "events": events,
        "organisations": len(orgs),
        "seconds": total,
        "build_seconds": build,
        "copy_seconds": copy_time,
        "analyze_seconds": time.perf_counter() - t2,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases to write")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--days", type=int, default=90, help="cases are opened over this many days before now"
    )
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        print("generate_cases: set DATABASE_URL (postgres://...)", file=sys.stderr)
        return 2
    _django()
    done = generate(args.cases, seed=args.seed, days=args.days)
    print(
        f"wrote {done['cases']:,} cases and {done['events']:,} events for "
        f"{done['organisations']} organisations in {done['seconds']:.1f} s "
        f"(building rows {done['build_seconds']:.1f} s, COPY {done['copy_seconds']:.1f} s, "
        f"ANALYZE {done['analyze_seconds']:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
