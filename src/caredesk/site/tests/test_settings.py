"""Database settings read from the environment."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from caredesk.site import settings


def test_postgresql_keeps_url_options_and_prepares_the_hand_written_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://care@db.example:5432/care?sslmode=require")
    monkeypatch.delenv("DATABASE_PREPARE", raising=False)
    config = settings._database()
    assert config["OPTIONS"] == {"sslmode": "require", "prepare_threshold": 0}
    assert config["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("DATABASE_PREPARE", "off")
    assert settings._database()["OPTIONS"] == {"sslmode": "require", "prepare_threshold": None}


def test_a_bad_database_prepare_value_is_refused_with_what_is_expected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://care@db.example:5432/care")
    monkeypatch.setenv("DATABASE_PREPARE", "sometimes")
    with pytest.raises(
        ImproperlyConfigured, match=r"DATABASE_PREPARE='sometimes': expected on or off"
    ):
        settings._database()
