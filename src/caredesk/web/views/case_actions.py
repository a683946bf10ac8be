"""What the case page's forms do: one small function per ``action``, each calling the one
service the API's handler calls, and which forms a reader is offered.

The services decide (scope, roles, the lifecycle, the policy); a form offered here is only
what the page shows, so a stale page still meets the service's refusal in words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.http import QueryDict

from caredesk.accounts.models import MANAGER_ROLES, Profile
from caredesk.accounts.services import care_people, profile_of
from caredesk.automation import services as automation
from caredesk.automation.escalation import ladder_of
from caredesk.cases import services, sla
from caredesk.cases.models import Case, CaseEvent, CaseLink, EventKind
from caredesk.cases.services.incidents import DOCUMENT_CASE_TYPES
from caredesk.core.lifecycle import CaseStatus, is_resolved
from caredesk.infra.errors import DomainError

Form = QueryDict
Action = Callable[[User, Case, Form, datetime], object]


def _number(form: Form, field: str, what: str) -> int:
    """A whole number the form sends (a choice of severity, of person, of request)."""
    text = form.get(field, "").strip()
    try:
        return int(text)
    except ValueError:
        raise DomainError(
            f"{what} {text!r} is not a number; expected one of the choices offered", status=422
        ) from None


def _reply(actor: User, case: Case, form: Form, now: datetime) -> object:
    public = form.get("internal") != "on"
    body = form.get("body", "")
    return services.add_comment(actor=actor, case_id=case.id, body=body, public=public, now=now)


def _not_fixed(actor: User, case: Case, form: Form, now: datetime) -> object:
    # The customer's reply to a proposed resolution reports the issue remains: it reopens.
    return services.add_comment(actor=actor, case_id=case.id, body=form.get("body", ""), now=now)


def _accept(actor: User, case: Case, form: Form, now: datetime) -> object:
    reason = form.get("reason", "")
    return services.accept_resolution(actor=actor, case_id=case.id, reason=reason, now=now)


def _status(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.change_status(
        actor=actor,
        case_id=case.id,
        status=form.get("status", ""),
        reason=form.get("reason", ""),
        initial_rca=form.get("initial_rca", ""),
        now=now,
    )


def _assign(actor: User, case: Case, form: Form, now: datetime) -> object:
    if form.get("assignee") == "me":
        assignee: int | None = actor.id
    elif form.get("assignee", "") == "":
        assignee = None
    else:
        assignee = _number(form, "assignee", "assignee")
    return services.assign(actor=actor, case_id=case.id, assignee_id=assignee, now=now)


def _severity(actor: User, case: Case, form: Form, now: datetime) -> object:
    severity = _number(form, "severity", "severity")
    reason = form.get("reason", "")
    return services.change_severity(
        actor=actor, case_id=case.id, severity=severity, reason=reason, now=now
    )


def _request_severity(actor: User, case: Case, form: Form, now: datetime) -> object:
    severity = _number(form, "severity", "severity")
    reason = form.get("reason", "")
    return services.request_severity_change(
        actor=actor, case_id=case.id, severity=severity, reason=reason, now=now
    )


def _decide(actor: User, case: Case, form: Form, now: datetime) -> object:
    request_id = _number(form, "request", "severity request")
    if not case.severity_requests.filter(id=request_id).exists():
        # Only a request of this case is decided from its page.
        raise DomainError(f"severity request {request_id} is not one of case {case.number}'s")
    return services.decide_severity_request(
        actor=actor,
        request_id=request_id,
        accept=form.get("decision") == "accept",
        reason=form.get("reason", ""),
        now=now,
    )


def _call(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.log_call(actor=actor, case_id=case.id, summary=form.get("summary", ""), now=now)


def _phone_raise(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.phone_raise(
        actor=actor,
        case_id=case.id,
        severity=_number(form, "severity", "severity"),
        reason=form.get("reason", ""),
        contact_name=form.get("contact_name", ""),
        contact_phone=form.get("contact_phone", ""),
        now=now,
    )


def _link(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.link_cases(
        actor=actor,
        case_id=case.id,
        other_number=form.get("case_number", ""),
        kind=form.get("kind", ""),
        now=now,
    )


def _acknowledge(actor: User, case: Case, form: Form, now: datetime) -> object:
    automation.acknowledge_escalation(actor=actor, case_id=case.id, now=now)
    return None


def _escalate(actor: User, case: Case, form: Form, now: datetime) -> object:
    return automation.escalate(
        actor=actor,
        case_id=case.id,
        description=form.get("description", ""),
        business_impact=form.get("business_impact", ""),
        now=now,
    )


def _post_mortem(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.record_post_mortem(actor=actor, case_id=case.id, now=now)


def _request_report(actor: User, case: Case, form: Form, now: datetime) -> object:
    text = form.get("text", "")
    return services.request_incident_report(actor=actor, case_id=case.id, text=text, now=now)


def _report_delivered(actor: User, case: Case, form: Form, now: datetime) -> object:
    return services.deliver_incident_report(actor=actor, case_id=case.id, now=now)


def _meeting(actor: User, case: Case, form: Form, now: datetime) -> object:
    text = form.get("held_at", "").strip()
    # Typed as the reader's wall time, in the zone their page shows.
    zone = ZoneInfo(profile_of(actor).timezone)
    try:
        held_at = datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        raise DomainError(
            f"meeting time {text!r} is not a date and time; expected when the meeting was "
            "held, as YYYY-MM-DD HH:MM",
            status=422,
        ) from None
    return services.record_follow_up_meeting(actor=actor, case_id=case.id, held_at=held_at, now=now)


ACTIONS: dict[str, Action] = {
    "reply": _reply,
    "not-fixed": _not_fixed,
    "accept": _accept,
    "status": _status,
    "propose": _status,  # a move to resolution-proposed, from its own form
    "assign": _assign,
    "severity": _severity,
    "request-severity": _request_severity,
    "decide-severity": _decide,
    "call": _call,
    "phone-raise": _phone_raise,
    "link": _link,
    "acknowledge": _acknowledge,
    "escalate": _escalate,
    "post-mortem": _post_mortem,
    "request-incident-report": _request_report,
    "incident-report-delivered": _report_delivered,
    "follow-up-meeting": _meeting,
}


def perform(actor: User, case: Case, form: Form, now: datetime) -> str:
    """Do the form's ``action`` (a reply when it names none, as the page's first form
    did); returns the action's name. A refusal raises ``DomainError``."""
    name = form.get("action", "reply")
    action = ACTIONS.get(name)
    if action is None:
        raise DomainError(f"unknown action {name!r}; expected one of: {', '.join(ACTIONS)}")
    action(actor, case, form, now)
    return name


def _seqs(events: list[CaseEvent], kind: str) -> list[int]:
    return [e.seq for e in events if e.kind == kind]


def offers(profile: Profile, case: Case, events: list[CaseEvent]) -> dict[str, Any]:
    """The forms the page shows ``profile`` on ``case`` (its history ``events``)."""
    closed = case.status == CaseStatus.CLOSED
    kinds = {e.kind for e in events}
    policy = sla.policy_for(case)
    severities = sorted(policy.severities)
    if profile.is_care:
        escalations, acks = (
            _seqs(events, EventKind.ESCALATION_REQUESTED),
            _seqs(events, EventKind.ESCALATION_ACKNOWLEDGED),
        )
        return {
            "moves": services.moves_for(case, by_care=True),
            "needs_rca": not closed and services.needs_initial_rca(case),
            "care_people": [] if closed else care_people(),
            "severities": [s for s in severities if s != case.severity],
            "raise_to": [s for s in severities if s < case.severity],
            "pending": services.pending_severity_requests(case),
            "link_kinds": CaseLink.Kind.choices,
            "acknowledge": profile.role in MANAGER_ROLES
            and bool(escalations)
            and max(escalations) > max(acks, default=0),
            "post_mortem": EventKind.POST_MORTEM_DUE in kinds
            and EventKind.POST_MORTEM_HELD not in kinds,
            "report_delivered": EventKind.INCIDENT_REPORT_DUE in kinds
            and EventKind.INCIDENT_REPORT_DELIVERED not in kinds,
            "meeting": case.case_type in DOCUMENT_CASE_TYPES
            and is_resolved(CaseStatus(case.status))
            and EventKind.FOLLOW_UP_MEETING_HELD not in kinds,
        }
    by_phone = policy.intake.severity1_by_phone_raise
    rule = policy.post_mortem
    return {
        "proposed": case.status == CaseStatus.RESOLUTION_PROPOSED,
        "may_close": not closed
        and case.status != CaseStatus.RESOLUTION_PROPOSED
        and CaseStatus.CLOSED in services.moves_for(case, by_care=False),
        "request_to": [s for s in severities if s != case.severity and not (s == 1 and by_phone)],
        "severity1_by_phone": by_phone and case.severity != 1,
        "pending": services.pending_severity_requests(case),
        "escalation_requires": ladder_of(policy).requires,
        "request_report": rule is not None
        and rule.incident_report_on_written_request
        and EventKind.POST_MORTEM_DUE in kinds
        and EventKind.INCIDENT_REPORT_REQUESTED not in kinds,
    }
