"""Fixtures the page tests share."""

from __future__ import annotations

import pytest
from django.test import Client

from caredesk.testing import World, signed_in_client


@pytest.fixture
def signed_in(world: World) -> Client:
    """A browser signed in as Kenji, the customer's designated contact."""
    return signed_in_client(world.customer_contact)
