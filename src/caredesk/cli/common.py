"""What every area of the ``caredesk`` command shares: the error a user causes, the UTC
instant format, and Django, set up only by the commands that need it."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path


class UserError(Exception):
    """A problem with what the user typed; printed as one line."""


def iso_utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def setup_django() -> None:
    """Set Django up, imported only here: ``sla due`` and ``policies`` run without it."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caredesk.site.settings")
    django.setup()


def migrate_database(quiet: bool = True) -> None:
    """Apply the migrations, creating the SQLite file's directory on first use."""
    from django.conf import settings
    from django.core.management import call_command

    database = settings.DATABASES["default"]
    if str(database["ENGINE"]).endswith("sqlite3"):
        Path(str(database["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
