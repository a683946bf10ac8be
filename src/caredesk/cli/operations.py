"""``caredesk`` operations: migrate, serve, worker and the outbox."""

from __future__ import annotations

import contextlib
import sys
from typing import Annotated

import typer

from caredesk.cli.common import migrate_database, setup_django


def migrate() -> None:
    """Apply database migrations."""
    setup_django()
    migrate_database(quiet=False)


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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            help="Django's debug pages (tracebacks, settings) instead of CareDesk's error "
            "pages; development only.",
        ),
    ] = False,
) -> None:
    """Run migrations, then serve the web pages and the API with gunicorn."""
    import os
    import signal
    import subprocess

    # Off unless asked, whatever the environment says: a served desk shows people its own
    # error pages, never a traceback. gunicorn's workers inherit the setting.
    os.environ["DEBUG"] = "1" if debug else "0"
    setup_django()
    migrate_database()
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


def worker(
    once: Annotated[bool, typer.Option(help="One round, then exit.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds an idle worker waits.")] = 1.0,
    batch: Annotated[int, typer.Option(help="Timers and deliveries per round.")] = 100,
) -> None:
    """Run the automation: timers (warnings, breaches, stale cases, deadlines) and the outbox."""
    import logging

    setup_django()
    from caredesk.automation import worker as loop
    from caredesk.infra.clock import CLOCK

    # force: Django's LOGGING (root at WARNING) was applied first and would swallow these.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", force=True
    )
    loop.run(clock=CLOCK.now, poll=poll, batch=batch, once=once)


def show_outbox(
    state: Annotated[str, typer.Option(help="pending, delivered, dead or cancelled.")] = "dead",
    limit: Annotated[int, typer.Option(help="How many rows.")] = 50,
) -> None:
    """Deliveries by state, with attempts and the last error."""
    setup_django()
    from caredesk.automation import services

    rows, count = services.deliveries(state=state, limit=limit)
    for row in rows:
        typer.echo(
            f"{row.id:>8} {row.channel:<8} {row.event:<24} attempts={row.attempts:<3} "
            f"{row.key}  {row.last_error}"
        )
    typer.echo(f"{count} {state}")


def outbox_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Row ids; none: every dead row.")] = None,
) -> None:
    """Deliver failed rows again, from now."""
    setup_django()
    from caredesk.automation import outbox
    from caredesk.infra.clock import CLOCK

    count = outbox.redrive(ids or None, now=CLOCK.now())
    typer.echo(f"{count} deliveries pending again")
