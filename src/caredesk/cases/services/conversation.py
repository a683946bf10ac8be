"""Comments and internal notes."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_noop

from caredesk.accounts.services import profile_of
from caredesk.cases.models import CaseEvent, EventKind
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.reading import get_case
from caredesk.cases.services.status import move_status
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied


@transaction.atomic
def add_comment(
    *, actor: User, case_id: int, body: str, public: bool = True, now: datetime
) -> CaseEvent:
    case = get_case(actor, case_id, for_update=True)
    profile = profile_of(actor)
    if not body.strip():
        raise DomainError("a comment needs a body")
    if not public and not profile.is_care:
        raise PermissionDenied("only Care writes internal notes")
    if case.status == CaseStatus.CLOSED:
        raise Conflict(f"case {case.number} is closed; open a new case naming it instead")
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
        if not case.events.filter(kind=EventKind.RESPONDED).exists():
            append_event(case, kind=EventKind.RESPONDED, at=now, actor=actor)
        if case.status == CaseStatus.NEW:
            move_status(
                case,
                CaseStatus.OPEN,
                actor=actor,
                now=now,
                reason=gettext_noop("first response by Care"),
            )
    elif not profile.is_care and case.status == CaseStatus.WAITING_ON_CUSTOMER:
        move_status(
            case, CaseStatus.OPEN, actor=actor, now=now, reason=gettext_noop("the customer replied")
        )
    resync(case, now)
    return event
