from __future__ import annotations

from tests.browser.conftest import Desk


def test_sign_in_page(desk: Desk) -> None:
    visit = desk.visit()
    visit.sign_in(desk.world.customer_contact.user.email)
    visit.see("home")
