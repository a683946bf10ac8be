"""Fixtures the automation tests share."""

from __future__ import annotations

import pytest

from caredesk.accounts.models import Profile
from caredesk.conftest import START
from caredesk.testing import World, person


@pytest.fixture
def mika(world: World) -> Profile:
    """A second Care manager, in Tokyo, who reads Japanese."""
    return person(
        START,
        world.vendor,
        "mika@care.example",
        role="manager",
        language="ja",
        timezone="Asia/Tokyo",
    )
