"""The test tiers: every test of the suite gets exactly one tier marker, by where it lives
and what it uses, whichever path pytest is given (this file sits at the repository root):

* ``unit``: ``tests/core`` (the pure core: no database, no Django), seconds in all;
* ``property``: the core's long Hypothesis properties (``tests/core``, marked ``slow``);
* ``integration``: the Django apps' tests (``src/caredesk/*/tests``), on the test database;
* ``e2e``: ``tests/e2e`` and tests that start real ``caredesk`` processes (worker, server,
  CLI), marked ``pytest.mark.e2e`` where they are written;
* ``browser``: ``tests/browser``, the pages in Debian's Chromium through Playwright, on a live
  server over the test database.

A test marked with a tier explicitly keeps it; a test with two tiers, or none, or a unit
test that asks for the database, fails the collection.
"""

from __future__ import annotations

from pathlib import Path

import pytest

TIERS = ("unit", "property", "integration", "e2e", "browser")
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
    "django_db_setup",
}
APPS = Path(__file__).resolve().parent / "src" / "caredesk"


def _uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return item.get_closest_marker("django_db") is not None or bool(fixtures & DATABASE_FIXTURES)


def _tier(item: pytest.Item, root: Path) -> tuple[str | None, str]:
    """The tier a test belongs in, and why; ``None`` when it fits no tier, or two."""
    explicit = sorted({mark.name for mark in item.iter_markers() if mark.name in TIERS})
    path = item.path.resolve()
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if len(explicit) > 1:
        return None, f"marked {' and '.join(explicit)}"
    if explicit:
        tier = explicit[0]
        if tier == "unit" and _uses_database(item):
            return None, "marked unit but uses the database"
        return tier, "marked"
    if where.startswith("tests/core/"):
        if _uses_database(item):
            return None, "unit by location (tests/core) but uses the database"
        return ("property" if item.get_closest_marker("slow") else "unit"), where
    if where.startswith("tests/e2e/"):
        return "e2e", where
    if where.startswith("tests/browser/"):
        return "browser", where
    if path.is_relative_to(APPS):
        return "integration", "a Django app's test"
    return None, f"no tier for {where}: mark it unit, integration, e2e or browser"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath.resolve()
    wrong: list[str] = []
    for item in items:
        tier, why = _tier(item, root)
        if tier is None:
            wrong.append(f"{item.nodeid}: {why}")
            continue
        if item.get_closest_marker(tier) is None:
            item.add_marker(getattr(pytest.mark, tier))
        tiers = [name for name in TIERS if item.get_closest_marker(name) is not None]
        if tiers != [tier]:
            wrong.append(f"{item.nodeid}: tiers {tiers}")
    if wrong:
        raise pytest.UsageError(
            "every test needs exactly one tier (unit, property, integration, e2e, browser):\n  "
            + "\n  ".join(wrong)
        )
