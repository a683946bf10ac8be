"""Cases over HTTP: parse, call a service, shape the answer. Tenant scope is the services'."""

from datetime import UTC
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status

from caredesk.accounts.services import caller, profile_of, require_care
from caredesk.cases import history_text, intake, listing, notices, services
from caredesk.cases.models import Case, CaseEvent, SeverityRequest, SlaClock
from caredesk.cases.schemas import (
    AcceptIn,
    AssignIn,
    CallIn,
    CaseFilters,
    CaseIn,
    CaseOut,
    CasePageOut,
    CommentIn,
    DecisionIn,
    EventOut,
    LinkIn,
    MeetingIn,
    MoveOut,
    OpenedOut,
    PageIn,
    PhoneRaiseIn,
    RulesApplyIn,
    RulesChangeOut,
    RulesIn,
    SeverityIn,
    SeverityRequestOut,
    SlaOut,
    StatusIn,
    WrittenRequestIn,
)
from caredesk.core.explain import hours_text
from caredesk.infra.clock import CLOCK
from caredesk.infra.rendering import unvalidated_answer
from caredesk.infra.speech import step_texts

router = Router(tags=["cases"])


def detail(
    case: Case, clocks: list[SlaClock], language: str, duplicates: list[str] | None = None
) -> dict[str, Any]:
    """A case with its texts and its stored clocks, what it tells its reader in
    ``language`` (``duplicates``: only in the answer to the request that opened it)."""
    now = CLOCK.now()
    expected = notices.response_expected_by(case, clocks, now)
    return {
        **listing.summary(case, clocks, now),
        "description": case.description,
        "intake": case.intake,
        "possible_duplicates": duplicates or [],
        "critical_contact": notices.critical_contact(case),
        "response_expected_by": expected,
        "response_expected_text": (
            notices.response_expected_text(case, expected, language) if expected else None
        ),
    }


def _read(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """The case as the caller reads it now, with its clocks: the answer of every change."""
    user = caller(request)
    return detail(*services.get_case_with_clocks(user, case_id), profile_of(user).language)


def _events_out(request: HttpRequest, case: Case, events: list[CaseEvent]) -> list[EventOut]:
    """Events with their sentences in the reader's language and zone."""
    reader = profile_of(caller(request))
    texts = history_text.event_texts(case, events, language=reader.language, zone=reader.timezone)
    return [
        EventOut(
            seq=event.seq,
            # An event just written holds the instant as the clock gave it; answers are UTC.
            at=event.at.astimezone(UTC),
            kind=event.kind,
            actor=event.actor.get_username() if event.actor else None,
            data=event.data,
            reason=event.reason,
            text=text,
        )
        for event, text in zip(events, texts, strict=True)
    ]


def _page(
    request: HttpRequest, filters: CaseFilters, paging: PageIn, *, queue: bool
) -> HttpResponse:
    """A page by ``offset`` (counted) or by cursor (``after``, not counted), written
    without validating fifty summaries again (``unvalidated_answer``), as ``CasePageOut``
    says."""
    page = services.list_cases(
        actor=caller(request),
        filters=filters.dict(),
        queue=queue,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
        now=CLOCK.now(),
    )
    return unvalidated_answer(
        request, {"items": page.items, "count": page.count, "next": page.next}
    )


@router.post("/cases", response={201: OpenedOut}, summary="Open a case (designated contacts)")
def open_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    data = payload.dict()
    data["intake_fields"] = data.pop("intake")
    user = caller(request)
    opened = services.open_case(actor=user, now=CLOCK.now(), **data)
    duplicates = [c.number for c in opened.possible_duplicates]
    language = profile_of(user).language
    answer = detail(opened.case, opened.clocks, language, duplicates)
    if opened.portal_unstaffed is not None:
        answer["portal_hours_notice"] = intake.portal_hours_notice(
            opened.portal_unstaffed, opened.case.severity, language
        )
    return Status(201, answer)


@router.get(
    "/cases",
    response=CasePageOut,
    summary="Cases in scope, newest first (without their texts: see GET /cases/{id})",
)
def list_cases(
    request: HttpRequest, filters: Query[CaseFilters], paging: Query[PageIn]
) -> HttpResponse:
    return _page(request, filters, paging, queue=False)


@router.get(
    "/queue",
    response=CasePageOut,
    summary="Care's queue: severity, then priority, then the nearest due instant",
)
def care_queue(
    request: HttpRequest, filters: Query[CaseFilters], paging: Query[PageIn]
) -> HttpResponse:
    require_care(caller(request))
    return _page(request, filters, paging, queue=True)


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _read(request, case_id)


@router.get(
    "/cases/{case_id}/events",
    response=list[EventOut],
    summary="The case history (internal notes only for Care)",
)
def case_events(request: HttpRequest, case_id: int) -> list[EventOut]:
    user = caller(request)
    case = services.get_case(user, case_id)
    return _events_out(request, case, services.visible_events(user, case))


@router.post("/cases/{case_id}/comments", response={201: EventOut})
def comment(request: HttpRequest, case_id: int, payload: CommentIn) -> Status[Any]:
    event = services.add_comment(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, _events_out(request, event.case, [event])[0])


@router.post(
    "/cases/{case_id}/calls",
    response={201: EventOut},
    summary="Care logs a phone call with the customer (its summary is public)",
)
def log_call(request: HttpRequest, case_id: int, payload: CallIn) -> Status[Any]:
    event = services.log_call(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), summary=payload.summary
    )
    return Status(201, _events_out(request, event.case, [event])[0])


@router.post("/cases/{case_id}/status", response=CaseOut)
def change_status(request: HttpRequest, case_id: int, payload: StatusIn) -> dict[str, Any]:
    services.change_status(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return _read(request, case_id)


@router.post(
    "/cases/{case_id}/accept",
    response=CaseOut,
    summary="The customer accepts the proposed resolution: the case closes",
)
def accept_resolution(request: HttpRequest, case_id: int, payload: AcceptIn) -> dict[str, Any]:
    services.accept_resolution(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), reason=payload.reason
    )
    return _read(request, case_id)


@router.post(
    "/cases/{case_id}/severity", response=CaseOut, summary="Care re-determines the severity"
)
def change_severity(request: HttpRequest, case_id: int, payload: SeverityIn) -> dict[str, Any]:
    services.change_severity(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return _read(request, case_id)


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
    return _read(request, case_id)


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
    return _read(request, case_id)


@router.get(
    "/cases/{case_id}/sla",
    response=SlaOut,
    summary=(
        "Each SLA metric: due, remaining, state and the explanation steps (in the reader's "
        "language)"
    ),
)
def case_sla(request: HttpRequest, case_id: int) -> HttpResponse:
    user = caller(request)
    answer = services.sla_answer(actor=user, case_id=case_id, now=CLOCK.now())
    language = profile_of(user).language  # the steps in the reader's language
    calendar = answer.calendar
    metrics = []
    for m in answer.metrics:
        clock = m.clock
        steps = zip(clock.steps, step_texts(clock.steps, language), strict=True)
        metrics.append(
            {
                "metric": m.metric.value,
                "target": str(clock.target) if clock.target else None,
                "state": m.state,
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
                    for s, text in steps
                ],
            }
        )
    body = {
        "case": answer.case.number,
        "now": answer.now,
        "calendar": calendar.describe(),
        "metrics": metrics,
    }
    return unvalidated_answer(request, body)


@router.post(
    "/cases/{case_id}/post-mortem-held",
    response=CaseOut,
    summary="Care held the post-mortem meeting",
)
def post_mortem_held(request: HttpRequest, case_id: int) -> dict[str, Any]:
    services.record_post_mortem(actor=caller(request), case_id=case_id, now=CLOCK.now())
    return _read(request, case_id)


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
    return _read(request, case_id)


@router.post(
    "/cases/{case_id}/incident-report-delivered",
    response=CaseOut,
    summary="Care delivered the Incident Report",
)
def incident_report_delivered(request: HttpRequest, case_id: int) -> dict[str, Any]:
    services.deliver_incident_report(actor=caller(request), case_id=case_id, now=CLOCK.now())
    return _read(request, case_id)


@router.post(
    "/cases/{case_id}/follow-up-meeting",
    response={201: EventOut},
    summary="Care held the follow-up meeting of an RCA or documentation case, at held_at",
)
def follow_up_meeting(request: HttpRequest, case_id: int, payload: MeetingIn) -> Status[Any]:
    event = services.record_follow_up_meeting(
        actor=caller(request), case_id=case_id, held_at=payload.held_at, now=CLOCK.now()
    )
    return Status(201, _events_out(request, event.case, [event])[0])


# -- re-applying rules ----------------------------------------------------------------------


def _rules_out(change: services.RulesChange) -> RulesChangeOut:
    return RulesChangeOut(
        organisation_id=change.organisation.id,
        before={**change.before, "hours": services.hours_shown(change.before)},
        after={**change.after, "hours": services.hours_shown(change.after)},
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
