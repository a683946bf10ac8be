"""What a clock tells a person in one phrase: "met 2 h 10 min early", "breached by 3 d 4 h",
"5 h 30 min of business time left"; never a signed ``-543:39`` or a remaining time on a
clock that has stopped.

A met or breached clock is measured between two instants (when it stopped, or now, and its
due instant): plain elapsed time, as a person reads the two times shown beside it. A running
or paused clock says what is left of its target on the calendar it counts on (business time
for a business-hours target), which is what the engineer has to work with.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from caredesk.core.display import DisplayState
from caredesk.core.phrases import Phrase, gettext_noop, say

_MINUTE = timedelta(minutes=1)
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)


# How a span is said, by its shape: the one set of patterns for every duration a page
# shows (the case page's clocks, the lists' countdowns and the script that keeps those
# current, which is handed these same patterns).
SPAN_PATTERNS = {
    "under-minute": gettext_noop("less than a minute"),
    "days-hours": gettext_noop("%(days)s d %(hours)s h"),
    "days": gettext_noop("%(days)s d"),
    "hours-minutes": gettext_noop("%(hours)s h %(minutes)s min"),
    "hours": gettext_noop("%(hours)s h"),
    "minutes": gettext_noop("%(minutes)s min"),
}


def span_phrase(value: timedelta, *, days: bool = True) -> Phrase:
    """A length of time as a person says it, rounded down to the minute: ``45 min``,
    ``2 h 10 min``, ``3 d 4 h`` (a day or more drops the minutes). ``days=False`` keeps to
    hours (business time: a business "day" is not 24 hours, so it is never said in days)."""
    value = abs(value)
    if value < _MINUTE:
        return say(SPAN_PATTERNS["under-minute"])
    whole_days, rest = divmod(value, _DAY) if days else (0, value)
    hours, rest = divmod(rest, _HOUR)
    minutes = rest // _MINUTE
    if whole_days:
        if hours:
            return say(SPAN_PATTERNS["days-hours"], days=whole_days, hours=hours)
        return say(SPAN_PATTERNS["days"], days=whole_days)
    if hours and minutes:
        return say(SPAN_PATTERNS["hours-minutes"], hours=hours, minutes=minutes)
    if hours:
        return say(SPAN_PATTERNS["hours"], hours=hours)
    return say(SPAN_PATTERNS["minutes"], minutes=minutes)


def clock_phrase(
    state: DisplayState,
    *,
    due: datetime | None,
    stop: datetime | None,
    remaining: timedelta | None,
    business_time: bool,
    now: datetime,
) -> Phrase | None:
    """The one phrase of a clock in ``state`` (``None``: no target applies). ``remaining``
    is what is left of the target on its calendar; ``business_time``: that calendar is the
    customer's business hours (not 24x7)."""
    if state is DisplayState.NOT_APPLICABLE:
        return None
    if state is DisplayState.MET:
        # Met: stopped, by its due instant.
        assert due is not None
        assert stop is not None
        if due - stop < _MINUTE:
            return say(gettext_noop("met on time"))
        return say(gettext_noop("met %(span)s early"), span=span_phrase(due - stop))
    if state is DisplayState.BREACHED:
        assert due is not None  # breached: past its due instant
        if stop is not None:
            return say(gettext_noop("breached by %(span)s"), span=span_phrase(stop - due))
        return say(gettext_noop("breached by %(span)s so far"), span=span_phrase(now - due))
    left = max(remaining or timedelta(0), timedelta(0))
    span = span_phrase(left, days=not business_time)
    if state is DisplayState.PAUSED:
        if business_time:
            message = gettext_noop("paused: %(span)s of business time left when it resumes")
        else:
            message = gettext_noop("paused: %(span)s left when it resumes")
        return say(message, span=span)
    if business_time:
        return say(gettext_noop("%(span)s of business time left"), span=span)
    return say(gettext_noop("%(span)s left"), span=span)
