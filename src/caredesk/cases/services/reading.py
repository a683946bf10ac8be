"""Reading cases in the caller's scope (everything outside it is "not found"): one case,
a page of a list or the queue, the history a reader may see, and the SLA answer. The API
and the pages both call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.services import (
    profile_of,
    require_care,
    require_designated,
    visible_org_ids,
)
from caredesk.cases import listing, queries, sla, store
from caredesk.cases.models import Case, CaseEvent, EventKind, SlaClock
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.clocks import MetricClock
from caredesk.core.display import DisplayState
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Metric
from caredesk.infra.errors import NotFound, named

OPEN_STATUSES = store.open_statuses()
MINE = "mine"  # the ``assignee`` filter's word for the caller


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the caller may see; everything else is "not found"."""
    return queries.in_scope(visible_org_ids(user))


def get_case(user: User, case_id: int, *, for_update: bool = False) -> Case:
    """A case in scope with its organisation. With ``for_update``, the case the caller is
    about to change: locked for the caller's transaction, and refused unless the caller may
    update cases (Care or a designated contact: ``accounts.services.may_update_cases``).
    Every use-case that changes a case starts here, so none can skip that rule."""
    if not for_update:
        return get_case_with_clocks(user, case_id, clocks=False)[0]
    try:
        case = visible_cases(user).select_for_update(of=("self",)).get(id=case_id)
    except Case.DoesNotExist:
        raise NotFound(_("case %(id)s not found") % {"id": case_id}) from None
    require_designated(profile_of(user), to=gettext_noop("update cases"))
    return case


def get_case_with_clocks(
    user: User, case_id: int, *, clocks: bool = True
) -> tuple[Case, list[SlaClock]]:
    """A case in scope with its organisation and its stored clocks, in one query (the
    API's most frequent read)."""
    found = store.read_case(case_id, visible_org_ids(user), with_clocks=clocks)
    if found is None:
        raise NotFound(_("case %(id)s not found") % {"id": case_id})
    return found


def get_case_by_number(user: User, number: str) -> Case:
    try:
        return visible_cases(user).get(number=number.strip().upper())
    except Case.DoesNotExist:
        raise NotFound(_("case %(number)s not found") % {"number": named(number)}) from None


def list_cases(
    *,
    actor: User,
    filters: dict[str, Any],
    queue: bool,
    limit: int,
    offset: int = 0,
    after: str | None = None,
    now: datetime,
    count_up_to: int | None = None,
) -> listing.CasePage:
    """A page of the caller's cases, newest first, or of the queue (open cases by
    severity, priority and nearest due instant); ``after`` is a page's ``next``. The
    filter ``assignee`` may be ``mine``: the caller's cases. ``count_up_to``: a filtered
    list is counted up to that many (0: not counted; ``queries.page``)."""
    if filters.get("assignee") == MINE:
        filters = {**filters, "assignee": str(actor.pk)}
    return listing.case_page(
        org_ids=visible_org_ids(actor),
        filters=filters,
        queue=queue,
        limit=limit,
        offset=offset,
        after=after,
        now=now,
        count_up_to=count_up_to,
    )


def new_critical_cases(*, actor: User, since: datetime) -> list[dict[str, Any]]:
    """Care: the open Severity 1 cases opened after ``since``, newest first (at most ten),
    for the banner every open console shows (read through the ``case_newest`` index)."""
    require_care(actor)
    cases = (
        visible_cases(actor)
        .filter(severity=1, opened_at__gt=since)
        .exclude(status=CaseStatus.CLOSED.value)
        .order_by("-opened_at", "-id")
    )
    found = cases.values("id", "number", "subject", "opened_at", "organisation__name")[:10]
    return [dict(row) for row in found]


def visible_events(user: User, case: Case) -> list[CaseEvent]:
    """The history of ``case`` as ``user`` may read it: Care sees every event, anybody
    else none of Care's internal notes."""
    events = list(case.events.select_related("actor").order_by("seq"))
    if profile_of(user).is_care:
        return events
    return [e for e in events if e.kind != EventKind.COMMENT or e.data.get("public")]


@dataclass(frozen=True)
class MetricAnswer:
    metric: Metric
    clock: MetricClock
    state: DisplayState


@dataclass(frozen=True)
class SlaAnswer:
    """Each clock of a case replayed now, with its explanation steps and its state."""

    case: Case
    now: datetime
    calendar: BusinessCalendar
    metrics: list[MetricAnswer]


def sla_answer(*, actor: User, case_id: int, now: datetime) -> SlaAnswer:
    """Why each due time of a case in scope is what it is: its history replayed with
    explanations (the stored clocks say only when)."""
    case = get_case(actor, case_id)
    events = sla.histories([case.id], sla.CLOCK_KINDS)[case.id]
    clocks = sla.replay(case, events, now, explain=True)
    metrics = [
        MetricAnswer(metric, clock, sla.display_state(sla.clock_row(case.id, clock), now))
        for metric, clock in clocks.items()
    ]
    return SlaAnswer(case, now, sla.calendar_for(case), metrics)
