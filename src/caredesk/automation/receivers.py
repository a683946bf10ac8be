"""Listeners of the cases and accounts apps' signals, run inside their transactions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caredesk.accounts.models import Profile
from caredesk.automation import notify, scheduling
from caredesk.cases import sla
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.core.clocks import MetricClock
from caredesk.core.policy import Metric


def on_events(sender: Any, *, appended: list[tuple[Case, CaseEvent]], **_: Any) -> None:
    notify.on_events(appended)
    for case, event in appended:
        if event.kind in scheduling.DEADLINES:
            scheduling.schedule_deadline(case, event)
        elif event.kind == EventKind.STALE_NOTICE:
            case.refresh_from_db()
            clocks = sla.replay(case, list(case.events.order_by("seq")), event.at, explain=False)
            scheduling.schedule_case(case, clocks, event.at)


def on_clocks(
    sender: Any,
    *,
    case: Case,
    clocks: dict[Metric, MetricClock],
    now: datetime,
    new: bool = False,
    **_: Any,
) -> None:
    scheduling.schedule_case(case, clocks, now, new=new)


def on_training(sender: Any, *, person: Profile, now: datetime, **_: Any) -> None:
    scheduling.schedule_credentials(person, now)


def on_recomputed(sender: Any, *, replayed: dict[int, Any], now: datetime, **_: Any) -> None:
    scheduling.move_sla_timers(replayed, now)
