"""The Care managers' dashboard: who may see it, what it counts, and sending a dead
delivery again. The frozen clock stands at Monday 2026-11-23 10:00 New York (15:00 UTC);
Max, the manager, works in New York."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from caredesk.automation import services as automation
from caredesk.automation.models import Outbox
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import World, open_customer_case, open_reseller_case, signed_in_client


@pytest.fixture
def manager(world: World) -> Client:
    return signed_in_client(world.manager)


@pytest.mark.parametrize("who", ["customer_contact", "engineer"])
def test_only_care_managers_see_the_dashboard(world: World, who: str) -> None:
    client = signed_in_client(getattr(world, who))
    assert client.get("/dashboard").status_code == 403
    assert client.post("/dashboard/outbox/1/retry").status_code == 403


def test_the_dashboard_counts_open_cases_breaches_and_escalations(
    world: World, manager: Client, clock: Clock
) -> None:
    # Kenji's 2 BH response counts from Tue 08:00 Tokyo (Mon 18:00 New York), due Mon 20:00
    # New York.
    kenji = open_customer_case(world, START)
    rita = open_reseller_case(world, START)  # response due Mon 16:00 New York (6 BH)
    automation.escalate(
        actor=world.reseller_contacts[0].user,
        case_id=rita.id,
        description="Agents idle",
        business_impact="No sales",
        now=START,
    )
    clock.set(START + timedelta(hours=9, minutes=45))  # Mon 19:45 New York = Tue 09:45 Tokyo
    page = manager.get("/dashboard")
    assert page.status_code == 200
    seen = page.context["oversight"]
    # Rita's response was due 16:00 and is breached; Kenji's (due 20:00) is at risk.
    states = {(row["plan"], row["state"]): row["count"] for row in seen.by_state_and_plan}
    assert states == {(rita.plan, "breached"): 1, (kenji.plan, "at-risk"): 1}
    assert seen.breached_today == 1
    assert [row["number"] for row in seen.at_risk] == [kenji.number]
    assert [e["case__number"] for e in seen.escalations] == [rita.number]
    body = page.content.decode()
    assert "Breaches today" in body
    automation.acknowledge_escalation(actor=world.manager.user, case_id=rita.id, now=START)
    assert manager.get("/dashboard").context["oversight"].escalations == []


def test_a_dead_delivery_is_sent_again_from_the_dashboard(world: World, manager: Client) -> None:
    open_customer_case(world, START)
    row = Outbox.objects.filter(channel="email").first()
    assert row is not None
    Outbox.objects.filter(id=row.id).update(state=Outbox.State.DEAD, last_error="refused")
    page = manager.get("/dashboard").content.decode()
    assert "refused" in page
    assert "Send again" in page
    answer = manager.post(f"/dashboard/outbox/{row.id}/retry")
    assert answer.status_code == 302
    row.refresh_from_db()
    assert row.state == Outbox.State.PENDING
    # Delivered rows are done: nothing to send again.
    Outbox.objects.filter(id=row.id).update(state=Outbox.State.DELIVERED)
    assert manager.post(f"/dashboard/outbox/{row.id}/retry").status_code == 404


def test_the_dashboard_in_japanese(world: World) -> None:
    client = signed_in_client(world.manager, language="ja")
    page = client.get("/dashboard").content.decode()
    assert "ダッシュボード" in page
    assert "本日の違反" in page
