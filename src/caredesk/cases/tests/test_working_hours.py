"""An organisation's own working hours (issue 13, point 11), set through the rules change:
previewed first, then applied; time already used on a running clock stays used, the rest
counts on the new hours against the new business day; completed clocks never change.

Dunder Mifflin (PureCloud Support, standard plan, America/New_York, US holidays) keeps the
policy's Monday-Friday 08:00-17:00 until it sets 09:00-18:00 with a lunch break
12:00-13:00: an 8-hour business day instead of 9. Targets (seed 000): Severity 1 response
10 minutes (24x7), Severity 3 two business hours, Severity 4 one business day.
Monday 2026-11-23, New York on EST (UTC-5).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from caredesk.accounts.models import Organisation
from caredesk.automation.models import Timer
from caredesk.cases import services, sla
from caredesk.cases.models import Case, CaseEvent, SlaClock
from caredesk.cases.tests.test_api import Api
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.testing import (
    PURECLOUD_INTAKE,
    World,
    organisation,
    person,
    run_cli,
    signed_in_client,
)

NY = ZoneInfo("America/New_York")
LUNCH_HOURS = "Mon-Fri 09:00-12:00, 13:00-18:00"
LUNCH_MAP = {day: ["09:00-12:00", "13:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}


def mon(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=NY)


def local(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(NY).strftime("%a %d %H:%M")


@pytest.fixture
def dunder(world: World) -> Organisation:
    org = organisation(
        mon(8),
        "dunder",
        name="Dunder Mifflin",
        policy="purecloud-support",
        plan="standard",
        licences=["communicate"],
    )
    person(mon(8), org, "pam@dunder.example", engineer=world.engineer)
    return org


def open_case(org: Organisation, severity: int, at: datetime, **extra: Any) -> Case:
    # The contact as a request would load it: its organisation's rules as they are now.
    contact = User.objects.get(profile__organisation=org)
    return services.open_case(
        actor=contact,
        now=at,
        case_type="incident",
        severity=severity,
        channel="phone" if severity == 1 else "portal",
        subject=f"Severity {severity} opened {local(at)}",
        description="Hand-worked.",
        intake_fields=dict(PURECLOUD_INTAKE),
        **extra,
    ).case


def response_due(case: Case) -> str | None:
    return local(SlaClock.objects.get(case=case, metric="response").due_at)


def written(org: Organisation) -> tuple[object, ...]:
    """Everything a rules change may write for the organisation and its cases."""
    cases = Case.objects.filter(organisation=org).order_by("id")
    return (
        Organisation.objects.filter(id=org.id).values_list("hours", "timezone").get(),
        [(sla.rules_data(c), c.event_count) for c in cases],
        CaseEvent.objects.filter(case__organisation=org).count(),
        sorted(SlaClock.objects.filter(case__organisation=org).values_list("id", "due_at")),
        sorted(Timer.objects.filter(case__organisation=org).values_list("key", "due_at")),
    )


@pytest.fixture
def cases(world: World, dunder: Organisation) -> dict[str, Case]:
    """Cases open at Monday 11:30, when the hours change."""
    critical = {"critical_contact_name": "Pam", "critical_contact_phone": "+1 570 555 0100"}
    found = {
        # Severity 4 opened 08:30: 1 BD = 9 h on the policy's hours: 8.5 h on Monday,
        # due Tuesday 08:30.
        "s4": open_case(dunder, 4, mon(8, 30)),
        # Severity 3 opened 10:00: 2 BH, due 12:00.
        "s3-early": open_case(dunder, 3, mon(10)),
        # Severity 3 opened 11:00: 2 BH, due 13:00.
        "s3": open_case(dunder, 3, mon(11)),
        # Severity 3 opened 10:15 and answered at 10:45: its response clock is met.
        "answered": open_case(dunder, 3, mon(10, 15)),
        # Severity 1 opened 11:25: 10 minutes of clock time, due 11:35.
        "s1": open_case(dunder, 1, mon(11, 25), **critical),
    }
    services.add_comment(
        actor=world.engineer.user,
        case_id=found["answered"].id,
        body="We are on it.",
        now=mon(10, 45),
    )
    return found


def test_the_preview_shows_the_deadlines_that_would_move_and_writes_nothing(
    world: World, dunder: Organisation, cases: dict[str, Case]
) -> None:
    before = written(dunder)
    change = services.preview_rules(
        actor=world.engineer.user,
        organisation_id=dunder.id,
        changes={"hours": LUNCH_HOURS},
        now=mon(11, 30),
    )
    assert written(dunder) == before
    assert not change.applied
    assert change.before["hours"] == {}  # the policy's business hours
    assert change.after["hours"] == LUNCH_MAP
    moved = {m.number: (local(m.due_before), local(m.due_after)) for m in change.moves}
    assert moved == {
        # Severity 4: 08:30-11:30 stays used (3 h, although 08:30-09:00 is no longer
        # worked); one business day is now 8 h, so 5 h remain: 11:30-12:00, then
        # 13:00-17:30.
        cases["s4"].number: ("Tue 24 08:30", "Mon 23 17:30"),
        # Severity 3 from 11:00: 0.5 h used; 1.5 h remain: 11:30-12:00, lunch, 13:00-14:00.
        cases["s3"].number: ("Mon 23 13:00", "Mon 23 14:00"),
    }
    # Severity 3 from 10:00: 1.5 h used, 0.5 h remain: 11:30-12:00. The deadline is the
    # lunch break's start, 12:00 as before (a deadline at a closing stays there), not 13:00.
    # The answered case and the Severity 1 clock (24x7) do not move either.
    assert cases["s3-early"].number in change.cases


def test_applying_moves_the_running_clocks_and_records_the_hours(
    world: World, dunder: Organisation, cases: dict[str, Case]
) -> None:
    met = SlaClock.objects.get(case=cases["answered"], metric="response")
    change = services.apply_rules(
        actor=world.manager.user,
        organisation_id=dunder.id,
        changes={"hours": LUNCH_HOURS},
        reason="Dunder Mifflin works 09:00-18:00 with a lunch break",
        now=mon(11, 30),
    )
    assert change.applied
    dunder.refresh_from_db()
    assert dunder.hours == LUNCH_MAP
    assert response_due(cases["s4"]) == "Mon 23 17:30"
    assert response_due(cases["s3"]) == "Mon 23 14:00"
    assert response_due(cases["s3-early"]) == "Mon 23 12:00"
    assert response_due(cases["s1"]) == "Mon 23 11:35"  # 24x7: no business hours
    # A completed clock never changes.
    again = SlaClock.objects.get(case=cases["answered"], metric="response")
    assert (again.due_at, again.stopped_at, again.elapsed_seconds) == (
        met.due_at,
        met.stopped_at,
        met.elapsed_seconds,
    )
    # The breach timers follow the deadlines.
    breach = Timer.objects.get(case=cases["s4"], kind="sla-breach", payload__metric="response")
    assert local(breach.due_at) == "Mon 23 17:30"
    # Each open case records the change with the hours before and after (an empty map:
    # the policy's business hours), and counts on the new hours from now on.
    case = Case.objects.get(id=cases["s3"].id)
    assert case.hours == LUNCH_MAP
    event = case.events.order_by("-seq").first()
    assert event is not None
    assert event.kind == "rules-changed"
    assert event.data["from"]["hours"] == {}
    assert event.data["to"]["hours"] == LUNCH_MAP
    assert event.reason == "Dunder Mifflin works 09:00-18:00 with a lunch break"
    # The stored clocks are what a replay of the whole history gives: a bulk recompute
    # (which starts from the history, not the case row) changes nothing.
    stored = clock_dues(dunder)
    sla.recompute([c.id for c in cases.values()], mon(11, 30))
    assert clock_dues(dunder) == stored


def clock_dues(org: Organisation) -> list[tuple[int, str, datetime | None]]:
    clocks = SlaClock.objects.filter(case__organisation=org)
    return sorted(clocks.values_list("case_id", "metric", "due_at"))


def test_a_case_opened_after_the_change_counts_on_the_new_hours(
    world: World, dunder: Organisation
) -> None:
    services.apply_rules(
        actor=world.manager.user,
        organisation_id=dunder.id,
        changes={"hours": LUNCH_HOURS},
        reason="new hours",
        now=mon(8),
    )
    # Monday 08:00, before the new opening: one business day (8 h) from 09:00 is 18:00.
    case = open_case(dunder, 4, mon(8))
    assert case.hours == LUNCH_MAP
    assert response_due(case) == "Mon 23 18:00"
    # Back to the policy's hours: a blank line.
    services.apply_rules(
        actor=world.manager.user,
        organisation_id=dunder.id,
        changes={"hours": ""},
        reason="back to the policy",
        now=mon(8, 30),
    )
    case.refresh_from_db()
    assert case.hours == {}
    # Nothing counted before 09:00 on the lunch hours; 9 h on 08:00-17:00 from 08:30.
    assert response_due(case) == "Tue 24 08:30"


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            "Mon-Fri 09:00-13:00, 12:00-18:00",
            "the new rules cannot apply: working hours 'Mon-Fri 09:00-13:00, 12:00-18:00': "
            "overlapping working intervals: mon 09:00-13:00 and mon 12:00-18:00",
        ),
        (
            "Mon-Fri 09:00-26:00",
            "the new rules cannot apply: working hours 'Mon-Fri 09:00-26:00': malformed "
            "working interval '09:00-26:00' on mon; hours run 00-23 (24:00 only as an end) "
            "and minutes 00-59",
        ),
        (
            "Mon-Fri",
            "the new rules cannot apply: working hours 'Mon-Fri': 'Mon-Fri' does not give days "
            "then times; expected hours such as 'Mon-Fri 09:00-18:00' or 'Mon-Fri "
            "09:00-12:00, 13:00-18:00; Sat 10:00-14:00'",
        ),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_written(
    world: World, dunder: Organisation, cases: dict[str, Case], hours: str, message: str
) -> None:
    before = written(dunder)
    calls: list[tuple[Callable[..., Any], dict[str, str]]] = [
        (services.preview_rules, {}),
        (services.apply_rules, {"reason": "new hours"}),
    ]
    for service, extra in calls:
        with pytest.raises(DomainError) as refused:
            service(
                actor=world.manager.user,
                organisation_id=dunder.id,
                changes={"hours": hours},
                now=mon(11, 30),
                **extra,
            )
        assert str(refused.value) == message
        assert written(dunder) == before


# -- over HTTP, at the command line, on the page ----------------------------------------------


def test_the_api_previews_then_applies_working_hours(
    world: World, dunder: Organisation, cases: dict[str, Case]
) -> None:
    CLOCK.set(mon(11, 30))
    tokens = world.tokens(mon(11, 30))
    path = f"/organisations/{dunder.id}/rules"
    before = written(dunder)
    status, preview = Api(tokens["engineer"]).post(f"{path}/preview", {"hours": LUNCH_HOURS})
    assert status == 200, preview
    assert preview["before"]["hours"] == "Mon-Fri 08:00-17:00"  # the policy's
    assert preview["after"]["hours"] == LUNCH_HOURS
    moved = {m["number"]: (m["due_before"], m["due_after"]) for m in preview["moves"]}
    assert moved[cases["s3"].number] == (
        "2026-11-23T18:00:00Z",  # Monday 13:00 New York
        "2026-11-23T19:00:00Z",  # Monday 14:00 New York
    )
    assert written(dunder) == before
    refused: list[tuple[str, dict[str, Any], int]] = [
        (tokens["manager"], {"hours": "Mon-Fri 09:00-13:00, 12:00-18:00", "reason": "x"}, 400),
        (tokens["manager"], {"hours": 9, "reason": "x"}, 422),
        (tokens["engineer"], {"hours": LUNCH_HOURS, "reason": "x"}, 403),
    ]
    for token, body, code in refused:
        status, answer = Api(token).post(path, body)
        assert status == code, answer
        assert written(dunder) == before
    status, answer = Api(tokens["manager"]).post(path, refused[0][1])
    assert answer["detail"] == (
        "the new rules cannot apply: working hours 'Mon-Fri 09:00-13:00, 12:00-18:00': "
        "overlapping working intervals: mon 09:00-13:00 and mon 12:00-18:00"
    )
    status, applied = Api(tokens["manager"]).post(path, {"hours": LUNCH_HOURS, "reason": "lunch"})
    assert status == 200, applied
    assert applied["applied"] is True
    assert response_due(cases["s3"]) == "Mon 23 14:00"
    from django.test import Client

    shown = Client().get(
        f"/api/organisations/{dunder.id}", headers={"Authorization": f"Bearer {tokens['manager']}"}
    )
    assert shown.json()["hours"] == LUNCH_MAP


def test_the_command_line_previews_then_applies_working_hours(
    world: World, dunder: Organisation, cases: dict[str, Case], capsys: pytest.CaptureFixture[str]
) -> None:
    CLOCK.set(mon(11, 30))
    before = written(dunder)
    code, out, err = run_cli(capsys, "rules", "dunder", "--hours", LUNCH_HOURS)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("dunder: hours 'Mon-Fri 08:00-17:00' -> 'Mon-Fri 09:00-12:00, 13:00-18:00'")
    number = cases["s3"].number
    assert f"  {number} response: 2026-11-23T18:00:00Z -> 2026-11-23T19:00:00Z (running)" in lines
    assert lines[-1] == "preview only: nothing written (--apply)"
    assert written(dunder) == before
    code, out, err = run_cli(
        capsys,
        "rules",
        "dunder",
        "--hours",
        "Mon-Fri 9-18",
        "--apply",
        "--by",
        "max@care.example",
        "--reason",
        "lunch",
    )
    assert (code, out) == (2, "")
    assert err == (
        "caredesk: error: the new rules cannot apply: working hours 'Mon-Fri 9-18': malformed "
        "working interval '9-18' on mon; expected 'HH:MM-HH:MM'\n"
    )
    assert written(dunder) == before
    code, out, err = run_cli(
        capsys,
        "rules",
        "dunder",
        "--hours",
        LUNCH_HOURS,
        "--apply",
        "--by",
        "max@care.example",
        "--reason",
        "lunch",
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "applied"
    assert response_due(cases["s3"]) == "Mon 23 14:00"


def test_the_rules_page_sets_working_hours(world: World, dunder: Organisation) -> None:
    client = signed_in_client(world.manager)
    CLOCK.set(mon(8))
    case = open_case(dunder, 3, mon(11))
    CLOCK.set(mon(11, 30))
    path = f"/organisations/{dunder.id}/rules"
    form = {
        "timezone": "America/New_York",
        "country": "US",
        "subdivision": "",
        "plan": "standard",
        "policy": "purecloud-support",
        "hours": LUNCH_HOURS,
        "reason": "lunch",
    }
    refused = client.post(path, {**form, "hours": "Mon-Fri 09:00", "apply": ""}).content.decode()
    assert "working hours &#x27;Mon-Fri 09:00&#x27;" in refused
    assert response_due(case) == "Mon 23 13:00"
    preview = client.post(path, {**form, "preview": ""}).content.decode()
    assert "<td>Mon 2026-11-23 13:00 EST</td><td>Mon 2026-11-23 14:00 EST</td>" in preview
    client.post(path, {**form, "apply": ""})
    assert response_due(case) == "Mon 23 14:00"
    page = client.get(path).content.decode()
    assert f'value="{LUNCH_HOURS}"' in page
