"""Strict input (issue 13, point 15): a JSON value of another type is not taken for the one
asked, and a body is read only when sent as JSON; refused with one sentence, nothing
written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from caredesk.cases.models import Case, CaseEvent
from caredesk.cases.tests.test_api import RESELLER_CASE


def _post(
    token: str, body: object, content_type: str = "application/json"
) -> tuple[int, dict[str, Any]]:
    response = Client().post(
        "/api/cases",
        json.dumps(body),
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [("severity", True), ("severity", "2"), ("priority", False), ("priority", 2.0)],
)
def test_a_value_of_another_json_type_is_refused(
    tokens: dict[str, str], field: str, value: object
) -> None:
    status, body = _post(tokens["reseller"], {**RESELLER_CASE, field: value})
    assert status == 422
    assert body["detail"].startswith(f"invalid request: {field}: Input should be a valid")
    assert body["errors"][0]["field"] == field
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_not_sent_as_json_is_refused(tokens: dict[str, str], content_type: str) -> None:
    status, body = _post(tokens["reseller"], RESELLER_CASE, content_type)
    assert status == 415
    assert body["detail"] == (
        "the request body must be JSON, sent with Content-Type: application/json "
        f"(got {content_type!r})"
    )
    assert not Case.objects.exists()


def test_the_same_case_sent_as_json_is_opened(tokens: dict[str, str]) -> None:
    status, body = _post(tokens["reseller"], RESELLER_CASE)
    assert status == 201, body
    assert body["severity"] == 2
