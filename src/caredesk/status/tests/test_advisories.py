"""Service advisories: Care publishes known issues and workarounds in English and Japanese,
everyone signed in reads the active ones, Care withdraws them; the new-case form lists
those of the service a case would concern before it is opened (seed 004 section 4.1).

The frozen clock reads Monday 23 November 2026 15:00 UTC (10:00 New York).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from caredesk.status.models import Advisory
from caredesk.status.tests.conftest import Api
from caredesk.testing import World, signed_in_client, speaks

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)

ADVISORY = {
    "service": "premier-edition",
    "title_en": "Wallboards show stale figures",
    "title_ja": "ウォールボードの数値が古い",
    "text_en": "Reload the wallboard every hour until the fix is deployed.",
    "text_ja": "修正が適用されるまで、1時間ごとにウォールボードを再読み込みしてください。",
}


def post(api: Api, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    response = api.client.post(
        f"/api{path}", json.dumps(body or {}), content_type="application/json", headers=api.headers
    )
    return response.status_code, response.json()


def test_care_publishes_everyone_reads_care_withdraws(world: World, apis: dict[str, Api]) -> None:
    status, body = post(apis["engineer"], "/advisories", ADVISORY)
    assert status == 201, body
    assert (body["service"], body["title"]["ja"], body["withdrawn_at"]) == (
        "premier-edition",
        "ウォールボードの数値が古い",
        None,
    )
    for reader in ("customer", "account", "engineer"):
        status, listed = apis[reader].get("/advisories")
        assert (status, [a["id"] for a in listed]) == (200, [body["id"]])
    status, listed = apis["customer"].get("/advisories", service="purecloud")
    assert (status, listed) == (200, [])
    status, withdrawn = post(apis["engineer"], f"/advisories/{body['id']}/withdraw")
    assert (status, withdrawn["withdrawn_at"]) == (200, "2026-11-23T15:00:00Z")
    assert apis["account"].get("/advisories") == (200, [])
    status, again = post(apis["engineer"], f"/advisories/{body['id']}/withdraw")
    assert status == 409
    assert again["detail"] == (
        f"advisory {body['id']} was already withdrawn (2026-11-23T15:00:00+00:00)"
    )


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"service": "telex"}, "services", "unknown service 'telex'"),
        ({"title_ja": " "}, "title_ja", "the title in Japanese is empty"),
        ({"text_en": ""}, "text_en", "the text in English is empty"),
    ],
)
def test_a_bad_advisory_is_refused_and_nothing_written(
    world: World, apis: dict[str, Api], change: dict[str, Any], field: str, words: str
) -> None:
    status, body = post(apis["engineer"], "/advisories", {**ADVISORY, **change})
    assert status == 422, body
    assert words in body["detail"]
    assert body["errors"][0]["field"] == field
    assert Advisory.objects.count() == 0


def test_only_care_publishes_and_withdraws(world: World, apis: dict[str, Api]) -> None:
    status, body = post(apis["account"], "/advisories", ADVISORY)
    assert (status, body["detail"]) == (403, "only Care may do this")
    _, made = post(apis["engineer"], "/advisories", ADVISORY)
    status, body = post(apis["account"], f"/advisories/{made['id']}/withdraw")
    assert status == 403
    assert Advisory.objects.get().withdrawn_at is None
    status, body = post(apis["engineer"], "/advisories/999/withdraw")
    assert (status, body["detail"]) == (404, "advisory 999 not found")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_new_case_form_lists_the_advisories_of_the_policy_products(
    world: World, apis: dict[str, Api], language: str
) -> None:
    post(apis["engineer"], "/advisories", ADVISORY)
    post(apis["engineer"], "/advisories", {**ADVISORY, "service": "purecloud", "title_en": "PC"})
    # Gina's end user account is under the reseller policy: its four products.
    page = signed_in_client(speaks(world.account_contact, language)).get("/cases/new")
    text = page.content.decode()
    assert page.status_code == 200
    if language == "ja":
        assert "既知の問題と回避策" in text
        assert "ウォールボードの数値が古い" in text
        assert "1時間ごとに" in text
    else:
        assert "Known issues and workarounds" in text
        assert "Wallboards show stale figures" in text
        assert "Premier Edition" in text
    assert "PC</strong>" not in text  # PureCloud is none of the reseller policy's products


def test_the_form_shows_the_chosen_product_and_a_policy_without_products_the_subscribed(
    world: World, apis: dict[str, Api]
) -> None:
    post(apis["engineer"], "/advisories", ADVISORY)
    post(apis["engineer"], "/advisories", {**ADVISORY, "service": "purecloud", "title_en": "PC"})
    gina = signed_in_client(world.account_contact)
    chosen = gina.post("/cases/new", {"product": "pureengage-cloud"}).content.decode()
    assert "Wallboards show stale figures" not in chosen
    # Initech's policy names no product: the services it takes (PureCloud, once recorded).
    kenji = signed_in_client(world.customer_contact)
    assert "PC</strong>" not in kenji.get("/cases/new").content.decode()
    apis["engineer"].put(
        f"/organisations/{world.customer.id}/services", {"services": ["purecloud"]}
    )
    assert "PC</strong>" in kenji.get("/cases/new").content.decode()
