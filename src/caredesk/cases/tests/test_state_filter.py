"""The SQL state filter of the lists (``queries.filter_by_state``) shows what the core's
``display_state`` shows, for every state, on whichever engine the suite runs on.

Every combination of stored instants around one instant, one clock per case, and cases
with two clocks of different states (a case shows the worst): each state's filter must
find exactly the cases whose worst clock the core puts in that state, and must find some.
"""

from __future__ import annotations

import copy
import itertools
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from caredesk.cases import queries, sla
from caredesk.cases.models import Case, SlaClock
from caredesk.conftest import START
from caredesk.core.display import WORST_FIRST, DisplayState
from caredesk.infra.errors import DomainError
from caredesk.testing import World, open_customer_case

# Tuesday 2026-11-24 10:00 New York (15:00 UTC): the instant the states are read at.
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
TARGETS = ("", "6 BH")
DUES = (None, NOW - HOUR, NOW, NOW + HOUR)  # overdue, due this instant, due later
AT_RISK = (None, NOW - HOUR / 2, NOW, NOW + HOUR / 2)
STOPPED = (None, NOW - 2 * HOUR, NOW - HOUR / 2)  # before or after the overdue due
PAUSED = (None, NOW - 3 * HOUR)
Instant = datetime | None
Combination = tuple[str, Instant, Instant, Instant, Instant]
COMBINATIONS: list[Combination] = list(itertools.product(TARGETS, DUES, AT_RISK, STOPPED, PAUSED))
METRICS = ("response", "restoration")


def _clock(case: Case, metric: str, combination: Combination) -> SlaClock:
    target, due, at_risk, stopped, paused = combination
    return SlaClock(
        case=case,
        metric=metric,
        target=target,
        started_at=NOW - 4 * HOUR,
        due_at=due,
        at_risk_at=at_risk,
        stopped_at=stopped,
        paused_since=paused,
    )


@pytest.fixture
def stored(world: World) -> dict[int, list[SlaClock]]:
    """Cases with hand-set clocks, by case id."""
    proto = open_customer_case(world, START, severity=2)
    rng = random.Random(20261124)
    plans = [[c] for c in COMBINATIONS] + [rng.sample(COMBINATIONS, 2) for _ in range(150)]
    cases = []
    for n in range(len(plans)):
        case = copy.copy(proto)
        case.id = None
        case.number = f"STATE{n:05d}"
        cases.append(case)
    Case.objects.bulk_create(cases)
    SlaClock.objects.filter(case=proto).delete()
    clocks = {
        case.id: [_clock(case, m, c) for m, c in zip(METRICS, plan, strict=False)]
        for case, plan in zip(cases, plans, strict=True)
    }
    SlaClock.objects.bulk_create([c for rows in clocks.values() for c in rows])
    clocks[proto.id] = []
    return clocks


@pytest.mark.parametrize("state", [s for s in WORST_FIRST if s is not DisplayState.NOT_APPLICABLE])
def test_the_sql_state_filter_finds_what_the_core_shows(
    stored: dict[int, list[SlaClock]], state: DisplayState
) -> None:
    expected = {
        case_id for case_id, clocks in stored.items() if sla.case_state(clocks, NOW) is state
    }
    assert expected, f"the fixture has no case in {state}"
    found = set(
        queries.filter_by_state(Case.objects.all(), state.value, NOW).values_list("id", flat=True)
    )
    assert found == expected


def test_the_dashboard_counts_each_case_in_the_state_the_core_shows(
    stored: dict[int, list[SlaClock]],
) -> None:
    # One plan for every case of the fixture; the case without clock rows is not applicable.
    plan = Case.objects.get(id=next(iter(stored))).plan
    shown = Counter(sla.case_state(clocks, NOW).value for clocks in stored.values())
    expected: list[dict[str, object]] = [
        {"plan": plan, "state": state, "count": n}
        for state, n in sorted(shown.items(), key=lambda item: (-item[1], item[0]))
    ]
    assert len(shown) == len(DisplayState)
    assert queries.open_by_state_and_plan(NOW) == expected
    assert queries.open_by_state_and_plan_reference(NOW) == expected


def test_a_case_without_applicable_clocks_is_in_no_state_filter(
    stored: dict[int, list[SlaClock]],
) -> None:
    not_applicable = {
        case_id
        for case_id, clocks in stored.items()
        if sla.case_state(clocks, NOW) is DisplayState.NOT_APPLICABLE
    }
    assert not_applicable
    for state in ("breached", "at-risk", "paused", "on-track", "met"):
        found = queries.filter_by_state(Case.objects.all(), state, NOW)
        assert not_applicable.isdisjoint(found.values_list("id", flat=True))


def test_an_unknown_state_is_refused_by_name() -> None:
    with pytest.raises(DomainError) as refused:
        queries.filter_by_state(Case.objects.none(), "late", NOW)
    assert refused.value.message == (
        "unknown SLA state 'late'; expected one of: breached, at-risk, paused, on-track, met"
    )
