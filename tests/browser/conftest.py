"""The browser tier: the pages in Debian's Chromium, driven by Playwright, on a live server.

Playwright drives the machine's ``/usr/bin/chromium`` (``make test`` installs Debian's
package when it is missing); it never downloads a browser of its own. Without Chromium the
tier is skipped, saying why, except in CI (``CI`` set), where a missing browser fails it: a
green run there means the pages were seen.

Each test gets ``desk``: the people of ``caredesk.testing.build_world`` with a password,
and ``visit(person, language=..., width=...)``, a fresh browser window (its own cookies) at
a width, in a language; see ``tests/browser/pages.py`` for what a visit checks on every page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.pages import PASSWORD, Visit

CHROMIUM = Path(os.environ.get("CAREDESK_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "test-output" / "screenshots"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (make chromium installs Debian's package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (make install brings the dev extras)")
    # Playwright's synchronous API keeps an event loop on this thread; Django then takes the
    # test's own database calls for calls from async code. They are not: the loop only
    # waits for the browser between steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@dataclass
class Desk:
    world: Any  # caredesk.testing.World
    base_url: str
    visit: Callable[..., Visit]


@pytest.fixture
def desk(browser: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Desk]:
    from caredesk.testing import build_world

    world = build_world(datetime.now(UTC))
    for profile in (
        world.engineer,
        world.manager,
        world.customer_contact,
        *world.reseller_contacts,
    ):
        profile.user.set_password(PASSWORD)
        profile.user.save(update_fields=["password"])
    folder = SCREENSHOTS / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(folder, ignore_errors=True)
    opened: list[Visit] = []

    def visit(language: str = "en", width: int = 1280) -> Visit:
        one = Visit(browser, live_server.url, language=language, width=width, folder=folder)
        opened.append(one)
        return one

    yield Desk(world, live_server.url, visit)
    for one in opened:
        one.close()
