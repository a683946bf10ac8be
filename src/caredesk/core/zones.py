"""UTC offsets of an IANA zone as constant-offset segments.

``zoneinfo`` answers "what is the offset at this instant" but does not list transitions,
so they are found by sampling and then pinned to the second by bisection. Business
intervals are wall-clock times; turning them into UTC instants segment by segment is
exact across DST gaps and folds (a wall interval can map to two UTC pieces in a fold).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# No zone in the tz database changes offset twice within six hours, so sampling at this
# step cannot miss a transition; each change found is then bisected to the exact second.
_SAMPLE_STEP = 6 * 3600

Segment = tuple[int, int, int]
"""``(start, end, offset)``: UTC seconds ``[start, end)`` during which the offset holds."""


def load_zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or ``ValueError`` naming it."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"time zone {name!r} is not an IANA zone name such as 'America/New_York'")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}; expected an IANA zone name such as 'America/New_York'"
        ) from exc


def offset_at(zone: ZoneInfo, t: int) -> int:
    """The zone's UTC offset in seconds at UTC instant ``t`` (seconds since the epoch)."""
    offset = datetime.fromtimestamp(t, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


@lru_cache(maxsize=4096)
def offset_segments(zone: ZoneInfo, t0: int, t1: int) -> tuple[Segment, ...]:
    """Constant-offset segments covering UTC ``[t0, t1)``."""
    segments: list[Segment] = []
    seg_start = t0
    current = offset_at(zone, t0)
    probe = t0
    while probe < t1:
        nxt = min(probe + _SAMPLE_STEP, t1)
        off = offset_at(zone, nxt) if nxt < t1 else offset_at(zone, t1 - 1)
        if off != current:
            lo, hi = probe, nxt  # offset(lo) == current, offset(hi) != current
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset_at(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            segments.append((seg_start, hi, current))
            seg_start, current = hi, offset_at(zone, hi)
            # Re-sample from the transition so that a second change inside the same step
            # is still found.
            probe = hi
            continue
        probe = nxt
    segments.append((seg_start, t1, current))
    return tuple(segments)
