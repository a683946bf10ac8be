"""Searching the lists (``q``: a case number, or words of the subject and description) and
the assignee filter (``mine``, ``unassigned``, a person's id), through the API. The frozen
clock stands at Monday 2026-11-23 10:00 New York (15:00 UTC)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from caredesk.cases import queries, services, store
from caredesk.cases.models import Case
from caredesk.cases.tests.test_api import CUSTOMER_CASE, RESELLER_CASE, Api
from caredesk.conftest import START
from caredesk.testing import World


@pytest.fixture
def three(apis: dict[str, Api]) -> dict[str, int]:
    """Three open cases of two organisations, with words to find."""
    made = {
        "disk": apis["customer"].post(
            "/cases",
            {**CUSTOMER_CASE, "subject": "Disk full on recorder", "description": "No space."},
        ),
        "login": apis["customer"].post(
            "/cases",
            {**CUSTOMER_CASE, "subject": "Login loops", "description": "SSO redirect fails."},
        ),
        "agents": apis["account"].post("/cases", RESELLER_CASE),
    }
    assert all(status == 201 for status, _ in made.values()), made
    return {name: body["id"] for name, (_, body) in made.items()}


def _ids(api: Api, path: str, **params: object) -> set[int]:
    status, page = api.get(path, **params)
    assert status == 200, page
    return {case["id"] for case in page["items"]}


def test_search_finds_a_case_by_its_number(apis: dict[str, Api], three: dict[str, int]) -> None:
    number = Case.objects.get(id=three["login"]).number
    assert _ids(apis["engineer"], "/queue", q=number.lower()) == {three["login"]}


def test_search_finds_words_of_the_subject_and_the_description(
    apis: dict[str, Api], three: dict[str, int]
) -> None:
    assert _ids(apis["engineer"], "/queue", q="disk") == {three["disk"]}
    assert _ids(apis["engineer"], "/queue", q="redirect") == {three["login"]}
    # The last word as its beginning: what someone typing sees.
    assert _ids(apis["engineer"], "/queue", q="Login loo") == {three["login"]}
    assert _ids(apis["engineer"], "/queue", q="printer") == set()


def test_search_stays_in_the_callers_organisations(
    apis: dict[str, Api], three: dict[str, int]
) -> None:
    # "queue" is in the reseller case's subject only: the customer never sees it.
    assert _ids(apis["engineer"], "/cases", q="queue") == {three["agents"]}
    assert _ids(apis["customer"], "/cases", q="queue") == set()


def test_assignee_filter_mine_unassigned_and_a_person(
    apis: dict[str, Api], three: dict[str, int], world: World
) -> None:
    engineer = world.engineer.user
    services.assign(actor=engineer, case_id=three["disk"], assignee_id=engineer.pk, now=START)
    assert _ids(apis["engineer"], "/queue", assignee="mine") == {three["disk"]}
    assert _ids(apis["manager"], "/queue", assignee="mine") == set()
    assert _ids(apis["engineer"], "/queue", assignee="unassigned") == {
        three["login"],
        three["agents"],
    }
    assert _ids(apis["manager"], "/queue", assignee=str(engineer.pk)) == {three["disk"]}
    _, page = apis["manager"].get("/queue", assignee=str(engineer.pk))
    assert page["items"][0]["assignee"] == "Erin"  # her name, shown in the queue


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"assignee": "bob"},
            "unknown assignee 'bob'; expected mine, unassigned or a person's id",
        ),
        (
            {"status": "bogus"},
            "unknown status 'bogus'; expected one of: new, open, waiting-on-customer, "
            "restored, resolution-proposed, closed",
        ),
    ],
)
def test_unknown_filter_values_are_refused_by_name(
    apis: dict[str, Api], three: dict[str, int], params: dict[str, str], message: str
) -> None:
    status, body = apis["engineer"].get("/queue", **params)
    assert status == 400
    assert body["detail"] == message


def test_the_migrations_index_is_the_searchs_expression() -> None:
    migration = importlib.import_module("caredesk.cases.migrations.0012_console")
    assert migration.DOCUMENT == store.SEARCH_DOCUMENT


@pytest.mark.django_db
def test_postgresql_searches_through_the_full_text_index() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's full-text index")
    qs = queries.filter_cases(queries.in_scope(None), now=START, q="disk ful")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # an empty table: make the index's use show
        plan = qs.explain()
        cursor.execute("RESET enable_seqscan")
    assert "case_search" in plan, plan
