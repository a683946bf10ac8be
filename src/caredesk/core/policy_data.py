"""Support policies as data: what a validated policy says.

A policy names its severities, per-plan targets for every case type and severity, the
channels each plan takes, aggregate targets, RCA / post-mortem / stale-case rules,
intake fields, routing refusals, maintenance windows and the escalation ladder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.durations import Duration

SCHEMA = 1
SEVERITIES = (1, 2, 3, 4)
LANGUAGES = ("en", "ja")


class Metric(StrEnum):
    RESPONSE = "response"
    RESTORATION = "restoration"
    RESOLUTION = "resolution"


class CaseType(StrEnum):
    INCIDENT = "incident"
    ADMIN = "admin"
    SERVICE_REQUEST = "service-request"
    FEATURE_REQUEST = "feature-request"
    RCA = "rca"
    DOCUMENTATION = "documentation"


class Channel(StrEnum):
    PORTAL = "portal"
    API = "api"
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"


class Basis(StrEnum):
    """Where a re-targeted clock counts from after a severity change."""

    START = "start"
    CHANGE = "change"


Text = Mapping[str, str]
"""Text in several languages: ``{"en": ..., "ja": ...}``."""


def text_in(text: Text, language: str) -> str:
    """The text in ``language``, falling back to English."""
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


def _enum(kind: type[Any], what: str) -> Any:
    def parse(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            names = ", ".join(repr(m.value) for m in kind)
            raise ValueError(f"unknown {what} {value!r}; expected one of {names}") from None

    return parse


@dataclass(frozen=True)
class Severity:
    level: int
    name: Text
    definition: Text


@dataclass(frozen=True)
class TargetRow:
    """Targets of one (case type, severity); ``None`` where the policy says n/a."""

    response: Duration | None
    restoration: Duration | None
    resolution: Duration | None

    def get(self, metric: Metric) -> Duration | None:
        value: Duration | None = getattr(self, metric.value)
        return value


@dataclass(frozen=True)
class LicensedChannel:
    """A channel that a licence adds, for some severities, during some hours."""

    channel: Channel
    licence: str
    severities: frozenset[int]
    zone: str  # an IANA name, or "customer" for the customer's own zone
    hours: Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Plan:
    id: str
    name: Text
    channels: Mapping[int, frozenset[Channel]]
    licensed_channels: tuple[LicensedChannel, ...]
    targets: Mapping[CaseType, Mapping[int, TargetRow]]


@dataclass(frozen=True)
class Aggregate:
    metric: Metric
    severities: frozenset[int]
    statistic: str  # "mean" (target is a duration) or "share-within-target" (share)
    target: Duration | None = None
    share: float | None = None


@dataclass(frozen=True)
class RcaRule:
    follow_up_severities: frozenset[int]
    follow_up_priority: int
    initial_rca_on_close: bool
    comprehensive_due: Mapping[int, Duration]


@dataclass(frozen=True)
class PostMortemRule:
    meeting_due: Mapping[int, Duration]
    rca_discussed: frozenset[int]
    incident_report_due: Duration
    incident_report_on_written_request: bool


@dataclass(frozen=True)
class StaleRule:
    waiting_on_customer: Duration
    notice_period: Duration
    resolution_proposed: Duration


@dataclass(frozen=True)
class ClockRules:
    warnings: tuple[int, ...]
    pause_while_waiting: frozenset[Metric]
    severity_change_basis: Basis
    phone_raise_basis: Basis
    platform_incident_start: frozenset[Metric]


@dataclass(frozen=True)
class IntakeField:
    key: str
    label: Text
    required: bool
    # The answers a field takes, each with its label; empty: free text.
    choices: Mapping[str, Text] = field(default_factory=dict)
    long: bool = False  # a free-text answer of several lines (a description, steps, logs)


@dataclass(frozen=True)
class CaseTypeIntake:
    """What one case type asks besides the policy's own intake fields: an RCA or
    documentation request names the original case (``original_case_field``, the key of the
    field holding its number) and where to send the document."""

    fields: tuple[IntakeField, ...]
    original_case_field: str | None = None


@dataclass(frozen=True)
class Intake:
    fields: tuple[IntakeField, ...]
    severity1_by_phone_raise: bool
    duplicate_check: bool
    case_types: Mapping[str, CaseTypeIntake] = field(default_factory=dict)  # by case type
    # "Before you contact Care": what the opener does first, in the policy's words.
    checklist: tuple[Text, ...] = ()
    # Where the policy's phone line is found (its number, or where it is published).
    phone_line: Text | None = None

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    def fields_for(self, case_type: str) -> tuple[IntakeField, ...]:
        """The policy's intake fields, then those its case type adds."""
        extra = self.case_types.get(case_type)
        return self.fields + (extra.fields if extra else ())

    def original_case_field(self, case_type: str) -> str | None:
        """The key of the field naming the original case, for case types that have one."""
        extra = self.case_types.get(case_type)
        return extra.original_case_field if extra else None


@dataclass(frozen=True)
class RoutingRule:
    case_type: CaseType
    product: str
    refuse: Text


@dataclass(frozen=True)
class MaintenanceRule:
    product: str
    zone: str  # an IANA name, or "customer"
    windows: Mapping[str, str | list[str]]


@dataclass(frozen=True)
class Escalation:
    steps: tuple[str, ...]
    case_request_requires: tuple[str, ...]
    mailbox: str
    mailbox_hours: Mapping[str, str | list[str]]
    mailbox_handling: Duration
    subject: str
    fields: tuple[tuple[str, str], ...]
    closing: str


@dataclass(frozen=True)
class PortalHours:
    """When Care staffs the web portal ("Web portal support 8:00am to 5:00pm"). The portal
    takes submissions at any hour; outside these hours a submission through ``channels`` of
    one of ``phone_severities`` is also to be phoned in (phone support takes it 24x7)."""

    zone: str  # an IANA name, or "customer" (the customer's zone and public holidays)
    hours: Mapping[str, str | list[str]]
    channels: frozenset[Channel]
    phone_severities: frozenset[int]

    def calendar(
        self, timezone: str, *, country: str | None = None, subdivision: str | None = None
    ) -> BusinessCalendar:
        """The portal's staffed hours for a customer in ``timezone``."""
        if self.zone != "customer":
            return BusinessCalendar(self.zone, self.hours)
        return BusinessCalendar(timezone, self.hours, country=country, subdivision=subdivision)

    def phone_instead(
        self, *, severity: int, channel: str, at: datetime, calendar: BusinessCalendar
    ) -> bool:
        """Whether a case submitted ``at`` through ``channel`` is also to be phoned in:
        the portal is unstaffed and its severity is one that phone support takes 24x7."""
        return (
            channel in self.channels
            and severity in self.phone_severities
            and not calendar.is_open(at)
        )


@dataclass(frozen=True)
class DesignatedContactRule:
    credentials_due: Duration
    minimum: int
    severity1_contact_available: bool


@dataclass(frozen=True)
class Policy:
    id: str
    version: int
    title: str
    effective: date
    sources: tuple[str, ...]
    business_hours: Mapping[str, str | list[str]]
    severities: Mapping[int, Severity]
    clocks: ClockRules
    designated_contacts: DesignatedContactRule
    support_licences: tuple[str, ...]
    intake: Intake
    plans: Mapping[str, Plan]
    aggregates: tuple[Aggregate, ...] = ()
    rca: RcaRule | None = None
    post_mortem: PostMortemRule | None = None
    stale: StaleRule | None = None
    escalation: Escalation | None = None
    products: Mapping[str, Text] = field(default_factory=dict)  # id: name
    routing: tuple[RoutingRule, ...] = ()
    refused_requests: Mapping[str, Text] = field(default_factory=dict)
    maintenance: tuple[MaintenanceRule, ...] = ()
    # The least notice (clock time) of unplanned maintenance; None: the policy promises none.
    unplanned_notice: Duration | None = None
    portal: PortalHours | None = None

    def __str__(self) -> str:
        return f"{self.id} v{self.version}"

    def plan(self, plan: str) -> Plan:
        try:
            return self.plans[plan]
        except KeyError:
            names = ", ".join(self.plans)
            raise ValueError(
                f"unknown plan {plan!r} for policy {self.id!r}; expected one of: {names}"
            ) from None

    def row(self, plan: str, case_type: str, severity: int) -> TargetRow:
        """The policy row that governs a case of that plan, type and severity."""
        rows = self.plan(plan).targets[_enum(CaseType, "case type")(case_type)]
        check_severity(severity)
        return rows[severity]

    def target(self, plan: str, case_type: str, severity: int, metric: str) -> Duration | None:
        """The per-case target, or ``None`` where the policy says n/a."""
        return self.row(plan, case_type, severity).get(_enum(Metric, "metric")(metric))

    def calendar(
        self,
        timezone: str,
        *,
        country: str | None = None,
        subdivision: str | None = None,
        holidays: tuple[date, ...] = (),
        hours: Mapping[str, str | list[str]] | None = None,
    ) -> BusinessCalendar:
        """The customer's business calendar under this policy: its business hours, or the
        organisation's own working ``hours`` where it has set them."""
        return BusinessCalendar(
            timezone,
            hours or self.business_hours,
            holidays,
            country=country,
            subdivision=subdivision,
        )


def check_severity(severity: int) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int) or severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; expected 1, 2, 3 or 4")
    return severity
