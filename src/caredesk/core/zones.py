"""UTC offsets of an IANA zone as constant-offset segments.

``zoneinfo`` answers "what is the offset at this instant" but does not list transitions,
so they are found by sampling and then pinned to the second by bisection. Business
intervals are wall-clock times; turning them into UTC instants segment by segment is
exact across DST gaps and folds (a wall interval can map to two UTC pieces in a fold).
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
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


# -- local wall time -> UTC, a day at a time ---------------------------------------------------

_DAY = 86_400
_EPOCH_ORDINAL = 719_163  # date(1970, 1, 1).toordinal()
_MAX_DAYS_PER_ZONE = 1 << 18  # about 700 years of distinct local dates
_MAX_ZONES = 256

DAY_BASES: dict[tzinfo | None, dict[int, float]] = {}  # None: never a key, looked up all the same
"""``DAY_BASES[tz][ordinal]``: UTC seconds of local midnight of that date, for local dates
on which every wall time has exactly one instant (no offset change touches the date), so
``base + hour * 3600 + minute * 60 + second`` is what ``datetime.timestamp()`` returns for
any wall time of that date, whatever its ``fold``. Dates with a gap or a fold are never
stored; the caller takes ``timestamp()`` for those. Only tzinfo types whose offsets are
known exactly are cached: ``ZoneInfo`` and ``datetime.timezone`` (not subclasses)."""

_UNCLEAN: set[tuple[tzinfo, int]] = set()


def day_base(tz: tzinfo, ordinal: int) -> float | None:
    """Fill and return ``DAY_BASES[tz][ordinal]``, or ``None`` when it cannot be cached."""
    if type(tz) is timezone:
        offset = tz.utcoffset(None)
        if offset is None or offset.microseconds:
            return None
        base = float((ordinal - _EPOCH_ORDINAL) * _DAY - offset.days * _DAY - offset.seconds)
    elif type(tz) is ZoneInfo:
        if (tz, ordinal) in _UNCLEAN:
            return None
        found = _clean_day_offset(tz, ordinal)
        if found is None:
            if len(_UNCLEAN) > _MAX_DAYS_PER_ZONE:
                _UNCLEAN.clear()
            _UNCLEAN.add((tz, ordinal))
            return None
        base = float((ordinal - _EPOCH_ORDINAL) * _DAY - found)
    else:
        return None
    days = DAY_BASES.get(tz)
    if days is None or len(days) >= _MAX_DAYS_PER_ZONE:
        if len(DAY_BASES) >= _MAX_ZONES:
            DAY_BASES.clear()
        days = DAY_BASES[tz] = {}
    days[ordinal] = base
    return base


def _clean_day_offset(zone: ZoneInfo, ordinal: int) -> int | None:
    """The one offset of every wall time on local date ``ordinal``, or ``None`` when an
    offset change makes some wall time of that date skipped or repeated.

    Wall time ``w`` (local seconds since the epoch) is the instant ``u`` with
    ``u + offset(u) == w``. The date ``[w0, w0 + 1 day)`` is clean with offset ``o`` when
    the instants ``[w0 - o, w0 + 1 day - o)`` all lie in one segment of offset ``o`` (each
    wall time has that solution) and no other segment maps any instant into the date (it
    has no other solution, and none is missing).
    """
    w0 = (ordinal - _EPOCH_ORDINAL) * _DAY
    w1 = w0 + _DAY
    # Offsets are within a day either way, so these segments hold every candidate.
    try:
        segments = _segments_uncached(zone, w0 - 2 * _DAY, w1 + 2 * _DAY)
    except (OverflowError, OSError, ValueError):
        return None
    touching = [seg for seg in segments if seg[0] + seg[2] < w1 and seg[1] + seg[2] > w0]
    if len(touching) != 1:
        # Several segments map into the date: an offset change touches it (adjacent
        # segments always differ in offset).
        return None
    start, end, offset = touching[0]
    if start <= w0 - offset and w1 - offset <= end:
        return offset
    return None


_segments_uncached = offset_segments.__wrapped__
