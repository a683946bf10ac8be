"""The first flows through today's pages, as the people do them, in English and Japanese,
on a desk and at a phone's width (every page checked as ``pages.Visit.see`` says)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Desk
from tests.browser.pages import PHONE, Visit

VARIANTS = [
    pytest.param("en", 1280, id="en-desk"),
    pytest.param("ja", 1280, id="ja-desk"),
    pytest.param("en", PHONE, id="en-phone"),
    pytest.param("ja", PHONE, id="ja-phone"),
]
SUBJECT = "Callbacks wait ten minutes"
REPLY = "We are looking at the callback queue now."


def _field(visit: Visit, label: str) -> Any:
    """The form field labelled ``label``, marked "(required)" or not."""
    return visit.page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\(.*\))?\s*$"))


def _fill_intake(visit: Visit, policy_id: str, answers: dict[str, str]) -> None:
    """The policy's intake questions, found by the label the policy gives them."""
    from caredesk.core import policy as policies

    for field in policies.load(policy_id).intake.fields:
        if field.key in answers:
            label = policies.text_in(field.label, visit.language)
            _field(visit, label).fill(answers[field.key])


@pytest.mark.parametrize(("language", "width"), VARIANTS)
def test_contact_opens_a_case_and_an_engineer_replies(
    desk: Desk, language: str, width: int
) -> None:
    from caredesk.cases.models import Case
    from caredesk.testing import PURECLOUD_INTAKE, speaks

    contact = speaks(desk.world.customer_contact, language)
    engineer = speaks(desk.world.engineer, language)
    kenji = desk.visit(language, width)
    kenji.sign_in(contact.user.email)
    kenji.see("my-cases")

    kenji.page.get_by_role("link", name=kenji.t("New case"), exact=True).click()
    kenji.see("new-case")
    _field(kenji, kenji.t("Subject")).fill(SUBJECT)
    _fill_intake(kenji, contact.organisation.policy, PURECLOUD_INTAKE)
    # The description left out, past the browser's own check: the server's refusal shows.
    kenji.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    kenji.page.get_by_role("button", name=kenji.t("Open case")).click()
    kenji.see("new-case-refused")
    assert kenji.page.get_by_text(kenji.t("This field is required.")).first.is_visible()
    assert not Case.objects.filter(subject=SUBJECT).exists()

    _field(kenji, kenji.t("Description")).fill("Since 09:00 today.")
    kenji.page.get_by_role("button", name=kenji.t("Open case")).click()
    kenji.page.wait_for_load_state("load")
    case = Case.objects.get(subject=SUBJECT)
    assert kenji.page.get_by_text(case.number).first.is_visible()
    kenji.see("case-opened")

    erin = desk.visit(language, width)
    erin.sign_in(engineer.user.email)
    erin.see("queue")
    erin.page.get_by_role("link", name=case.number).click()
    erin.page.wait_for_load_state("load")
    erin.see("case-for-care")
    reply = erin.page.locator(
        "form", has=erin.page.get_by_role("button", name=erin.t("Add comment"))
    )
    reply.locator("textarea").fill(REPLY)
    reply.get_by_role("button", name=erin.t("Add comment")).click()
    erin.page.wait_for_load_state("load")
    erin.see("case-replied")

    kenji.go(f"/cases/{case.id}")
    assert kenji.page.get_by_text(REPLY).first.is_visible()
    kenji.see("case-with-reply")


@pytest.mark.parametrize(("language", "width"), VARIANTS)
def test_every_users_own_pages(desk: Desk, language: str, width: int) -> None:
    visitor = desk.visit(language, width)
    visitor.go("/password/reset/")
    visitor.see("password-reset")
    visitor.page.get_by_label(visitor.t("Email")).fill("kenji@initech.example")
    visitor.page.get_by_role("button", name=visitor.t("Send the link")).click()
    visitor.page.wait_for_load_state("load")
    assert visitor.page.get_by_role("heading", name=visitor.t("Check your e-mail")).is_visible()
    visitor.see("password-reset-sent")
    visitor.sign_in(desk.world.customer_contact.user.email)
    visitor.go("/profile/")
    visitor.see("profile")
    visitor.go("/no/such/page")
    visitor.see("not-found")


def test_the_language_switch_on_every_page(desk: Desk) -> None:
    visitor = desk.visit("en")
    visitor.go("/login/")
    visitor.page.get_by_role("button", name="日本語").click()
    visitor.page.wait_for_load_state("load")
    assert visitor.page.locator("html").get_attribute("lang") == "ja"
    visitor.language = "ja"
    visitor.sign_in(desk.world.engineer.user.email)
    # Erin's profile says English: signed in, her pages follow it, until she switches.
    assert visitor.page.locator("html").get_attribute("lang") == "en"
    visitor.page.get_by_role("button", name="日本語").click()
    visitor.page.wait_for_load_state("load")
    assert visitor.page.locator("html").get_attribute("lang") == "ja"
    visitor.see("queue-switched")
    desk.world.engineer.refresh_from_db()
    assert desk.world.engineer.language == "ja"
