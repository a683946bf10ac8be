"""Cases, their append-only history, SLA clocks as stored due instants, links, requests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce

from caredesk.accounts.models import Organisation
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import CaseType, Channel, Metric

# The queue puts cases without a due instant last; sorting on COALESCE(next_due, NEVER)
# instead of ``NULLS LAST`` lets one index (``case_queue``) serve both the order and the
# seek to a cursor, which a row comparison cannot do across NULLs.
NEVER = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)


def queue_due() -> Coalesce:
    """The queue's third key, as the ``case_queue`` index has it."""
    return Coalesce("next_due", Value(NEVER, output_field=DateTimeField()))


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(m.value, m.value) for m in enum]


class EventKind(models.TextChoices):
    """Every kind of case history event: what people did (opened, comment, a call Care
    logged, status, severity, links, assignment, incident duties, escalation) and what the
    automation saw or did (SLA warnings and breaches, stale notices, deadline reminders).
    The automation's timer kinds are another vocabulary (``automation.models.TimerKind``)."""

    OPENED = "opened"
    STATUS_CHANGED = "status-changed"
    SEVERITY_CHANGED = "severity-changed"
    SEVERITY_CHANGE_REQUESTED = "severity-change-requested"
    SEVERITY_CHANGE_DECLINED = "severity-change-declined"
    RESPONDED = "responded"
    INCIDENT_LINKED = "incident-linked"
    RULES_CHANGED = "rules-changed"
    COMMENT = "comment"
    CALL_LOGGED = "call-logged"
    LINKED = "linked"
    ASSIGNED = "assigned"
    RCA_DUE = "rca-due"
    POST_MORTEM_DUE = "post-mortem-due"
    POST_MORTEM_HELD = "post-mortem-held"
    INCIDENT_REPORT_REQUESTED = "incident-report-requested"
    INCIDENT_REPORT_DUE = "incident-report-due"
    INCIDENT_REPORT_DELIVERED = "incident-report-delivered"
    FOLLOW_UP_MEETING_HELD = "follow-up-meeting-held"
    ESCALATION_REQUESTED = "escalation-requested"
    ESCALATION_ACKNOWLEDGED = "escalation-acknowledged"
    SLA_WARNING = "sla-warning"
    SLA_BREACHED = "sla-breached"
    STALE_NOTICE = "stale-notice"
    DEADLINE_REMINDER = "deadline-reminder"
    DEADLINE_OVERDUE = "deadline-overdue"


class Case(models.Model):
    number = models.CharField(max_length=16, unique=True)
    # Indexed by the (organisation, ...) indexes below.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    case_type = models.CharField(max_length=24, choices=_choices(CaseType))
    severity = models.PositiveSmallIntegerField()
    priority = models.PositiveSmallIntegerField(default=3, help_text="Customer priority 1-4.")
    channel = models.CharField(max_length=8, choices=_choices(Channel))
    product = models.CharField(max_length=64, blank=True, default="")
    subject = models.CharField(max_length=200)
    description = models.TextField()
    intake = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=24, choices=_choices(CaseStatus), default=CaseStatus.NEW)
    # The policy version and calendar in force when the case was opened govern it.
    policy = models.CharField(max_length=64)
    policy_version = models.PositiveIntegerField()
    plan = models.CharField(max_length=64)
    timezone = models.CharField(max_length=64)
    country = models.CharField(max_length=2)
    subdivision = models.CharField(max_length=8, blank=True, default="")
    # The organisation's own working hours then (empty: the policy's business hours).
    hours = models.JSONField(default=dict, blank=True)
    # Severity 1: who is reachable at all times, and how.
    critical_contact_name = models.CharField(max_length=100, blank=True, default="")
    critical_contact_phone = models.CharField(max_length=32, blank=True, default="")
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # Earliest due instant among running clocks: the queue's third sort key.
    next_due = models.DateTimeField(null=True, blank=True)
    event_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            # Lists, newest first: everyone's (Care) and an organisation's.
            models.Index(fields=["-opened_at", "-id"], name="case_newest"),
            models.Index(fields=["organisation", "-opened_at", "-id"], name="case_org_newest"),
            models.Index(fields=["organisation", "status"]),
            # Care's queue of open cases, in its order and seekable to a cursor (``keyset``).
            # ``next_due`` rides along so that PostgreSQL reads a page's ids from the index
            # alone, without a table read per case: it only finds an expression's columns in
            # an index's own columns.
            models.Index(
                models.F("severity"),
                models.F("priority"),
                queue_due(),
                models.F("id"),
                name="case_queue",
                condition=~models.Q(status=CaseStatus.CLOSED.value),
                include=["next_due"],
            ),
            models.Index(fields=["next_due"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class AppendOnly(models.Model):
    """History rows are written once: no update, no delete."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError("case history is append-only; events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("case history is append-only; events are never deleted")


class CaseEvent(AppendOnly):
    # Indexed by the unique (case, seq) index.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    data = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_seq_unique")]
        indexes = [
            # The dashboard's open escalations read the few escalation events among
            # millions of others; without it, a scan of every event.
            models.Index(
                fields=["case", "seq"],
                name="escalation_events",
                condition=models.Q(
                    kind__in=[EventKind.ESCALATION_REQUESTED, EventKind.ESCALATION_ACKNOWLEDGED]
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"


class SlaClock(models.Model):
    """Stored result of the last replay of a metric; what users see is derived from it
    and ``now`` when read."""

    # No index of its own: the unique (case, metric) index serves lookups by case. No
    # database constraint either: clock rows are derived from the history and rewritten in
    # bulk (a recompute writes hundreds of thousands), and a per-row foreign-key check
    # would cost more than the write; only the services write them, for cases they hold.
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="clocks",
        db_index=False,
        db_constraint=False,
    )
    metric = models.CharField(max_length=16, choices=_choices(Metric))
    target = models.CharField(max_length=16, blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    at_risk_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    elapsed_seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "metric"], name="one_clock_per_metric")
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="running_clock_due",
                condition=models.Q(stopped_at__isnull=True, paused_since__isnull=True),
            ),
            # The at-risk filter starts from the running clocks past their at-risk instant
            # (a few per cent of the open cases) instead of asking every case's clocks; the
            # due instant and the case are in it, so the index answers alone.
            models.Index(
                fields=["at_risk_at", "due_at", "case"],
                name="running_clock_at_risk",
                condition=models.Q(stopped_at__isnull=True, paused_since__isnull=True)
                & ~models.Q(target=""),
            ),
            # The dashboard's breaches of the day: the clocks due since the day began.
            models.Index(
                fields=["due_at"], name="applicable_clock_due", condition=~models.Q(target="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.metric} due {self.due_at}"


# The stored clock's columns, in the order a bulk write gives them (the id aside).
CLOCK_COLUMNS = tuple(str(f.column) for f in SlaClock._meta.concrete_fields if not f.primary_key)


class ClockRow(NamedTuple):
    """What the display state reads of a stored clock, read without a model instance."""

    case_id: int
    metric: str
    target: str
    due_at: datetime | None
    at_risk_at: datetime | None
    stopped_at: datetime | None
    paused_since: datetime | None


class SeverityRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="severity_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_severity = models.PositiveSmallIntegerField()
    to_severity = models.PositiveSmallIntegerField()
    reason = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, default="")


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RCA_FOLLOW_UP = "rca-follow-up"
        DOCUMENTATION = "documentation"
        DUPLICATE = "duplicate"
        RELATED = "related"

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case", "kind"], name="link_once")
        ]
