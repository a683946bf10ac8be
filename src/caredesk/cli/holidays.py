"""``caredesk holidays``: the vendor holidays Care declares (the management-attention
mailbox's deadline and the channels Care staffs in business hours skip them)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from caredesk.cli.common import setup_django

holidays_app = typer.Typer(help="Vendor holidays: days Care is closed.", no_args_is_help=True)

DayArg = Annotated[str, typer.Argument(help="The local date, YYYY-MM-DD.")]


def _hours(holiday: Any) -> str:
    """``closed all day``, ``open until 13:00``, ``open from 10:00``, ``open 10:00-14:00``."""
    start, end = holiday.open_from, holiday.open_until
    if start is None and end is None:
        return "closed all day"
    if start is None:
        return f"open until {end:%H:%M}"
    if end is None:
        return f"open from {start:%H:%M}"
    return f"open {start:%H:%M}-{end:%H:%M}"


@holidays_app.command("list")
def list_holidays(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The declared vendor holidays, in order."""
    setup_django()
    from caredesk.accounts import services as accounts

    found = accounts.vendor_holidays(actor=None)
    if as_json:
        rows = [
            {
                "day": h.day.isoformat(),
                "name": h.name,
                "open_from": f"{h.open_from:%H:%M}" if h.open_from else None,
                "open_until": f"{h.open_until:%H:%M}" if h.open_until else None,
            }
            for h in found
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for h in found:
        typer.echo(f"{h.day.isoformat()}  {_hours(h):<15}  {h.name}")


@holidays_app.command("add")
def add_holiday(
    day: DayArg,
    name: Annotated[str, typer.Option(help="What the day is, e.g. 'Christmas Eve'.")],
    opens: Annotated[str, typer.Option(help="Opens late at HH:MM (default: as usual).")] = "",
    closes: Annotated[str, typer.Option(help="Closes early at HH:MM (default: all day).")] = "",
) -> None:
    """Declare a vendor holiday: closed all day, or from --closes / until --opens."""
    setup_django()
    from caredesk.accounts import services as accounts
    from caredesk.infra.clock import CLOCK

    holiday = accounts.declare_vendor_holiday(
        actor=None, day=day, name=name, open_from=opens, open_until=closes, now=CLOCK.now()
    )
    typer.echo(f"declared {holiday.day.isoformat()} {holiday.name}: {_hours(holiday)}")


@holidays_app.command("remove")
def remove_holiday(day: DayArg) -> None:
    """Remove a declared vendor holiday."""
    setup_django()
    from caredesk.accounts import services as accounts

    holiday = accounts.remove_vendor_holiday(actor=None, day=day)
    typer.echo(f"removed {holiday.day.isoformat()} {holiday.name}")
