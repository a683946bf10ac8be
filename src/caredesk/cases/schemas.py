"""The cases API's request and answer schemas (django-ninja and pydantic)."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import AwareDatetime, BaseModel, field_validator
from pydantic import Field as PydanticField

from caredesk.infra.schemas import Strict

MAX_PAGE = 500


class CaseIn(Strict):
    case_type: str = "incident"
    severity: int
    priority: int = 3
    channel: str = "api"
    product: str = Field("", max_length=64)
    subject: str = Field(max_length=200)
    description: str = Field(max_length=20_000)
    intake: dict[str, str | int] = {}
    organisation_id: int | None = None
    on_behalf_of: int | None = Field(None, description="Care: the designated contact's id")
    critical_contact_name: str = Field("", max_length=100)
    critical_contact_phone: str = Field("", max_length=32)
    request_kind: str | None = Field(None, description="e.g. statement-of-work-change")


class ClockOut(BaseModel):
    metric: str
    target: str | None
    due: datetime | None
    state: str


class CaseFields(BaseModel):
    """What every view of a case shows."""

    id: int
    number: str
    organisation_id: int
    organisation: str
    case_type: str
    severity: int
    priority: int
    channel: str
    product: str
    subject: str
    status: str
    policy: str
    policy_version: int
    plan: str
    timezone: str
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    next_due: datetime | None
    assignee_id: int | None = None
    assignee: str | None = PydanticField(None, description="The assignee's name")
    sla_state: str
    clocks: list[ClockOut]


class CaseSummaryOut(CaseFields):
    """A case in a list: everything but its texts (description, intake answers). Built as
    a dict (``summary``) and validated by pydantic alone: a page holds fifty."""


class CriticalContactOut(BaseModel):
    name: str
    phone: str


class CaseOut(CaseFields):
    """A case with its texts; built as a dict (``detail``), like the summaries."""

    description: str
    intake: dict[str, Any]
    possible_duplicates: list[str] = []
    critical_contact: CriticalContactOut | None = PydanticField(
        None, description="Severity 1: the contact reachable at all times, and how"
    )
    response_expected_by: datetime | None = PydanticField(
        None,
        description=(
            "Opened outside the customer's business hours: when Care will respond (until it has)"
        ),
    )
    response_expected_text: str | None = PydanticField(
        None, description="The same in a sentence, in the reader's language and customer's time"
    )


class OpenedOut(CaseOut):
    """The answer to the request that opened a case: the case, and what its opener is told."""

    portal_hours_notice: str | None = PydanticField(
        None,
        description=(
            "A case that came in while Care did not staff the portal, of a severity phone "
            "support takes at any hour (seed 000: Severity 1), is to be phoned in as well; "
            "in the opener's language"
        ),
    )


class PageIn(Schema):
    limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"cases per page, at most {MAX_PAGE}")
    offset: int = Field(0, ge=0, description="cases to skip (from the cursor, with after)")
    after: str | None = Field(
        None,
        max_length=200,
        description="a page's 'next' cursor: the page after it, without counting again",
    )


class CasePageOut(BaseModel):
    items: list[CaseSummaryOut]
    count: int | None = PydanticField(description="cases in the list; null after a cursor")
    next: str | None = PydanticField(description="cursor of the following page; null on the last")


class EventOut(BaseModel):
    seq: int
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]
    reason: str
    text: str = PydanticField(
        description="The event in a sentence, in the reader's language and time zone"
    )


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=20_000)
    public: bool = True


class CallIn(Strict):
    summary: str = Field(
        min_length=1,
        max_length=20_000,
        description="What was said on the call; public: the contact reads it and gets it by e-mail",
    )


class AcceptIn(Strict):
    reason: str = Field(
        "",
        max_length=2000,
        description="The customer's words; by default the history says they accepted it",
    )


class StatusIn(Strict):
    status: str
    reason: str = Field("", max_length=2000)
    initial_rca: str = Field(
        "",
        max_length=20_000,
        description="Resolving a Priority 1 outage: the brief explanation and known cause",
    )


class WrittenRequestIn(Strict):
    text: str = Field(min_length=1, max_length=20_000)


class MeetingIn(Strict):
    held_at: AwareDatetime = Field(
        strict=False,  # read from its RFC 3339 text; a naive time is refused, never guessed
        description="When the meeting was held, with its offset: 2026-12-01T10:00:00-05:00",
    )

    @field_validator("held_at", mode="before")
    @classmethod
    def _text_only(cls, value: Any) -> Any:
        # Lax datetimes would also take a number as Unix seconds: only text is an instant.
        if not isinstance(value, str):
            raise ValueError(f"expected an RFC 3339 time as text, got {value!r}")
        return value


class SeverityIn(Strict):
    severity: int
    reason: str = Field(max_length=2000)


class PhoneRaiseIn(Strict):
    reason: str = Field(max_length=2000)
    contact_name: str = Field(max_length=100)
    contact_phone: str = Field(max_length=32)
    severity: int = 1


class DecisionIn(Strict):
    accept: bool
    reason: str = Field(max_length=2000)


class SeverityRequestOut(Schema):
    id: int
    case_id: int
    from_severity: int
    to_severity: int
    reason: str
    state: str
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str


class LinkIn(Strict):
    case_number: str = Field(max_length=16)
    kind: str


class AssignIn(Strict):
    assignee_id: int | None


# The SLA answer is built as plain dicts and validated by pydantic alone (like the
# summaries): ninja's ``Schema`` wraps every value of every nested step in a getter meant
# for model instances, work a plain dict does not need.
class StepOut(BaseModel):
    kind: str
    text: str
    start: datetime | None
    end: datetime | None
    counted: str


class MetricSlaOut(BaseModel):
    metric: str
    target: str | None
    state: str
    start: datetime | None
    due: datetime | None
    due_local: str | None
    stopped_at: datetime | None
    elapsed: str
    remaining: str | None
    warnings: dict[str, datetime | None]
    explanation: list[StepOut]


class SlaOut(BaseModel):
    case: str
    now: datetime
    calendar: str
    metrics: list[MetricSlaOut]


class CaseFilters(Schema):
    status: str | None = None
    severity: int | None = None
    organisation_id: int | None = None
    plan: str | None = None
    state: str | None = Field(None, description="on-track, at-risk, breached, paused or met")
    breaching_within_hours: float | None = None
    open_only: bool = False
    assignee: str | None = Field(None, description="mine, unassigned or a person's id")
    q: str | None = Field(
        None,
        max_length=200,
        description="Search: a case number, or words of the subject and description",
    )


class RulesIn(Strict):
    """What changes in the organisation's rules; a field left out stays as it is. With
    nothing to change, the policy version in force today is re-applied to open cases."""

    policy: str | None = Field(None, max_length=64)
    plan: str | None = Field(None, max_length=64)
    timezone: str | None = Field(None, max_length=64, description="IANA zone")
    country: str | None = Field(None, max_length=2, description="ISO 3166 code")
    subdivision: str | None = Field(None, max_length=8)
    hours: str | None = Field(
        None,
        max_length=500,
        description=(
            "Own working hours in one line, e.g. 'Mon-Fri 09:00-12:00, 13:00-18:00'; "
            "blank: the policy's business hours"
        ),
    )


class RulesApplyIn(RulesIn):
    reason: str = Field(max_length=2000, description="Recorded in each case's history")


class MoveOut(BaseModel):
    case_id: int
    number: str
    metric: str
    due_before: datetime | None
    due_after: datetime | None
    state_before: str
    state_after: str


class RulesChangeOut(BaseModel):
    organisation_id: int
    before: dict[str, str | int] = PydanticField(
        description="The rules before; hours: the working hours in force, in one line"
    )
    after: dict[str, str | int]
    cases: list[str] = PydanticField(description="Open cases the rules are re-applied to")
    moves: list[MoveOut]
    applied: bool
