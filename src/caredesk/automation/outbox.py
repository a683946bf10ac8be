"""The outbox: side effects written with the change that causes them, delivered later.

Delivery is at least once: a worker that dies mid-delivery leaves the row pending and it is
delivered again. Each delivery carries the row's idempotency key (``Message-ID`` and
``X-CareDesk-Key`` for e-mail, ``X-CareDesk-Event-Id`` for webhooks) so the receiver keeps
exactly one effect. Failures back off exponentially and stay visible (attempts, last error)
until delivered or, after ``MAX_ATTEMPTS``, dead; dead rows can be re-driven.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F

from caredesk.automation import store
from caredesk.automation.models import Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# While a dispatcher delivers a leased row, others leave it alone; if it dies, the row is
# due again after this (longer than one delivery may take: WEBHOOK_TIMEOUT, EMAIL_TIMEOUT).
LEASE = timedelta(seconds=30)
# Rows leased at a time, by channel (see ``dispatch``); a new delivery starts only while
# the lease has room for it (the slowest delivery is a webhook timing out, plus a margin).
CHUNKS = {Outbox.Channel.EMAIL: 20, Outbox.Channel.WEBHOOK: 1}
WEBHOOK_TIMEOUT = 10.0
LEASE_WORK = LEASE - timedelta(seconds=WEBHOOK_TIMEOUT + 5)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
SIGNATURE_HEADER = "X-CareDesk-Signature"


def row(*, key: str, channel: str, event: str, payload: dict[str, Any], now: datetime) -> Outbox:
    """A delivery due now (not yet written: see ``enqueue_rows``)."""
    return Outbox(
        key=key,
        channel=channel,
        event=event,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )


def enqueue_rows(rows: list[Outbox]) -> None:
    """Write deliveries once per key, inside the caller's transaction, in one statement (a
    second write of a key is ignored by the database: INSERT ... ON CONFLICT DO NOTHING)."""
    if rows:
        Outbox.objects.bulk_create(rows, ignore_conflicts=True)


def enqueue(*, key: str, channel: str, event: str, payload: dict[str, Any], now: datetime) -> None:
    enqueue_rows([row(key=key, channel=channel, event=event, payload=payload, now=now)])


# -- signing --------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: datetime,
    tolerance: timedelta = timedelta(minutes=5),
) -> bool:
    """For receivers: the signature matches and is recent (replays are refused)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance.total_seconds():
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


# -- delivery ---------------------------------------------------------------------------------


def message_id(key: str, domain: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def deliver_email(row: Outbox, now: datetime, connection: Any = None) -> None:
    p = row.payload
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]
    message = EmailMessage(
        subject=p["subject"],
        body=p["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[p["to"]],
        headers={
            # Stable per key: a receiver that saw this Message-ID has this message already.
            "Message-ID": message_id(row.key, domain),
            "X-CareDesk-Key": row.key,
            "Content-Language": p.get("language", "en"),
        },
        connection=connection or get_connection(fail_silently=False),
    )
    message.send()


def deliver_webhook(row: Outbox, now: datetime) -> None:
    from caredesk.automation.models import WebhookSubscription

    p = row.payload
    # The secret is read now, so a rotated secret signs every later delivery.
    secret = (
        WebhookSubscription.objects.filter(id=p["subscription"])
        .values_list("secret", flat=True)
        .first()
    )
    if secret is None:
        raise RuntimeError(f"webhook subscription {p['subscription']} no longer exists")
    body = json.dumps(p["body"], separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(now.timestamp())
    request = urllib.request.Request(
        p["url"],
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "CareDesk-Webhooks/1",
            "X-CareDesk-Event": row.event,
            "X-CareDesk-Event-Id": row.key,
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"the receiver answered HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"the receiver answered HTTP {exc.code}") from None


DELIVERERS: dict[str, Callable[[Outbox, datetime], None]] = {
    Outbox.Channel.EMAIL: deliver_email,
    Outbox.Channel.WEBHOOK: deliver_webhook,
}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook goes to the URL it names: a 3xx is a failure to retry, not a detour (urllib
    would follow 301/302/303 with a GET and drop the body, and call that delivered)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def backoff(attempts: int) -> timedelta:
    delay: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LAST_RETRY)


def _lease(now: datetime, limit: int, channel: str) -> list[Outbox]:
    """Claim up to ``limit`` due rows of a channel and lease them; the lease commits at
    once."""
    with transaction.atomic():
        store.relax_commit()
        rows = store.claim_outbox(now, limit, channel)
        if rows:
            Outbox.objects.filter(id__in=[row.id for row in rows]).update(
                next_attempt_at=now + LEASE, attempts=F("attempts") + 1
            )
            for row in rows:
                row.attempts += 1
        return rows


def _release(rows: list[Outbox], now: datetime) -> None:
    """Leased rows this round had no time for: due again at once, the attempt not counted."""
    if rows:
        with transaction.atomic():
            store.relax_commit()
            Outbox.objects.filter(id__in=[row.id for row in rows]).update(
                next_attempt_at=now, attempts=F("attempts") - 1
            )


def _record(delivered: list[Outbox], failed: list[Outbox], now: datetime) -> None:
    """What became of a leased chunk: the delivered rows in one statement, failures each
    with its own error and next attempt."""
    with transaction.atomic():
        store.relax_commit()
        if delivered:
            Outbox.objects.filter(id__in=[row.id for row in delivered]).update(
                state=Outbox.State.DELIVERED, delivered_at=now, last_error=""
            )
        for row in failed:
            row.save(update_fields=["state", "next_attempt_at", "last_error"])


def _deliver(row: Outbox, now: datetime, mail: Any) -> str | None:
    """Deliver one row; the error text when the receiver failed."""
    try:
        if row.channel == Outbox.Channel.EMAIL:
            deliver_email(row, now, connection=mail)
        else:
            DELIVERERS[row.channel](row, now)
    except Exception as exc:  # any failure of the receiver is retried
        return f"{type(exc).__name__}: {exc}"[:2000]
    return None


def _work(rows: list[Outbox], now: datetime, mail: Any) -> tuple[int, int, bool]:
    """Deliver a leased chunk and record it: (delivered, failed, whether all were tried)."""
    leased = time.monotonic()
    ok: list[Outbox] = []
    bad: list[Outbox] = []
    complete = True
    for index, row in enumerate(rows):
        if time.monotonic() - leased > LEASE_WORK.total_seconds():
            _release(rows[index:], now)
            complete = False
            break
        error = _deliver(row, now, mail)
        if error is None:
            ok.append(row)
            continue
        row.last_error = error
        if row.attempts >= MAX_ATTEMPTS:
            row.state = Outbox.State.DEAD
        else:
            row.next_attempt_at = now + backoff(row.attempts)
        log.warning("delivery %s failed (attempt %d): %s", row.key, row.attempts, error)
        bad.append(row)
    _record(ok, bad, now)
    return len(ok), len(bad), complete


def dispatch(*, now: datetime, batch: int = 50) -> tuple[int, int]:
    """Deliver up to ``batch`` due rows; (delivered, failed).

    Rows are leased in a short transaction and delivered with no transaction open, so a
    slow receiver holds no lock (on SQLite it would block every write); what became of
    them is written in one more. A dispatcher that dies leaves its leased rows: they come
    due again when the lease ends and are delivered again (at least once). E-mails go to
    the SMTP relay in chunks (``CHUNKS`` per lease: the bookkeeping, not the relay, is their
    cost); a webhook goes to a receiver elsewhere on the network and is leased alone, so a
    crash holds back one, not a chunk. A chunk is worked on only while its lease has room
    for one more delivery; the rest is released for the next round.
    """
    delivered = failed = 0
    mail = get_connection(fail_silently=False)  # one SMTP session for the round
    try:
        while delivered + failed < batch:
            worked = False
            for channel, size in CHUNKS.items():
                left = batch - delivered - failed
                rows = _lease(now, min(size, left), channel) if left > 0 else []
                if not rows:
                    continue
                worked = True
                ok, bad, complete = _work(rows, now, mail)
                delivered += ok
                failed += bad
                if not complete:
                    return delivered, failed  # out of lease time: the next round goes on
            if not worked:
                break
    finally:
        mail.close()
    return delivered, failed


def redrive(ids: Iterable[int] | None, *, now: datetime) -> int:
    """Send dead (or the given) rows again from now; returns how many. Delivered rows are
    done, and cancelled ones lost their subscription."""
    qs = Outbox.objects.exclude(state__in=(Outbox.State.DELIVERED, Outbox.State.CANCELLED))
    qs = qs.filter(id__in=list(ids)) if ids is not None else qs.filter(state=Outbox.State.DEAD)
    return qs.update(state=Outbox.State.PENDING, next_attempt_at=now, attempts=0)
