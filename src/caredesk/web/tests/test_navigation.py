"""The header's links: each reader is offered the pages they may use, and no other."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from caredesk.testing import World, signed_in_client

NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)
LINK = re.compile(r'<a [^>]*?href="([^"]+)"[^>]*>(.*?)</a>', re.S)


def _links(client: Client, path: str = "/") -> dict[str, str]:
    """The header's links on ``path``: their address and their words."""
    page = client.get(path).content.decode()
    found = NAV.search(page)
    assert found is not None
    return {
        href: " ".join(re.sub(r"<[^>]+>", " ", text).split())
        for href, text in LINK.findall(found.group(1))
    }


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        (
            "customer_contact",
            {
                "/": "My cases",
                "/cases/new": "New case",
                "/targets": "Severities and targets",
                "/profile/": "Profile kenji@initech.example",
            },
        ),
        ("engineer", {"/": "Queue", "/profile/": "Profile erin@care.example"}),
        (
            "manager",
            {"/": "Queue", "/dashboard": "Dashboard", "/profile/": "Profile max@care.example"},
        ),
    ],
)
def test_each_reader_is_offered_the_pages_they_may_use(
    world: World, who: str, offered: dict[str, str]
) -> None:
    links = _links(signed_in_client(getattr(world, who)))
    links.pop("/api/docs")
    assert links == offered


def test_every_link_offered_opens_for_its_reader(world: World) -> None:
    for who in ("customer_contact", "engineer", "manager"):
        client = signed_in_client(getattr(world, who))
        for href in _links(client):
            if href != "/api/docs":
                assert client.get(href).status_code == 200, (who, href)


def test_the_page_shown_is_marked_current(world: World) -> None:
    page = signed_in_client(world.manager).get("/dashboard").content.decode()
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in page
    assert '<a href="/" aria-current="page">' not in page
