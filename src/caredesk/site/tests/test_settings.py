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


def test_postgresql_runs_on_djangos_backend_with_the_cheaper_health_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://care@db.example:5432/care")
    assert settings._database()["ENGINE"] == "caredesk.infra.postgresql"


def test_a_database_other_than_sqlite_or_postgresql_is_refused_by_its_scheme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://care@db.example:3306/care")
    with pytest.raises(
        ImproperlyConfigured,
        match=r"DATABASE_URL scheme 'mysql': expected sqlite or postgres \(postgresql\)",
    ):
        settings._database()
