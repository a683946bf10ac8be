"""The shipped policies over HTTP: what a client needs to open a case (intake fields with
their answers, in English and Japanese)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from caredesk.accounts import services
from caredesk.conftest import START
from caredesk.testing import World


def get(world: World, path: str) -> tuple[int, Any]:
    token = services.issue_token(user=world.reseller_contacts[0].user, now=START)
    response = Client().get(f"/api{path}", headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def test_the_reseller_policy_lists_its_first_level_record_with_the_answers(world: World) -> None:
    status, policy = get(world, "/policies/genesys-care-cloud-reseller")
    assert status == 200
    fields = {f["key"]: f for f in policy["intake_fields"]}
    assert fields["reproduced"] == {
        "key": "reproduced",
        "label": {"en": "Was the problem reproduced?", "ja": "問題を再現できましたか?"},
        "required": True,
        "choices": {
            "yes": {"en": "Yes, reproduced", "ja": "はい、再現できました"},
            "no": {"en": "No, it could not be reproduced", "ja": "いいえ、再現できませんでした"},
            "not-applicable": {
                "en": "Nothing to reproduce (a question or a request)",
                "ja": "再現の対象なし (質問または依頼)",
            },
        },
    }
    assert fields["first_level_actions"]["required"] is True
    assert fields["documentation_consulted"]["choices"] == {}  # free text


def test_the_products_a_policy_knows_are_listed_with_their_names(world: World) -> None:
    status, products = get(world, "/policies/genesys-care-cloud-reseller/products")
    assert status == 200
    assert products == [
        {"id": "pureengage-cloud", "name": {"en": "PureEngage Cloud", "ja": "PureEngage Cloud"}},
        {
            "id": "premier-edition",
            "name": {
                "en": "Premier Edition (including Self-Service)",
                "ja": "Premier Edition (セルフサービスを含む)",
            },
        },
        {
            "id": "outbound-engagement",
            "name": {
                "en": "Outbound Engagement (including Mobile Marketing)",
                "ja": "Outbound Engagement (モバイル マーケティングを含む)",
            },
        },
        {
            "id": "social-analytics",
            "name": {"en": "Genesys Social Analytics", "ja": "Genesys Social Analytics"},
        },
    ]
    status, policy = get(world, "/policies/genesys-care-cloud-reseller")
    assert policy["products"] == products
    # The PureCloud pages name no products: a case there concerns PureCloud itself.
    for policy_id in ("purecloud-support", "purecloud-customer-care"):
        assert get(world, f"/policies/{policy_id}/products") == (200, [])
    status, body = get(world, "/policies/nope/products")
    assert status == 404
    assert body["detail"].startswith("unknown policy 'nope'; expected one of: ")
