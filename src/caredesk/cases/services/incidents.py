"""Duties after an outage: the RCA follow-up and its deadline, the post-mortem meeting,
the Incident Report, and the follow-up meeting held when a final document is delivered."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts.services import require_care
from caredesk.cases import intake, sla
from caredesk.cases.models import Case, CaseEvent, CaseLink, EventKind
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.opening import create_case
from caredesk.cases.services.reading import get_case
from caredesk.core.lifecycle import CaseStatus, is_resolved
from caredesk.core.policy import CaseType
from caredesk.infra.errors import Conflict, DomainError


@transaction.atomic
def link_to_platform_incident(
    *, actor: User, case_id: int, incident: dict[str, str], started_at: datetime, now: datetime
) -> Case:
    """Care links the case to a platform incident that started at ``started_at``: the
    history says so, and the clocks the policy names (``platform_incident_start``, SPEC
    1.2) count from the incident's start, their explanation saying why. ``incident``: what
    the history keeps of it (``id`` and ``title``). The status app's one way to link."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if CaseStatus(case.status) is CaseStatus.CLOSED:
        raise Conflict(
            f"case {case.number} is closed; only a case still being worked is linked to an incident"
        )
    linked = case.events.filter(kind=EventKind.INCIDENT_LINKED).first()
    if linked is not None:
        raise Conflict(
            f"case {case.number} is already linked to a platform incident (that started "
            f"{linked.data['started_at']}); a case has one restoration start"
        )
    append_event(
        case,
        kind=EventKind.INCIDENT_LINKED,
        at=now,
        actor=actor,
        data={"started_at": started_at.astimezone(UTC).isoformat(), **incident},
    )
    resync(case, now)
    return case


def rca_follow_up(case: Case) -> Case | None:
    link = (
        CaseLink.objects.select_related("to_case")
        .filter(from_case=case, kind=CaseLink.Kind.RCA_FOLLOW_UP)
        .first()
    )
    return link.to_case if link else None


def rca_deadline(case: Case, target: Case, *, actor: User | None, now: datetime) -> None:
    policy = sla.policy_for(case)
    assert policy.rca is not None
    due = policy.rca.comprehensive_due[case.severity].due(now, sla.calendar_for(case))
    append_event(
        target,
        kind=EventKind.RCA_DUE,
        at=now,
        actor=actor,
        data={
            "due": due.isoformat(),
            "for_case": case.number,
            "severity": case.severity,
        },
    )


def open_rca_follow_up(case: Case, *, actor: User, initial_rca: str, now: datetime) -> Case:
    """The Priority 3 RCA follow-up of a resolved Priority 1 outage, linked, with its due."""
    policy = sla.policy_for(case)
    assert policy.rca is not None
    priority = policy.rca.follow_up_priority
    submission = intake.Submission(
        case_type="rca",
        severity=priority,
        priority=priority,
        channel=case.channel,
        product=case.product,
        subject=f"RCA: {case.subject}"[:200],
        description=f"Root cause analysis of {case.number}.\n\nInitial RCA:\n{initial_rca}",
        intake={},
        critical_contact_name="",
        critical_contact_phone="",
        request_kind=None,
    )
    follow_up, _ = create_case(
        org=case.organisation,
        requester=case.opened_by,
        actor=actor,
        policy_id=case.policy,
        policy_version=case.policy_version,
        submission=submission,
        now=now,
        extra={"follow_up_of": case.number},
    )
    CaseLink.objects.create(
        from_case=case, to_case=follow_up, kind=CaseLink.Kind.RCA_FOLLOW_UP, created_at=now
    )
    append_event(
        case,
        kind=EventKind.LINKED,
        at=now,
        actor=actor,
        data={"to": follow_up.number, "kind": CaseLink.Kind.RCA_FOLLOW_UP},
    )
    rca_deadline(case, follow_up, actor=actor, now=now)
    return follow_up


def post_mortem_due(case: Case, *, actor: User | None, now: datetime) -> None:
    """Service Resolution of a Critical or High issue: the post-mortem meeting is due."""
    rule = sla.policy_for(case).post_mortem
    if rule is None or case.severity not in rule.meeting_due:
        return
    if case.events.filter(kind=EventKind.POST_MORTEM_DUE).exists():
        return
    due = rule.meeting_due[case.severity].due(now, sla.calendar_for(case))
    append_event(
        case,
        kind=EventKind.POST_MORTEM_DUE,
        at=now,
        actor=actor,
        data={
            "due": due.isoformat(),
            "rca_discussed": case.severity in rule.rca_discussed,
        },
    )


@transaction.atomic
def record_post_mortem(*, actor: User, case_id: int, now: datetime) -> Case:
    """Care held the post-mortem meeting; a written request makes the Incident Report due."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind=EventKind.POST_MORTEM_DUE).exists():
        raise Conflict(f"case {case.number} has no post-mortem to hold")
    if case.events.filter(kind=EventKind.POST_MORTEM_HELD).exists():
        raise Conflict(f"the post-mortem of case {case.number} was already held")
    append_event(case, kind=EventKind.POST_MORTEM_HELD, at=now, actor=actor)
    _incident_report_due(case, actor=actor, now=now)
    return case


@transaction.atomic
def request_incident_report(*, actor: User, case_id: int, text: str, now: datetime) -> Case:
    """The reseller asks in writing for the Incident Report."""
    case = get_case(actor, case_id, for_update=True)
    rule = sla.policy_for(case).post_mortem
    if rule is None or not rule.incident_report_on_written_request:
        raise DomainError(f"the policy of case {case.number} provides no Incident Report")
    if not case.events.filter(kind=EventKind.POST_MORTEM_DUE).exists():
        raise Conflict(f"case {case.number} has had no Service Resolution with a post-mortem")
    if not text.strip():
        raise DomainError("the written request needs its text")
    if case.events.filter(kind=EventKind.INCIDENT_REPORT_REQUESTED).exists():
        raise Conflict(f"an Incident Report for case {case.number} was already requested")
    append_event(
        case,
        kind=EventKind.INCIDENT_REPORT_REQUESTED,
        at=now,
        actor=actor,
        data={"text": text.strip()},
    )
    _incident_report_due(case, actor=actor, now=now)
    return case


def _incident_report_due(case: Case, *, actor: User, now: datetime) -> None:
    held = case.events.filter(kind=EventKind.POST_MORTEM_HELD).first()
    requested = case.events.filter(kind=EventKind.INCIDENT_REPORT_REQUESTED).exists()
    rule = sla.policy_for(case).post_mortem
    if held is None or not requested or rule is None:
        return
    # "Within 3 business days of the post-mortem meeting".
    due = rule.incident_report_due.due(held.at, sla.calendar_for(case))
    append_event(
        case, kind=EventKind.INCIDENT_REPORT_DUE, at=now, actor=actor, data={"due": due.isoformat()}
    )


@transaction.atomic
def deliver_incident_report(*, actor: User, case_id: int, now: datetime) -> Case:
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind=EventKind.INCIDENT_REPORT_DUE).exists():
        raise Conflict(f"no Incident Report is due on case {case.number}")
    append_event(case, kind=EventKind.INCIDENT_REPORT_DELIVERED, at=now, actor=actor)
    return case


# The case types whose final document a follow-up meeting follows.
DOCUMENT_CASE_TYPES = (CaseType.RCA.value, CaseType.DOCUMENTATION.value)


@transaction.atomic
def record_follow_up_meeting(
    *, actor: User, case_id: int, held_at: datetime, now: datetime
) -> CaseEvent:
    """Care held the follow-up meeting of an RCA or documentation case ("a meeting is then
    coordinated when the final document is delivered"), at ``held_at``."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if case.case_type not in DOCUMENT_CASE_TYPES:
        raise Conflict(
            f"case {case.number} is an {case.case_type} case; a follow-up meeting is recorded "
            "on the rca or documentation case whose document it follows"
        )
    if not is_resolved(CaseStatus(case.status)):
        raise Conflict(
            f"the final document of case {case.number} is not delivered yet (the case is "
            f"{case.status}); the follow-up meeting is recorded once it is"
        )
    held = case.events.filter(kind=EventKind.FOLLOW_UP_MEETING_HELD).first()
    if held is not None:
        raise Conflict(
            f"the follow-up meeting of case {case.number} was already recorded "
            f"(held {held.data['held_at']})"
        )
    _check_meeting_time(case, held_at, now)
    return append_event(
        case,
        kind=EventKind.FOLLOW_UP_MEETING_HELD,
        at=now,
        actor=actor,
        data={"held_at": held_at.astimezone(UTC).isoformat()},
    )


def _check_meeting_time(case: Case, held_at: datetime, now: datetime) -> None:
    """A meeting that was held: after the case was opened, not after now."""
    given = held_at.astimezone(UTC).isoformat()
    if held_at > now:
        raise DomainError(
            f"meeting time {given} is in the future; expected when the meeting was held, at "
            f"or before now ({now.astimezone(UTC).isoformat()})",
            errors=[{"field": "held_at", "message": "in the future"}],
            status=422,
        )
    if held_at < case.opened_at:
        raise DomainError(
            f"meeting time {given} is before case {case.number} was opened "
            f"({case.opened_at.astimezone(UTC).isoformat()}); expected when the meeting was "
            "held, after that",
            errors=[{"field": "held_at", "message": "before the case was opened"}],
            status=422,
        )
