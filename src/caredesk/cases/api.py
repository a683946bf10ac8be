"""Cases over HTTP: parse, call a service, shape the answer. Tenant scope is the services'."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from caredesk.accounts.services import caller, profile_of, require_care, visible_org_ids
from caredesk.cases import keyset, listing, queries, services, sla
from caredesk.cases.models import Case, CaseEvent, SeverityRequest
from caredesk.core.explain import hours_text
from caredesk.infra.clock import CLOCK
from caredesk.infra.rendering import unvalidated_answer
from caredesk.infra.speech import step_texts

router = Router(tags=["cases"])
MAX_PAGE = 500


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


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
    sla_state: str
    clocks: list[ClockOut]


class CaseSummaryOut(CaseFields):
    """A case in a list: everything but its texts (description, intake answers). Built as
    a dict (``summary``) and validated by pydantic alone: a page holds fifty."""


def summary(case: Case, now: datetime) -> dict[str, Any]:
    clocks = listing.clocks_out(sla.clock_rows(case), now)
    return {
        **{name: getattr(case, name) for name in listing.SUMMARY_FIELDS},
        "organisation": case.organisation.name,
        "sla_state": sla.worst_state(clock["state"] for clock in clocks),
        "clocks": clocks,
    }


class CaseOut(CaseFields):
    """A case with its texts; built as a dict (``detail``), like the summaries."""

    description: str
    intake: dict[str, Any]
    possible_duplicates: list[str] = []


def detail(case: Case) -> dict[str, Any]:
    return {
        **summary(case, CLOCK.now()),
        "description": case.description,
        "intake": case.intake,
        "possible_duplicates": [c.number for c in getattr(case, "possible_duplicates", [])],
    }


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


def _page(
    request: HttpRequest, cases: queries.Unfiltered | queries.Filtered, paging: PageIn
) -> HttpResponse:
    """A page by ``offset`` (counted) or by cursor (``after``, not counted) from
    ``queries.page``, with its cases' summary rows when the list has no filter (else
    read by id), and their clocks (``listing``); written without validating fifty
    summaries again (``unvalidated_answer``), as ``CasePageOut`` says."""
    page = queries.page(
        cases,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
        joined=listing.SUMMARY_ROW,
    )
    now = CLOCK.now()
    if page.rows is not None:
        items = listing.summaries_of(page.rows, now)
    else:
        items = listing.summaries(page.ids, now)
    return unvalidated_answer(request, {"items": items, "count": page.count, "next": page.next})


def _unfiltered(params: dict[str, Any]) -> bool:
    return all(value is None or value is False for value in params.values())


class EventOut(Schema):
    seq: int
    at: datetime
    kind: str
    actor: str | None
    data: dict[str, Any]
    reason: str

    @staticmethod
    def resolve_actor(obj: CaseEvent) -> str | None:
        return obj.actor.get_username() if obj.actor else None


class CommentIn(Strict):
    body: str = Field(min_length=1, max_length=20_000)
    public: bool = True


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
# for model instances, which cost a quarter of the request.
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


@router.post("/cases", response={201: CaseOut}, summary="Open a case (designated contacts)")
def open_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    data = payload.dict()
    data["intake_fields"] = data.pop("intake")
    opened = services.open_case(actor=caller(request), now=CLOCK.now(), **data)
    case = opened.case
    # Shown once, in the answer to the request that opened the case.
    setattr(case, "possible_duplicates", opened.possible_duplicates)  # noqa: B010
    return Status(201, detail(case))


@router.get(
    "/cases",
    response=CasePageOut,
    summary="Cases in scope, newest first (without their texts: see GET /cases/{id})",
)
def list_cases(
    request: HttpRequest, filters: Query[CaseFilters], paging: Query[PageIn]
) -> HttpResponse:
    params = filters.dict()
    if _unfiltered(params):
        return _page(request, queries.Unfiltered(visible_org_ids(caller(request))), paging)
    qs = services.visible_cases(caller(request))
    cases = queries.filter_cases(qs, now=CLOCK.now(), **params)
    return _page(request, queries.Filtered(cases, keyset.NEWEST), paging)


@router.get(
    "/queue",
    response=CasePageOut,
    summary="Care's queue: severity, then priority, then the nearest due instant",
)
def care_queue(
    request: HttpRequest, filters: Query[CaseFilters], paging: Query[PageIn]
) -> HttpResponse:
    require_care(caller(request))
    params = filters.dict()
    if _unfiltered({**params, "open_only": False}):  # the queue holds open cases anyway
        cases = queries.Unfiltered(visible_org_ids(caller(request)), queue=True)
        return _page(request, cases, paging)
    params["open_only"] = True
    qs = services.visible_cases(caller(request))
    filtered = queries.filter_cases(qs, now=CLOCK.now(), **params)
    return _page(request, queries.Filtered(filtered, keyset.QUEUE), paging)


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.get(
    "/cases/{case_id}/events",
    response=list[EventOut],
    summary="The case history (internal notes only for Care)",
)
def case_events(request: HttpRequest, case_id: int) -> list[CaseEvent]:
    case = services.get_case(caller(request), case_id)
    events = list(case.events.select_related("actor").order_by("seq"))
    if not profile_of(caller(request)).is_care:
        events = [e for e in events if e.kind != "comment" or e.data.get("public")]
    return events


@router.post("/cases/{case_id}/comments", response={201: EventOut})
def comment(request: HttpRequest, case_id: int, payload: CommentIn) -> Status[Any]:
    event = services.add_comment(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, event)


@router.post("/cases/{case_id}/status", response=CaseOut)
def change_status(request: HttpRequest, case_id: int, payload: StatusIn) -> dict[str, Any]:
    services.change_status(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.post(
    "/cases/{case_id}/severity", response=CaseOut, summary="Care re-determines the severity"
)
def change_severity(request: HttpRequest, case_id: int, payload: SeverityIn) -> dict[str, Any]:
    services.change_severity(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.post(
    "/cases/{case_id}/severity-requests",
    response={201: SeverityRequestOut},
    summary="The customer asks for another severity",
)
def request_severity(request: HttpRequest, case_id: int, payload: SeverityIn) -> Status[Any]:
    req = services.request_severity_change(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, req)


@router.post(
    "/severity-requests/{request_id}/decision",
    response=SeverityRequestOut,
    summary="Care accepts or declines a severity request, with a reason",
)
def decide(request: HttpRequest, request_id: int, payload: DecisionIn) -> SeverityRequest:
    return services.decide_severity_request(
        actor=caller(request), request_id=request_id, now=CLOCK.now(), **payload.dict()
    )


@router.post(
    "/cases/{case_id}/phone-raise",
    response=CaseOut,
    summary="Care logs the call that raises a case to Critical",
)
def phone_raise(request: HttpRequest, case_id: int, payload: PhoneRaiseIn) -> dict[str, Any]:
    services.phone_raise(actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict())
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.post("/cases/{case_id}/links", response={201: dict[str, str]})
def link(request: HttpRequest, case_id: int, payload: LinkIn) -> Status[Any]:
    made = services.link_cases(
        actor=caller(request),
        case_id=case_id,
        now=CLOCK.now(),
        other_number=payload.case_number,
        kind=payload.kind,
    )
    return Status(
        201, {"from": made.from_case.number, "to": made.to_case.number, "kind": made.kind}
    )


@router.post("/cases/{case_id}/assignee", response=CaseOut)
def assign(request: HttpRequest, case_id: int, payload: AssignIn) -> dict[str, Any]:
    services.assign(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), assignee_id=payload.assignee_id
    )
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.get(
    "/cases/{case_id}/sla",
    response=SlaOut,
    summary=(
        "Each SLA metric: due, remaining, state and the explanation steps (in the reader's "
        "language)"
    ),
)
def case_sla(request: HttpRequest, case_id: int) -> HttpResponse:
    case = services.get_case(caller(request), case_id)  # its clocks are replayed below
    language = profile_of(caller(request)).language  # the steps in the reader's language
    now = CLOCK.now()
    events = sla.histories([case.id], sla.CLOCK_KINDS)[case.id]
    clocks = sla.replay(case, events, now, explain=True)
    calendar = sla.calendar_for(case)
    metrics = []
    for metric, clock in clocks.items():
        metrics.append(
            {
                "metric": metric.value,
                "target": str(clock.target) if clock.target else None,
                "state": sla.display_state(sla.clock_row(case.id, clock), now),
                "start": clock.start,
                "due": clock.due,
                "due_local": calendar.local(clock.due).isoformat() if clock.due else None,
                "stopped_at": clock.stop,
                "elapsed": hours_text(clock.elapsed),
                "remaining": hours_text(clock.remaining) if clock.remaining is not None else None,
                "warnings": {f"{level}%": at for level, at in clock.warnings},
                "explanation": [
                    {
                        "kind": s.kind,
                        "text": text,
                        "start": s.start,
                        "end": s.end,
                        "counted": hours_text(s.counted),
                    }
                    for s, text in zip(clock.steps, step_texts(clock.steps, language), strict=True)
                ],
            }
        )
    answer = {"case": case.number, "now": now, "calendar": calendar.describe(), "metrics": metrics}
    return unvalidated_answer(request, answer)


@router.post(
    "/cases/{case_id}/post-mortem-held",
    response=CaseOut,
    summary="Care held the post-mortem meeting",
)
def post_mortem_held(request: HttpRequest, case_id: int) -> dict[str, Any]:
    services.record_post_mortem(actor=caller(request), case_id=case_id, now=CLOCK.now())
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.post(
    "/cases/{case_id}/incident-report-requests",
    response=CaseOut,
    summary="The reseller asks in writing for the Incident Report",
)
def incident_report_request(
    request: HttpRequest, case_id: int, payload: WrittenRequestIn
) -> dict[str, Any]:
    services.request_incident_report(
        actor=caller(request), case_id=case_id, text=payload.text, now=CLOCK.now()
    )
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


@router.post(
    "/cases/{case_id}/incident-report-delivered",
    response=CaseOut,
    summary="Care delivered the Incident Report",
)
def incident_report_delivered(request: HttpRequest, case_id: int) -> dict[str, Any]:
    services.deliver_incident_report(actor=caller(request), case_id=case_id, now=CLOCK.now())
    return detail(services.get_case(caller(request), case_id, with_clocks=True))


# -- re-applying rules ----------------------------------------------------------------------


class RulesIn(Strict):
    """What changes in the organisation's rules; a field left out stays as it is. With
    nothing to change, the policy version in force today is re-applied to open cases."""

    policy: str | None = Field(None, max_length=64)
    plan: str | None = Field(None, max_length=64)
    timezone: str | None = Field(None, max_length=64, description="IANA zone")
    country: str | None = Field(None, max_length=2, description="ISO 3166 code")
    subdivision: str | None = Field(None, max_length=8)


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
    before: dict[str, str | int]
    after: dict[str, str | int]
    cases: list[str] = PydanticField(description="Open cases the rules are re-applied to")
    moves: list[MoveOut]
    applied: bool


def _rules_out(change: services.RulesChange) -> RulesChangeOut:
    return RulesChangeOut(
        organisation_id=change.organisation.id,
        before=change.before,
        after=change.after,
        cases=change.cases,
        moves=[MoveOut(**vars(move)) for move in change.moves],
        applied=change.applied,
    )


@router.post(
    "/organisations/{org_id}/rules/preview",
    response=RulesChangeOut,
    summary="Care: the deadlines of open cases that a rules change would move (writes nothing)",
)
def preview_rules(request: HttpRequest, org_id: int, payload: RulesIn) -> RulesChangeOut:
    change = services.preview_rules(
        actor=caller(request), organisation_id=org_id, changes=payload.dict(), now=CLOCK.now()
    )
    return _rules_out(change)


@router.post(
    "/organisations/{org_id}/rules",
    response=RulesChangeOut,
    summary=(
        "Care managers: change an organisation's calendar, plan or policy and re-apply it to "
        "its open cases (time used stays used; completed clocks never change)"
    ),
)
def apply_rules(request: HttpRequest, org_id: int, payload: RulesApplyIn) -> RulesChangeOut:
    changes = payload.dict()
    reason = changes.pop("reason")
    change = services.apply_rules(
        actor=caller(request),
        organisation_id=org_id,
        changes=changes,
        reason=reason,
        now=CLOCK.now(),
    )
    return _rules_out(change)
