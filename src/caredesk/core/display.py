"""What a person sees of an SLA clock (on track, at risk, breached, paused, met, n/a),
derived from its stored instants and now when read, so that it is never stale.

The one definition: the pages, the API, the summaries of a list and the SQL state filter
(``cases.queries``, tested against this function on every engine) all show this.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum


class DisplayState(StrEnum):
    """Worst first: a case shows the worst state of its clocks."""

    BREACHED = "breached"
    AT_RISK = "at-risk"
    PAUSED = "paused"
    ON_TRACK = "on-track"
    MET = "met"
    NOT_APPLICABLE = "n/a"


WORST_FIRST = tuple(DisplayState)
AT_RISK_LEVEL = 75  # percent of the target used: past it a running clock is "at risk"
_RANK: dict[str, int] = {state: rank for rank, state in enumerate(WORST_FIRST)}
# The members as module globals: a list page reads a hundred and fifty clocks, and a global
# is found faster than an attribute of the enum class.
_BREACHED, _AT_RISK, _PAUSED, _ON_TRACK, _MET, _NOT_APPLICABLE = WORST_FIRST


def display_state(
    target: str,
    due_at: datetime | None,
    at_risk_at: datetime | None,
    stopped_at: datetime | None,
    paused_since: datetime | None,
    now: datetime,
) -> DisplayState:
    """A clock's state from what is stored of it: its target (empty: none applies), its
    due instant, the instant it reaches ``AT_RISK_LEVEL``, when it stopped (met or not)
    and since when it is paused."""
    if not target:
        return _NOT_APPLICABLE
    if stopped_at is not None:
        return _MET if due_at is not None and stopped_at <= due_at else _BREACHED
    if due_at is not None and now > due_at:
        return _BREACHED
    if paused_since is not None:
        return _PAUSED
    if at_risk_at is not None and now >= at_risk_at:
        return _AT_RISK
    return _ON_TRACK


def worst_state(states: Iterable[DisplayState]) -> DisplayState:
    """The worst of ``states`` (none: not applicable)."""
    return min(states, key=_RANK.__getitem__, default=_NOT_APPLICABLE)
