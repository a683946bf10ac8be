"""Timers (what must happen at an instant), the outbox (what must be delivered), webhook
subscriptions. All durable rows: a restart loses nothing."""

from __future__ import annotations

from enum import StrEnum

from django.db import models

from caredesk.accounts.models import Organisation


class TimerKind(StrEnum):
    """What a pending timer does when it comes due (``Timer.kind``, ``TimerLog.kind``).

    A timer kind is not a case event kind, though four are spelled like the event their
    timer records when it fires (``sla-warning``, ``stale-notice``, ``deadline-reminder``,
    ``deadline-overdue``): a timer's kind is compared with these members, an event's kind
    with ``cases.models.EventKind``'s, so which of the two is meant is never a guess. The
    stored values are these strings (a member equals its string)."""

    SLA_WARNING = "sla-warning"
    SLA_BREACH = "sla-breach"
    STALE_NOTICE = "stale-notice"
    STALE_CLOSE = "stale-close"
    PROPOSED_CLOSE = "proposed-close"
    DEADLINE_REMINDER = "deadline-reminder"
    DEADLINE_OVERDUE = "deadline-overdue"
    CREDENTIALS_REMINDER = "credentials-reminder"
    CREDENTIALS_OVERDUE = "credentials-overdue"


class Timer(models.Model):
    """Something to do at ``due_at``, pending: a worker claims it, acts, and in the same
    transaction moves it to the ``TimerLog``, so its effect happens once even when workers
    die or run side by side. Only pending timers live here, so the table and its due index
    stay small, and firing a timer deletes a row instead of rewriting it and its indexes."""

    key = models.CharField(max_length=200, unique=True, help_text="What it is; dedupes.")
    kind = models.CharField(max_length=40)
    # Indexed by the (case, kind) index below.
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="timers",
        db_index=False,
    )
    subject_id = models.BigIntegerField(null=True, blank=True, help_text="A non-case target.")
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        indexes = [
            # The sweep reads timers by due instant.
            models.Index(fields=["due_at"], name="timer_due"),
            models.Index(fields=["case", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.due_at}"


class TimerLog(models.Model):
    """A timer that fired, and what came of it ("warned 75%", "obsolete: the clock
    stopped", "failed: ..."): append-only, for Care to see what the automation did. What a
    timer changed is in the case history; this is the automation's own record."""

    key = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    case_id = models.BigIntegerField(null=True, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(max_length=300)

    def __str__(self) -> str:
        return f"{self.kind} fired {self.fired_at}: {self.outcome}"


class Outbox(models.Model):
    """A side effect written in the transaction of the change that causes it; the
    dispatcher delivers it, at least once, with its idempotency key."""

    class Channel(models.TextChoices):
        EMAIL = "email"
        WEBHOOK = "webhook"

    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        DEAD = "dead"
        # Its webhook subscription was removed before it went out: kept, never sent.
        CANCELLED = "cancelled"

    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key.")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    event = models.CharField(max_length=60)
    payload = models.JSONField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A dispatcher leases one channel's due rows in order: an ordered scan of this
            # small index that stops at the chunk's end.
            models.Index(
                fields=["channel", "next_attempt_at", "id"],
                name="pending_outbox_due",
                condition=models.Q(state="pending"),
            ),
            # The dashboard's dead deliveries, newest first, and how many: a few rows among
            # every delivery ever made.
            models.Index(fields=["-id"], name="dead_outbox", condition=models.Q(state="dead")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} ({self.state})"


class WebhookSubscription(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100)
    event_types = models.JSONField(default=list, help_text="Empty: every event type.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def wants(self, event: str) -> bool:
        return self.active and (not self.event_types or event in self.event_types)

    def __str__(self) -> str:
        return f"{self.organisation} -> {self.url}"
