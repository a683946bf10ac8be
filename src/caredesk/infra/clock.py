"""The current time, in one replaceable place.

Services never read the time: callers pass ``now``. The HTTP layer, the CLI and the worker
get it here, and tests set it (``CLOCK.set(...)``) instead of sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime


class Clock:
    def __init__(self) -> None:
        self._fixed: datetime | None = None

    def now(self) -> datetime:
        return self._fixed if self._fixed is not None else datetime.now(UTC)

    def set(self, instant: datetime | None) -> None:
        """Freeze the clock at ``instant`` (aware), or let it run again with ``None``."""
        if instant is not None and instant.tzinfo is None:
            raise ValueError(f"clock time {instant.isoformat()} has no time zone")
        self._fixed = instant


CLOCK = Clock()
