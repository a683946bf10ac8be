"""Migrations: none missing in any app of ours, and the schema migrates down to empty and
back up, table by table."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Our apps with models, in dependency order (automation refers to cases, cases and status
# to accounts).
APPS = ("accounts", "cases", "automation", "status")


def our_tables() -> dict[str, set[str]]:
    """The tables each of our apps' models (and many-to-many fields) need."""
    tables: dict[str, set[str]] = {}
    for label in APPS:
        models = apps.get_app_config(label).get_models(include_auto_created=True)
        tables[label] = {model._meta.db_table for model in models}
    return tables


def present() -> set[str]:
    return set(connection.introspection.table_names())


def unapplied() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def test_every_app_has_models_with_tables() -> None:
    # The checks below are only as good as this list: every one of our apps with models.
    with_migrations = {
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("caredesk.") and list(config.get_models())
    }
    assert with_migrations == set(APPS)
    assert all(our_tables().values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("label", APPS)
def test_no_missing_migrations(label: str) -> None:
    out = io.StringIO()
    # Exits (SystemExit 1) when the models have changes no migration holds.
    call_command("makemigrations", label, "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == f"No changes detected in app '{label}'"


@pytest.mark.django_db(transaction=True)
def test_no_missing_migrations_in_the_whole_project() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected"


@pytest.mark.django_db(transaction=True)
def test_migrate_from_empty_and_back() -> None:
    tables = our_tables()
    everything = set().union(*tables.values())
    assert everything <= present()
    assert unapplied() == []

    for label in reversed(APPS):
        call_command("migrate", label, "zero", verbosity=0)
        assert not tables[label] & present(), f"{label} left tables behind"
    assert not everything & present()
    assert {"auth_user", "django_migrations"} <= present()  # Django's own stay
    assert set(unapplied()) >= {f"{label}.0001_initial" for label in APPS}

    call_command("migrate", verbosity=0)
    assert everything <= present()
    assert unapplied() == []


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
