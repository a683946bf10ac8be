"""The ``caredesk`` command.

Every error a user can cause ends as one line on stderr and exit status 2; no traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, MetricClock, compute_clocks
from caredesk.core.explain import local_text
from caredesk.core.policy import CaseType, Metric, text_in
from caredesk.infra.errors import DomainError

app = typer.Typer(
    name="caredesk",
    help="CareDesk: SLA-driven support cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
sla_app = typer.Typer(help="SLA due times and their explanation.", no_args_is_help=True)
app.add_typer(sla_app, name="sla")


class UserError(Exception):
    """A problem with what the user typed; printed as one line."""


def parse_instant(text: str, what: str = "time") -> datetime:
    """An ISO 8601 instant with an offset (or Z); naive or malformed text is refused."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"malformed {what} {text!r}; expected ISO 8601 such as 2026-11-20T16:30:00-05:00"
        ) from None
    if value.tzinfo is None:
        raise UserError(f"{what} {text!r} has no UTC offset; add one, e.g. {text}-05:00 or {text}Z")
    return value


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


PolicyOpt = Annotated[str, typer.Option("--policy", help="Policy id, e.g. purecloud-support.")]
PlanOpt = Annotated[str, typer.Option("--plan", help="Plan id, e.g. care-for-cloud.")]
SeverityOpt = Annotated[str, typer.Option("--severity", help="Severity 1-4.")]
CaseTypeOpt = Annotated[
    str, typer.Option("--case-type", help="incident, admin, service-request, ...")
]
OpenedOpt = Annotated[
    str, typer.Option("--opened", help="When the case was opened, ISO 8601 with offset.")
]
TzOpt = Annotated[str, typer.Option("--tz", help="The customer's IANA time zone.")]
CountryOpt = Annotated[
    str | None, typer.Option("--country", help="Country code for public holidays, e.g. US.")
]
SubdivisionOpt = Annotated[
    str | None, typer.Option("--subdivision", help="Subdivision for public holidays, e.g. NY.")
]


def parse_severity(text: str) -> int:
    if text.strip() not in ("1", "2", "3", "4"):
        raise UserError(f"unknown severity {text!r}; expected 1, 2, 3 or 4")
    return int(text)


def _clocks(
    policy_id: str,
    plan: str,
    severity: int,
    case_type: str,
    opened: str,
    tz: str,
    country: str | None,
    subdivision: str | None,
) -> tuple[policies.Policy, datetime, Any, dict[Metric, MetricClock]]:
    policy = policies.load(policy_id)
    policy.plan(plan)
    policies.check_severity(severity)
    if case_type not in {c.value for c in CaseType}:
        names = ", ".join(c.value for c in CaseType)
        raise UserError(f"unknown case type {case_type!r}; expected one of: {names}")
    calendar = policy.calendar(tz, country=country, subdivision=subdivision)
    start = parse_instant(opened, "opened time")
    clocks = compute_clocks(
        [ClockEvent.opened(start, severity)],
        policy=policy,
        plan=plan,
        case_type=case_type,
        calendar=calendar,
        now=start,
    )
    return policy, start, calendar, clocks


@sla_app.command("due")
def sla_due(
    policy: PolicyOpt,
    plan: PlanOpt,
    severity: SeverityOpt,
    opened: OpenedOpt,
    tz: TzOpt,
    case_type: CaseTypeOpt = "incident",
    country: CountryOpt = None,
    subdivision: SubdivisionOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Response, restoration and resolution due instants of a case opened at --opened."""
    level = parse_severity(severity)
    pol, start, calendar, clocks = _clocks(
        policy, plan, level, case_type, opened, tz, country, subdivision
    )
    if as_json:
        metrics: dict[str, Any] = {}
        for metric, clock in clocks.items():
            if clock.target is None or clock.due is None:
                metrics[metric.value] = None
            else:
                metrics[metric.value] = {
                    "target": str(clock.target),
                    "due": iso_utc(clock.due),
                    "due_local": calendar.local(clock.due).isoformat(),
                }
        document = {
            "policy": pol.id,
            "plan": plan,
            "severity": level,
            "case_type": case_type,
            "opened": iso_utc(start),
            "metrics": metrics,
        }
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    name = text_in(pol.severities[level].name, "en")
    typer.echo(f"{pol} ({pol.title}), plan {plan}, {case_type}, severity {level} ({name})")
    typer.echo(f"opened       {local_text(start, calendar)}  ({iso_utc(start)})")
    for metric, clock in clocks.items():
        if clock.target is None or clock.due is None:
            typer.echo(f"{metric.value:<12} n/a")
            continue
        typer.echo(
            f"{metric.value:<12} {clock.target!s:<6} due {local_text(clock.due, calendar)}"
            f"  ({iso_utc(clock.due)})"
        )
    response = clocks[Metric.RESPONSE]
    business_response = response.target is not None and response.target.unit.is_business
    if response.due is not None and business_response and not calendar.is_open(start):
        typer.echo(
            f"Opened outside business hours: Care will respond by "
            f"{local_text(response.due, calendar)}."
        )


@sla_app.command("explain")
def sla_explain(
    policy: PolicyOpt,
    plan: PlanOpt,
    severity: SeverityOpt,
    opened: OpenedOpt,
    tz: TzOpt,
    case_type: CaseTypeOpt = "incident",
    country: CountryOpt = None,
    subdivision: SubdivisionOpt = None,
) -> None:
    """Why each due time is what it is: calendar, counted time, closures, policy row."""
    _, _, _, clocks = _clocks(
        policy, plan, parse_severity(severity), case_type, opened, tz, country, subdivision
    )
    for metric, clock in clocks.items():
        typer.echo(f"{metric.value}:")
        if clock.target is None:
            typer.echo("  n/a: the policy sets no target for this metric.")
        for step in clock.steps:
            typer.echo(f"  - {step.text}")
        typer.echo("")


@app.command("policies")
def list_policies(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The shipped support policies and their plans."""
    rows: list[dict[str, Any]] = [
        {
            "policy": p.id,
            "version": p.version,
            "title": p.title,
            "effective": p.effective.isoformat(),
            "plans": {plan.id: text_in(plan.name, "en") for plan in p.plans.values()},
        }
        for p in policies.list_policies()
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(
            f"{row['policy']} v{row['version']} (effective {row['effective']}): {row['title']}"
        )
        for plan_id, name in row["plans"].items():
            typer.echo(f"  {plan_id:<16} {name}")


# -- the server side: Django is set up only by the commands that need it ------------------


def _django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    django.setup()


def _migrate(quiet: bool = True) -> None:
    from django.conf import settings
    from django.core.management import call_command

    database = settings.DATABASES["default"]
    if str(database["ENGINE"]).endswith("sqlite3"):
        from pathlib import Path

        Path(str(database["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)


@app.command("migrate")
def migrate() -> None:
    """Apply database migrations."""
    _django()
    _migrate(quiet=False)


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="gunicorn worker processes.")] = 2,
    threads: Annotated[
        int,
        typer.Option(
            help="Threads per worker. 1 runs gunicorn's sync workers: a request is mostly "
            "Python, and threads of one process share its interpreter lock (more threads "
            "served fewer requests in bench/api_bench.py). Raise --workers instead."
        ),
    ] = 1,
    with_worker: Annotated[
        bool, typer.Option("--with-worker", help="Also run the automation worker.")
    ] = False,
) -> None:
    """Run migrations, then serve the web pages and the API with gunicorn."""
    import signal
    import subprocess

    _django()
    _migrate()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    engine = str(settings.DATABASES["default"]["ENGINE"]).rsplit(".", 1)[-1]
    typer.echo(f"CareDesk on http://{host}:{port}/ (API docs at /api/docs); database {engine}")
    web = [
        sys.executable,
        "-m",
        "gunicorn",
        "caredesk.site.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
    ]
    children = [subprocess.Popen(web)]
    if with_worker:
        children.append(subprocess.Popen([sys.executable, "-m", "caredesk", "worker"]))

    def _stop(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        # Either child ending ends the other: a server without its worker is half a product.
        while all(child.poll() is None for child in children):
            with contextlib.suppress(subprocess.TimeoutExpired):
                children[0].wait(timeout=1)
    finally:
        _stop(signal.SIGTERM, None)
        for child in children:
            child.wait(timeout=30)


@app.command("demo")
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when demo data is already there.")
    ] = False,
) -> None:
    """Load the demo data set (organisations, people, 200 cases with history)."""
    _django()
    _migrate()
    from caredesk import demo as demo_data
    from caredesk.infra.clock import CLOCK

    if demo_data.loaded():
        if if_empty:
            typer.echo("demo data already loaded")
            return
        raise UserError("demo data is already loaded; use an empty database")
    loaded = demo_data.load(CLOCK.now())
    typer.echo(
        f"loaded {loaded.cases} demo cases; every demo person's password is "
        f"{demo_data.DEMO_PASSWORD!r}"
    )
    for name, profile in loaded.people.items():
        typer.echo(f"  {name:<18} {profile.user.email:<26} token {loaded.tokens[name]}")


@app.command("createuser")
def createuser(
    email: Annotated[str, typer.Option(help="E-mail address, also the login.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    organisation: Annotated[str, typer.Option("--org", help="Organisation short name.")],
    role: Annotated[str, typer.Option(help="contact, engineer, manager or admin.")] = "contact",
    designated: Annotated[
        bool, typer.Option(help="Record the designated-contact training as done.")
    ] = False,
    password: Annotated[str | None, typer.Option(help="Password for the pages.")] = None,
) -> None:
    """Create a person and print an API token for them (shown once)."""
    _django()
    _migrate()
    from caredesk.accounts import services as accounts
    from caredesk.accounts.models import Organisation, Profile
    from caredesk.infra.clock import CLOCK
    from caredesk.infra.errors import DomainError

    org = Organisation.objects.filter(short_name=organisation).first()
    if org is None:
        raise UserError(f"unknown organisation {organisation!r}")
    now = CLOCK.now()
    try:
        person = accounts.create_person(
            actor=None,
            email=email,
            name=name,
            organisation=org,
            role=role,
            password=password,
            now=now,
        )
        if designated:
            care = Profile.objects.filter(role__in=["engineer", "manager", "admin"]).first()
            if care is None:
                raise UserError("no Care engineer exists to record the training")
            accounts.complete_training(actor=care.user, person=person, now=now)
    except DomainError as exc:
        raise UserError(exc.message) from None
    token = accounts.issue_token(user=person.user, now=now)
    typer.echo(f"created {person.user.email} ({role}, {org.name}); API token: {token}")


@sla_app.command("recompute")
def sla_recompute(
    batch: Annotated[int, typer.Option(help="Cases per transaction.")] = 2000,
    jobs: Annotated[
        int, typer.Option(help="Processes working side by side (default: one per core).")
    ] = 0,
) -> None:
    """Replay and store the SLA clocks of every stored case (after a policy or calendar fix)."""
    import time

    _django()
    from caredesk.cases import sla
    from caredesk.infra.clock import CLOCK

    began = time.perf_counter()
    if batch < 1:
        raise UserError(f"--batch {batch} is not a batch size; expected 1 or more cases")
    if jobs < 0:
        raise UserError(
            f"--jobs {jobs} is not a number of processes; expected 0 (one per core) or more"
        )
    count = sla.recompute_all(CLOCK.now(), jobs=jobs or os.cpu_count() or 1, batch=batch)
    typer.echo(f"recomputed the SLA clocks of {count} cases in {time.perf_counter() - began:.1f} s")


@app.command("rules")
def rules(
    organisation: Annotated[str, typer.Argument(help="Organisation short name.")],
    timezone: Annotated[str | None, typer.Option(help="New IANA zone.")] = None,
    country: Annotated[str | None, typer.Option(help="New ISO 3166 country (holidays).")] = None,
    subdivision: Annotated[str | None, typer.Option(help="New subdivision (holidays).")] = None,
    plan: Annotated[str | None, typer.Option(help="New plan.")] = None,
    policy: Annotated[str | None, typer.Option(help="New support policy.")] = None,
    apply: Annotated[
        bool, typer.Option(help="Apply (default: only show the deadlines that would move).")
    ] = False,
    by: Annotated[str | None, typer.Option(help="With --apply: the Care manager's e-mail.")] = None,
    reason: Annotated[str, typer.Option(help="With --apply: why (goes into each case).")] = "",
) -> None:
    """Change an organisation's calendar, plan or policy and re-apply it to its open cases
    (time used stays used); without --apply, a preview that writes nothing."""
    _django()
    from django.contrib.auth.models import User

    from caredesk.accounts.models import Organisation, Profile
    from caredesk.cases import services
    from caredesk.infra.clock import CLOCK

    org = Organisation.objects.filter(short_name=organisation).first()
    if org is None:
        raise UserError(f"unknown organisation {organisation!r}")
    changes = {
        "timezone": timezone,
        "country": country,
        "subdivision": subdivision,
        "plan": plan,
        "policy": policy,
    }
    now = CLOCK.now()
    if apply:
        if not by:
            raise UserError("--apply needs --by, the e-mail of the Care manager applying it")
        actor = User.objects.filter(email__iexact=by).first()
        if actor is None:
            raise UserError(f"unknown user {by!r}")
        change = services.apply_rules(
            actor=actor, organisation_id=org.id, changes=changes, reason=reason, now=now
        )
    else:
        care = Profile.objects.filter(role__in=["engineer", "manager", "admin"]).first()
        if care is None:
            raise UserError("no Care user exists to preview as")
        change = services.preview_rules(
            actor=care.user, organisation_id=org.id, changes=changes, now=now
        )
    shown = [k for k in change.after if change.before.get(k) != change.after[k]]
    what = ", ".join(f"{k} {change.before.get(k)} -> {change.after[k]}" for k in shown)
    typer.echo(f"{org.short_name}: {what or 'no change to its rules'}")
    typer.echo(f"{len(change.cases)} open cases count under other rules")
    for move in change.moves:
        before = iso_utc(move.due_before) if move.due_before else "none"
        after = iso_utc(move.due_after) if move.due_after else "none"
        typer.echo(f"  {move.number} {move.metric}: {before} -> {after} ({move.state_after})")
    typer.echo("applied" if change.applied else "preview only: nothing written (--apply)")


@app.command("worker")
def worker(
    once: Annotated[bool, typer.Option(help="One round, then exit.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds an idle worker waits.")] = 1.0,
    batch: Annotated[int, typer.Option(help="Timers and deliveries per round.")] = 100,
) -> None:
    """Run the automation: timers (warnings, breaches, stale cases, deadlines) and the outbox."""
    import logging

    _django()
    from caredesk.automation import worker as loop
    from caredesk.infra.clock import CLOCK

    # force: Django's LOGGING (root at WARNING) was applied first and would swallow these.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", force=True
    )
    loop.run(clock=CLOCK.now, poll=poll, batch=batch, once=once)


@app.command("outbox")
def show_outbox(
    state: Annotated[str, typer.Option(help="pending, delivered or dead.")] = "dead",
    limit: Annotated[int, typer.Option(help="How many rows.")] = 50,
) -> None:
    """Deliveries by state, with attempts and the last error."""
    _django()
    from caredesk.automation.models import Outbox

    if state not in Outbox.State.values:
        raise UserError(f"unknown outbox state {state!r}; expected pending, delivered or dead")
    rows = Outbox.objects.filter(state=state).order_by("-id")[:limit]
    for row in rows:
        typer.echo(
            f"{row.id:>8} {row.channel:<8} {row.event:<24} attempts={row.attempts:<3} "
            f"{row.key}  {row.last_error}"
        )
    typer.echo(f"{Outbox.objects.filter(state=state).count()} {state}")


@app.command("outbox-retry")
def outbox_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Row ids; none: every dead row.")] = None,
) -> None:
    """Deliver failed rows again, from now."""
    _django()
    from caredesk.automation import outbox
    from caredesk.infra.clock import CLOCK

    count = outbox.redrive(ids or None, now=CLOCK.now())
    typer.echo(f"{count} deliveries pending again")


def main(argv: list[str] | None = None) -> None:
    try:
        # Not standalone: usage errors come back here, to be printed as one line.
        status = app(args=argv, standalone_mode=False, prog_name="caredesk")
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as exc:
        _fail(exc.format_message())
    except (UserError, ValueError) as exc:
        _fail(str(exc))
    except DomainError as exc:  # a refusal from a service (demo, createuser, ...)
        _fail(exc.message)
    if isinstance(status, int) and status:
        sys.exit(status)


def _fail(message: str) -> None:
    line = " ".join(message.split())
    print(f"caredesk: error: {line}", file=sys.stderr)
    sys.exit(2)
