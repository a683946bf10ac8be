"""A person at the browser: what every page they see must pass, and the words they read.

``Visit`` wraps one Playwright browser context (its own cookies) at one width and language.
Each page it lands on through ``see`` is checked the same way: axe-core finds no serious
or critical accessibility violation, the page does not scroll sideways (at a phone's
390 px as on a desk), and a screenshot is saved under ``test-output/screenshots/``.

Selectors are what a person reads (labels, roles, button and link texts) in the visitor's
language, looked up in the project's catalogue with ``Visit.t``: a page rebuilt around the
same words keeps its tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

PASSWORD = "pw-for-browser-tests-1"
PHONE = 390  # px: a phone held upright
# axe-core's impacts a page may not have (minor and moderate are reported in the message).
BLOCKING = {"serious", "critical"}
# The rules axe runs: WCAG 2.0/2.1 A and AA, and its best practices (skip link, headings).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


class Visit:
    def __init__(
        self, browser: Any, base_url: str, *, language: str, width: int, folder: Path
    ) -> None:
        self.language = language
        self.width = width
        self.base_url = base_url
        self.folder = folder
        self.context = browser.new_context(
            base_url=base_url,
            locale="ja-JP" if language == "ja" else "en-GB",
            viewport={"width": width, "height": 900},
        )
        self.page = self.context.new_page()

    def close(self) -> None:
        self.context.close()

    def t(self, message: str) -> str:
        """``message`` as the visitor reads it: the catalogue's translation."""
        with translation.override(self.language):
            return str(translation.gettext(message))

    def go(self, path: str) -> Any:
        response = self.page.goto(path)
        self.page.wait_for_load_state("load")
        return response

    def see(self, name: str) -> None:
        """The page now shown passes the checks every page passes; its screenshot is saved."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # Numbered in the order seen, whoever saw it (a test may have several visitors).
        seen = len(list(self.folder.glob("*.png"))) + 1
        shot = self.folder / f"{seen:02d}-{name}-{self.language}-{self.width}px.png"
        self.page.screenshot(path=str(shot), full_page=True)
        self._no_sideways_scrolling(name)
        self._accessible(name)

    def _no_sideways_scrolling(self, name: str) -> None:
        widths = self.page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], (
            f"{name} at {self.width}px scrolls sideways: {widths[0]}px of content "
            f"in a {widths[1]}px window"
        )

    def _accessible(self, name: str) -> None:
        results = Axe().run(self.page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        blocking = [v for v in violations if v.get("impact") in BLOCKING]
        assert not blocking, f"{name} ({self.language}, {self.width}px): " + "; ".join(
            f"{v['impact']} {v['id']}: {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in blocking
        )

    # -- what people do on every page --------------------------------------------------------

    def sign_in(self, email: str) -> None:
        self.go("/login/")
        self.see("sign-in")
        self.page.get_by_label(self.t("E-mail")).fill(email)
        self.page.get_by_label(self.t("Password")).fill(PASSWORD)
        self.page.get_by_role("button", name=self.t("Sign in")).click()
        self.page.wait_for_load_state("load")
