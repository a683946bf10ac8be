"""Severity: Care's re-determination, a customer's request and its decision, a phone raise."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.services import require_care
from caredesk.cases import intake, sla
from caredesk.cases.models import Case, EventKind, SeverityRequest
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.reading import get_case
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import Conflict, DomainError, NotFound

# A decided request's state, said in a refusal.
_DECIDED = {
    SeverityRequest.State.ACCEPTED.value: gettext_noop("accepted"),
    SeverityRequest.State.DECLINED.value: gettext_noop("declined"),
}


def _check_severity(case: Case, value: int) -> int:
    """``value`` if the case's policy defines that severity."""
    problem = intake.severity_error(sla.policy_for(case), value)
    if problem is not None:
        raise DomainError(problem)
    return value


def _check_change(case: Case, severity: int, reason: str, missing_reason: str) -> None:
    if not reason.strip():
        raise DomainError(_(missing_reason))
    if severity == case.severity:
        raise Conflict(
            _("case %(number)s is already severity %(severity)s")
            % {"number": case.number, "severity": severity}
        )
    _refuse_closed(case)


def _refuse_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(_("case %(number)s is closed") % {"number": case.number})


def _set_severity(
    case: Case,
    severity: int,
    *,
    actor: User,
    now: datetime,
    reason: str,
    phone_raise: bool = False,
    request_id: int | None = None,
    contact: dict[str, str] | None = None,
) -> None:
    old = case.severity
    case.severity = severity
    Case.objects.filter(id=case.id).update(severity=severity)
    data: dict[str, Any] = {"from": old, "to": severity, "phone_raise": phone_raise}
    if request_id is not None:
        data["request_id"] = request_id
    if contact is not None:
        # The Severity 1 contact recorded with the raise: the history and Care's alert say it.
        data["contact"] = contact
    append_event(
        case, kind=EventKind.SEVERITY_CHANGED, at=now, actor=actor, data=data, reason=reason
    )


@transaction.atomic
def change_severity(
    *, actor: User, case_id: int, severity: int, reason: str, now: datetime
) -> Case:
    """Care re-determines the severity (it has the final authority)."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(case, severity)
    _check_change(case, severity, reason, gettext_noop("a severity change needs a reason"))
    _set_severity(case, severity, actor=actor, now=now, reason=reason.strip())
    resync(case, now)
    return case


@transaction.atomic
def request_severity_change(
    *, actor: User, case_id: int, severity: int, reason: str, now: datetime
) -> SeverityRequest:
    """A customer asks for another severity; Care accepts or declines it."""
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(case, severity)
    _check_change(
        case,
        severity,
        reason,
        gettext_noop("a severity change request needs a reason (the business impact)"),
    )
    policy = sla.policy_for(case)
    if severity == 1 and policy.intake.severity1_by_phone_raise:
        raise DomainError(
            _("raising a case to Severity 1 (Critical) is done by a phone call to Care"),
            status=422,
        )
    if case.severity_requests.filter(state=SeverityRequest.State.PENDING).exists():
        raise Conflict(
            _("case %(number)s already has a pending severity request") % {"number": case.number}
        )
    request = SeverityRequest.objects.create(
        case=case,
        requested_by=actor,
        from_severity=case.severity,
        to_severity=severity,
        reason=reason.strip(),
        requested_at=now,
    )
    append_event(
        case,
        kind=EventKind.SEVERITY_CHANGE_REQUESTED,
        at=now,
        actor=actor,
        data={"request_id": request.id, "from": case.severity, "to": severity},
        reason=reason.strip(),
    )
    return request


def pending_severity_requests(case: Case) -> list[SeverityRequest]:
    """The case's severity requests awaiting Care's decision, oldest first."""
    return list(
        case.severity_requests.filter(state=SeverityRequest.State.PENDING)
        .select_related("requested_by")
        .order_by("requested_at", "id")
    )


@transaction.atomic
def decide_severity_request(
    *, actor: User, request_id: int, accept: bool, reason: str, now: datetime
) -> SeverityRequest:
    require_care(actor)
    request = SeverityRequest.objects.select_for_update().filter(id=request_id).first()
    if request is None:
        raise NotFound(_("severity request %(id)s not found") % {"id": request_id})
    if request.state != SeverityRequest.State.PENDING:
        raise Conflict(
            _("severity request %(id)s was already %(state)s")
            % {"id": request_id, "state": _(_DECIDED[request.state])}
        )
    if not reason.strip():
        raise DomainError(_("a decision on a severity request needs a reason"))
    case = get_case(actor, request.case_id, for_update=True)
    request.state = SeverityRequest.State.ACCEPTED if accept else SeverityRequest.State.DECLINED
    request.decided_by = actor
    request.decided_at = now
    request.decision_reason = reason.strip()
    request.save()
    if accept:
        _set_severity(
            case,
            request.to_severity,
            actor=actor,
            now=now,
            reason=reason.strip(),
            request_id=request.id,
        )
        resync(case, now)
    else:
        append_event(
            case,
            kind=EventKind.SEVERITY_CHANGE_DECLINED,
            at=now,
            actor=actor,
            data={"request_id": request.id, "to": request.to_severity},
            reason=reason.strip(),
        )
    return request


@transaction.atomic
def phone_raise(
    *,
    actor: User,
    case_id: int,
    reason: str,
    contact_name: str,
    contact_phone: str,
    now: datetime,
    severity: int = 1,
) -> Case:
    """Care logs the customer's call raising a case (to Critical); targets count from it."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(case, severity)
    if severity >= case.severity:
        raise Conflict(
            _("a phone raise makes the severity higher than %(severity)s")
            % {"severity": case.severity}
        )
    _refuse_closed(case)
    if not reason.strip():
        raise DomainError(_("a phone raise records the caller's reason"))
    policy = sla.policy_for(case)
    contact = None
    if severity == 1:
        submission = intake.Submission(
            case_type=case.case_type,
            severity=1,
            priority=case.priority,
            channel="phone",
            product=case.product,
            subject=case.subject,
            description=case.description,
            intake=case.intake,
            critical_contact_name=contact_name,
            critical_contact_phone=contact_phone,
            request_kind=None,
        )
        intake.check_critical_contact(policy, case.organisation, submission)
        case.critical_contact_name = contact_name.strip()
        case.critical_contact_phone = contact_phone.strip()
        Case.objects.filter(id=case.id).update(
            critical_contact_name=case.critical_contact_name,
            critical_contact_phone=case.critical_contact_phone,
        )
        contact = {"name": case.critical_contact_name, "phone": case.critical_contact_phone}
    _set_severity(
        case,
        severity,
        actor=actor,
        now=now,
        reason=reason.strip(),
        phone_raise=True,
        contact=contact,
    )
    resync(case, now)
    return case
