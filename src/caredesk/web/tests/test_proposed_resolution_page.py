"""A proposed resolution on the case page (issue 13, point 2): the customer accepts it with
a button, which closes the case; a reply reopens it as a reported issue."""

from __future__ import annotations

import pytest
from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case

ACCEPT = "Accept the resolution"


@pytest.fixture
def proposed(world: World) -> Case:
    case = open_customer_case(world, START)
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=START
    )
    return case


def signed_in(world: World, language: str = "en") -> Client:
    profile = world.customer_contact
    profile.language = language
    profile.save()
    profile.user.set_password("pw-for-tests-123")
    profile.user.save()
    client = Client()
    assert client.login(username=profile.user.username, password="pw-for-tests-123")
    return client


def test_the_customer_accepts_the_resolution_with_a_button(world: World, proposed: Case) -> None:
    client = signed_in(world)
    page = client.get(f"/cases/{proposed.id}").content.decode()
    assert ACCEPT in page
    assert "a reply reports that the issue remains and reopens the case" in page
    response = client.post(f"/cases/{proposed.id}", {"action": "accept"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == "closed"
    assert ACCEPT not in client.get(f"/cases/{proposed.id}").content.decode()


def test_a_reply_on_the_page_reopens_the_case(world: World, proposed: Case) -> None:
    client = signed_in(world)
    client.post(f"/cases/{proposed.id}", {"body": "Not fixed."})
    proposed.refresh_from_db()
    assert proposed.status == "open"


def test_care_is_not_offered_the_acceptance(world: World, proposed: Case) -> None:
    user = world.engineer.user
    user.set_password("pw-for-tests-123")
    user.save()
    client = Client()
    assert client.login(username=user.username, password="pw-for-tests-123")
    assert ACCEPT not in client.get(f"/cases/{proposed.id}").content.decode()


def test_the_offer_in_japanese(world: World, proposed: Case) -> None:
    page = signed_in(world, "ja").get(f"/cases/{proposed.id}").content.decode()
    assert "解決策を承認する" in page
