"""Fixtures for the Django apps' tests: a frozen clock and a small world. (The test tiers
are given in the repository's root ``conftest.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from caredesk.infra.clock import CLOCK, Clock

NY = ZoneInfo("America/New_York")
# Monday 2026-11-23 10:00 in New York (15:00 UTC): inside business hours there.
START = datetime(2026, 11, 23, 10, 0, tzinfo=NY)


@pytest.fixture
def clock() -> Iterator[Clock]:
    CLOCK.set(START)
    yield CLOCK
    CLOCK.set(None)


@pytest.fixture
def world(db: None, clock: object):  # type: ignore[no-untyped-def]
    from caredesk.testing import build_world

    return build_world(START)


@pytest.fixture
def tokens(world):  # type: ignore[no-untyped-def]
    return world.tokens(START)
