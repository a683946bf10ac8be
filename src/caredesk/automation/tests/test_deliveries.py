"""Listing deliveries by state: one service for the API and the CLI, refusing an unknown
state by name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from caredesk.automation import services
from caredesk.automation.models import Outbox
from caredesk.conftest import START
from caredesk.infra.errors import DomainError
from caredesk.testing import World

REFUSAL = "unknown outbox state 'stuck'; expected one of: pending, delivered, dead, cancelled"


def _rows() -> None:
    for n, state in enumerate(["dead", "dead", "pending", "delivered", "dead"]):
        Outbox.objects.create(
            key=f"test:{n}",
            channel="email",
            event="comment",
            payload={},
            state=state,
            next_attempt_at=START,
            created_at=START + timedelta(minutes=n),
        )


def test_the_newest_rows_of_a_state_and_their_count(world: World) -> None:
    _rows()
    rows, count = services.deliveries(state="dead", limit=2)
    assert [row.key for row in rows] == ["test:4", "test:1"]
    assert count == 3


def test_an_unknown_state_is_refused_by_the_service_and_the_api(
    world: World, tokens: dict[str, str]
) -> None:
    with pytest.raises(DomainError) as refused:
        services.deliveries(state="stuck", limit=10)
    assert refused.value.message == REFUSAL
    answer = Client().get(
        "/api/outbox?state=stuck", HTTP_AUTHORIZATION=f"Bearer {tokens['manager']}"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == REFUSAL


def test_removing_a_webhook_cancels_its_queued_deliveries_and_keeps_them(
    world: World,
) -> None:
    """Issue 13, point 16: the rows stay (for the record), marked cancelled, and neither the
    worker nor a redrive sends them; another subscription's rows are untouched."""
    from caredesk.automation import outbox
    from caredesk.cases import services as cases
    from caredesk.testing import open_customer_case

    gone, _ = services.subscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        url="https://hooks.example/gone",
        event_types=["comment"],
        now=START,
    )
    kept, _ = services.subscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        url="https://hooks.example/kept",
        event_types=["comment"],
        now=START,
    )
    case = open_customer_case(world, START)
    cases.add_comment(actor=world.engineer.user, case_id=case.id, body="On it.", now=START)
    webhooks = Outbox.objects.filter(channel="webhook")
    assert sorted(webhooks.values_list("payload__subscription", "state")) == [
        (gone.id, "pending"),
        (kept.id, "pending"),
    ]
    services.unsubscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        subscription_id=gone.id,
        now=START,
    )
    assert sorted(webhooks.values_list("payload__subscription", "state")) == [
        (gone.id, "cancelled"),
        (kept.id, "pending"),
    ]
    cancelled = webhooks.get(payload__subscription=gone.id)
    assert outbox.redrive(None, now=START) == 0
    assert outbox.redrive([cancelled.id], now=START) == 0
    assert Outbox.objects.get(id=cancelled.id).state == "cancelled"
