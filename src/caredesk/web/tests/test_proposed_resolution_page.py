"""A proposed resolution on the case page (issue 13, point 2): the customer accepts it with
a button, which closes the case; a reply reopens it as a reported issue."""

from __future__ import annotations

import pytest
from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, signed_in_client

ACCEPT = "Accept the resolution"


@pytest.fixture
def proposed(world: World) -> Case:
    case = open_customer_case(world, START)
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=START
    )
    return case


def test_the_customer_accepts_the_resolution_with_a_button(
    proposed: Case, signed_in: Client
) -> None:
    page = signed_in.get(f"/cases/{proposed.id}").content.decode()
    assert ACCEPT in page
    assert "a reply reports that the issue remains and reopens the case" in page
    response = signed_in.post(f"/cases/{proposed.id}", {"action": "accept"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == "closed"
    assert ACCEPT not in signed_in.get(f"/cases/{proposed.id}").content.decode()


def test_a_reply_on_the_page_reopens_the_case(proposed: Case, signed_in: Client) -> None:
    signed_in.post(f"/cases/{proposed.id}", {"body": "Not fixed."})
    proposed.refresh_from_db()
    assert proposed.status == "open"


def test_care_is_not_offered_the_acceptance(world: World, proposed: Case) -> None:
    client = signed_in_client(world.engineer)
    assert ACCEPT not in client.get(f"/cases/{proposed.id}").content.decode()


def test_the_offer_in_japanese(world: World, proposed: Case) -> None:
    page = (
        signed_in_client(world.customer_contact, language="ja")
        .get(f"/cases/{proposed.id}")
        .content.decode()
    )
    assert "解決策を承認する" in page
