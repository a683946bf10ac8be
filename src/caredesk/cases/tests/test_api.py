"""The cases API end to end through Django's test client (real database).

The frozen clock reads Monday 2026-11-23 10:00 New York (15:00 UTC).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from django.http import HttpRequest
from django.test import Client
from pydantic import BaseModel

from caredesk.cases.models import Case, CaseEvent, SeverityRequest, SlaClock
from caredesk.cases.schemas import CasePageOut, SlaOut
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.infra.rendering import JSONRenderer
from caredesk.testing import PURECLOUD_INTAKE, RESELLER_INTAKE, World, speaks

NY = ZoneInfo("America/New_York")


# Answers the API writes without validating them against their schema
# (``site.rendering.unvalidated_answer``): every one a test gets is validated here.
UNVALIDATED: dict[str, type[BaseModel]] = {
    "/cases": CasePageOut,
    "/queue": CasePageOut,
    "/cases/{id}/sla": SlaOut,
}


def assert_answer_is(schema: type[BaseModel], body: Any) -> None:
    """``body`` is exactly what ``schema`` validates and writes: no field missing, none
    extra, none of another type."""
    written = JSONRenderer().render(
        HttpRequest(), schema.model_validate(body).model_dump(), response_status=200
    )
    assert orjson.loads(written) == body


class Api:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> tuple[int, Any]:
        response = self.client.get(f"/api{path}", params, headers=self.headers)
        body = response.json()
        route = re.sub(r"/\d+", "/{id}", path)
        if response.status_code == 200 and route in UNVALIDATED:
            assert_answer_is(UNVALIDATED[route], body)
        return response.status_code, body

    def post(self, path: str, body: Any = None, raw: bytes | None = None) -> tuple[int, Any]:
        data = raw if raw is not None else json.dumps(body or {})
        response = self.client.post(
            f"/api{path}", data, content_type="application/json", headers=self.headers
        )
        return response.status_code, response.json()


RESELLER_CASE = {
    "severity": 2,
    "channel": "portal",
    "product": "pureengage-cloud",
    "subject": "Agents cannot go on queue",
    "description": "Error when going on queue.",
    "intake": RESELLER_INTAKE,
}
CUSTOMER_CASE = {
    "severity": 3,
    "channel": "portal",
    "subject": "Report totals wrong",
    "description": "The queue report double counts.",
    "intake": PURECLOUD_INTAKE,
}


def test_open_and_read_a_case(apis: dict[str, Api]) -> None:
    status, case = apis["reseller"].post("/cases", RESELLER_CASE)
    assert status == 201, case
    assert case["number"].startswith("CD")
    assert case["status"] == "new"
    assert case["sla_state"] == "on-track"
    response = {c["metric"]: c for c in case["clocks"]}["response"]
    assert response["due"] == "2026-11-23T21:00:00Z"  # 6 BH from Mon 10:00 EST = 16:00 EST
    status, again = apis["reseller"].get(f"/cases/{case['id']}")
    assert (status, again["number"]) == (200, case["number"])
    assert again["description"] == "Error when going on queue."
    assert again["intake"] == RESELLER_INTAKE
    assert again["clocks"] == case["clocks"]  # the answer to the POST is what is stored
    # Lists carry no texts: a case's description is read on the case itself.
    status, page = apis["reseller"].get("/cases")
    (listed,) = [c for c in page["items"] if c["id"] == case["id"]]
    assert status == 200
    assert "description" not in listed
    assert "intake" not in listed
    assert {k: v for k, v in again.items() if k in listed} == listed


# Bad requests to open a case: the body (or raw bytes), the status, the whole detail and the
# fields the errors name.
BAD_INPUT = [
    pytest.param(
        {**RESELLER_CASE, "colour": "red"},
        422,
        "invalid request: colour: unknown field",
        ["colour"],
        id="unknown-field",
    ),
    pytest.param(
        {**RESELLER_CASE, "severity": "high"},
        422,
        "invalid request: severity: Input should be a valid integer",
        ["severity"],
        id="not-a-number",
    ),
    pytest.param(b"{not json", 400, "Cannot parse request body", [], id="not-json"),
    pytest.param(
        {**RESELLER_CASE, "description": "x" * 300_000},
        413,
        "request body too large",
        None,  # refused before it is read: no field named
        id="too-large",
    ),
    pytest.param(
        {**RESELLER_CASE, "channel": "phone", "severity": 3},
        422,
        "Severity 3 cases on Care for Cloud are taken through api or portal, not by phone. "
        "Open it in the portal.",
        ["channel"],
        id="care-for-cloud-severity-3-by-phone",
    ),
]


@pytest.mark.parametrize(("body", "status", "detail", "fields"), BAD_INPUT)
def test_bad_input_answers_4xx_with_a_message_and_writes_nothing(
    apis: dict[str, Api],
    body: dict[str, Any] | bytes,
    status: int,
    detail: str,
    fields: list[str] | None,
) -> None:
    api = apis["reseller"]
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = api.post("/cases", raw=raw)
    assert answer[0] == status, answer
    assert answer[1]["detail"] == detail
    if fields is not None:
        assert [e["field"] for e in answer[1]["errors"]] == fields
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_unauthenticated_requests_are_refused(world: World) -> None:
    status, body = Api(None).get("/cases")
    assert status == 401
    assert "authentication required" in body["detail"]
    status, _ = Api("cd_not-a-real-token").get("/cases")
    assert status == 401


def test_organisation_endpoints_and_bad_time_zone(apis: dict[str, Api], world: World) -> None:
    status, orgs = apis["reseller"].get("/organisations")
    assert status == 200
    assert {o["short_name"] for o in orgs} == {"acme-reseller", "globex"}
    new = {
        "name": "Umbrella",
        "short_name": "umbrella",
        "kind": "customer",
        "policy": "purecloud-support",
        "plan": "standard",
        "country": "US",
        "timezone": "Mars/Olympus",
    }
    status, body = apis["manager"].post("/organisations", new)
    assert status == 400
    assert "unknown time zone 'Mars/Olympus'" in body["detail"]
    status, _ = apis["engineer"].post("/organisations", {**new, "timezone": "America/Chicago"})
    assert status == 403  # managers create organisations
    status, body = apis["manager"].post("/organisations", {**new, "timezone": "America/Chicago"})
    assert status == 201
    assert body["short_name"] == "umbrella"
    status, short = apis["manager"].get("/organisations/short-of-designated-contacts")
    assert status == 200
    names = {row["organisation"]["short_name"]: row for row in short}
    assert "acme-reseller" not in names  # it has its two
    assert "umbrella" not in names  # a PureCloud customer: no number of contacts is owed


def test_designated_contact_onboarding(apis: dict[str, Api], world: World) -> None:
    status, person = apis["reseller"].post(
        f"/organisations/{world.reseller.id}/contacts",
        {"email": "ned@acme.example", "name": "Ned New"},
    )
    assert status == 201
    assert person["designated"] is False
    status, body = apis["reseller"].post(f"/contacts/{person['id']}/training-completed")
    assert (status, body["detail"]) == (403, "only Care may do this")  # Care records it
    status, done = apis["engineer"].post(f"/contacts/{person['id']}/training-completed")
    assert status == 200
    assert done["designated"] is True
    # 48 BH from Monday 10:00 New York = 5 business days and 3 hours -> Tuesday 1 Dec 13:00
    # (Thanksgiving on Thursday 26 does not count).
    assert done["credentials_due_at"] == "2026-12-01T18:00:00Z"
    status, issued = apis["engineer"].post(f"/contacts/{person['id']}/credentials-issued")
    assert (status, issued["credentials_issued_at"] is not None) == (200, True)
    status, _ = apis["engineer"].post(f"/contacts/{person['id']}/credentials-issued")
    assert status == 409


def test_tenant_isolation_matrix(apis: dict[str, Api], world: World) -> None:
    """Every object endpoint, called with another organisation's token, answers 404."""
    _, reseller_case = apis["reseller"].post("/cases", RESELLER_CASE)
    _, customer_case = apis["customer"].post("/cases", CUSTOMER_CASE)
    _, request = apis["customer"].post(
        f"/cases/{customer_case['id']}/severity-requests",
        {"severity": 2, "reason": "more users affected"},
    )
    events_before = CaseEvent.objects.count()
    foreign = [
        ("customer", reseller_case["id"]),
        ("account", reseller_case["id"]),  # the end-user account does not see its reseller's
        ("reseller", customer_case["id"]),
    ]
    for who, case_id in foreign:
        api = apis[who]
        for method, path, body in [
            ("get", f"/cases/{case_id}", None),
            ("get", f"/cases/{case_id}/events", None),
            ("get", f"/cases/{case_id}/sla", None),
            ("post", f"/cases/{case_id}/comments", {"body": "hello"}),
            ("post", f"/cases/{case_id}/status", {"status": "closed"}),
            ("post", f"/cases/{case_id}/severity-requests", {"severity": 4, "reason": "x"}),
            ("post", f"/cases/{case_id}/links", {"case_number": "CD0000001", "kind": "related"}),
        ]:
            status, answer = getattr(api, method)(path, body) if body else api.get(path)
            assert status == 404, (who, path, answer)
            assert "number" not in answer
    for org_id in (world.customer.id,):
        for path in (f"/organisations/{org_id}", f"/organisations/{org_id}/contacts"):
            status, _ = apis["reseller"].get(path)
            assert status == 404
    status, _ = apis["reseller"].post(
        f"/severity-requests/{request['id']}/decision", {"accept": True, "reason": "x"}
    )
    assert status == 403
    assert CaseEvent.objects.count() == events_before
    # A reseller sees its end-user accounts' cases; Care sees everything.
    _, account_case = apis["account"].post("/cases", {**RESELLER_CASE, "channel": "phone"})
    status, _ = apis["reseller"].get(f"/cases/{account_case['id']}")
    assert status == 200
    status, listed = apis["customer"].get("/cases")
    assert [c["number"] for c in listed["items"]] == [customer_case["number"]]
    status, listed = apis["engineer"].get("/cases")
    assert listed["count"] == 3


def test_conversation_status_and_pause_through_the_api(apis: dict[str, Api], clock: Clock) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    cid = case["id"]
    clock.set(START + timedelta(hours=1))  # Monday 11:00
    status, _ = apis["engineer"].post(f"/cases/{cid}/comments", {"body": "Looking into it."})
    assert status == 201
    status, case = apis["engineer"].post(
        f"/cases/{cid}/status", {"status": "waiting-on-customer", "reason": "need a HAR file"}
    )
    assert status == 200
    clocks = {c["metric"]: c for c in case["clocks"]}
    assert clocks["response"]["state"] == "met"
    assert clocks["restoration"]["state"] == "paused"
    assert clocks["restoration"]["due"] is None
    assert case["sla_state"] == "paused"
    clock.set(START + timedelta(days=1))  # Tuesday 10:00: the customer replies
    status, _ = apis["reseller"].post(f"/cases/{cid}/comments", {"body": "HAR attached."})
    _, case = apis["reseller"].get(f"/cases/{cid}")
    assert case["status"] == "open"
    restoration = {c["metric"]: c for c in case["clocks"]}["restoration"]
    # 4 BD = 36 BH: 1 h Monday 10-11, then 35 h from Tuesday 10:00: Tue 7, Wed 9,
    # (Thu Thanksgiving), Fri 9, Mon 9 = 34, + 1 h Tuesday 1 Dec -> 09:00 EST = 14:00 UTC.
    assert restoration["due"] == "2026-12-01T14:00:00Z"
    status, _ = apis["reseller"].post(f"/cases/{cid}/status", {"status": "restored"})
    assert status == 403
    status, body = apis["engineer"].post(f"/cases/{cid}/status", {"status": "new"})
    assert status == 409
    assert body["detail"] == (
        "a case cannot move from 'open' to 'new'; from 'open' it can move to: closed, "
        "resolution-proposed, restored, waiting-on-customer"
    )
    _, events = apis["reseller"].get(f"/cases/{cid}/events")
    assert [e["kind"] for e in events] == [
        "opened",
        "comment",
        "responded",
        "status-changed",
        "status-changed",
        "comment",
        "status-changed",
    ]


def test_severity_request_decision_and_recompute(
    apis: dict[str, Api], world: World, clock: Clock
) -> None:
    _, case = apis["customer"].post("/cases", CUSTOMER_CASE)  # S3 in Tokyo
    cid = case["id"]
    status, req = apis["customer"].post(
        f"/cases/{cid}/severity-requests", {"severity": 2, "reason": "all agents affected"}
    )
    assert (status, req["state"]) == (201, "pending")
    status, _ = apis["customer"].post(f"/cases/{cid}/severity", {"severity": 2, "reason": "x"})
    assert status == 403  # the customer only requests; Care decides
    status, decided = apis["engineer"].post(
        f"/severity-requests/{req['id']}/decision", {"accept": True, "reason": "confirmed impact"}
    )
    assert (status, decided["state"]) == (200, "accepted")
    _, case = apis["customer"].get(f"/cases/{cid}")
    assert case["severity"] == 2
    restoration = {c["metric"]: c for c in case["clocks"]}["restoration"]
    assert restoration["target"] == "2 BD"
    # Opened Tuesday 00:00 Tokyo (Monday 23 is Labour Thanksgiving Day there): 2 BD from the
    # original start -> 18 BH from Tuesday 08:00 JST -> Wednesday 17:00 JST = 08:00 UTC.
    assert restoration["due"] == "2026-11-25T08:00:00Z"
    status, _ = apis["engineer"].post(
        f"/severity-requests/{req['id']}/decision", {"accept": False, "reason": "late"}
    )
    assert status == 409
    assert SeverityRequest.objects.get().decision_reason == "confirmed impact"


def test_phone_raise_to_critical_counts_from_the_call(apis: dict[str, Api], clock: Clock) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)  # S2, Monday 10:00 New York
    clock.set(START + timedelta(minutes=30))
    status, body = apis["engineer"].post(
        f"/cases/{case['id']}/phone-raise",
        {
            "reason": "all sites down",
            "contact_name": "Rita",
            "contact_phone": "12",
        },
    )
    assert status == 400
    assert "phone number '12' is not a valid number" in body["detail"]
    status, raised = apis["engineer"].post(
        f"/cases/{case['id']}/phone-raise",
        {
            "reason": "all sites down",
            "contact_name": "Rita",
            "contact_phone": "+1 212 555 0100",
        },
    )
    assert status == 200
    assert raised["severity"] == 1
    clocks = {c["metric"]: c for c in raised["clocks"]}
    assert clocks["response"]["due"] == "2026-11-23T19:30:00Z"  # 4 h from 10:30 EST
    assert clocks["restoration"]["due"] == "2026-11-23T21:30:00Z"  # 6 h from the call


def test_sla_view_explains_each_metric(apis: dict[str, Api]) -> None:
    _, case = apis["reseller"].post("/cases", RESELLER_CASE)
    status, view = apis["reseller"].get(f"/cases/{case['id']}/sla")
    assert status == 200
    assert view["calendar"] == ("Mon-Fri 08:00-17:00 America/New_York, public holidays of US")
    metrics = {m["metric"]: m for m in view["metrics"]}
    response = metrics["response"]
    assert (response["target"], response["state"], response["remaining"]) == (
        "6 BH",
        "on-track",
        "6:00",
    )
    assert response["due_local"] == "2026-11-23T16:00:00-05:00"
    texts = [s["text"] for s in metrics["restoration"]["explanation"]]
    assert "Skipped Thu 2026-11-26: public holiday (Thanksgiving Day)." in texts
    assert texts[-1].startswith("Due ")


def test_queue_orders_by_severity_priority_then_due(apis: dict[str, Api], world: World) -> None:
    _, low = apis["customer"].post("/cases", {**CUSTOMER_CASE, "severity": 4, "priority": 1})
    _, mid = apis["customer"].post(
        "/cases", {**CUSTOMER_CASE, "subject": "Other thing", "priority": 2}
    )
    _, high = apis["reseller"].post("/cases", {**RESELLER_CASE, "priority": 4})
    _, high_first = apis["account"].post(
        "/cases", {**RESELLER_CASE, "priority": 1, "channel": "phone"}
    )
    status, queue = apis["engineer"].get("/queue")
    assert status == 200
    assert [c["number"] for c in queue["items"]] == [
        high_first["number"],
        high["number"],
        mid["number"],
        low["number"],
    ]
    status, _ = apis["customer"].get("/queue")
    assert status == 403
    _, filtered = apis["engineer"].get("/queue", severity=2, plan="care-for-cloud")
    assert [c["number"] for c in filtered["items"]] == [high["number"]]
    _, soon = apis["engineer"].get("/queue", breaching_within_hours=7)
    # Within 7 h of Monday 10:00 New York: the Care for Cloud S2 response (16:00 EST) and the
    # Business Care one (2 BH in London: Mon 15:00 GMT + 2h = 17:00 GMT = 12:00 EST).
    assert {c["number"] for c in soon["items"]} == {high["number"], high_first["number"]}
    _, at_risk = apis["engineer"].get("/queue", state="at-risk")
    assert at_risk["items"] == []
    status, body = apis["engineer"].get("/queue", state="doomed")
    assert status == 400
    assert "unknown SLA state 'doomed'" in body["detail"]


# What a case's own answer tells its reader besides its summary (``cases.notices``).
DETAIL_NOTICES = ("critical_contact", "response_expected_by", "response_expected_text")


def test_list_summaries_show_what_each_case_shows_and_reads_are_few_queries(
    apis: dict[str, Api], clock: Clock, django_assert_max_num_queries: Any
) -> None:
    """Lists are read past the ORM (``cases.listing``), single cases too (``infra.rows``):
    every summary must say what the case itself says, on both databases."""
    opened = [
        apis["customer"].post("/cases", {**CUSTOMER_CASE, "subject": f"Thing {n}"})[1]
        for n in range(3)
    ]
    apis["engineer"].post(f"/cases/{opened[1]['id']}/comments", {"body": "Looking."})
    apis["engineer"].post(f"/cases/{opened[2]['id']}/status", {"status": "waiting-on-customer"})
    # The customer is in Tokyo: opened Tue 00:00 JST, the 2 BH responses are due Tue 10:00
    # JST (01:00 UTC). At 10:30 JST they are breached but for the one Care answered; waiting
    # on the customer pauses restoration, not response.
    clock.set(START + timedelta(hours=10, minutes=30))  # Tuesday 10:30 Tokyo
    apis["customer"].get("/me")  # records the token's use: a write, once a minute
    with django_assert_max_num_queries(3):  # token, count, the page's cases with their clocks
        status, page = apis["customer"].get("/cases", limit=2, offset=0)
    assert status == 200
    assert page["count"] == 3
    listed = page["items"] + apis["customer"].get("/cases", limit=2, offset=2)[1]["items"]
    assert [c["number"] for c in listed] == [c["number"] for c in reversed(opened)]
    assert [c["sla_state"] for c in listed] == ["breached", "on-track", "breached"]
    assert [c["state"] for c in listed[0]["clocks"]] == ["breached", "paused", "n/a"]
    for summary in listed:
        with django_assert_max_num_queries(2):  # token, case with its clocks
            _, case = apis["customer"].get(f"/cases/{summary['id']}")
        for key in ("description", "intake", "possible_duplicates", *DETAIL_NOTICES):
            case.pop(key)
        assert summary == case


def test_a_summary_lists_the_clocks_a_case_has(apis: dict[str, Api], clock: Clock) -> None:
    """Each clock is joined to its case by metric: a case without one of them (its row not
    written yet) lists the others, in metric order, and none made up."""
    _, opened = apis["customer"].post("/cases", CUSTOMER_CASE)
    SlaClock.objects.filter(case_id=opened["id"], metric="restoration").delete()
    clock.set(START + timedelta(hours=10, minutes=30))  # Tuesday 10:30 Tokyo, as above
    _, page = apis["customer"].get("/cases")
    (summary,) = page["items"]
    assert [(c["metric"], c["state"]) for c in summary["clocks"]] == [
        ("response", "breached"),
        ("resolution", "n/a"),
    ]
    assert summary["sla_state"] == "breached"
    _, filtered = apis["customer"].get("/cases", severity=opened["severity"])
    assert filtered["items"] == [summary]


def test_links_and_policies(apis: dict[str, Api]) -> None:
    _, first = apis["reseller"].post("/cases", RESELLER_CASE)
    _, second = apis["reseller"].post(
        "/cases", {**RESELLER_CASE, "subject": "Docs please", "case_type": "documentation"}
    )
    status, link = apis["reseller"].post(
        f"/cases/{second['id']}/links", {"case_number": first["number"], "kind": "documentation"}
    )
    assert (status, link["to"]) == (201, first["number"])
    status, _ = apis["reseller"].post(
        f"/cases/{second['id']}/links", {"case_number": first["number"], "kind": "cousin"}
    )
    assert status == 400
    status, policies = apis["customer"].get("/policies")
    assert {p["id"] for p in policies} == {
        "purecloud-support",
        "purecloud-customer-care",
        "genesys-care-cloud-reseller",
    }
    status, reseller = apis["customer"].get("/policies/genesys-care-cloud-reseller")
    assert reseller["plans"]["care-for-cloud"]["targets"]["incident"]["3"] == {
        "response": "1 BD",
        "restoration": "10 BD",
        "resolution": "30 BD",
    }
    status, body = apis["customer"].get("/policies/nope")
    assert status == 404
    assert body["detail"].startswith("unknown policy 'nope'")


def test_openapi_document_is_served(world: World) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/cases/{case_id}/sla" in paths
    assert "/api/queue" in paths


def test_rules_preview_then_apply_over_http(apis: dict[str, Api], world: World) -> None:
    # Acme (New York) moves to London at Monday 10:00 New York, just after its case opened:
    # nothing was used, so the response's 6 BH count from Monday 15:00 London: 2 that day,
    # 4 on Tuesday -> Tuesday 12:00 London.
    status, case = apis["reseller"].post("/cases", RESELLER_CASE)
    assert status == 201
    path = f"/organisations/{world.reseller.id}/rules"
    move = {"timezone": "Europe/London", "country": "GB"}
    status, preview = apis["engineer"].post(f"{path}/preview", move)
    assert status == 200, preview
    assert preview["applied"] is False
    assert preview["cases"] == [case["number"]]
    response = next(m for m in preview["moves"] if m["metric"] == "response")
    assert (response["due_before"], response["due_after"]) == (
        "2026-11-23T21:00:00Z",  # Monday 16:00 New York
        "2026-11-24T12:00:00Z",  # Tuesday 12:00 London
    )
    _, unchanged = apis["reseller"].get(f"/cases/{case['id']}")
    assert unchanged["timezone"] == "America/New_York"
    # Bad input: a message, nothing written.
    for body, code, text in [
        ({**move, "colour": "red"}, 422, "colour: unknown field"),
        ({"timezone": "Mars/Olympus", "reason": "x"}, 400, "Mars/Olympus"),
        (move, 422, "reason"),
    ]:
        status, answer = apis["manager"].post(path, body)
        assert status == code, answer
        assert text in answer["detail"] or text in json.dumps(answer.get("errors"))
    status, answer = apis["engineer"].post(path, {**move, "reason": "moved"})
    assert status == 403, answer
    status, answer = apis["reseller"].post(f"{path}/preview", move)
    assert status == 403, answer
    _, unchanged = apis["reseller"].get(f"/cases/{case['id']}")
    assert unchanged["timezone"] == "America/New_York"
    status, applied = apis["manager"].post(path, {**move, "reason": "Acme moved to London"})
    assert status == 200, applied
    assert applied["applied"] is True
    _, moved = apis["reseller"].get(f"/cases/{case['id']}")
    assert moved["timezone"] == "Europe/London"
    clocks = {c["metric"]: c for c in moved["clocks"]}
    assert clocks["response"]["due"] == "2026-11-24T12:00:00Z"


def test_sla_explanation_speaks_the_readers_language(apis: dict[str, Api], world: World) -> None:
    # Kenji's severity 3 case opened Monday 10:00 New York = Tuesday 00:00 Tokyo: the 2 BH
    # response counts Tuesday 08:00-10:00 Tokyo.
    status, case = apis["customer"].post("/cases", CUSTOMER_CASE)
    assert status == 201
    status, english = apis["customer"].get(f"/cases/{case['id']}/sla")
    assert status == 200
    steps = next(m for m in english["metrics"] if m["metric"] == "response")["explanation"]
    assert "Counted Tue 2026-11-24 08:00-10:00 JST: 2:00 (total 2:00)." in [
        s["text"] for s in steps
    ]
    speaks(world.customer_contact, "ja")
    _, japanese = apis["customer"].get(f"/cases/{case['id']}/sla")
    steps = next(m for m in japanese["metrics"] if m["metric"] == "response")["explanation"]
    texts = [s["text"] for s in steps]
    assert "火 2026-11-24 08:00-10:00 JST を計上：2:00（累計 2:00）。" in texts  # noqa: RUF001
    assert [s["kind"] for s in steps] == [s["kind"] for s in english["metrics"][0]["explanation"]]
