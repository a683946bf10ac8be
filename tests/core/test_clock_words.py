"""What a clock says to a person: worked by hand from its instants and what is left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from caredesk.core.clock_words import clock_phrase, span_phrase
from caredesk.core.display import DisplayState
from caredesk.core.phrases import render

# Monday 2026-11-23 14:00 UTC (09:00 New York).
DUE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def words(state: DisplayState, **kwargs: object) -> str | None:
    args: dict[str, object] = {
        "due": DUE,
        "stop": None,
        "remaining": None,
        "business_time": True,
        "now": DUE,
    }
    args.update(kwargs)
    phrase = clock_phrase(state, **args)  # type: ignore[arg-type]
    return None if phrase is None else render(phrase)


def test_spans_are_said_in_days_hours_and_minutes_rounded_down() -> None:
    assert render(span_phrase(timedelta(seconds=59))) == "less than a minute"
    assert render(span_phrase(timedelta(minutes=45, seconds=59))) == "45 min"
    assert render(span_phrase(timedelta(hours=2))) == "2 h"
    assert render(span_phrase(timedelta(hours=2, minutes=10))) == "2 h 10 min"
    # A day or more drops the minutes: 3 d 4 h 59 min reads "3 d 4 h".
    assert render(span_phrase(timedelta(days=3, hours=4, minutes=59))) == "3 d 4 h"
    assert render(span_phrase(timedelta(days=2))) == "2 d"
    # Business time is never said in days: 30 business hours are 30 h, not 1 d 6 h.
    assert render(span_phrase(timedelta(hours=30), days=False)) == "30 h"


def test_a_met_clock_says_how_early_never_what_remains() -> None:
    # Stopped 11:50 UTC, due 14:00 UTC: 2 h 10 min early (whatever business time was left).
    stop = DUE - timedelta(hours=2, minutes=10)
    said = words(DisplayState.MET, stop=stop, remaining=timedelta(hours=6))
    assert said == "met 2 h 10 min early"
    assert words(DisplayState.MET, stop=DUE - timedelta(seconds=30)) == "met on time"


def test_a_breached_clock_says_by_how_much() -> None:
    # Stopped Thursday 2026-11-26 18:00 UTC, due Monday 14:00 UTC: 3 d 4 h late.
    stop = DUE + timedelta(days=3, hours=4)
    assert words(DisplayState.BREACHED, stop=stop, remaining=-timedelta(hours=543)) == (
        "breached by 3 d 4 h"
    )
    # Still running at Monday 16:30 UTC: 2 h 30 min past due so far.
    now = DUE + timedelta(hours=2, minutes=30)
    assert words(DisplayState.BREACHED, now=now) == "breached by 2 h 30 min so far"


def test_a_running_clock_says_the_business_time_left() -> None:
    left = timedelta(hours=5, minutes=30)
    assert words(DisplayState.ON_TRACK, remaining=left) == "5 h 30 min of business time left"
    assert words(DisplayState.AT_RISK, remaining=timedelta(minutes=20)) == (
        "20 min of business time left"
    )
    # A 24x7 target: clock time, said in days when it is that long.
    assert words(
        DisplayState.ON_TRACK, remaining=timedelta(days=1, hours=2), business_time=False
    ) == ("1 d 2 h left")


def test_a_paused_clock_says_what_is_left_when_it_resumes() -> None:
    said = words(DisplayState.PAUSED, due=None, remaining=timedelta(hours=7))
    assert said == "paused: 7 h of business time left when it resumes"


def test_no_target_says_nothing() -> None:
    assert words(DisplayState.NOT_APPLICABLE, due=None) is None
