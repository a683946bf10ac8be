"""Re-applying rules to open cases (SPEC 3 decision): the operator previews the deadlines
that move, then applies; time used stays used, completed clocks never change, and each case
records the change in its history.

The reseller Acme (Care for Cloud, Monday-Friday 08:00-17:00 America/New_York, US holidays)
moves to Europe/London (GB holidays). Late November: New York is UTC-5, London UTC+0.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from caredesk.accounts.models import Organisation
from caredesk.automation.models import Timer
from caredesk.cases import services, sla
from caredesk.cases.models import Case, CaseEvent, SlaClock
from caredesk.conftest import START
from caredesk.infra.errors import DomainError, NotFound, PermissionDenied
from caredesk.testing import World, open_reseller_case

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
NOON = datetime(2026, 11, 23, 12, 0, tzinfo=NY)  # Monday 12:00 New York = 17:00 London
TO_LONDON: dict[str, str | None] = {"timezone": "Europe/London", "country": "GB"}


def in_london(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(LONDON).strftime("%a %d %H:%M")


def open_case(world: World, severity: int = 2, at: datetime = START) -> Case:
    # Opened Monday 10:00 New York.
    # The contact as a request would load it: its organisation's rules as they are now.
    contact = User.objects.get(id=world.reseller_contacts[0].user.id)
    return open_reseller_case(
        world,
        at,
        actor=contact,
        severity=severity,
        subject=f"Agents cannot log in ({severity})",
        description="Since this morning.",
    )


def written(case: Case) -> tuple[object, ...]:
    """Everything a rules change may write for the case and its organisation."""
    case.refresh_from_db()
    org = Organisation.objects.get(id=case.organisation_id)
    return (
        sla.rules_data(case),
        case.event_count,
        CaseEvent.objects.filter(case=case).count(),
        sorted(SlaClock.objects.filter(case=case).values_list("metric", "due_at")),
        sorted(Timer.objects.filter(case=case).values_list("key", "due_at")),
        (org.timezone, org.country, org.plan, org.policy),
    )


def dues(case: Case) -> dict[str, str | None]:
    return {
        metric: in_london(due)
        for metric, due in SlaClock.objects.filter(case=case).values_list("metric", "due_at")
    }


def test_the_preview_shows_what_moves_and_writes_nothing(world: World) -> None:
    case = open_case(world)
    before = written(case)
    change = services.preview_rules(
        actor=world.engineer.user, organisation_id=world.reseller.id, changes=TO_LONDON, now=NOON
    )
    assert written(case) == before
    assert not change.applied
    assert change.cases == [case.number]
    assert change.before["timezone"] == "America/New_York"
    assert change.after["timezone"] == "Europe/London"
    moved = {m.metric: m for m in change.moves}
    # Response 6 BH: 2 used (10:00-12:00 New York); 4 remain from Monday 17:00 London,
    # closed: Tuesday 08:00-12:00 London. It was due Monday 16:00 New York (21:00 London).
    assert in_london(moved["response"].due_before) == "Mon 23 21:00"
    assert in_london(moved["response"].due_after) == "Tue 24 12:00"
    # Restoration 4 BD = 36 BH: 34 remain; Tue, Wed, Thu (no Thanksgiving in England) 9
    # each = 27, then Friday 08:00-15:00 London. It was due Monday 30 10:00 New York.
    assert in_london(moved["restoration"].due_before) == "Mon 30 15:00"
    assert in_london(moved["restoration"].due_after) == "Fri 27 15:00"
    assert set(moved) == {"response", "restoration", "resolution"}
    assert moved["response"].state_before == moved["response"].state_after == "running"


def test_applying_moves_the_deadlines_and_timers_and_records_the_change(world: World) -> None:
    case = open_case(world)
    change = services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.reseller.id,
        changes=TO_LONDON,
        reason="Acme moved its support desk to London",
        now=NOON,
    )
    assert change.applied
    assert change.cases == [case.number]
    case.refresh_from_db()
    assert (case.timezone, case.country) == ("Europe/London", "GB")
    org = Organisation.objects.get(id=world.reseller.id)
    assert (org.timezone, org.country) == ("Europe/London", "GB")
    event = case.events.order_by("-seq").first()
    assert event is not None
    assert event.kind == "rules-changed"
    assert event.reason == "Acme moved its support desk to London"
    assert event.actor == world.manager.user
    assert event.data["from"]["timezone"] == "America/New_York"
    assert event.data["to"]["timezone"] == "Europe/London"
    assert dues(case)["response"] == "Tue 24 12:00"
    assert dues(case)["restoration"] == "Fri 27 15:00"
    breach = Timer.objects.get(case=case, kind="sla-breach", payload__metric="response")
    assert in_london(breach.due_at) == "Tue 24 12:00"
    # The stored clocks are what a replay of the whole history gives: a bulk recompute
    # (which starts from the case's history, not its row) changes nothing.
    stored = sorted(SlaClock.objects.filter(case=case).values_list("metric", "due_at"))
    sla.recompute([case.id], NOON)
    assert sorted(SlaClock.objects.filter(case=case).values_list("metric", "due_at")) == stored


def test_a_completed_clock_and_a_closed_case_never_change(world: World) -> None:
    case = open_case(world)
    services.add_comment(
        actor=world.engineer.user,
        case_id=case.id,
        body="Looking at it now.",
        now=START + timedelta(minutes=30),
    )
    closed = open_case(world, severity=3)
    for status in ("open", "closed"):
        services.change_status(
            actor=world.engineer.user,
            case_id=closed.id,
            status=status,
            now=START + timedelta(minutes=40),
            reason="duplicate" if status == "closed" else "",
        )
    untouched = written(closed)
    response_before = SlaClock.objects.get(case=case, metric="response")
    change = services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.reseller.id,
        changes=TO_LONDON,
        reason="moved",
        now=NOON,
    )
    assert change.cases == [case.number]
    assert "response" not in {m.metric for m in change.moves}
    response = SlaClock.objects.get(case=case, metric="response")
    assert (response.due_at, response.stopped_at) == (
        response_before.due_at,
        response_before.stopped_at,
    )
    assert written(closed)[:4] == untouched[:4]


def test_the_sla_view_explains_the_change(world: World, tokens: dict[str, str]) -> None:
    from django.test import Client

    from caredesk.infra.clock import CLOCK

    case = open_case(world)
    services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.reseller.id,
        changes=TO_LONDON,
        reason="moved",
        now=NOON,
    )
    CLOCK.set(NOON)
    answer = Client().get(
        f"/api/cases/{case.id}/sla", HTTP_AUTHORIZATION=f"Bearer {tokens['reseller']}"
    )
    assert answer.status_code == 200
    response = next(m for m in answer.json()["metrics"] if m["metric"] == "response")
    texts = [s["text"] for s in response["explanation"]]
    assert "Counted Mon 2026-11-23 10:00-12:00 EST: 2:00 (total 2:00)." in texts
    assert any(t.startswith("From Mon 2026-11-23 17:00 GMT the rules are") for t in texts)
    assert "Counted Tue 2026-11-24 08:00-12:00 GMT: 4:00 (total 6:00)." in texts


def test_a_new_case_after_the_change_counts_on_the_new_hours(world: World) -> None:
    services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.reseller.id,
        changes=TO_LONDON,
        reason="moved",
        now=NOON,
    )
    case = open_case(world, at=NOON)  # Monday 17:00 London: closed
    assert case.timezone == "Europe/London"
    assert dues(case)["response"] == "Tue 24 14:00"  # 6 BH from Tuesday 08:00 London


def test_nothing_to_change_changes_nothing(world: World) -> None:
    case = open_case(world)
    before = written(case)
    change = services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.reseller.id,
        changes={},
        reason="re-apply today's policy",
        now=NOON,
    )
    assert (change.cases, change.moves) == ([], [])
    assert written(case) == before


@pytest.mark.parametrize(
    ("changes", "reason", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "moved", "Mars/Olympus"),
        ({"plan": "platinum"}, "moved", "platinum"),
        ({"country": "XX"}, "moved", "XX"),
        ({"policy": "no-such-policy"}, "moved", "no-such-policy"),
        ({"holidays": "none"}, "moved", "unknown rule 'holidays'"),
        (TO_LONDON, "  ", "needs a reason"),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_written(
    world: World, changes: dict[str, str | None], reason: str, message: str
) -> None:
    case = open_case(world)
    before = written(case)
    with pytest.raises(DomainError) as refused:
        services.apply_rules(
            actor=world.manager.user,
            organisation_id=world.reseller.id,
            changes=changes,
            reason=reason,
            now=NOON,
        )
    assert message in str(refused.value)
    assert written(case) == before


# Who may not preview or apply: the service, who asks (a function of the world), for which
# organisation (None: the reseller), the error and its whole message.
NOT_ALLOWED = [
    pytest.param(
        "preview",
        lambda w: w.reseller_contacts[0].user,
        None,
        PermissionDenied,
        "only Care may do this",
        id="only-care-previews",
    ),
    pytest.param(
        "apply",
        lambda w: w.engineer.user,
        None,
        PermissionDenied,
        "only a Care manager may do this",
        id="only-managers-apply",
    ),
    pytest.param(
        "preview",
        lambda w: w.manager.user,
        987654,
        NotFound,
        "organisation 987654 not found",
        id="unknown-organisation",
    ),
]


@pytest.mark.parametrize(("service", "actor", "organisation", "error", "message"), NOT_ALLOWED)
def test_only_care_previews_and_only_managers_apply(
    world: World,
    service: str,
    actor: Callable[[World], User],
    organisation: int | None,
    error: type[DomainError],
    message: str,
) -> None:
    case = open_case(world)
    before = written(case)
    asks: dict[str, Any] = {
        "actor": actor(world),
        "organisation_id": organisation or world.reseller.id,
        "changes": TO_LONDON,
        "now": NOON,
    }
    if service == "apply":
        asks["reason"] = "moved"
    call = services.apply_rules if service == "apply" else services.preview_rules
    with pytest.raises(error) as refused:
        call(**asks)
    assert type(refused.value) is error
    assert str(refused.value) == message
    assert written(case) == before
