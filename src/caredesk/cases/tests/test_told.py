"""What the API tells the reader of a case (SPEC 3): when Care will respond to a case opened
outside the customer's business hours, the Severity 1 contact reachable at all times, and
the history in sentences of the reader's language.

Kenji (Initech KK) works in Tokyo, Monday-Friday 08:00-17:00; Monday 2026-11-23 is Labour
Thanksgiving Day there. The frozen clock reads Monday 10:00 New York = Tuesday 00:00 Tokyo.
"""

# The Japanese sentences use full-width punctuation, as the catalogue does.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import timedelta
from typing import Any

from caredesk.cases.tests.test_api import CUSTOMER_CASE, RESELLER_CASE, Api
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import World, speaks

CRITICAL = {
    **CUSTOMER_CASE,
    "severity": 1,
    "subject": "No calls reach the agents",
    "critical_contact_name": "Kenji Sato",
    "critical_contact_phone": "+81 3-1234-5678",
}


def test_a_case_opened_outside_business_hours_says_when_care_will_respond(
    world: World, apis: dict[str, Api], clock: Clock
) -> None:
    # Opened Tuesday 00:00 Tokyo: Severity 3, 2 BH, counted from Tuesday 08:00 JST, so
    # Care responds by Tuesday 10:00 JST (01:00 UTC).
    status, opened = apis["customer"].post("/cases", CUSTOMER_CASE)
    assert status == 201, opened
    assert opened["response_expected_by"] == "2026-11-24T01:00:00Z"
    assert opened["response_expected_text"] == (
        "Opened outside business hours: Care will respond by Tue 2026-11-24 10:00 (Asia/Tokyo)."
    )
    # Read again in Japanese, the customer's own time.
    speaks(world.customer_contact, "ja")
    _, read = apis["customer"].get(f"/cases/{opened['id']}")
    assert read["response_expected_by"] == "2026-11-24T01:00:00Z"
    assert read["response_expected_text"] == (
        "営業時間外に作成されたケースです。Care より 火 2026-11-24 10:00 (Asia/Tokyo) までに"
        "回答いたします。"
    )
    # Once Care has answered, nothing is awaited any more.
    clock.set(START + timedelta(hours=9))  # Tuesday 09:00 Tokyo
    apis["engineer"].post(f"/cases/{opened['id']}/comments", {"body": "Looking into it."})
    _, answered = apis["customer"].get(f"/cases/{opened['id']}")
    assert (answered["response_expected_by"], answered["response_expected_text"]) == (None, None)


def test_a_case_opened_in_business_hours_has_no_notice(apis: dict[str, Api], clock: Clock) -> None:
    clock.set(START + timedelta(hours=10))  # Tuesday 10:00 Tokyo
    _, opened = apis["customer"].post("/cases", CUSTOMER_CASE)
    assert (opened["response_expected_by"], opened["response_expected_text"]) == (None, None)


def test_severity_1_runs_24x7_so_it_has_no_notice_but_shows_its_contact(
    apis: dict[str, Api],
) -> None:
    # Severity 1's 10-minute response is clock time: nobody waits for Tuesday morning.
    status, critical = apis["customer"].post("/cases", CRITICAL)
    assert status == 201, critical
    assert critical["response_expected_by"] is None
    assert critical["critical_contact"] == {"name": "Kenji Sato", "phone": "+81 3-1234-5678"}
    _, read = apis["engineer"].get(f"/cases/{critical['id']}")
    assert read["critical_contact"] == {"name": "Kenji Sato", "phone": "+81 3-1234-5678"}
    _, ordinary = apis["customer"].post("/cases", {**CUSTOMER_CASE, "subject": "Other"})
    assert ordinary["critical_contact"] is None


def test_a_phone_raise_shows_the_contact_recorded_with_it(
    apis: dict[str, Api], clock: Clock
) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)  # S2, Monday 10:00 New York
    assert case["critical_contact"] is None
    clock.set(START + timedelta(minutes=30))
    _, raised = apis["engineer"].post(
        f"/cases/{case['id']}/phone-raise",
        {"reason": "all sites down", "contact_name": "Rita", "contact_phone": "+1 212 555 0100"},
    )
    assert raised["critical_contact"] == {"name": "Rita", "phone": "+1 212 555 0100"}
    _, events = apis["reseller"].get(f"/cases/{case['id']}/events")
    assert events[-1]["text"] == (
        "Erin logged the customer's call raising the severity from 2 (High) to 1 (Critical). "
        "Contact reachable at all times: Rita, +1 212 555 0100. Reason: all sites down"
    )


def test_every_event_of_the_answer_has_its_sentence_in_the_readers_language(
    world: World, apis: dict[str, Api], clock: Clock
) -> None:
    _, case = apis["customer"].post("/cases", CUSTOMER_CASE)
    clock.set(START + timedelta(minutes=5))
    status, comment = apis["engineer"].post(
        f"/cases/{case['id']}/comments", {"body": "Please send the report."}
    )
    assert status == 201
    assert comment["text"] == "Erin replied to the customer."
    speaks(world.customer_contact, "ja")
    _, events = apis["customer"].get(f"/cases/{case['id']}/events")
    texts: list[Any] = [event["text"] for event in events]
    assert texts == [
        "Kenji がポータルからケースを作成しました：インシデント、重大度 3 (中)、優先度 3。",
        "Erin がお客様に返信しました。",
        "Erin がお客様に回答しました（Care の初回応答）。",
        "Erin がステータスを「新規」から「対応中」に変更しました。 "
        "理由：カスタマー ケアによる初回応答",
    ]
