"""Firing timers: claim the due ones, act, mark them fired, in one transaction.

On PostgreSQL the claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` over the partial index of
pending timers, so any number of workers share the work and each timer fires once. Every
handler checks the case as it is now: a timer that state has overtaken does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_noop

from caredesk.accounts.models import Profile, Role
from caredesk.automation import notify
from caredesk.automation.models import Timer
from caredesk.cases import services as cases
from caredesk.cases import sla
from caredesk.cases.models import Case, CaseEvent
from caredesk.core.clocks import MetricClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.core.policy import Metric

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=5)


class Reschedule(Exception):
    """The timer came early (state moved its instant later): set it again, keep it pending."""

    def __init__(self, at: datetime) -> None:
        super().__init__(at.isoformat())
        self.at = at


Handler = Callable[[Timer, datetime], str]


def _history(case: Case) -> list[CaseEvent]:
    return list(case.events.order_by("seq"))


def _clock(case: Case, history: list[CaseEvent], metric: str, now: datetime) -> MetricClock:
    return sla.replay(case, history, now, explain=False)[Metric(metric)]


def _already(history: list[CaseEvent], kind: str, **match: object) -> bool:
    return any(
        event.kind == kind and all(event.data.get(k) == v for k, v in match.items())
        for event in history
    )


def sla_warning(timer: Timer, now: datetime) -> str:
    case = timer.case
    assert case is not None
    metric, level = timer.payload["metric"], timer.payload["level"]
    history = _history(case)
    clock = _clock(case, history, metric, now)
    if clock.target is None or clock.stop is not None:
        return "obsolete: the clock stopped"
    at = dict(clock.warnings).get(level)
    if at is None:
        return "obsolete: the clock is paused"
    if at > now:
        raise Reschedule(at)
    if _already(
        history,
        "sla-warning",
        metric=metric,
        level=level,
        generation=timer.payload["generation"],
    ):
        return "duplicate: warned already"
    cases.note(
        case=case,
        kind="sla-warning",
        now=now,
        data={
            "metric": metric,
            "level": level,
            "generation": timer.payload["generation"],
            "target": str(clock.target),
            "due": clock.due.isoformat() if clock.due else None,
        },
    )
    return f"warned {level}%"


def sla_breach(timer: Timer, now: datetime) -> str:
    case = timer.case
    assert case is not None
    metric = timer.payload["metric"]
    history = _history(case)
    clock = _clock(case, history, metric, now)
    if clock.target is None or clock.stop is not None:
        return "obsolete: the clock stopped"
    if clock.due is None:
        return "obsolete: the clock is paused"
    if clock.due >= now:
        # Due means "by then": breached only once that instant has passed.
        raise Reschedule(clock.due + timedelta(seconds=1))
    if _already(history, "sla-breached", metric=metric, generation=timer.payload["generation"]):
        return "duplicate: breached already"
    cases.note(
        case=case,
        kind="sla-breached",
        now=now,
        data={
            "metric": metric,
            "generation": timer.payload["generation"],
            "target": str(clock.target),
            "due": clock.due.isoformat(),
        },
    )
    return "breached"


def _still(case: Case, timer: Timer) -> bool:
    last = case.events.filter(kind="status-changed").order_by("-seq").first()
    return (
        case.status == timer.payload["status"]
        and last is not None
        and last.at.isoformat() == timer.payload["since"]
    )


def stale_notice(timer: Timer, now: datetime) -> str:
    case = timer.case
    assert case is not None
    if not _still(case, timer):
        return "obsolete: the customer answered or the status changed"
    stale = sla.policy_for(case).stale
    assert stale is not None
    close_at = stale.notice_period.due(now, sla.calendar_for(case))
    cases.note(
        case=case,
        kind="stale-notice",
        now=now,
        data={
            "close_at": close_at.isoformat(),
            "since": timer.payload["since"],
        },
    )
    return f"notice sent; closes {close_at.isoformat()}"


def _close(timer: Timer, now: datetime, reason: str) -> str:
    case = timer.case
    assert case is not None
    return cases.system_close(
        case_id=case.id,
        expected=timer.payload["status"],
        since=datetime.fromisoformat(timer.payload["since"]),
        reason=reason,
        now=now,
    )


def stale_close(timer: Timer, now: datetime) -> str:
    return _close(
        timer, now, gettext_noop("no adequate response for three business days after notice")
    )


def proposed_close(timer: Timer, now: datetime) -> str:
    return _close(
        timer,
        now,
        gettext_noop("resolution proposed, no issue reported by the end of the third business day"),
    )


def _deadline_done(case: Case, deadline: str) -> bool:
    if deadline == "rca-due":
        return case.status in (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED)
    if deadline == "post-mortem-due":
        return case.events.filter(kind="post-mortem-held").exists()
    if deadline == "incident-report-due":
        return case.events.filter(kind="incident-report-delivered").exists()
    if deadline == "management-attention":
        return case.events.filter(kind="escalation-acknowledged").exists()
    return False


def deadline(timer: Timer, now: datetime) -> str:
    case = timer.case
    assert case is not None
    name = timer.payload["deadline"]
    if _deadline_done(case, name):
        return "done in time"
    cases.note(
        case=case,
        kind=timer.kind,
        now=now,
        data={"deadline": name, "due": timer.payload["due"]},
    )
    return "overdue" if timer.kind == "deadline-overdue" else "reminded"


def credentials(timer: Timer, now: datetime) -> str:
    if timer.subject_id is None:
        return "obsolete: no person"
    person = (
        Profile.objects.select_related("user", "organisation").filter(id=timer.subject_id).first()
    )
    if person is None:
        return "obsolete: the person is gone"
    if person.credentials_issued_at is not None:
        return "done: credentials issued"
    overdue = timer.kind == "credentials-overdue"
    state = "overdue" if overdue else "due"
    for manager in Profile.objects.select_related("user").filter(role=Role.MANAGER):
        subject = (
            f"Credentials {state} for designated contact {person.user.email} "
            f"({person.organisation.name})"
        )
        body = (
            f"{person.user.email} completed the roles-and-responsibilities training on "
            f"{person.training_completed_at:%Y-%m-%d %H:%M} UTC; credentials are due "
            f"{timer.payload['due']} and have not been issued."
        )
        notify.email(
            key=f"{timer.key}:{manager.user_id}",
            to=manager.user,
            subject=subject,
            body=body,
            event=timer.kind,
            now=now,
            language="en",
        )
    return f"Care told: credentials {state}"


HANDLERS: dict[str, Handler] = {
    "sla-warning": sla_warning,
    "sla-breach": sla_breach,
    "stale-notice": stale_notice,
    "stale-close": stale_close,
    "proposed-close": proposed_close,
    "deadline-reminder": deadline,
    "deadline-overdue": deadline,
    "credentials-reminder": credentials,
    "credentials-overdue": credentials,
}


def claim(now: datetime, batch: int) -> list[Timer]:
    """Pending timers due by ``now``, locked for this transaction (others skip them)."""
    return list(
        Timer.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case", "case__organisation")
        .filter(fired_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "id")[:batch]
    )


def sweep(*, now: datetime, batch: int = 100) -> int:
    """Claim and fire one batch of due timers; returns how many were claimed."""
    with transaction.atomic():
        timers = claim(now, batch)
        for timer in timers:
            fire(timer, now)
    return len(timers)


def fire(timer: Timer, now: datetime) -> None:
    try:
        with transaction.atomic():  # a failing handler undoes only its own work
            outcome = HANDLERS[timer.kind](timer, now)
    except Reschedule as early:
        Timer.objects.filter(id=timer.id).update(due_at=early.at)
        return
    except Exception as exc:
        log.exception("timer %s failed", timer.key)
        attempts = timer.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            Timer.objects.filter(id=timer.id).update(
                attempts=attempts, fired_at=now, outcome=f"failed: {exc}"[:300]
            )
        else:
            Timer.objects.filter(id=timer.id).update(
                attempts=attempts, due_at=now + RETRY_AFTER, outcome=f"error: {exc}"[:300]
            )
        return
    Timer.objects.filter(id=timer.id).update(fired_at=now, outcome=outcome[:300])
