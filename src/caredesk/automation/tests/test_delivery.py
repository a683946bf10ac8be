"""Delivery from the outbox to real receivers on loopback: e-mail through Django's SMTP
backend to an SMTP server, webhooks over HTTP to an endpoint that checks the signature.

Events are produced through the services; the dispatcher and the worker run in this
process at injected instants (nothing sleeps to wait for time). The receivers run in
threads, so these tests use real transactions (``transaction=True``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings

from caredesk.automation import notify, outbox, worker
from caredesk.automation import services as automation
from caredesk.automation.models import Outbox, Timer, TimerLog, WebhookSubscription
from caredesk.automation.tests.receivers import HttpReceiver, SmtpReceiver
from caredesk.cases import services
from caredesk.cases.models import CaseEvent
from caredesk.conftest import START
from caredesk.testing import World, ny, open_customer_case, open_reseller_case, person

pytestmark = pytest.mark.django_db(transaction=True)


class Crash(Exception):
    """The dispatcher dies after the receiver has the delivery, before it commits."""


# A row whose dispatcher died is due again once its lease has ended.
AFTER_A_CRASH = outbox.LEASE + timedelta(seconds=1)


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with (
        SmtpReceiver() as receiver,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=receiver.host,
            EMAIL_PORT=receiver.port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            DEFAULT_FROM_EMAIL="care@caredesk.invalid",
        ),
    ):
        yield receiver


@pytest.fixture
def hooks() -> Iterator[HttpReceiver]:
    with HttpReceiver() as receiver:
        yield receiver


def row_for(key: str) -> Outbox:
    return Outbox.objects.get(key=key)


def crash_once_after_delivery(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next recording of delivered rows (the dispatcher marking them delivered) raises
    ``Crash``: the receiver has the delivery, nothing is written."""
    original = outbox._record
    crashed: list[bool] = []

    def record(delivered: list[Outbox], *args: Any, **kwargs: Any) -> None:
        if delivered and not crashed:
            crashed.append(True)
            raise Crash(delivered[0].key)
        original(delivered, *args, **kwargs)

    monkeypatch.setattr(outbox, "_record", record)


# -- e-mail -------------------------------------------------------------------------------------


def test_a_public_reply_by_care_reaches_the_contact_over_smtp(
    world: World, smtp: SmtpReceiver
) -> None:
    case = open_customer_case(world, START)
    at = START + timedelta(minutes=20)
    reply = services.add_comment(
        actor=world.engineer.user,
        case_id=case.id,
        body="We restarted the callback service.",
        now=at,
    )
    contact = world.customer_contact.user
    key = f"mail:{reply.id}:{contact.pk}"
    assert row_for(key).state == Outbox.State.PENDING

    delivered, failed = outbox.dispatch(now=at)

    assert failed == 0
    assert delivered == Outbox.objects.filter(channel="email").count() >= 1
    row = row_for(key)
    assert (row.state, row.attempts, row.delivered_at) == (Outbox.State.DELIVERED, 1, at)
    mails = {m.message["X-CareDesk-Key"]: m for m in smtp.to(contact.email)}
    mail = mails[key]
    assert mail.recipients == [contact.email]
    assert mail.sender == "care@caredesk.invalid"
    assert mail.subject == f"[{case.number}] New reply: Callbacks are delayed"
    assert "We restarted the callback service." in mail.body
    assert mail.message_id == outbox.message_id(key, "caredesk.invalid")
    assert mail.message["Content-Language"] == "en"
    # The first reply by Care also opened the case: the contact hears of that too.
    assert any("Status changed" in m.subject for m in mails.values())
    assert smtp.duplicates == 0


def test_an_sla_warning_fired_by_the_worker_mails_every_manager(
    world: World, smtp: SmtpReceiver
) -> None:
    second = person(START, world.vendor, "mia@care.example", role="manager")
    case = open_reseller_case(world, ny(11, 23, 10))
    (first,) = Timer.objects.filter(case=case, kind="sla-warning", key__endswith=":response:0:50")
    assert first.due_at == ny(11, 23, 13)  # 50 % of 6 BH from Monday 10:00

    done = worker.one_round(ny(11, 23, 13))

    assert done.fired == 1
    logged = TimerLog.objects.get(key=first.key)
    assert (logged.fired_at, logged.outcome) == (ny(11, 23, 13), "warned 50%")
    assert not Timer.objects.filter(id=first.id).exists()
    warning = CaseEvent.objects.get(case=case, kind="sla-warning")
    assert warning.data["level"] == 50
    managers = [world.manager.user, second.user]
    for manager in managers:
        # Each manager was alerted of the new case first (issue 14), then warned.
        alert, mail = smtp.to(manager.email)
        assert alert.subject == f"[{case.number}] New case: Agents cannot go on queue"
        assert mail.subject == f"[{case.number}] SLA warning: Agents cannot go on queue"
        assert "50% of the response target" in mail.body
        # Managers work at the vendor in New York: times in their own zone, named.
        assert "Mon 2026-11-23 16:00 (America/New_York)" in mail.body
        key = f"mail:{warning.id}:{manager.pk}"
        assert mail.message["X-CareDesk-Key"] == key
        assert row_for(key).state == Outbox.State.DELIVERED
    # Besides the managers' alerts and warnings, only Rita's confirmation of her case.
    (confirmation,) = smtp.to(world.reseller_contacts[0].user.email)
    assert confirmation.subject == f"[{case.number}] Case opened: Agents cannot go on queue"
    assert len(smtp.received) == 2 * len(managers) + 1


def test_the_message_id_is_stable_when_a_row_is_delivered_again(
    world: World, smtp: SmtpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = open_customer_case(world, START)
    at = START + timedelta(minutes=5)
    reply = services.add_comment(
        actor=world.engineer.user, case_id=case.id, body="Looking.", now=at
    )
    key = f"mail:{reply.id}:{world.customer_contact.user.pk}"
    Outbox.objects.exclude(key=key).delete()  # only this row, to follow it
    crash_once_after_delivery(monkeypatch)

    with pytest.raises(Crash):
        outbox.dispatch(now=at)
    row = row_for(key)
    assert (row.state, row.delivered_at) == (Outbox.State.PENDING, None)  # not recorded
    assert len(smtp.received) == 1  # but the mail went out

    assert outbox.dispatch(now=at + AFTER_A_CRASH) == (1, 0)  # so it goes out again

    first, second = smtp.received
    assert first.message_id == second.message_id == outbox.message_id(key, "caredesk.invalid")
    assert first.message["X-CareDesk-Key"] == second.message["X-CareDesk-Key"] == key
    assert (second.duplicate, smtp.duplicates, len(smtp.unique)) == (True, 1, 1)
    assert row_for(key).state == Outbox.State.DELIVERED


# -- webhooks -----------------------------------------------------------------------------------


def test_a_chunk_out_of_lease_time_releases_the_rows_it_did_not_start(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        outbox.enqueue(
            key=f"mail:test:{n}",
            channel=Outbox.Channel.EMAIL,
            event="comment",
            payload={"to": f"p{n}@example.com", "subject": "s", "body": "b", "language": "en"},
            now=START,
        )
    # The first delivery takes longer than the lease leaves room for: the dispatcher must
    # not start another on rows whose lease may end while it works.
    ticks = iter([0.0, 0.0, outbox.LEASE_WORK.total_seconds() + 1])
    monkeypatch.setattr(outbox, "time", SimpleNamespace(monotonic=lambda: next(ticks, 1e9)))

    assert outbox.dispatch(now=START) == (1, 0)

    rows = {row.key: row for row in Outbox.objects.all()}
    assert rows["mail:test:0"].state == Outbox.State.DELIVERED
    for key in ("mail:test:1", "mail:test:2"):
        # Released: due at once, the attempt that never started not counted.
        assert (rows[key].state, rows[key].attempts, rows[key].next_attempt_at) == (
            Outbox.State.PENDING,
            0,
            START,
        )
    monkeypatch.undo()
    assert outbox.dispatch(now=START) == (2, 0)


def test_webhooks_are_signed_with_the_secret_returned_once(
    world: World, hooks: HttpReceiver
) -> None:
    sub, secret = automation.subscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        url=hooks.url,
        event_types=[],
        now=START,
    )
    assert secret.startswith("whsec_")
    hooks.secret = secret
    case = open_customer_case(world, START)
    at = START + timedelta(minutes=30)
    services.add_comment(actor=world.engineer.user, case_id=case.id, body="On it.", now=at)
    keys = set(Outbox.objects.filter(channel="webhook").values_list("key", flat=True))
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert keys == {f"webhook:{sub.id}:{e.id}" for e in events}
    assert [e.kind for e in events] == ["opened", "comment", "responded", "status-changed"]

    hooks.now = at
    assert outbox.dispatch(now=at) == (Outbox.objects.count(), 0)  # e-mails too

    assert len(hooks.received) == len(events)
    assert all(r.status == 200 and r.signature_ok for r in hooks.received)
    by_id = {r.event_id: r for r in hooks.received}
    assert set(by_id) == keys
    for event in events:
        request = by_id[f"webhook:{sub.id}:{event.id}"]
        assert request.path == "/hooks/caredesk"
        assert request.header("Content-Type") == "application/json"
        assert request.header("X-CareDesk-Event") == event.kind
        body = json.loads(request.body)
        assert body["id"] == f"evt_{event.id}"
        assert body["type"] == event.kind
        assert body["case"]["number"] == case.number
        assert datetime.fromisoformat(body["occurred_at"]) == event.at
        assert body["occurred_at"].endswith("Z"), body["occurred_at"]  # as the README says
        header = request.header(outbox.SIGNATURE_HEADER)
        assert header.startswith(f"t={int(at.timestamp())},v1=")
        assert outbox.verify(secret, header, request.body, now=at)
        # What a receiver must refuse:
        assert not outbox.verify(secret, header, request.body + b" ", now=at)  # tampered
        tampered = json.dumps(
            {**body, "type": "sla-breached"}, separators=(",", ":"), sort_keys=True
        ).encode()
        assert not outbox.verify(secret, header, tampered, now=at)
        assert not outbox.verify(secret, header, request.body, now=at + timedelta(minutes=6))
        assert not outbox.verify(secret, header, request.body, now=at - timedelta(minutes=6))
        assert not outbox.verify("whsec_other", header, request.body, now=at)
        assert not outbox.verify(secret, "v1=" + header.split("v1=")[1], request.body, now=at)
        # Within the tolerance the same delivery is still good.
        assert outbox.verify(secret, header, request.body, now=at + timedelta(minutes=4))


def test_a_failing_receiver_gets_retries_with_backoff_then_the_row_dies_and_is_redriven(
    world: World, hooks: HttpReceiver
) -> None:
    hooks.fail_first = outbox.MAX_ATTEMPTS  # HTTP 500 to every attempt until the row dies
    sub, secret = automation.subscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        url=hooks.url,
        event_types=["comment"],
        now=START,
    )
    hooks.secret = secret
    case = open_customer_case(world, START)
    comment = services.add_comment(
        actor=world.customer_contact.user,
        case_id=case.id,
        body="Any news?",
        now=START + timedelta(minutes=1),
    )
    key = f"webhook:{sub.id}:{comment.id}"
    Outbox.objects.filter(channel="email").delete()  # Care's mail about it: not followed here
    assert list(Outbox.objects.values_list("key", flat=True)) == [key]

    at = START + timedelta(minutes=1)
    gaps = []
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        if attempt > 1:
            # Not before its time: a round a second early finds nothing to do.
            assert outbox.dispatch(now=at - timedelta(seconds=1)) == (0, 0)
        hooks.now = at
        assert outbox.dispatch(now=at) == (0, 1)
        row = row_for(key)
        assert row.attempts == attempt
        assert row.last_error == "RuntimeError: the receiver answered HTTP 500"
        assert row.delivered_at is None
        if attempt < outbox.MAX_ATTEMPTS:
            assert row.state == Outbox.State.PENDING
            gaps.append(int((row.next_attempt_at - at).total_seconds()))
            at = row.next_attempt_at
        else:
            assert row.state == Outbox.State.DEAD
            assert row.next_attempt_at == at  # untouched: a dead row is not scheduled
    # 30 s, doubling, at most an hour.
    assert gaps == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert outbox.dispatch(now=at + timedelta(days=30)) == (0, 0)  # dead stays dead
    assert [r.status for r in hooks.received] == [500] * outbox.MAX_ATTEMPTS
    assert hooks.unique == {}

    later = at + timedelta(hours=2)
    assert outbox.redrive(None, now=later) == 1
    row = row_for(key)
    assert (row.state, row.attempts, row.next_attempt_at) == (Outbox.State.PENDING, 0, later)
    hooks.now = later
    assert outbox.dispatch(now=later) == (1, 0)

    row = row_for(key)
    assert (row.state, row.attempts, row.delivered_at, row.last_error) == (
        Outbox.State.DELIVERED,
        1,
        later,
        "",
    )
    assert [r.status for r in hooks.received] == [500] * outbox.MAX_ATTEMPTS + [200]
    assert list(hooks.unique) == [key]
    assert all(r.signature_ok for r in hooks.received)  # each attempt signed afresh
    assert outbox.redrive(None, now=later) == 0  # delivered rows are not sent again
    assert outbox.redrive([row.id], now=later) == 0


def test_a_repeated_webhook_delivery_keeps_its_event_id(
    world: World, hooks: HttpReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub, secret = automation.subscribe(
        actor=world.engineer.user,
        organisation_id=world.customer.id,
        url=hooks.url,
        event_types=["comment"],
        now=START,
    )
    hooks.secret = secret
    case = open_customer_case(world, START)
    comment = services.add_comment(
        actor=world.customer_contact.user, case_id=case.id, body="Still slow.", now=START
    )
    Outbox.objects.filter(channel="email").delete()  # Care's mail about it: not followed here
    crash_once_after_delivery(monkeypatch)
    hooks.now = START
    with pytest.raises(Crash):
        outbox.dispatch(now=START)
    hooks.now = START + AFTER_A_CRASH
    assert outbox.dispatch(now=START + AFTER_A_CRASH) == (1, 0)

    first, second = hooks.received
    key = f"webhook:{sub.id}:{comment.id}"
    assert first.event_id == second.event_id == key
    assert first.body == second.body  # the same event, signed at each attempt's time
    assert first.header(outbox.SIGNATURE_HEADER) != second.header(outbox.SIGNATURE_HEADER)
    assert (second.duplicate, hooks.duplicates, list(hooks.unique)) == (True, 1, [key])


def test_internal_notes_never_produce_a_webhook_or_a_mail(
    world: World, hooks: HttpReceiver
) -> None:
    sub, secret = automation.subscribe(
        actor=world.customer_contact.user,
        organisation_id=world.customer.id,
        url=hooks.url,
        event_types=[],
        now=START,
    )
    hooks.secret = secret
    case = open_customer_case(world, START)
    at = START + timedelta(minutes=10)
    note = services.add_comment(
        actor=world.engineer.user,
        case_id=case.id,
        body="Customer config is broken.",
        public=False,
        now=at,
    )
    assert not Outbox.objects.filter(key__endswith=f":{note.id}").exists()
    assert not Outbox.objects.filter(key__contains=f":{note.id}:").exists()
    reply = services.add_comment(
        actor=world.engineer.user, case_id=case.id, body="We are on it.", now=at
    )
    assert Outbox.objects.filter(key=f"webhook:{sub.id}:{reply.id}").exists()

    hooks.now = at
    assert outbox.dispatch(now=at)[1] == 0

    bodies = [json.loads(r.body) for r in hooks.received]
    comments = [b for b in bodies if b["type"] == "comment"]
    assert [c["data"] for c in comments] == [
        {"body": "We are on it.", "public": True, "by_care": True}
    ]
    assert all("Customer config" not in r.body.decode() for r in hooks.received)
    assert f"evt_{note.id}" not in {b["id"] for b in bodies}


def test_a_resellers_webhook_hears_of_its_accounts_cases_filtered_by_type(
    world: World, hooks: HttpReceiver
) -> None:
    sub, secret = automation.subscribe(
        actor=world.reseller_contacts[0].user,
        organisation_id=world.reseller.id,
        url=hooks.url,
        event_types=["opened"],
        now=START,
    )
    hooks.secret = secret
    case = open_reseller_case(
        world, ny(11, 23, 10), actor=world.account_contact.user
    )  # Globex's case
    services.add_comment(actor=world.engineer.user, case_id=case.id, body="Hi", now=ny(11, 23, 11))

    hooks.now = ny(11, 23, 11)
    assert outbox.dispatch(now=ny(11, 23, 11))[1] == 0

    (request,) = hooks.received
    body = json.loads(request.body)
    assert (body["type"], body["case"]["number"]) == ("opened", case.number)
    assert request.event_id == f"webhook:{sub.id}:{case.events.get(kind='opened').id}"
    assert request.signature_ok


def test_an_event_is_sent_to_the_active_subscriptions_of_its_organisation_and_parent(
    world: World,
) -> None:
    def subscription(org: Any, *, active: bool = True) -> WebhookSubscription:
        return WebhookSubscription.objects.create(
            organisation=org,
            url=f"https://hooks.example/{org.short_name}",
            secret="s" * 32,
            event_types=[],
            active=active,
            created_at=START,
        )

    parent = subscription(world.reseller)
    own = subscription(world.account)
    subscription(world.account, active=False)
    subscription(world.customer)
    case = open_reseller_case(world, ny(11, 23, 10), actor=world.account_contact.user)

    found = notify._subscriptions([(case, case.events.get(kind="opened"))])
    assert found == {world.reseller.id: [parent], world.account.id: [own]}
    assert [s.url for s in found[world.account.id]] == [own.url]
    hooks = Outbox.objects.filter(channel=Outbox.Channel.WEBHOOK)
    assert sorted(row.payload["url"] for row in hooks) == sorted([parent.url, own.url])
