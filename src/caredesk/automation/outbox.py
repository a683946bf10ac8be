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
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction

from caredesk.automation.models import Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# While a dispatcher delivers a leased row, others leave it alone; if it dies, the row is
# due again after this (longer than one delivery may take: WEBHOOK_TIMEOUT, EMAIL_TIMEOUT).
LEASE = timedelta(seconds=30)
FIRST_RETRY = timedelta(seconds=30)
LAST_RETRY = timedelta(hours=1)
WEBHOOK_TIMEOUT = 10.0
SIGNATURE_HEADER = "X-CareDesk-Signature"


def enqueue(*, key: str, channel: str, event: str, payload: dict[str, Any], now: datetime) -> None:
    """Write a delivery once per key, inside the caller's transaction (a second write of the
    same key is ignored by the database: INSERT ... ON CONFLICT DO NOTHING)."""
    Outbox.objects.bulk_create(
        [
            Outbox(
                key=key,
                channel=channel,
                event=event,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
        ],
        ignore_conflicts=True,
    )


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


def _relaxed() -> None:
    """Inside a transaction of the outbox's own bookkeeping: commit without waiting for the
    WAL flush. Losing such a commit in a server crash only means a row is delivered again,
    which the idempotency key makes harmless; waiting for it would cost a flush per row."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _lease(now: datetime) -> Outbox | None:
    """Claim the next due row and lease it; the lease commits at once."""
    with transaction.atomic():
        _relaxed()
        row = (
            Outbox.objects.select_for_update(skip_locked=True)
            .filter(state=Outbox.State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if row is not None:
            row.attempts += 1
            Outbox.objects.filter(id=row.id).update(
                next_attempt_at=now + LEASE, attempts=row.attempts
            )
        return row


def dispatch(*, now: datetime, batch: int = 50) -> tuple[int, int]:
    """Deliver up to ``batch`` due rows; (delivered, failed).

    Each row is leased in a short transaction and delivered with no transaction open, so a
    slow receiver holds no lock (on SQLite it would block every write). A dispatcher that
    dies mid-delivery leaves one row leased; it comes due again when the lease ends and is
    delivered again: at least once.
    """
    delivered = failed = 0
    mail = get_connection(fail_silently=False)  # one SMTP session for the round
    try:
        for _ in range(batch):
            row = _lease(now)
            if row is None:
                break
            try:
                if row.channel == Outbox.Channel.EMAIL:
                    deliver_email(row, now, connection=mail)
                else:
                    DELIVERERS[row.channel](row, now)
            except Exception as exc:  # any failure of the receiver is retried
                failed += 1
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if row.attempts >= MAX_ATTEMPTS:
                    row.state = Outbox.State.DEAD
                else:
                    row.next_attempt_at = now + backoff(row.attempts)
                log.warning(
                    "delivery %s failed (attempt %d): %s", row.key, row.attempts, row.last_error
                )
            else:
                delivered += 1
                row.state = Outbox.State.DELIVERED
                row.delivered_at = now
                row.last_error = ""
            with transaction.atomic():
                _relaxed()
                row.save(update_fields=["state", "next_attempt_at", "last_error", "delivered_at"])
    finally:
        mail.close()
    return delivered, failed


def redrive(ids: Iterable[int] | None, *, now: datetime) -> int:
    """Send dead (or the given) rows again from now; returns how many."""
    qs = Outbox.objects.exclude(state=Outbox.State.DELIVERED)
    qs = qs.filter(id__in=list(ids)) if ids is not None else qs.filter(state=Outbox.State.DEAD)
    return qs.update(state=Outbox.State.PENDING, next_attempt_at=now, attempts=0)
