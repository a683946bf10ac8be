"""Moving a case through the lifecycle (the transition table is the core's)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts.services import profile_of
from caredesk.cases import sla
from caredesk.cases.models import Case
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.incidents import (
    open_rca_follow_up,
    post_mortem_due,
    rca_deadline,
    rca_follow_up,
)
from caredesk.cases.services.reading import get_case
from caredesk.core.lifecycle import CaseStatus, IllegalTransition, check_transition, parse_status
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied

_CUSTOMER_MOVES = {
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.OPEN),  # reports that the issue remains
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED),  # accepts the resolution
}


def move_status(
    case: Case, target: CaseStatus, *, actor: User | None, now: datetime, reason: str
) -> None:
    current = CaseStatus(case.status)
    check_transition(current, target)
    case.status = target.value
    if target is CaseStatus.CLOSED:
        case.closed_at = now
    Case.objects.filter(id=case.id).update(status=case.status, closed_at=case.closed_at)
    append_event(
        case,
        kind="status-changed",
        at=now,
        actor=actor,
        data={"from": current.value, "to": target.value},
        reason=reason,
    )


@transaction.atomic
def change_status(
    *,
    actor: User,
    case_id: int,
    status: str,
    reason: str = "",
    initial_rca: str = "",
    now: datetime,
) -> Case:
    """Move a case through the lifecycle. Resolving a Priority 1 outage carries the initial
    RCA and opens its RCA follow-up; the P1 case closes only once that follow-up completes."""
    case = get_case(actor, case_id, for_update=True)
    target = parse_status(status)
    profile = profile_of(actor)
    current = CaseStatus(case.status)
    try:
        check_transition(current, target)
    except IllegalTransition as exc:
        raise Conflict(str(exc)) from None
    customer_may = (current, target) in _CUSTOMER_MOVES or target is CaseStatus.CLOSED
    if not profile.is_care and not customer_may:
        raise PermissionDenied(
            f"customers may reopen or close a case; moving it to {target.value!r} is Care's"
        )
    policy = sla.policy_for(case)
    resolving = target in (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED)
    follow_up = rca_follow_up(case)
    needs_rca = (
        resolving
        and policy.rca is not None
        and case.severity in policy.rca.follow_up_severities
        and follow_up is None
        and case.case_type == "incident"
    )
    if needs_rca and not initial_rca.strip():
        raise DomainError(
            f"resolving Severity {case.severity} case {case.number} needs the initial RCA: a "
            "brief explanation of the outage and its known cause (initial_rca)",
            errors=[{"field": "initial_rca", "message": "required to resolve an outage"}],
        )
    if (
        target is CaseStatus.CLOSED
        and follow_up is not None
        and follow_up.status
        not in (
            CaseStatus.RESOLUTION_PROPOSED,
            CaseStatus.CLOSED,
        )
    ):
        raise Conflict(
            f"case {case.number} stays open until its RCA follow-up {follow_up.number} "
            "completes (a complete RCA is delivered there)"
        )
    if needs_rca:
        # The closing status update to the customer carries the initial RCA.
        append_event(
            case,
            kind="comment",
            at=now,
            actor=actor,
            data={
                "body": initial_rca.strip(),
                "public": True,
                "by_care": True,
                "rca": "initial",
            },
        )
        if target is CaseStatus.CLOSED:
            target = CaseStatus.RESOLUTION_PROPOSED  # closed only after the follow-up
    if target is not current:
        move_status(case, target, actor=actor, now=now, reason=reason.strip())
    if needs_rca:
        open_rca_follow_up(case, actor=actor, initial_rca=initial_rca.strip(), now=now)
    elif resolving and policy.rca is not None and case.severity in policy.rca.comprehensive_due:
        rca_deadline(case, case, actor=actor, now=now)
    if target in (CaseStatus.RESTORED, CaseStatus.RESOLUTION_PROPOSED):
        post_mortem_due(case, actor=actor, now=now)
    resync(case, now)
    return case
