"""Duties after an outage: the RCA follow-up and its deadline, the post-mortem meeting,
the Incident Report, and the follow-up meeting held when a final document is delivered."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.accounts.services import require_care
from caredesk.cases import intake, sla
from caredesk.cases.models import Case, CaseEvent, CaseLink, EventKind
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.opening import create_case
from caredesk.cases.services.reading import get_case
from caredesk.cases.words import CASE_TYPE_WORDS, STATUS_WORDS
from caredesk.core.lifecycle import CaseStatus, is_resolved
from caredesk.core.policy import CaseType
from caredesk.infra.errors import Conflict, DomainError, named


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
    follow_up, _clocks = create_case(
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
        raise Conflict(_("case %(number)s has no post-mortem to hold") % {"number": case.number})
    if case.events.filter(kind=EventKind.POST_MORTEM_HELD).exists():
        raise Conflict(
            _("the post-mortem of case %(number)s was already held") % {"number": case.number}
        )
    append_event(case, kind=EventKind.POST_MORTEM_HELD, at=now, actor=actor)
    _incident_report_due(case, actor=actor, now=now)
    return case


@transaction.atomic
def request_incident_report(*, actor: User, case_id: int, text: str, now: datetime) -> Case:
    """The reseller asks in writing for the Incident Report."""
    case = get_case(actor, case_id, for_update=True)
    rule = sla.policy_for(case).post_mortem
    if rule is None or not rule.incident_report_on_written_request:
        raise DomainError(
            _("the policy of case %(number)s provides no Incident Report") % {"number": case.number}
        )
    if not case.events.filter(kind=EventKind.POST_MORTEM_DUE).exists():
        raise Conflict(
            _("case %(number)s has had no Service Resolution with a post-mortem")
            % {"number": case.number}
        )
    if not text.strip():
        raise DomainError(_("the written request needs its text"))
    if case.events.filter(kind=EventKind.INCIDENT_REPORT_REQUESTED).exists():
        raise Conflict(
            _("an Incident Report for case %(number)s was already requested")
            % {"number": case.number}
        )
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
        raise Conflict(_("no Incident Report is due on case %(number)s") % {"number": case.number})
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
        sentence = (
            _(
                "case %(number)s is an %(case_type)s case; a follow-up meeting is recorded "
                "on the rca or documentation case whose document it follows"
            )
            if case.case_type[0] in "aeiou"
            else _(
                "case %(number)s is a %(case_type)s case; a follow-up meeting is recorded "
                "on the rca or documentation case whose document it follows"
            )
        )
        said = named(case.case_type, CASE_TYPE_WORDS.get(case.case_type), quoted=False)
        raise Conflict(sentence % {"number": case.number, "case_type": said})
    if not is_resolved(CaseStatus(case.status)):
        raise Conflict(
            _(
                "the final document of case %(number)s is not delivered yet (the case is "
                "%(status)s); the follow-up meeting is recorded once it is"
            )
            % {
                "number": case.number,
                "status": named(case.status, STATUS_WORDS.get(case.status), quoted=False),
            }
        )
    held = case.events.filter(kind=EventKind.FOLLOW_UP_MEETING_HELD).first()
    if held is not None:
        raise Conflict(
            _("the follow-up meeting of case %(number)s was already recorded (held %(held)s)")
            % {"number": case.number, "held": held.data["held_at"]}
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
            _(
                "meeting time %(given)s is in the future; expected when the meeting was held, "
                "at or before now (%(now)s)"
            )
            % {"given": given, "now": now.astimezone(UTC).isoformat()},
            errors=[{"field": "held_at", "message": _("in the future")}],
            status=422,
        )
    if held_at < case.opened_at:
        raise DomainError(
            _(
                "meeting time %(given)s is before case %(number)s was opened (%(opened)s); "
                "expected when the meeting was held, after that"
            )
            % {
                "given": given,
                "number": case.number,
                "opened": case.opened_at.astimezone(UTC).isoformat(),
            },
            errors=[{"field": "held_at", "message": _("before the case was opened")}],
            status=422,
        )
