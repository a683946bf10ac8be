"""What a Care manager oversees across the desk (the dashboard): open cases by SLA state
and plan, the clocks breached today, the cases at risk, open escalations. Every figure is
counted by the database (``queries``), never by reading all cases into Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User

from caredesk.accounts.services import require_care
from caredesk.cases import queries
from caredesk.cases.services.reading import list_cases


@dataclass(frozen=True)
class Oversight:
    by_state_and_plan: list[dict[str, Any]]  # {"plan", "state", "count"}, most first
    breached_today: int  # clocks whose due instant passed since ``day_start`` unmet
    at_risk: list[dict[str, Any]]  # the queue's first at-risk cases (summaries)
    escalations: list[dict[str, Any]]  # open cases whose escalation awaits acknowledgement


def oversight(*, actor: User, day_start: datetime, now: datetime, at_risk: int = 20) -> Oversight:
    """The dashboard's figures (Care managers only); ``day_start`` is the start of the
    manager's day, in their zone."""
    require_care(actor, manager=True)
    return Oversight(
        by_state_and_plan=queries.open_by_state_and_plan(now),
        breached_today=queries.breached_between(day_start, now),
        at_risk=list_cases(
            actor=actor,
            filters={"state": "at-risk"},
            queue=True,
            limit=at_risk,
            now=now,
            count_up_to=0,  # the dashboard shows the list; the count is in the table
        ).items,
        escalations=queries.awaiting_acknowledgement(),
    )
