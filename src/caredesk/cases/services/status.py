"""Moving a case through the lifecycle (the transition table is the core's)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.services import profile_of
from caredesk.cases import sla
from caredesk.cases.models import Case, EventKind
from caredesk.cases.services.history import append_event, record_response, resync
from caredesk.cases.services.incidents import (
    open_rca_follow_up,
    post_mortem_due,
    rca_deadline,
    rca_follow_up,
)
from caredesk.cases.services.reading import get_case
from caredesk.cases.words import STATUS_WORDS
from caredesk.core.lifecycle import (
    TRANSITIONS,
    CaseStatus,
    IllegalTransition,
    check_transition,
    is_resolved,
    parse_status,
)
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied, named

_CUSTOMER_MOVES = {
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.OPEN),  # reports that the issue remains
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED),  # accepts the resolution
}
# The history's reason when the customer closes a proposed resolution without words of theirs.
ACCEPTED = gettext_noop("the customer accepted the resolution")


def move_status(
    case: Case,
    target: CaseStatus,
    *,
    actor: User | None,
    now: datetime,
    reason: str,
    accepted: bool = False,
) -> None:
    """Move the case and record it; ``accepted``: the customer accepted the proposed
    resolution (the event's data says so, whatever the reason's words)."""
    current = CaseStatus(case.status)
    check_transition(current, target)
    case.status = target.value
    if target is CaseStatus.CLOSED:
        case.closed_at = now
    Case.objects.filter(id=case.id).update(status=case.status, closed_at=case.closed_at)
    append_event(
        case,
        kind=EventKind.STATUS_CHANGED,
        at=now,
        actor=actor,
        data={
            "from": current.value,
            "to": target.value,
            **({"accepted": True} if accepted else {}),
        },
        reason=reason,
    )


def _needs_rca(case: Case, target: CaseStatus, follow_up: Case | None) -> bool:
    """Resolving an outage of a severity the policy follows up with an RCA, not yet done."""
    rule = sla.policy_for(case).rca
    return (
        is_resolved(target)
        and rule is not None
        and case.severity in rule.follow_up_severities
        and follow_up is None
        and case.case_type == "incident"
    )


def _customer_may(current: CaseStatus, target: CaseStatus) -> bool:
    return (current, target) in _CUSTOMER_MOVES or target is CaseStatus.CLOSED


def moves_for(case: Case, *, by_care: bool) -> list[CaseStatus]:
    """The statuses the case may move to now, by Care or by the customer: the lifecycle's
    transition table less what the caller's role may not do (the form offers these)."""
    current = CaseStatus(case.status)
    allowed = TRANSITIONS[current]
    return [s for s in CaseStatus if s in allowed and (by_care or _customer_may(current, s))]


def needs_initial_rca(case: Case) -> bool:
    """Resolving the case now needs the initial RCA (an outage the policy follows up)."""
    return _needs_rca(case, CaseStatus.RESOLUTION_PROPOSED, rca_follow_up(case))


def _status(status: CaseStatus, *, quoted: bool = True) -> str:
    return named(status.value, STATUS_WORDS[status.value], quoted=quoted)


def _parsed_status(text: str) -> CaseStatus:
    """``text`` as a status; else a refusal naming it and the statuses there are."""
    try:
        return parse_status(text)
    except ValueError:
        names = ", ".join(_status(s, quoted=False) for s in CaseStatus)
        raise DomainError(
            _("unknown case status %(status)s; expected one of: %(names)s")
            % {"status": named(text), "names": names},
            errors=[{"field": "status", "message": _("unknown case status")}],
        ) from None


def _illegal(exc: IllegalTransition) -> Conflict:
    """The core's refusal of a move, with the same facts, in the reader's language."""
    allowed = ", ".join(_status(s, quoted=False) for s in exc.allowed) or _("none (final)")
    return Conflict(
        _(
            "a case cannot move from %(current)s to %(target)s; "
            "from %(current)s it can move to: %(allowed)s"
        )
        % {"current": _status(exc.current), "target": _status(exc.target), "allowed": allowed}
    )


def check_status_change(
    case: Case,
    target: CaseStatus,
    *,
    by_care: bool,
    initial_rca: str,
    follow_up: Case | None,
) -> None:
    """Refuse a move the lifecycle, the caller's role or an open RCA duty forbids."""
    current = CaseStatus(case.status)
    try:
        check_transition(current, target)
    except IllegalTransition as exc:
        raise _illegal(exc) from None
    if not by_care and not _customer_may(current, target):
        raise PermissionDenied(
            _("customers may reopen or close a case; moving it to %(target)s is Care's")
            % {"target": _status(target)}
        )
    if _needs_rca(case, target, follow_up) and not initial_rca.strip():
        raise DomainError(
            _(
                "resolving Severity %(severity)s case %(number)s needs the initial RCA: a "
                "brief explanation of the outage and its known cause (initial_rca)"
            )
            % {"severity": case.severity, "number": case.number},
            errors=[{"field": "initial_rca", "message": _("required to resolve an outage")}],
        )
    if (
        target is CaseStatus.CLOSED
        and follow_up is not None
        and not is_resolved(CaseStatus(follow_up.status))
    ):
        raise Conflict(
            _(
                "case %(number)s stays open until its RCA follow-up %(follow_up)s "
                "completes (a complete RCA is delivered there)"
            )
            % {"number": case.number, "follow_up": follow_up.number}
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
    target = _parsed_status(status)
    follow_up = rca_follow_up(case)
    by_care = profile_of(actor).is_care
    check_status_change(case, target, by_care=by_care, initial_rca=initial_rca, follow_up=follow_up)
    # The customer closing a proposed resolution accepts it.
    accepted = not by_care and (CaseStatus(case.status), target) == (
        CaseStatus.RESOLUTION_PROPOSED,
        CaseStatus.CLOSED,
    )
    words = reason.strip() or (ACCEPTED if accepted else "")
    if _needs_rca(case, target, follow_up):
        _resolve_outage(case, actor=actor, reason=words, initial_rca=initial_rca.strip(), now=now)
    else:
        _move_and_follow(case, target, actor=actor, reason=words, now=now, accepted=accepted)
    if by_care and reason.strip():
        # Care's reason reaches the contact (by e-mail, and in the history): Care's words to
        # the customer, as a reply is. A bare move tells the customer nothing.
        record_response(case, actor=actor, now=now)
    resync(case, now)
    return case


def _resolve_outage(
    case: Case, *, actor: User, reason: str, initial_rca: str, now: datetime
) -> None:
    """The closing status update to the customer carries the initial RCA; the case is
    proposed resolved (closed only after its follow-up) and the RCA follow-up opens."""
    append_event(
        case,
        kind=EventKind.COMMENT,
        at=now,
        actor=actor,
        data={"body": initial_rca, "public": True, "by_care": True, "rca": "initial"},
    )
    proposed = CaseStatus.RESOLUTION_PROPOSED
    if CaseStatus(case.status) is not proposed:
        move_status(case, proposed, actor=actor, now=now, reason=reason)
    open_rca_follow_up(case, actor=actor, initial_rca=initial_rca, now=now)
    post_mortem_due(case, actor=actor, now=now)


def _move_and_follow(
    case: Case,
    target: CaseStatus,
    *,
    actor: User,
    reason: str,
    now: datetime,
    accepted: bool = False,
) -> None:
    """Move the case, then the duties the move starts: the comprehensive RCA on
    resolution, the post-mortem on Service Resolution."""
    if target is not CaseStatus(case.status):
        move_status(case, target, actor=actor, now=now, reason=reason, accepted=accepted)
    rca = sla.policy_for(case).rca
    if is_resolved(target) and rca is not None and case.severity in rca.comprehensive_due:
        rca_deadline(case, case, actor=actor, now=now)
    if target in (CaseStatus.RESTORED, CaseStatus.RESOLUTION_PROPOSED):
        post_mortem_due(case, actor=actor, now=now)


@transaction.atomic
def accept_resolution(*, actor: User, case_id: int, reason: str = "", now: datetime) -> Case:
    """The customer accepts the proposed resolution: the case closes, and its history says
    so (``accepted``; the reason is the customer's words, or that they accepted it)."""
    case = get_case(actor, case_id, for_update=True)
    if profile_of(actor).is_care:
        raise PermissionDenied(
            _("only the customer accepts a proposed resolution; Care closes the case instead")
        )
    if case.status != CaseStatus.RESOLUTION_PROPOSED:
        raise Conflict(
            _(
                "case %(number)s is %(status)s, not resolution-proposed: there is no "
                "proposed resolution to accept"
            )
            % {"number": case.number, "status": _status(CaseStatus(case.status), quoted=False)}
        )
    return change_status(actor=actor, case_id=case_id, status="closed", reason=reason, now=now)
