"""Migrations: none missing, and the schema migrates down to empty and back up."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_no_missing_migrations() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrate_from_empty_and_back() -> None:
    call_command("migrate", "cases", "zero", verbosity=0)
    call_command("migrate", "accounts", "zero", verbosity=0)
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_fired_timers_move_to_the_log() -> None:
    from datetime import UTC, datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("automation", "0002_one_index_per_foreign_key")]
    after = [("automation", "0003_timers_pending_only_with_a_log")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("automation", "Timer")
    at = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 10:00 New York
    old.objects.create(
        key="sla-warning:1:response:0:50",
        kind="sla-warning",
        due_at=at,
        created_at=at,
        fired_at=at,
        outcome="warned 50%",
    )
    old.objects.create(
        key="credentials-overdue:7:x",
        kind="credentials-overdue",
        due_at=at,
        created_at=at,
        attempts=2,
        outcome="error: SMTP down",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    timers = apps.get_model("automation", "Timer")
    log = apps.get_model("automation", "TimerLog")
    assert list(log.objects.values_list("key", "fired_at", "outcome")) == [
        ("sla-warning:1:response:0:50", at, "warned 50%")
    ]
    assert list(timers.objects.values_list("key", "attempts", "last_error")) == [
        ("credentials-overdue:7:x", 2, "error: SMTP down")
    ]
    call_command("migrate", verbosity=0)
