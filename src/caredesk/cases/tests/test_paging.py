"""List pages by offset and by cursor, through the API (real database).

Nine cases: pairs opened at the same instant (ties broken by id), priorities 1 and 2, one
closed, one without a due instant (last in the queue), so every key column decides some
order. The frozen clock starts at Monday 2026-11-23 10:00 New York (15:00 UTC).
"""

from __future__ import annotations

import base64
import copy
from datetime import timedelta

import pytest
from django.db import connection

from caredesk.cases import queries, store
from caredesk.cases.models import Case, SlaClock
from caredesk.cases.tests.test_api import CUSTOMER_CASE, RESELLER_CASE, Api
from caredesk.conftest import START
from caredesk.infra.clock import Clock

LISTS = [
    ("engineer", "/cases"),
    ("engineer", "/queue"),
    ("manager", "/queue"),
    ("customer", "/cases"),
    ("reseller", "/cases"),
    ("account", "/cases"),
]
COUNTS = {
    ("engineer", "/cases"): 9,
    ("engineer", "/queue"): 8,
    ("manager", "/queue"): 8,
    ("customer", "/cases"): 4,
    ("reseller", "/cases"): 5,
    ("account", "/cases"): 4,
}


@pytest.fixture
def nine(apis: dict[str, Api], clock: Clock) -> list[int]:
    ids = []
    for n in range(4):
        clock.set(START + timedelta(minutes=n // 2))  # pairs opened at the same instant
        ids.append(
            apis["customer"].post(
                "/cases", {**CUSTOMER_CASE, "subject": f"Thing {n}", "priority": 1 + n % 2}
            )[1]["id"]
        )
        ids.append(
            apis["account"].post("/cases", {**RESELLER_CASE, "subject": f"Other {n}"})[1]["id"]
        )
    ids.append(apis["reseller"].post("/cases", {**RESELLER_CASE, "severity": 3})[1]["id"])
    Case.objects.filter(id=ids[0]).update(status="closed", next_due=None)
    Case.objects.filter(id=ids[1]).update(next_due=None)
    return ids


def walk(api: Api, path: str, limit: int, **filters: str) -> tuple[list[int], list[int | None]]:
    """Every page of a list by cursor: the ids in order and each page's count."""
    ids: list[int] = []
    counts: list[int | None] = []
    params: dict[str, object] = {"limit": limit, **filters}
    while True:
        status, page = api.get(path, **params)
        assert status == 200, page
        assert len(page["items"]) <= limit
        ids += [case["id"] for case in page["items"]]
        counts.append(page["count"])
        if page["next"] is None:
            return ids, counts
        params["after"] = page["next"]


def test_unfiltered_pages_are_the_filtered_querysets_pages(
    apis: dict[str, Api],
    nine: list[int],
) -> None:
    """Lists and the queue without a filter are read by hand-written SQL
    (``queries.Unfiltered``); an empty filter (``plan=``) takes the queryset's path: every
    page, count and cursor must be the same, for every scope."""
    for who, path in LISTS:
        for limit, offset in [(50, 0), (1, 0), (2, 1), (3, 2), (50, 7), (5, 100)]:
            status, fast = apis[who].get(path, limit=limit, offset=offset)
            assert status == 200
            _, orm = apis[who].get(path, limit=limit, offset=offset, plan="")
            assert fast == orm, (who, path, limit, offset)
            if fast["next"] is not None:
                _, fast_after = apis[who].get(path, limit=limit, after=fast["next"])
                _, orm_after = apis[who].get(path, limit=limit, after=fast["next"], plan="")
                assert fast_after == orm_after, (who, path, limit, offset)
        assert apis[who].get(path)[1]["count"] == COUNTS[(who, path)]


def test_walking_by_cursor_gives_every_case_once_in_order(
    apis: dict[str, Api],
    nine: list[int],
) -> None:
    for who, path in LISTS:
        _, everything = apis[who].get(path, limit=500)
        expected = [case["id"] for case in everything["items"]]
        assert len(expected) == COUNTS[(who, path)]
        assert everything["next"] is None
        for limit in (1, 2, 3, 4, 50):
            for filters in ({}, {"plan": ""}):
                ids, counts = walk(apis[who], path, limit, **filters)
                assert ids == expected, (who, path, limit, filters)
                # Counted on the first page only; the last page says there is no next.
                assert counts == [len(expected)] + [None] * (len(counts) - 1)
    # The queue's order: severity 2 before 3; priority 1 before 2; the case without a due
    # instant (nine[1], severity 2, priority 3) after those of its priority that have one.
    queue = [c["id"] for c in apis["engineer"].get("/queue", limit=500)[1]["items"]]
    assert nine[0] not in queue  # closed
    assert queue[-1] == nine[8]  # the only severity 3
    severity_2_priority_3 = [i for i in queue if i in nine[1:8:2]]
    assert severity_2_priority_3[-1] == nine[1]


def test_a_page_after_a_cursor_skips_offset_from_it(
    apis: dict[str, Api],
    nine: list[int],
) -> None:
    _, everything = apis["engineer"].get("/cases", limit=500)
    expected = [case["id"] for case in everything["items"]]
    _, first = apis["engineer"].get("/cases", limit=2)
    _, skipped = apis["engineer"].get("/cases", limit=2, after=first["next"], offset=3)
    assert [c["id"] for c in skipped["items"]] == expected[5:7]


@pytest.mark.parametrize(
    "after",
    [
        "not-a-cursor!",
        base64.urlsafe_b64encode(b"n.x.12").decode(),  # not numbers
        base64.urlsafe_b64encode(b"n.1").decode(),  # too few keys
        base64.urlsafe_b64encode(b"q.2.1.1795486997847543.7").decode(),  # the queue's
        base64.urlsafe_b64encode(b"n.99999999999999999999999.7").decode(),  # beyond 9999
        "\u00e9t\u00e9",
    ],
)
def test_a_cursor_the_list_did_not_give_is_refused_with_a_message(
    apis: dict[str, Api],
    nine: list[int],
    after: str,
) -> None:
    status, body = apis["engineer"].get("/cases", after=after)
    assert status == 400
    assert body["detail"] == (
        f"after {after!r} is not a cursor this list gave; "
        "pass the 'next' of one of its pages, or leave 'after' out to start again"
    )


def test_a_cases_cursor_is_refused_by_the_queue(
    apis: dict[str, Api],
    nine: list[int],
) -> None:
    _, page = apis["engineer"].get("/cases", limit=1)
    status, body = apis["engineer"].get("/queue", after=page["next"])
    assert status == 400
    assert "is not a cursor this list gave" in body["detail"]


@pytest.mark.parametrize("limit", [0, 501, -1])
def test_page_sizes_outside_1_to_500_are_refused(
    apis: dict[str, Api],
    limit: int,
) -> None:
    status, body = apis["engineer"].get("/cases", limit=limit)
    assert status == 422
    assert body["detail"].startswith("invalid request: query.limit: Input should be")


def numbered(select: store.Statement) -> str:
    """``select``'s SQL with PostgreSQL's numbered parameters, as it is prepared."""
    sql = select.sql
    for n in range(1, len(select.params) + 1):
        sql = sql.replace("%s", f"${n}", 1)
    return sql


def statements(
    cases: queries.Unfiltered, key: tuple[object, ...]
) -> tuple[store.Statement, store.Statement | None]:
    """The statements of a page of fifty after ``key``, as ``queries.page`` runs them."""
    return store.unfiltered_statements(
        cases.order,
        cases.org_ids,
        key,
        open_only=cases.queue,
        offset=0,
        limit=50,
        with_summaries=True,
    )


@pytest.fixture
def thousands(nine: list[int]) -> list[int]:
    """Ten thousand more open cases like one of the nine, a minute apart, of every severity
    and priority, with their clocks, and the tables' statistics: PostgreSQL picks plans by
    a table's size, and reading the whole of a nine-row table is the right plan for it."""
    proto = Case.objects.get(id=nine[2])
    clocks = list(SlaClock.objects.filter(case_id=proto.id))
    copies = []
    for n in range(10_000):
        case = copy.copy(proto)
        case.id = None
        case.number = f"PLAN{n:06d}"
        case.opened_at = proto.opened_at - timedelta(minutes=n + 1)
        case.next_due = proto.opened_at + timedelta(minutes=n % 997)
        case.severity, case.priority = 1 + n % 4, 1 + n // 4 % 4  # the queue's keys vary
        copies.append(case)
    Case.objects.bulk_create(copies)
    more = []
    for case in copies:
        for clock in clocks:
            copied = copy.copy(clock)
            copied.id = None
            copied.case_id = case.id
            more.append(copied)
    SlaClock.objects.bulk_create(more)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return nine


@pytest.mark.django_db
def test_postgresql_seeks_to_a_cursor_in_the_lists_indexes(thousands: list[int]) -> None:
    """A page after a cursor must start where the index says, not walk the list from its
    start (the partial queue index only serves statements that state its condition), and
    join its rows by index, as a prepared statement runs it for good."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    nine = thousands
    for cases, index in [
        (queries.Unfiltered(None, queue=True), "case_queue"),
        (queries.Unfiltered(None), "case_newest"),
        (queries.Unfiltered({Case.objects.get(id=nine[2]).organisation_id}), "case_org_newest"),
    ]:
        first = queries.page(cases, limit=2)
        assert first.next is not None
        key = cases.order.decode(first.next)
        select, _ = statements(cases, key)
        # As a prepared statement runs once PostgreSQL settles on its generic plan.
        sql = numbered(select)
        with connection.cursor() as cursor:
            cursor.execute(f"PREPARE paging_test AS {sql}")
            cursor.execute("SET plan_cache_mode = force_generic_plan")
            marks = ", ".join(["%s"] * len(select.params))
            cursor.execute(f"EXPLAIN EXECUTE paging_test({marks})", select.params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET plan_cache_mode")
            cursor.execute("DEALLOCATE paging_test")
        assert f"using {index} on" in plan.lower(), plan
        assert "Index Cond" in plan, plan
        # The page itself comes in index order; only its fifty rows may be sorted again
        # after the join.
        assert "Sort" not in plan[plan.index("Limit") :], plan
        # The page's rows and clocks are joined by index, never by reading their whole
        # tables (the test's four organisations may well be read whole).
        assert "Seq Scan on cases_" not in plan, plan


@pytest.mark.django_db
def test_postgresql_settles_on_one_plan_for_a_walk_by_cursor(thousands: list[int]) -> None:
    """Planning a page's seven-table statement costs PostgreSQL more than running it: a
    prepared statement keeps the one plan it was given (``site.postgresql``), where
    PostgreSQL's own choice had planned every queue page anew."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    nine = thousands
    for cases in [
        queries.Unfiltered(None, queue=True),
        queries.Unfiltered(None),
        queries.Unfiltered({Case.objects.get(id=nine[2]).organisation_id}),
    ]:
        after = queries.page(cases, limit=50).next
        for _ in range(12):
            after = queries.page(cases, limit=50, after=after).next
            assert after is not None
        assert after is not None
        select, _ = statements(cases, cases.order.decode(after))
        sql = numbered(select)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                " WHERE statement = %s",
                [sql],
            )
            assert cursor.fetchall() == [(12, 0)], cases
