"""``caredesk sla``: due times and their explanation from the policies alone, and the
replay of every stored case's clocks."""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Annotated, Any

import typer

from caredesk.cli.common import UserError, iso_utc, setup_django
from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, MetricClock, compute_clocks
from caredesk.core.explain import local_text
from caredesk.core.policy import CaseType, Metric, text_in

sla_app = typer.Typer(help="SLA due times and their explanation.", no_args_is_help=True)


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


@sla_app.command("recompute")
def sla_recompute(
    batch: Annotated[int, typer.Option(help="Cases per transaction.")] = 2000,
    jobs: Annotated[
        int, typer.Option(help="Processes working side by side (default: one per core).")
    ] = 0,
) -> None:
    """Replay and store the SLA clocks of every stored case (after a policy or calendar fix)."""
    import time

    setup_django()
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
