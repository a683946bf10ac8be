"""The flows through the pages, as the people do them, in English and Japanese, on a desk
and at a phone's width (every page checked as ``pages.Visit.see`` says): a case from the
customer's form through Care's queue and case page back to the customer, and on to the
manager's dashboard; and the pages every user has."""

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
FIX = "The callback queue's timeout was raised to thirty seconds."
STILL_BROKEN = "Callbacks still wait ten minutes this morning."


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


def _form(visit: Visit, heading: str) -> Any:
    """The action form under ``heading`` on a case page."""
    return visit.page.locator("form", has=visit.page.get_by_role("heading", name=heading))


def _nav(visit: Visit, name: str) -> Any:
    """The header's link named ``name``."""
    main = visit.page.get_by_role("navigation", name=visit.t("Main"))
    return main.get_by_role("link", name=name, exact=True)


def _press(visit: Visit, within: Any, button: str) -> None:
    within.get_by_role("button", name=visit.t(button)).click()
    visit.page.wait_for_load_state("load")


def _contact_opens_the_case(kenji: Visit, policy_id: str) -> Any:
    """Kenji opens the case through the form, meets the refusal for the description left
    out, and reads the confirmation with its countdown; the case opened."""
    from caredesk.cases.models import Case
    from caredesk.testing import PURECLOUD_INTAKE

    _nav(kenji, kenji.t("New case")).click()
    kenji.see("new-case")
    _field(kenji, kenji.t("Subject")).fill(SUBJECT)
    _fill_intake(kenji, policy_id, PURECLOUD_INTAKE)
    # The description left out, past the browser's own check: the server's refusal shows.
    kenji.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
    _press(kenji, kenji.page, "Open case")
    kenji.see("new-case-refused")
    summary = kenji.page.get_by_role("alert")
    assert summary.get_by_role("link", name=kenji.t("Description")).is_visible()
    assert kenji.page.get_by_text(kenji.t("This field is required.")).first.is_visible()
    assert not Case.objects.filter(subject=SUBJECT).exists()

    _field(kenji, kenji.t("Description")).fill("Since 09:00 today.")
    _press(kenji, kenji.page, "Open case")
    case = Case.objects.get(subject=SUBJECT)
    opened = kenji.t("Case %(number)s opened") % {"number": case.number}
    assert kenji.page.get_by_role("heading", name=opened).is_visible()
    # The countdown to the response, as the script keeps it ("in 20 h 5 min").
    countdown = kenji.page.locator("time[data-countdown]")
    ahead = kenji.t("in %(span)s").replace("%(span)s", "").strip()
    assert ahead in countdown.inner_text()
    kenji.see("case-opened")
    return case


def _engineer_works_the_case(erin: Visit, case: Any, engineer: Any) -> None:
    """Erin finds the case in the queue by search, assigns it to herself, replies and
    proposes a resolution."""
    erin.see("queue")
    erin.page.get_by_label(erin.t("Search")).fill(case.number)
    _press(erin, erin.page.get_by_role("search"), "Apply")
    assert erin.page.locator("#case-rows tr").count() == 1
    erin.see("queue-searched")
    erin.page.get_by_role("link", name=case.number).click()
    erin.page.wait_for_load_state("load")
    erin.see("case-for-care")

    assign = _form(erin, erin.t("Assign"))
    assign.get_by_label(erin.t("Assignee")).select_option(label=erin.t("Me"))
    _press(erin, assign, "Assign")
    case.refresh_from_db()
    assert case.assignee_id == engineer.user.pk
    erin.see("case-assigned")

    reply = _form(erin, erin.t("Reply or add an internal note"))
    reply.get_by_label(erin.t("Message")).fill(REPLY)
    _press(erin, reply, "Add comment")
    assert erin.page.get_by_text(REPLY).first.is_visible()
    erin.see("case-replied")

    propose = _form(erin, erin.t("Propose a resolution"))
    propose.get_by_label(erin.t("The resolution, as the customer will read it")).fill(FIX)
    _press(erin, propose, "Propose the resolution")
    case.refresh_from_db()
    assert case.status == "resolution-proposed"
    erin.see("case-resolution-proposed")


@pytest.mark.parametrize(("language", "width"), VARIANTS)
def test_a_case_from_the_form_to_the_managers_dashboard(
    desk: Desk, language: str, width: int
) -> None:
    from caredesk.testing import speaks

    contact = speaks(desk.world.customer_contact, language)
    engineer = speaks(desk.world.engineer, language)
    manager = speaks(desk.world.manager, language)
    kenji = desk.visit(language, width)
    kenji.sign_in(contact.user.email)
    kenji.see("my-cases")
    case = _contact_opens_the_case(kenji, contact.organisation.policy)

    erin = desk.visit(language, width)
    erin.sign_in(engineer.user.email)
    _engineer_works_the_case(erin, case, engineer)

    # Kenji reads the reply and the proposal, and says it is not fixed: the case reopens.
    kenji.go(f"/cases/{case.id}")
    assert kenji.page.get_by_text(REPLY).first.is_visible()
    kenji.see("case-with-proposal")
    not_fixed = _form(kenji, kenji.t("Care proposed a resolution")).locator("xpath=..")
    not_fixed.get_by_label(kenji.t("What still does not work")).fill(STILL_BROKEN)
    _press(kenji, not_fixed, "It is not fixed: reopen the case")
    case.refresh_from_db()
    assert case.status == "open"
    assert kenji.page.get_by_text(STILL_BROKEN).first.is_visible()
    kenji.see("case-not-fixed")

    # Max sees it counted on the dashboard, and follows the count to it.
    max_ = desk.visit(language, width)
    max_.sign_in(manager.user.email)
    _nav(max_, max_.t("Dashboard")).click()
    max_.page.wait_for_load_state("load")
    max_.see("dashboard")
    by_state = max_.page.locator(
        "section",
        has=max_.page.get_by_role("heading", name=max_.t("Open cases by SLA state and plan")),
    )
    counted = by_state.get_by_role("link", name="1", exact=True)
    counted.click()
    max_.page.wait_for_load_state("load")
    assert max_.page.get_by_role("link", name=case.number).is_visible()
    max_.see("queue-from-dashboard")


@pytest.mark.parametrize(("language", "width"), VARIANTS)
def test_every_users_own_pages(desk: Desk, language: str, width: int) -> None:
    from caredesk.testing import speaks

    visitor = desk.visit(language, width)
    visitor.go("/password/reset/")
    visitor.see("password-reset")
    visitor.page.get_by_label(visitor.t("Email")).fill("kenji@initech.example")
    visitor.page.get_by_role("button", name=visitor.t("Send the link")).click()
    visitor.page.wait_for_load_state("load")
    assert visitor.page.get_by_role("heading", name=visitor.t("Check your e-mail")).is_visible()
    visitor.see("password-reset-sent")
    visitor.sign_in(speaks(desk.world.customer_contact, language).user.email)
    _nav(visitor, visitor.t("Profile") + " " + desk.world.customer_contact.user.email).click()
    visitor.page.wait_for_load_state("load")
    visitor.see("profile")
    _nav(visitor, visitor.t("Severities and targets")).click()
    visitor.page.wait_for_load_state("load")
    visitor.see("targets")
    visitor.go("/dashboard")  # a Care manager's page: the customer is refused, in words
    visitor.see("forbidden")
    visitor.go("/no/such/page")
    visitor.see("not-found")

    manager = desk.visit(language, width)
    manager.sign_in(speaks(desk.world.manager, language).user.email)
    manager.go(f"/organisations/{desk.world.customer.id}/rules")
    manager.see("rules")


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
