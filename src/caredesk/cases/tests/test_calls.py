"""A phone call Care logs with the customer (issue 13, point 1): its summary is public, and
the first word Care has with the customer is its response.

The reseller's Care for Cloud case: Severity 2 opened Monday 2026-11-23 10:00 New York
(15:00 UTC), response 6 BH due Monday 16:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from caredesk.automation.models import Outbox
from caredesk.cases.models import CaseEvent, SlaClock
from caredesk.cases.tests.test_api import RESELLER_CASE, Api
from caredesk.conftest import START
from caredesk.infra.clock import Clock

SUMMARY = "Called Rita: the queue errors come from one site; collecting its logs."


def test_a_logged_call_is_public_and_meets_response(apis: dict[str, Api], clock: Clock) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    cid = case["id"]
    clock.set(START + timedelta(hours=1))  # Monday 11:00 New York
    status, event = apis["engineer"].post(f"/cases/{cid}/calls", {"summary": SUMMARY})
    assert status == 201, event
    assert (event["kind"], event["actor"]) == ("call-logged", "erin@care.example")
    # The clock reads New York time; the answer is UTC all the same: 16:00Z.
    assert event["at"] == "2026-11-23T16:00:00Z"
    assert datetime.fromisoformat(event["at"]) == START + timedelta(hours=1)
    assert event["data"] == {"body": SUMMARY, "public": True, "by_care": True}
    # The contact reads it in the history and gets it by e-mail; the case is open.
    _, history = apis["reseller"].get(f"/cases/{cid}/events")
    assert [e["kind"] for e in history] == ["opened", "call-logged", "responded", "status-changed"]
    (mail,) = Outbox.objects.filter(channel="email", event="call-logged")
    assert mail.payload["to"] == "rita@acme.example"
    assert mail.payload["subject"].startswith(f"[{case['number']}] Phone call: ")
    assert SUMMARY in mail.payload["body"]
    _, case = apis["reseller"].get(f"/cases/{cid}")
    assert case["status"] == "open"
    response = {c["metric"]: c for c in case["clocks"]}["response"]
    assert (response["state"], response["due"]) == ("met", "2026-11-23T21:00:00Z")
    assert SlaClock.objects.get(case_id=cid, metric="response").stopped_at == START + timedelta(
        hours=1
    )


def test_a_second_call_is_logged_and_the_response_keeps_its_first_instant(
    apis: dict[str, Api], clock: Clock
) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    cid = case["id"]
    clock.set(START + timedelta(hours=1))
    apis["engineer"].post(f"/cases/{cid}/comments", {"body": "Looking into it."})
    clock.set(START + timedelta(hours=2))
    status, _ = apis["engineer"].post(f"/cases/{cid}/calls", {"summary": SUMMARY})
    assert status == 201
    assert CaseEvent.objects.filter(case_id=cid, kind="responded").count() == 1
    assert SlaClock.objects.get(case_id=cid, metric="response").stopped_at == START + timedelta(
        hours=1
    )


@pytest.mark.parametrize(
    ("who", "body", "status", "detail"),
    [
        pytest.param(
            "reseller",
            {"summary": SUMMARY},
            403,
            "only Care logs a call with the customer; a contact adds a comment instead",
            id="a-contact",
        ),
        pytest.param(
            "engineer",
            {"summary": "   "},
            400,
            "a logged call needs a summary of what was said (summary)",
            id="blank-summary",
        ),
        pytest.param(
            "engineer",
            {"summary": ""},
            422,
            "invalid request: summary: String should have at least 1 character",
            id="empty-summary",
        ),
    ],
)
def test_a_refused_call_names_why_and_writes_nothing(
    apis: dict[str, Api], who: str, body: dict[str, str], status: int, detail: str
) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    before = CaseEvent.objects.count()
    answer_status, answer = apis[who].post(f"/cases/{case['id']}/calls", body)
    assert (answer_status, answer["detail"]) == (status, detail)
    assert CaseEvent.objects.count() == before
    assert not Outbox.objects.filter(event="call-logged")


def test_no_call_is_logged_on_a_closed_case(apis: dict[str, Api]) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    apis["engineer"].post(f"/cases/{case['id']}/status", {"status": "closed"})
    before = CaseEvent.objects.count()
    status, answer = apis["engineer"].post(f"/cases/{case['id']}/calls", {"summary": SUMMARY})
    assert (status, answer["detail"]) == (
        409,
        f"case {case['number']} is closed; open a new case naming it instead",
    )
    assert CaseEvent.objects.count() == before
