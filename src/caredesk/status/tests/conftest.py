"""Fixtures the status tests share: the API as each person of the world calls it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client


class Api:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = self.client.get(f"/api{path}", params, headers=self.headers)
        return response.status_code, response.json()

    def put(self, path: str, body: Any) -> tuple[int, Any]:
        response = self.client.put(
            f"/api{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )
        return response.status_code, response.json()


@pytest.fixture
def apis(tokens: dict[str, str]) -> dict[str, Api]:
    return {name: Api(token) for name, token in tokens.items()}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # The status page is cached under the status version; each test starts with none.
    from django.core.cache import cache

    cache.clear()
