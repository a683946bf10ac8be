"""What a person sees of a clock: one row per rule, read at Tuesday 2026-11-24 10:00 New
York (15:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from caredesk.core.display import WORST_FIRST, DisplayState, display_state, worst_state

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 10:00 New York
H = timedelta(hours=1)
S = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("target", "due", "at_risk", "stopped", "paused", "state"),
    [
        ("", NOW - H, None, None, None, DisplayState.NOT_APPLICABLE),  # no target: nothing due
        ("6 BH", NOW + H, NOW - H, NOW - H, None, DisplayState.MET),  # stopped 09:00, due 11:00
        ("6 BH", NOW - H, None, NOW - H, None, DisplayState.MET),  # stopped at the due instant
        ("6 BH", NOW - H, None, NOW - H + S, None, DisplayState.BREACHED),  # a second late
        ("6 BH", None, None, NOW - H, None, DisplayState.BREACHED),  # stopped, never due
        ("6 BH", NOW - S, None, None, NOW - H, DisplayState.BREACHED),  # overdue beats paused
        ("6 BH", NOW, NOW - H, None, None, DisplayState.AT_RISK),  # due this instant: not late
        ("6 BH", NOW + H, NOW - H, None, NOW - H, DisplayState.PAUSED),  # paused beats at risk
        ("6 BH", NOW + H, NOW, None, None, DisplayState.AT_RISK),  # at risk from its instant
        ("6 BH", NOW + H, NOW + S, None, None, DisplayState.ON_TRACK),
        ("6 BH", NOW + H, None, None, None, DisplayState.ON_TRACK),
        ("6 BH", None, None, None, None, DisplayState.ON_TRACK),  # running, no due yet
    ],
)
def test_display_state(
    target: str,
    due: datetime | None,
    at_risk: datetime | None,
    stopped: datetime | None,
    paused: datetime | None,
    state: DisplayState,
) -> None:
    assert display_state(target, due, at_risk, stopped, paused, NOW) is state


def test_a_case_shows_its_worst_clock() -> None:
    assert WORST_FIRST == (
        DisplayState.BREACHED,
        DisplayState.AT_RISK,
        DisplayState.PAUSED,
        DisplayState.ON_TRACK,
        DisplayState.MET,
        DisplayState.NOT_APPLICABLE,
    )
    met, on_track, paused = DisplayState.MET, DisplayState.ON_TRACK, DisplayState.PAUSED
    assert worst_state([met, on_track, paused]) is DisplayState.PAUSED
    assert worst_state([DisplayState.NOT_APPLICABLE, met]) is DisplayState.MET
    assert worst_state([DisplayState.AT_RISK, DisplayState.BREACHED]) is DisplayState.BREACHED
    assert worst_state([]) is DisplayState.NOT_APPLICABLE
