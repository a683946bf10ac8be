"""Fixtures the case tests share."""

from __future__ import annotations

import pytest

from caredesk.cases.tests.test_api import Api


@pytest.fixture
def apis(tokens: dict[str, str]) -> dict[str, Api]:
    """The API as each person of the world calls it."""
    return {name: Api(token) for name, token in tokens.items()}
