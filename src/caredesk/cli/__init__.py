"""The ``caredesk`` command.

Every error a user can cause ends as one line on stderr and exit status 2; no traceback.
The commands live in modules by area (``sla``, ``operations``, ``administration``,
``holidays``, ``maintenance``); this module assembles them and is the one place that turns
an error into that line.
"""

from __future__ import annotations

import sys

import typer

from caredesk.cli import administration, holidays, maintenance, operations, sla
from caredesk.cli.common import UserError
from caredesk.infra.errors import DomainError

app = typer.Typer(
    name="caredesk",
    help="CareDesk: SLA-driven support cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# In the order ``caredesk --help`` lists them.
for _name, _command in (
    ("policies", administration.list_policies),
    ("migrate", operations.migrate),
    ("serve", operations.serve),
    ("demo", administration.demo),
    ("createuser", administration.createuser),
    ("rules", administration.rules),
    ("worker", operations.worker),
    ("outbox", operations.show_outbox),
    ("outbox-retry", operations.outbox_retry),
):
    app.command(_name)(_command)
app.add_typer(sla.sla_app, name="sla")
app.add_typer(holidays.holidays_app, name="holidays")
app.add_typer(maintenance.maintenance_app, name="maintenance")


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
