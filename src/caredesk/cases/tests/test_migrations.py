"""Migrations: none missing, and the schema migrates down to empty and back up."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_no_missing_migrations() -> None:
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_migrate_from_empty_and_back() -> None:
    call_command("migrate", "cases", "zero", verbosity=0)
    call_command("migrate", "accounts", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
