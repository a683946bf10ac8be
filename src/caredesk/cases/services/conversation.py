"""Comments, internal notes and the calls Care logs with the customer."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.services import profile_of
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.cases.services.history import append_event, record_response, resync
from caredesk.cases.services.reading import get_case
from caredesk.cases.services.status import move_status
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied

# A customer's reply puts a case Care left with them back in Care's hands, and why. A reply
# to a proposed resolution is a reported issue (SPEC 4): the case reopens, its clocks resume
# (the core's reopen rule) and the closure that awaited "no reported issues" is cancelled.
_REPLY_REOPENS = {
    CaseStatus.WAITING_ON_CUSTOMER: gettext_noop("the customer replied"),
    CaseStatus.RESOLUTION_PROPOSED: gettext_noop("the customer reported that the issue remains"),
}


def _refuse_closed(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(
            _("case %(number)s is closed; open a new case naming it instead")
            % {"number": case.number}
        )


def _care_told(case: Case, *, actor: User, now: datetime) -> None:
    """Care spoke to the customer in words (a public reply, a logged call): its response,
    the first time, and a new case is open from then."""
    record_response(case, actor=actor, now=now)
    if case.status == CaseStatus.NEW:
        move_status(
            case,
            CaseStatus.OPEN,
            actor=actor,
            now=now,
            reason=gettext_noop("first response by Care"),
        )


@transaction.atomic
def add_comment(
    *, actor: User, case_id: int, body: str, public: bool = True, now: datetime
) -> CaseEvent:
    case = get_case(actor, case_id, for_update=True)
    profile = profile_of(actor)
    if not body.strip():
        raise DomainError(_("a comment needs a body"))
    if not public and not profile.is_care:
        raise PermissionDenied(_("only Care writes internal notes"))
    _refuse_closed(case)
    event = append_event(
        case,
        kind=EventKind.COMMENT,
        at=now,
        actor=actor,
        data={
            "body": body.strip(),
            "public": public,
            "by_care": profile.is_care,
        },
    )
    if profile.is_care and public:
        _care_told(case, actor=actor, now=now)
    elif not profile.is_care and case.status in _REPLY_REOPENS:
        reason = _REPLY_REOPENS[CaseStatus(case.status)]
        move_status(case, CaseStatus.OPEN, actor=actor, now=now, reason=reason)
    resync(case, now)
    return event


@transaction.atomic
def log_call(*, actor: User, case_id: int, summary: str, now: datetime) -> CaseEvent:
    """Care logs a phone call with the customer about the case: its summary goes into the
    history, public (the contact reads it there and gets it by e-mail), and the first word
    Care has with the customer is its response."""
    case = get_case(actor, case_id, for_update=True)
    if not profile_of(actor).is_care:
        raise PermissionDenied(
            _("only Care logs a call with the customer; a contact adds a comment instead")
        )
    if not summary.strip():
        raise DomainError(
            _("a logged call needs a summary of what was said (summary)"),
            errors=[{"field": "summary", "message": _("required")}],
        )
    _refuse_closed(case)
    event = append_event(
        case,
        kind=EventKind.CALL_LOGGED,
        at=now,
        actor=actor,
        data={"body": summary.strip(), "public": True, "by_care": True},
    )
    _care_told(case, actor=actor, now=now)
    resync(case, now)
    return event
