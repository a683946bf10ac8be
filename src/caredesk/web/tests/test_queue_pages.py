"""The queue (Care) and My cases (customers): paging by cursor, filters, search, the
countdown, the refusal of an unknown filter value, and the fragment the page polls. The
frozen clock stands at Monday 2026-11-23 10:00 New York (15:00 UTC)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import World, open_customer_case, open_reseller_case, signed_in_client
from caredesk.web.views import queue


@pytest.fixture
def engineer(world: World) -> Client:
    return signed_in_client(world.engineer)


def test_the_queue_reaches_every_open_case_page_by_page(
    world: World, engineer: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    numbers = {open_customer_case(world, START, subject=f"Thing {n}").number for n in range(5)}
    seen: list[str] = []
    url = "/"
    for _ in range(3):
        response = engineer.get(url)
        assert response.status_code == 200
        rows = response.context["rows"]
        seen += [row["number"] for row in rows]
        url = response.context["next_url"] or ""
        if not url:
            break
        url = "/" + url
    assert len(seen) == 5
    assert set(seen) == numbers
    first = engineer.get("/").content.decode()
    assert "Cases: 5" in first
    assert "Next page" in first


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("state=bogus", "bogus"),
        ("severity=9", "9"),
        ("plan=platinum", "platinum"),
        ("assignee=bob", "bob"),
        ("within=x", "x"),
        ("status=sleeping", "sleeping"),
    ],
)
def test_an_unknown_filter_value_answers_the_page_naming_it(
    world: World, engineer: Client, query: str, named: str
) -> None:
    response = engineer.get(f"/?{query}")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This list cannot be shown" in page
    assert f"Select a valid choice. {named} is not one of the available choices." in page
    assert "<h1>Queue</h1>" in page  # the page, its filters to correct the value


def test_a_cursor_the_list_did_not_give_answers_the_page(world: World, engineer: Client) -> None:
    response = engineer.get("/?after=bogus")
    assert response.status_code == 400
    assert "This page link is no longer valid" in response.content.decode()


def test_the_queue_searches_and_filters(world: World, engineer: Client) -> None:
    disk = open_customer_case(world, START, subject="Disk full on recorder")
    other = open_reseller_case(world, START)
    services.assign(
        actor=world.engineer.user, case_id=other.id, assignee_id=world.engineer.user.pk, now=START
    )

    def numbers(query: str) -> list[str]:
        response = engineer.get(f"/?{query}")
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.context["rows"]]

    assert numbers("q=disk") == [disk.number]
    assert numbers(f"q={disk.number}") == [disk.number]
    assert numbers("assignee=mine") == [other.number]
    assert numbers("assignee=unassigned") == [disk.number]
    assert numbers(f"organisation={world.customer.id}") == [disk.number]
    assert numbers("severity=2") == [other.number]  # the reseller case is severity 2
    assert other.plan != disk.plan
    assert numbers(f"plan={other.plan}") == [other.number]
    assert numbers("status=new&state=on-track") == [other.number, disk.number]
    page = engineer.get("/").content.decode()
    assert "Erin" in page
    assert "Unassigned" in page


def test_a_filtered_queue_is_counted_up_to_a_limit(
    world: World, engineer: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counting every match of a filter costs a scan of the open cases on each first page:
    # past COUNT_UP_TO the page says "more than" instead.
    monkeypatch.setattr(queue, "COUNT_UP_TO", 2)
    for n in range(3):
        open_customer_case(world, START, subject=f"Disk full {n}")
    open_customer_case(world, START, subject="Printer jam")
    page = engineer.get("/?q=disk").content.decode()
    assert "Cases: more than 2" in page
    assert len(engineer.get("/?q=disk").context["rows"]) == 3
    page = engineer.get("/?q=printer").content.decode()
    assert "Cases: 1<" in page
    assert "Cases: 4<" in engineer.get("/").content.decode()  # the unfiltered queue: exact


def test_rows_count_down_to_the_next_due_instant(
    world: World, engineer: Client, clock: Clock
) -> None:
    open_customer_case(world, START)
    # Opened Tue 00:00 Tokyo; the 2 BH response is due Tue 10:00 JST = 01:00 UTC, ten hours
    # from Mon 15:00 UTC.
    page = engineer.get("/").content.decode()
    assert '<time datetime="2026-11-24T01:00:00+00:00" data-countdown' in page
    assert ">in 10 h</time>" in page
    assert 'class="sla-on-track"' in page
    assert ">on-track</span>" in page
    clock.set(START + timedelta(hours=11, minutes=5))  # Tue 02:05 UTC
    page = engineer.get("/").content.decode()
    assert ">overdue by 1 h 5 min</time>" in page
    assert 'class="sla-breached"' in page


def test_the_countdown_says_its_span_as_the_case_pages_clocks_do(
    world: World, engineer: Client, clock: Clock
) -> None:
    open_customer_case(world, START)
    # Due Tue 01:00 UTC; 30 s before it, the countdown says what a clock would say.
    clock.set(datetime(2026, 11, 24, 0, 59, 30, tzinfo=UTC))
    page = engineer.get("/").content.decode()
    assert ">in less than a minute</time>" in page
    # The script gets the same patterns to keep the countdown current.
    assert 'data-under-minute="less than a minute"' in page
    assert 'data-days-hours="%(days)s d %(hours)s h"' in page


def test_the_countdown_and_labels_in_japanese(world: World) -> None:
    open_customer_case(world, START)
    client = signed_in_client(world.engineer, language="ja")
    page = client.get("/").content.decode()
    assert ">あと 10 時間</time>" in page
    assert "キュー" in page


def test_my_cases_lists_the_customers_own_cases_with_filters(
    world: World, signed_in: Client
) -> None:
    mine = open_customer_case(world, START, subject="Disk full")
    closed = open_customer_case(world, START, subject="Old one")
    Case.objects.filter(id=closed.id).update(status="closed", next_due=None)
    theirs = open_reseller_case(world, START, subject="Disk full too")

    def numbers(query: str = "") -> list[str]:
        response = signed_in.get(f"/?{query}")
        assert response.status_code == 200, response.content
        return [row["number"] for row in response.context["rows"]]

    assert theirs.number not in numbers()
    assert set(numbers()) == {mine.number, closed.number}
    assert numbers("show=open") == [mine.number]
    assert numbers("show=closed") == [closed.number]
    assert numbers("q=disk") == [mine.number]
    assert numbers(f"q={theirs.number}") == []
    page = signed_in.get("/").content.decode()
    assert "<h1>My cases</h1>" in page


def test_the_fragment_gives_the_rows_and_answers_304_when_nothing_changed(
    world: World, engineer: Client
) -> None:
    case = open_customer_case(world, START)
    response = engineer.get("/queue/fragment?state=on-track")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<tbody id="case-rows">' in body
    assert case.number in body
    assert "<html" not in body
    again = engineer.get(
        "/queue/fragment?state=on-track", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304
    open_customer_case(world, START, subject="Another")
    fresh = engineer.get(
        "/queue/fragment?state=on-track", headers={"If-None-Match": response["ETag"]}
    )
    assert fresh.status_code == 200


def test_the_fragment_announces_new_severity_1_cases_to_care_only(
    world: World, engineer: Client, signed_in: Client, clock: Clock
) -> None:
    since = "2026-11-23T15:00:00Z"  # the page was opened at Mon 10:00 New York
    assert (
        "New Severity 1 cases"
        not in engineer.get(f"/queue/fragment?since={since}").content.decode()
    )
    clock.set(START + timedelta(minutes=5))
    critical = open_customer_case(
        world,
        START + timedelta(minutes=5),
        severity=1,
        subject="Nobody can log in",
        critical_contact_name="Kenji",
        critical_contact_phone="+81 3 1234 5678",
    )
    body = engineer.get(f"/queue/fragment?since={since}").content.decode()
    assert "New Severity 1 cases" in body
    assert critical.number in body
    assert "Nobody can log in" in body
    # Told once: after the banner was dismissed (since its instant), it is gone.
    later = "2026-11-23T15:05:00Z"
    assert (
        critical.number
        not in engineer.get(f"/queue/fragment?since={later}").content.decode().split("case-rows")[0]
    )
    assert (
        "New Severity 1 cases"
        not in signed_in.get(f"/queue/fragment?since={since}").content.decode()
    )


def test_the_fragment_refuses_a_since_that_is_no_instant(world: World, engineer: Client) -> None:
    response = engineer.get("/queue/fragment?since=yesterday")
    assert response.status_code == 400
    assert "since 'yesterday' is not an instant" in html.unescape(response.content.decode())


def test_the_fragment_needs_a_session(world: World) -> None:
    response = Client().get("/queue/fragment")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_fragment_never_lists_another_organisations_case(
    world: World, signed_in: Client
) -> None:
    theirs = open_reseller_case(world, START)
    assert theirs.number not in signed_in.get("/queue/fragment").content.decode()
