"""The customer accepts a proposed resolution through the API (issue 13, point 2): the
case closes and its history says so; refused with one sentence, nothing written.

The frozen clock reads Monday 2026-11-23 10:00 New York (15:00 UTC).
"""

from __future__ import annotations

from typing import Any

import pytest

from caredesk.cases.models import CaseEvent
from caredesk.cases.tests.test_api import CUSTOMER_CASE, Api


@pytest.fixture
def proposed(apis: dict[str, Api]) -> dict[str, Any]:
    """Kenji's case, with a resolution Care proposed."""
    _, case = apis["customer"].post("/cases", CUSTOMER_CASE)
    status, proposed = apis["engineer"].post(
        f"/cases/{case['id']}/status", {"status": "resolution-proposed"}
    )
    assert status == 200, proposed
    return dict(proposed)


def test_the_customer_accepts_and_the_case_closes(
    apis: dict[str, Api], proposed: dict[str, Any]
) -> None:
    status, case = apis["customer"].post(f"/cases/{proposed['id']}/accept", {})
    assert status == 200, case
    assert case["status"] == "closed"
    assert case["closed_at"] == "2026-11-23T15:00:00Z"
    _, history = apis["customer"].get(f"/cases/{proposed['id']}/events")
    last = history[-1]
    assert (last["kind"], last["actor"], last["data"], last["reason"]) == (
        "status-changed",
        "kenji@initech.example",
        {"from": "resolution-proposed", "to": "closed", "accepted": True},
        "the customer accepted the resolution",
    )


@pytest.mark.parametrize(
    ("who", "body", "status", "detail"),
    [
        pytest.param(
            "engineer",
            {},
            403,
            "only the customer accepts a proposed resolution; Care closes the case instead",
            id="care",
        ),
        pytest.param(
            "customer",
            {"reason": "fine", "rating": 5},
            422,
            "invalid request: rating: unknown field",
            id="unknown-field",
        ),
    ],
)
def test_a_refused_acceptance_names_why_and_writes_nothing(
    apis: dict[str, Api], proposed: dict[str, Any], who: str, body: Any, status: int, detail: str
) -> None:
    before = CaseEvent.objects.count()
    answer_status, answer = apis[who].post(f"/cases/{proposed['id']}/accept", body)
    assert (answer_status, answer["detail"]) == (status, detail)
    assert CaseEvent.objects.count() == before
    _, case = apis["customer"].get(f"/cases/{proposed['id']}")
    assert case["status"] == "resolution-proposed"


def test_there_is_nothing_to_accept_before_a_resolution_is_proposed(
    apis: dict[str, Api],
) -> None:
    _, case = apis["customer"].post("/cases", CUSTOMER_CASE)
    before = CaseEvent.objects.count()
    status, answer = apis["customer"].post(f"/cases/{case['id']}/accept", {})
    assert (status, answer["detail"]) == (
        409,
        f"case {case['number']} is new, not resolution-proposed: there is no proposed "
        "resolution to accept",
    )
    assert CaseEvent.objects.count() == before
