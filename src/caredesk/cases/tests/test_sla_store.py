"""Stored clocks: bulk recomputation stores what the per-event path stores; display states."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from caredesk.cases import services, sla
from caredesk.cases.models import Case, SlaClock
from caredesk.conftest import START
from caredesk.core.display import DisplayState
from caredesk.testing import PURECLOUD_INTAKE, World


def _snapshot() -> list[tuple[object, ...]]:
    return sorted(
        SlaClock.objects.values_list(
            "case_id",
            "metric",
            "target",
            "started_at",
            "due_at",
            "at_risk_at",
            "stopped_at",
            "paused_since",
            "elapsed_seconds",
        )
    )


def test_bulk_recompute_matches_the_per_event_path(world: World) -> None:
    user = world.customer_contact.user
    for severity in (2, 3, 4):
        case = services.open_case(
            actor=user,
            now=START,
            case_type="incident",
            severity=severity,
            channel="portal",
            subject=f"Issue {severity}",
            description="d",
            intake_fields=dict(PURECLOUD_INTAKE),
        ).case
        services.add_comment(
            actor=world.engineer.user,
            case_id=case.id,
            body="on it",
            now=START + timedelta(minutes=20),
        )
        services.change_status(
            actor=world.engineer.user,
            case_id=case.id,
            status="waiting-on-customer",
            now=START + timedelta(hours=1),
        )
    later = START + timedelta(hours=1)
    before = _snapshot()
    dues = dict(Case.objects.values_list("id", "next_due"))
    SlaClock.objects.all().delete()
    Case.objects.update(next_due=None)
    assert sla.recompute(None, later, batch=2) == 3
    assert _snapshot() == before
    assert dict(Case.objects.values_list("id", "next_due")) == dues


def test_display_state_follows_now_without_a_write(world: World) -> None:
    case = services.open_case(
        actor=world.customer_contact.user,
        now=START,
        case_type="incident",
        severity=2,
        channel="portal",
        subject="Slow",
        description="d",
        intake_fields=dict(PURECLOUD_INTAKE),
    ).case
    response = case.clocks.get(metric="response")
    assert response.due_at is not None
    assert response.at_risk_at is not None
    # Opened Tuesday 00:00 Tokyo: 1 BH response due Tuesday 09:00 JST (00:00 UTC).
    assert response.due_at.isoformat() == "2026-11-24T00:00:00+00:00"
    assert response.at_risk_at.isoformat() == "2026-11-23T23:45:00+00:00"  # 75 %: 08:45 JST
    assert sla.display_state(response, START) == DisplayState.ON_TRACK
    assert sla.display_state(response, response.at_risk_at) == DisplayState.AT_RISK
    assert sla.display_state(response, response.due_at) == DisplayState.AT_RISK
    assert (
        sla.display_state(response, response.due_at + timedelta(seconds=1)) == DisplayState.BREACHED
    )


def test_raw_writes_store_instants_as_the_orm_does(world: World) -> None:
    """The history's sequence bump and the bulk recompute write SQL by hand; their instants
    must match what the ORM writes (SQLite compares instants as text)."""
    from django.db import connection

    case = services.open_case(
        actor=world.customer_contact.user,
        now=START,
        case_type="incident",
        severity=2,
        channel="portal",
        subject="Slow",
        description="d",
        intake_fields=dict(PURECLOUD_INTAKE),
    ).case
    sla.recompute([case.id], START + timedelta(minutes=5))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(c.updated_at AS TEXT), CAST(c.opened_at AS TEXT), "
            "CAST(k.due_at AS TEXT) FROM cases_case c "
            "JOIN cases_slaclock k ON k.case_id = c.id WHERE c.id = %s AND k.metric = 'response'",
            [case.id],
        )
        updated, opened, due = cursor.fetchone()
    if connection.vendor == "sqlite":
        assert updated == opened == "2026-11-23 15:00:00"  # START, 10:00 New York, in UTC
        assert "+" not in due
    assert Case.objects.filter(id=case.id, updated_at=START).exists()


def test_the_migration_rewrites_instants_written_with_an_offset(world: World) -> None:
    import importlib

    from django.apps import apps
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores instants as text")
    case = services.open_case(
        actor=world.customer_contact.user,
        now=START,
        case_type="incident",
        severity=2,
        channel="portal",
        subject="Slow",
        description="d",
        intake_fields=dict(PURECLOUD_INTAKE),
    ).case
    with connection.cursor() as cursor:  # as earlier versions wrote it
        cursor.execute(
            "UPDATE cases_case SET updated_at = '2026-11-23 10:00:00-05:00' WHERE id = %s",
            [case.id],
        )
    module = importlib.import_module("caredesk.cases.migrations.0002_normalise_sqlite_instants")
    # The function reads only the editor's connection (a real one cannot open in a test's
    # transaction on SQLite).
    module.normalise(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(updated_at AS TEXT) FROM cases_case WHERE id = %s", [case.id])
        assert cursor.fetchone() == ("2026-11-23 15:00:00",)  # 10:00 New York in UTC
