"""The admin shows everything and changes nothing: changes go through the services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from caredesk.automation import outbox
from caredesk.automation.models import Outbox
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case

PAGES = (
    "accounts/organisation",
    "accounts/profile",
    "accounts/apitoken",
    "cases/case",
    "cases/severityrequest",
    "cases/caselink",
    "automation/timer",
    "automation/timerlog",
    "automation/outbox",
    "automation/webhooksubscription",
)


@pytest.fixture
def admin_client(world: World) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@care.example", "x"))
    return client


@pytest.mark.parametrize("page", PAGES)
def test_every_list_shows_and_nothing_can_be_added(admin_client: Client, page: str) -> None:
    assert admin_client.get(f"/admin/{page}/").status_code == 200
    assert admin_client.get(f"/admin/{page}/add/").status_code == 403


def test_a_case_shows_its_history_read_only(admin_client: Client, world: World) -> None:
    case_id = open_customer_case(world, START, subject="Report totals wrong").id
    page = admin_client.get(f"/admin/cases/case/{case_id}/change/")
    assert page.status_code == 200
    assert b"opened" in page.content
    # A post to the change form changes nothing: the admin has no change permission.
    admin_client.post(f"/admin/cases/case/{case_id}/change/", {"subject": "renamed"})
    assert Case.objects.get(id=case_id).subject == "Report totals wrong"


def test_dead_deliveries_are_sent_again_from_the_admin(admin_client: Client, world: World) -> None:
    outbox.enqueue(
        key="mail:test",
        channel=Outbox.Channel.EMAIL,
        event="comment",
        payload={"to": "rita@acme.example", "subject": "s", "body": "b", "language": "en"},
        now=START,
    )
    Outbox.objects.update(state=Outbox.State.DEAD, attempts=10)
    row = Outbox.objects.get(key="mail:test")
    response = admin_client.post(
        "/admin/automation/outbox/",
        {"action": "deliver_again", "_selected_action": [row.id]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.attempts) == (Outbox.State.PENDING, 0)
