"""For the automation: system actions, with no person behind them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.cases.services.history import append_event, resync
from caredesk.cases.services.incidents import rca_follow_up
from caredesk.cases.services.status import move_status
from caredesk.core.lifecycle import CaseStatus, is_resolved


@transaction.atomic
def note(*, case: Case, kind: str, data: dict[str, Any], now: datetime) -> CaseEvent:
    """Record what the automation saw or did (a warning, a breach, a notice); appending
    takes the case's row lock."""
    return append_event(case, kind=kind, at=now, actor=None, data=data)


@transaction.atomic
def system_close(
    *, case_id: int, expected: str, since: datetime, reason: str, now: datetime
) -> str:
    """Close a case the policy says is stale, if it is still as it was when the timer was
    set; returns what happened."""
    case = Case.objects.select_for_update().select_related("organisation").get(id=case_id)
    if case.status != expected:
        return f"not closed: the case is {case.status} now"
    last = case.events.filter(kind=EventKind.STATUS_CHANGED).order_by("-seq").first()
    if last is None or last.at != since:
        return "not closed: the status changed since"
    follow_up = rca_follow_up(case)
    if follow_up is not None and not is_resolved(CaseStatus(follow_up.status)):
        return f"not closed: RCA follow-up {follow_up.number} is still open"
    move_status(case, CaseStatus.CLOSED, actor=None, now=now, reason=reason)
    resync(case, now)
    return "closed"
