"""The facts of a case history that SLA clocks depend on, and the rules a clock counts
against (a policy's targets for a plan, on the customer's business calendar)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.phrases import Phrase, gettext_noop, say
from caredesk.core.policy import Basis, Policy


class EventKind(StrEnum):
    OPENED = "opened"
    SEVERITY_CHANGED = "severity-changed"
    STATUS_CHANGED = "status-changed"
    RESPONDED = "responded"
    INCIDENT_LINKED = "incident-linked"
    RULES_CHANGED = "rules-changed"


@dataclass(frozen=True)
class Rules:
    """What a clock counts against: a policy's targets for a plan, on a business calendar."""

    policy: Policy
    plan: str
    calendar: BusinessCalendar

    def describe(self) -> Phrase:
        return say(
            gettext_noop("the rules are policy %(policy)s, plan %(plan)s, hours %(hours)s"),
            policy=str(self.policy),
            plan=self.plan,
            hours=self.calendar.describe_phrase(),
        )


@dataclass(frozen=True)
class ClockEvent:
    """One fact of a case history that SLA clocks depend on."""

    at: datetime
    kind: EventKind
    severity: int | None = None
    status: CaseStatus | None = None
    phone_raise: bool = False
    basis: Basis | None = None  # overrides the policy's basis for this severity change
    incident_started_at: datetime | None = None
    rules: Rules | None = None

    @classmethod
    def opened(cls, at: datetime, severity: int) -> ClockEvent:
        return cls(at, EventKind.OPENED, severity=severity)

    @classmethod
    def status_changed(cls, at: datetime, status: CaseStatus | str) -> ClockEvent:
        return cls(at, EventKind.STATUS_CHANGED, status=CaseStatus(status))

    @classmethod
    def responded(cls, at: datetime) -> ClockEvent:
        return cls(at, EventKind.RESPONDED)

    @classmethod
    def severity_changed(
        cls, at: datetime, severity: int, *, phone_raise: bool = False, basis: Basis | None = None
    ) -> ClockEvent:
        return cls(
            at, EventKind.SEVERITY_CHANGED, severity=severity, phone_raise=phone_raise, basis=basis
        )

    @classmethod
    def incident_linked(cls, at: datetime, incident_started_at: datetime) -> ClockEvent:
        return cls(at, EventKind.INCIDENT_LINKED, incident_started_at=incident_started_at)

    @classmethod
    def rules_changed(cls, at: datetime, rules: Rules) -> ClockEvent:
        return cls(at, EventKind.RULES_CHANGED, rules=rules)

    # Shorthands for the status changes that stop or resume clocks.
    @classmethod
    def restored(cls, at: datetime) -> ClockEvent:
        return cls.status_changed(at, CaseStatus.RESTORED)

    @classmethod
    def resolution_proposed(cls, at: datetime) -> ClockEvent:
        return cls.status_changed(at, CaseStatus.RESOLUTION_PROPOSED)

    @classmethod
    def reopened(cls, at: datetime) -> ClockEvent:
        return cls.status_changed(at, CaseStatus.OPEN)

    @classmethod
    def closed(cls, at: datetime) -> ClockEvent:
        return cls.status_changed(at, CaseStatus.CLOSED)
