"""``BusinessCalendar.add_many``: bulk deadline computation.

Python sequences go through ``add`` one by one. NumPy arrays are handled with
``searchsorted`` over the calendar's index; NumPy is imported only when the caller hands
NumPy arrays in, so the core itself needs nothing beyond the standard library.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caredesk.core.calendar import BusinessCalendar


def add_many(calendar: BusinessCalendar, starts: Any, durations: Any) -> Any:
    if type(starts).__module__ == "numpy":
        return _add_many_numpy(calendar, starts, durations)
    add = calendar.add
    if isinstance(durations, timedelta):
        return [add(s, durations) for s in starts]
    starts_list: Sequence[datetime] = list(starts)
    durations_list: Sequence[timedelta] = list(durations)
    if len(starts_list) != len(durations_list):
        raise ValueError(
            f"add_many got {len(starts_list)} starts and {len(durations_list)} durations; "
            "expected the same number"
        )
    return [add(s, d) for s, d in zip(starts_list, durations_list, strict=True)]


def _add_many_numpy(calendar: BusinessCalendar, starts: Any, durations: Any) -> Any:
    import numpy as np

    if starts.dtype.kind != "M":
        raise ValueError(f"add_many needs datetime64 starts, got dtype {starts.dtype}")
    t = starts.astype("datetime64[us]").astype(np.int64)
    if isinstance(durations, timedelta):
        d = np.full(t.shape, durations // timedelta(microseconds=1), dtype=np.int64)
    else:
        durations = np.asarray(durations)
        if durations.dtype.kind != "m":
            raise ValueError(f"add_many needs timedelta64 durations, got dtype {durations.dtype}")
        d = durations.astype("timedelta64[us]").astype(np.int64)
        if d.shape != t.shape:
            raise ValueError(
                f"add_many got {t.shape} starts and {d.shape} durations; expected the same shape"
            )
    if t.size == 0:
        return t.astype("datetime64[us]")
    if np.isnat(starts).any():
        raise ValueError("add_many got a NaT start; every start must be an instant")
    idx = calendar._cover_us(int(t.min()), int(t.max()))
    arrays = _arrays(idx, np)
    a_starts, a_cum, a_cumend = arrays
    i = np.searchsorted(a_starts, t, side="right") - 1
    c = np.minimum(a_cum[i] + (t - a_starts[i]), a_cumend[i])
    target = c + d
    if (d < 0).any():
        low = int(target.min())
        while low < int(a_cum[0]):
            idx = calendar._extend_backward(idx)
            a_starts, a_cum, a_cumend = _arrays(idx, np)
            # The origin of accumulated time is unchanged, so ``target`` stays valid.
    high = int(target.max())
    while high > int(a_cumend[-1]):
        idx = calendar._extend_forward(idx)
        a_starts, a_cum, a_cumend = _arrays(idx, np)
    forward = np.searchsorted(a_cumend, target, side="left")
    backward = np.searchsorted(a_cum, target, side="right") - 1
    j = np.where(d >= 0, forward, backward)
    result = a_starts[j] + (target - a_cum[j])
    result = np.where(d == 0, t, result)
    return result.astype("datetime64[us]")


def _arrays(idx: Any, np: Any) -> tuple[Any, Any, Any]:
    """The index as int64 microseconds (cached on the snapshot's lists by identity)."""
    key = id(idx.starts)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is idx.starts:
        return cached[1]
    arrays = (
        np.asarray(idx.starts, dtype=np.int64) * 1_000_000,
        np.asarray(idx.cum, dtype=np.int64) * 1_000_000,
        np.asarray(idx.cumend, dtype=np.int64) * 1_000_000,
    )
    _CACHE.clear()
    _CACHE[key] = (idx.starts, arrays)
    return arrays


_CACHE: dict[int, tuple[list[float], tuple[Any, Any, Any]]] = {}
