"""The automation store against its ORM reference: what each statement reads or writes is
what the plain queryset would, on either database."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from caredesk.automation import store
from caredesk.automation.models import Outbox, Timer, WebhookSubscription
from caredesk.conftest import START
from caredesk.testing import World


def subscribe(world: World, org_id: int, url: str, *, active: bool = True) -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        organisation_id=org_id,
        url=url,
        secret="s" * 32,
        event_types=["opened"],
        active=active,
        created_at=START,
    )


def test_active_subscriptions_are_those_the_orm_finds_by_organisation(world: World) -> None:
    subscribe(world, world.reseller.id, "https://hooks.example/reseller-1")
    subscribe(world, world.account.id, "https://hooks.example/account", active=False)
    subscribe(world, world.customer.id, "https://hooks.example/customer")
    subscribe(world, world.reseller.id, "https://hooks.example/reseller-2")
    asked = [world.reseller.id, world.account.id]
    reference: dict[int, list[WebhookSubscription]] = {}
    for sub in WebhookSubscription.objects.filter(active=True, organisation_id__in=asked).order_by(
        "id"
    ):
        reference.setdefault(sub.organisation_id, []).append(sub)
    found = store.active_subscriptions(asked)
    assert found == reference
    assert [s.url for s in found[world.reseller.id]] == [
        "https://hooks.example/reseller-1",
        "https://hooks.example/reseller-2",
    ]
    (first, _) = found[world.reseller.id]
    assert (first.event_types, first.created_at) == (["opened"], START)
    assert store.active_subscriptions([]) == {}


def timer(key: str, due_minutes: int) -> Timer:
    return Timer(
        key=key,
        kind="credentials-overdue",
        subject_id=1,
        due_at=START + timedelta(minutes=due_minutes),
        payload={"due": START.isoformat()},
        created_at=START,
    )


def test_inserted_timers_read_back_as_written_and_a_pending_key_is_kept(world: World) -> None:
    Timer.objects.all().delete()  # the world's own (credentials of its trained contacts)
    store.insert_timers([timer("a", 10), timer("b", 20)])
    store.insert_timers([timer("a", 99), timer("c", 30)])  # "a" is pending already
    rows = {t.key: t for t in Timer.objects.order_by("key")}
    assert sorted(rows) == ["a", "b", "c"]
    assert rows["a"].due_at == START + timedelta(minutes=10)
    assert (rows["c"].kind, rows["c"].payload, rows["c"].attempts) == (
        "credentials-overdue",
        {"due": START.isoformat()},
        0,
    )


def test_claims_give_due_rows_in_order_as_the_orm_reads_them(world: World) -> None:
    Timer.objects.all().delete()
    Outbox.objects.all().delete()
    Timer.objects.bulk_create([timer("late", 30), timer("early", 5), timer("later", 60)])
    now = START + timedelta(minutes=30)
    with transaction.atomic():
        claimed = store.claim_timers(now, 10)
        reference = list(Timer.objects.filter(due_at__lte=now).order_by("due_at", "id"))
    assert [t.key for t in claimed] == [t.key for t in reference] == ["early", "late"]
    with transaction.atomic():
        assert [t.key for t in store.claim_timers(now, 1)] == ["early"]

    def row(key: str, channel: str, state: str, due_minutes: int) -> Outbox:
        return Outbox(
            key=key,
            channel=channel,
            event="opened",
            payload={},
            state=state,
            next_attempt_at=START + timedelta(minutes=due_minutes),
            created_at=START,
        )

    Outbox.objects.bulk_create(
        [
            row("mail-2", "email", "pending", 20),
            row("mail-1", "email", "pending", 10),
            row("mail-dead", "email", "dead", 0),
            row("mail-later", "email", "pending", 45),
            row("hook", "webhook", "pending", 0),
        ]
    )
    with transaction.atomic():
        leased = store.claim_outbox(now, 10, Outbox.Channel.EMAIL)
    assert [r.key for r in leased] == ["mail-1", "mail-2"]
