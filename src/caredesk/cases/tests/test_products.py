"""The product of a case: one the policy knows (SPEC 3, seed 004 sections 3 and 6), given as
``product`` or as the intake answer ``intake.product``; taken as the case's product (stored
on the case, used by the MAC/D routing and the duplicate check) or refused with 422 naming
the value and the known products. Never silently ignored.

The frozen clock reads Monday 2026-11-23 10:00 New York (15:00 UTC).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from caredesk.accounts import services as accounts
from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.cases.tests.test_intake import nothing_written
from caredesk.conftest import START
from caredesk.infra.errors import DomainError
from caredesk.testing import (
    PURECLOUD_INTAKE,
    RESELLER_INTAKE,
    World,
    customer_case_payload,
    reseller_case_payload,
    signed_in_client,
)

KNOWN = "pureengage-cloud, premier-edition, outbound-engagement, social-analytics"


def test_the_intake_answer_is_taken_as_the_product(world: World) -> None:
    intake = {**RESELLER_INTAKE, "product": "social-analytics"}
    case = services.open_case(
        **reseller_case_payload(world, START, product="", intake_fields=intake)
    ).case
    stored = Case.objects.get(id=case.id)
    assert stored.product == "social-analytics"
    assert "product" not in stored.intake  # stored once, as the case's product
    opened = stored.events.get(kind="opened")
    assert opened.data["product"] == "social-analytics"


def test_the_same_product_given_twice_is_one_product(world: World) -> None:
    intake = {**RESELLER_INTAKE, "product": "pureengage-cloud"}
    case = services.open_case(
        **reseller_case_payload(world, START, product="pureengage-cloud", intake_fields=intake)
    ).case
    assert (case.product, "product" in case.intake) == ("pureengage-cloud", False)


def test_the_intake_product_routes_a_macd_request(world: World) -> None:
    # Seed 004 section 6: MAC/D for Premier Edition goes to the Customer Success Manager.
    intake = {**RESELLER_INTAKE, "product": "premier-edition"}
    with pytest.raises(DomainError, match=r"submit them to your Customer Success Manager") as err:
        services.open_case(
            **reseller_case_payload(
                world, START, case_type="service-request", product="", intake_fields=intake
            )
        )
    assert err.value.status == 422
    nothing_written()


REFUSED: list[Any] = [
    pytest.param(
        reseller_case_payload,
        {"product": "pure-magic"},
        "product",
        f"unknown product 'pure-magic' for policy genesys-care-cloud-reseller; "
        f"expected one of: {KNOWN}",
        id="unknown-product",
    ),
    pytest.param(
        reseller_case_payload,
        {"product": "", "intake_fields": {**RESELLER_INTAKE, "product": "pure-magic"}},
        "product",
        f"unknown product 'pure-magic' for policy genesys-care-cloud-reseller; "
        f"expected one of: {KNOWN}",
        id="unknown-intake-product",
    ),
    pytest.param(
        reseller_case_payload,
        {
            "product": "pureengage-cloud",
            "intake_fields": {**RESELLER_INTAKE, "product": "premier-edition"},
        },
        "intake.product",
        "intake.product 'premier-edition' differs from product 'pureengage-cloud'; "
        "give the product once",
        id="two-different-products",
    ),
    pytest.param(
        customer_case_payload,
        {"product": "purecloud"},
        "product",
        "unknown product 'purecloud' for policy purecloud-customer-care; it names no "
        "products: leave product empty",
        id="a-policy-without-products",
    ),
]


@pytest.mark.parametrize(("payload", "overrides", "field", "message"), REFUSED)
def test_a_product_the_policy_does_not_know_is_refused(
    world: World, payload: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(DomainError) as err:
        services.open_case(**payload(world, START, **overrides))
    assert (err.value.status, err.value.message) == (422, message)
    assert err.value.errors == [{"field": field, "message": message}]
    nothing_written()


def test_over_http_an_unknown_product_answers_422_naming_it(world: World) -> None:
    token = accounts.issue_token(user=world.reseller_contacts[0].user, now=START)
    body = {
        "severity": 2,
        "channel": "portal",
        "subject": "Agents cannot go on queue",
        "description": "Error when going on queue.",
        "intake": {**RESELLER_INTAKE, "product": "pure-magic"},
    }
    response = Client().post(
        "/api/cases",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        f"unknown product 'pure-magic' for policy genesys-care-cloud-reseller; "
        f"expected one of: {KNOWN}"
    )
    nothing_written()


def test_missing_intake_fields_answer_422_too(world: World) -> None:
    with pytest.raises(DomainError) as err:
        services.open_case(
            **customer_case_payload(world, START, intake_fields={**PURECLOUD_INTAKE, "org_id": ""})
        )
    assert (err.value.status, err.value.message) == (
        422,
        "the case cannot be opened; fix: intake.org_id",
    )
    nothing_written()


def test_the_form_offers_the_policys_products(world: World) -> None:
    page = signed_in_client(world.reseller_contacts[0]).get("/cases/new").content.decode()
    assert '<select name="product"' in page
    assert '<option value="outbound-engagement">Outbound Engagement (including Mobile ' in page
    # Initech's policy names no products: its form asks for none.
    page = signed_in_client(world.customer_contact).get("/cases/new").content.decode()
    assert 'name="product"' not in page
