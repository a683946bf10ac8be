"""The demo's living desk: opened relative to ``now``, its clocks show every state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from caredesk import demo
from caredesk.cases.models import Case, CaseLink, SlaClock
from caredesk.core.display import display_state

# Monday 2026-11-23 15:00 UTC (Tuesday 00:00 Tokyo): outside Initech's business hours, which
# the showcase's Severity 1 clocks (24x7) do not care about.
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_showcase_shows_every_clock_state_at_now() -> None:
    demo.load(NOW, case_count=0)
    states = {}
    for case in Case.objects.filter(organisation__short_name="initech", severity=1):
        clock = SlaClock.objects.get(case=case, metric="restoration")
        states[case.subject] = display_state(
            clock.target, clock.due_at, clock.at_risk_at, clock.stopped_at, clock.paused_since, NOW
        ).value
    assert states == {
        "Agents hear silence on inbound calls": "on-track",
        "Outbound calls fail with a busy tone": "at-risk",
        "Supervisors cannot see live queues": "paused",
        "IVR does not answer the main number": "breached",
        "Call recordings are empty": "met",
    }
    reopened = Case.objects.get(subject="Call recordings are empty")
    assert reopened.status == "open"  # the customer said it is not fixed
    assert CaseLink.objects.filter(from_case=reopened, kind="rca-follow-up").exists()
