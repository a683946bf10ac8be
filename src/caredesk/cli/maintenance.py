"""``caredesk maintenance``: planned maintenance windows of a service, from the catalogue
alone, or for an organisation (its zone; needs the database)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer

from caredesk.cli.common import UserError, setup_django
from caredesk.cli.sla import parse_instant
from caredesk.core.maintenance import Window
from caredesk.status import queries
from caredesk.status.catalogue import service

maintenance_app = typer.Typer(
    help="Planned maintenance windows of a service.", no_args_is_help=True
)

ServiceOpt = Annotated[str, typer.Option("--service", help="Service id, e.g. premier-edition.")]
TzOpt = Annotated[
    str | None, typer.Option("--tz", help="The customer's IANA time zone, e.g. Asia/Tokyo.")
]
OrgOpt = Annotated[
    str | None, typer.Option("--org", help="An organisation's short name: its time zone.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _zone(service_id: str, tz: str | None, org: str | None) -> str | None:
    """The customer's zone from --tz; a local-time service cannot do without (or --org)."""
    info = service(service_id)
    if tz is not None and org is not None:
        raise UserError("give either --tz or --org, not both")
    if tz is None and org is None and info.rule is not None and info.rule.is_local:
        raise UserError(
            f"service {service_id!r} has its maintenance windows in the customer's local time; "
            "give --tz ZONE or --org ORG"
        )
    return tz


def _organisation(short_name: str) -> Any:
    """The organisation named at the command line (needs the database)."""
    setup_django()
    from caredesk.accounts import services as accounts

    return accounts.organisation_named(short_name)


def _windows(
    service_id: str, org: str | None, zone: str | None, first: datetime, last: datetime
) -> tuple[list[Window], str]:
    """The windows overlapping ``[first, last)`` (an organisation's own calendar with --org)
    and the zone to show them in."""
    info = service(service_id)
    if org is None:
        found = queries.maintenance_windows(service_id, first, last, zone)
        return found, queries.display_zone(info, zone)
    from caredesk.status import services

    organisation = _organisation(org)
    found = services.organisation_windows(organisation, info, first, last)
    return found, str(organisation.timezone)


def _line(window: Window, zone: str) -> str:
    doc = queries.window_document(window, zone)
    return f"{doc['start_local']} - {doc['end_local']}  ({doc['start']} - {doc['end']})"


@maintenance_app.command("at")
def maintenance_at(
    service_id: ServiceOpt,
    at: Annotated[str, typer.Option("--at", help="The instant, ISO 8601 with offset.")],
    tz: TzOpt = None,
    org: OrgOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Whether the service is in a planned maintenance window at --at."""
    zone = _zone(service_id, tz, org)
    instant = parse_instant(at, "--at time")
    found, shown = _windows(service_id, org, zone, instant, instant + timedelta(microseconds=1))
    window = next((w for w in found if w.contains(instant)), None)
    if as_json:
        document = queries.at_document(service_id, instant, window)
        typer.echo(json.dumps(document, ensure_ascii=False))
        return
    if window is None:
        typer.echo(f"{service_id}: not in planned maintenance at {queries.iso_z(instant)}")
        return
    typer.echo(f"{service_id}: in planned maintenance {_line(window, shown)}")


@maintenance_app.command("windows")
def maintenance_windows(
    service_id: ServiceOpt,
    start: Annotated[str, typer.Option("--from", help="Start, ISO 8601 with offset.")],
    end: Annotated[str, typer.Option("--to", help="End, ISO 8601 with offset.")],
    tz: TzOpt = None,
    org: OrgOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every planned window of the service overlapping --from to --to."""
    zone = _zone(service_id, tz, org)
    first = parse_instant(start, "--from time")
    last = parse_instant(end, "--to time")
    if last < first:
        raise UserError(f"--to {end!r} is before --from {start!r}; expected a later --to")
    windows, shown = _windows(service_id, org, zone, first, last)
    if as_json:
        rows = [queries.window_document(w, shown) for w in windows]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for window in windows:
        typer.echo(_line(window, shown))
