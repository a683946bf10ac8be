"""Fixtures for the Django apps' tests: a frozen clock, a small world, and English again after
each test. (The test tiers are given in the repository's root ``conftest.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from caredesk.infra.clock import CLOCK, Clock

NY = ZoneInfo("America/New_York")
# Monday 2026-11-23 10:00 in New York (15:00 UTC): inside business hours there.
START = datetime(2026, 11, 23, 10, 0, tzinfo=NY)


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    # The pages and the API answers activate the reader's language on the thread (the
    # test's): leave no Japanese behind for the next test.
    yield
    translation.deactivate()


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
