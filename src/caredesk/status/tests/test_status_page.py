"""The public status page (no sign-in), its JSON and Atom feed: each service's state from
active incidents and maintenance, the incidents with their updates, advisories, maintenance
ahead in the viewer's zone, 90 days of uptime; in English and Japanese; 304 on a
conditional request and no database query while nothing changed.

The frozen clock reads Monday 23 November 2026 15:00 UTC (10:00 New York, Tue 00:00 Tokyo).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from caredesk.infra.clock import Clock
from caredesk.status import services
from caredesk.testing import World

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Callable[..., Any]) -> Callable[..., Any]:
    """Run a write with its on-commit callbacks (the status version's bump)."""

    def run(write: Callable[..., Any], **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run


def outage(world: World, commits: Callable[..., Any], **changes: Any) -> Any:
    fields: dict[str, Any] = {
        "actor": world.engineer.user,
        "title_en": "Calls fail to connect",
        "title_ja": "通話が接続できません",
        "impact": "outage",
        "services": ["purecloud"],
        "started_at": datetime(2026, 11, 23, 14, 0, tzinfo=UTC),
        "text_en": "We are investigating failed calls.",
        "text_ja": "通話の失敗を調査しています。",
        "now": NOW,
        **changes,
    }
    return commits(services.declare_incident, **fields)


def advisory(world: World, commits: Callable[..., Any]) -> Any:
    return commits(
        services.publish_advisory,
        actor=world.engineer.user,
        service="premier-edition",
        title_en="Wallboards show stale figures",
        title_ja="ウォールボードの数値が古い",
        text_en="Reload the wallboard every hour.",
        text_ja="1時間ごとに再読み込みしてください。",
        now=NOW,
    )


def text(response: Any) -> str:
    assert response.status_code == 200, response.content[:300]
    return str(response.content.decode())


def test_the_page_in_english_shows_incidents_states_advisories_and_maintenance(
    world: World, commits: Callable[..., Any]
) -> None:
    outage(world, commits)
    advisory(world, commits)
    page = text(Client().get("/status/", {"tz": "Asia/Tokyo"}))
    assert "Some services are down." in page
    assert '<span>PureCloud</span> <span class="state-outage">Outage</span>' in page
    assert '<span class="state-operational">Operational</span>' in page
    assert "Calls fail to connect" in page
    assert "We are investigating failed calls." in page
    # Started 14:00 UTC: Mon 23:00 in Tokyo.
    assert "started Mon 2026-11-23 23:00 (Asia/Tokyo)" in page
    assert "Wallboards show stale figures" in page
    # Premier Edition's next planned window: Tue 22:00 New York (EST) = Wed 12:00 Tokyo.
    assert "<td>Planned maintenance</td><td>Premier Edition" in page
    assert "Wed 2026-11-25 12:00 (Asia/Tokyo)" in page
    assert page.count("<rect ") == 5 * 90


def test_the_page_in_japanese_from_accept_language(
    world: World, commits: Callable[..., Any]
) -> None:
    outage(world, commits)
    advisory(world, commits)
    page = text(Client().get("/status/", HTTP_ACCEPT_LANGUAGE="ja"))
    assert '<html lang="ja">' in page
    assert "通話が接続できません" in page
    assert "通話の失敗を調査しています。" in page
    assert "ウォールボードの数値が古い" in page
    assert "稼働状況" in page  # the heading, "Platform status"
    assert "停止" in page  # PureCloud's state, "Outage"
    # The switch back to English is a link, and ?lang= wins over the header.
    assert 'href="?lang=en"' in page
    english = text(Client().get("/status/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="ja"))
    assert "Calls fail to connect" in english


def test_a_planned_window_in_progress_shows_the_service_under_maintenance(
    world: World, clock: Clock
) -> None:
    # Tue 24 Nov 23:00 New York (EST) = Wed 04:00 UTC: inside Premier Edition's
    # Tuesday 22:00 - Wednesday 05:00 window.
    clock.set(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    body = Client().get("/status/index.json").json()
    states = {s["id"]: s["state"] for s in body["services"]}
    assert states["premier-edition"] == "maintenance"
    assert states["purecloud"] == "operational"
    assert body["state"] == "maintenance"


def test_the_90_days_count_a_resolved_outage(world: World, commits: Callable[..., Any]) -> None:
    # Fri 20 Nov 10:00-12:00 UTC: two hours of outage on that UTC day.
    incident = outage(world, commits, started_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    commits(
        services.post_update,
        actor=world.engineer.user,
        incident_id=incident.id,
        stage="resolved",
        text_en="Fixed.",
        text_ja="解決。",
        now=datetime(2026, 11, 20, 12, 0, tzinfo=UTC),
    )
    body = Client().get("/status/index.json").json()
    purecloud = next(s for s in body["services"] if s["id"] == "purecloud")
    days = {d["date"]: d for d in purecloud["days"]}
    assert (purecloud["days"][0]["date"], purecloud["days"][-1]["date"]) == (
        "2026-08-26",
        "2026-11-23",
    )
    assert days["2026-11-20"] == {
        "date": "2026-11-20",
        "state": "outage",
        "outage_minutes": 120,
        "degraded_minutes": 0,
    }
    assert days["2026-11-21"]["state"] == "operational"
    # 89 whole days and 15 hours counted so far: 129,060 minutes, 120 of them down.
    assert purecloud["uptime_90d"] == round(100 * (1 - 120 / 129060), 4)
    assert (purecloud["state"], body["incidents"]) == ("operational", [])


def test_a_repeat_request_costs_no_query_and_a_conditional_one_answers_304(
    world: World,
    commits: Callable[..., Any],
    django_assert_num_queries: Callable[..., Any],
) -> None:
    outage(world, commits)
    client = Client()
    first = client.get("/status/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/status/")
        assert again.content == first.content
        same = client.get("/status/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert (same.status_code, same.content) == (304, b"")
        since = client.get("/status/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    # A write bumps the version: the page changes, and the old ETag no longer matches.
    advisory(world, commits)
    changed = client.get("/status/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Wallboards show stale figures" in text(changed)


def test_a_bad_zone_is_refused_in_one_sentence(world: World) -> None:
    response = Client().get("/status/", {"tz": "Mars/Olympus"})
    assert response.status_code == 400
    assert response.content.decode() == (
        "unknown time zone 'Mars/Olympus'; expected an IANA zone name such as 'America/New_York'"
    )
    assert Client().get("/status/index.json", {"tz": ""}).status_code == 400


def test_the_signed_in_reader_sees_times_in_their_zone(world: World) -> None:
    from caredesk.testing import signed_in_client

    page = text(signed_in_client(world.customer_contact).get("/status/"))  # Initech: Tokyo
    assert "Times are in Asia/Tokyo" in page


@pytest.mark.parametrize(
    ("language", "title", "entry"),
    [
        ("en", "CareDesk platform status", "Investigating: Calls fail to connect"),
        ("ja", "CareDesk プラットフォーム稼働状況", "調査中: 通話が接続できません"),
    ],
)
def test_the_atom_feed_in_both_languages(
    world: World, commits: Callable[..., Any], language: str, title: str, entry: str
) -> None:
    outage(world, commits)
    advisory(world, commits)
    response = Client().get("/status/feed.atom", {"lang": language})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == title
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert entry in titles
    assert len(titles) == 2  # the incident's first update and the advisory
