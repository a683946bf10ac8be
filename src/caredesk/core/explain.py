"""Explanation steps: why a due time is what it is, in words a customer can check.

The counted steps add up to the target: each names the local times counted, and the days
skipped in between say why (weekend, public holiday, paused while waiting on the customer).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from caredesk.core.calendar import BusinessCalendar

Interval = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Step:
    """One line of an explanation; ``counted`` is the time it adds to the clock."""

    kind: str  # policy, calendar, note, retarget, start, count, skip, pause, due, stop
    text: str
    start: datetime | None = None
    end: datetime | None = None
    counted: timedelta = timedelta(0)


def hours_text(value: timedelta) -> str:
    """``"37:30"`` for 37.5 hours; negative values get a sign."""
    sign = "-" if value < timedelta(0) else ""
    seconds = int(abs(value).total_seconds())
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}"


def local_text(instant: datetime, business: BusinessCalendar) -> str:
    """``"Fri 2026-11-20 16:30 EST"``: in the customer's zone, with the zone named."""
    local = business.local(instant)
    text = local.strftime("%a %Y-%m-%d %H:%M")
    if local.second or local.microsecond:
        text += local.strftime(":%S")
    return f"{text} {local.tzname()}"


def _subtract(
    pieces: Iterable[tuple[datetime, datetime]], pauses: Sequence[Interval], end: datetime
) -> list[tuple[datetime, datetime]]:
    closed = [(s, e or end) for s, e in pauses]
    result = []
    for s, e in pieces:
        cursor = s
        for ps, pe in closed:
            if pe <= cursor or ps >= e:
                continue
            if ps > cursor:
                result.append((cursor, ps))
            cursor = max(cursor, pe)
        if cursor < e:
            result.append((cursor, e))
    return result


def _skip_reason(day: date, calendar: BusinessCalendar, paused_days: set[date]) -> str:
    name = calendar.holiday(day)
    if name is not None:
        return f"public holiday ({name})" if name != "holiday" else "declared holiday"
    if not calendar.week[day.weekday()]:
        return "not a working day"
    if day in paused_days:
        return "paused (waiting on the customer)"
    return "closed"


def explain(
    *,
    row: str,
    notes: Sequence[Step],
    calendar: BusinessCalendar,
    business: BusinessCalendar,
    start: datetime,
    pauses: Sequence[Interval],
    due: datetime | None,
    amount: timedelta,
    now: datetime,
    stop: datetime | None,
) -> list[Step]:
    """Steps from the policy row to the due time (or to ``now`` while paused)."""
    steps = [Step("policy", row)]
    if calendar.is_always_open:
        steps.append(
            Step(
                "calendar",
                (
                    "Counted on clock time (24x7): nights, weekends and holidays count; times are "
                    f"shown in {business.timezone}."
                ),
            )
        )
    else:
        steps.append(
            Step("calendar", f"Counted on the customer's business calendar: {calendar.describe()}.")
        )
    steps.extend(notes)
    steps.append(Step("start", f"The clock starts {local_text(start, business)}.", start=start))
    end = due if due is not None else max(start, min(stop or now, now))
    counted = _subtract(calendar.open_intervals(start, end), pauses, end)

    timeline: list[tuple[datetime, int, Step]] = []
    for ps, pe in pauses:
        until = f"until {local_text(pe, business)}" if pe is not None else "and still paused"
        timeline.append(
            (
                ps,
                0,
                Step(
                    "pause",
                    f"Paused from {local_text(ps, business)} {until}: waiting on the customer, "
                    "not counted.",
                    start=ps,
                    end=pe,
                ),
            )
        )
    # Each counted span with its ends in local time, converted once (the texts read them
    # several times).
    by_day: dict[date, list[tuple[datetime, datetime, datetime, datetime]]] = {}
    for s, e in counted:
        local_s = business.local(s)
        by_day.setdefault(local_s.date(), []).append((s, e, local_s, business.local(e)))
    paused_days = {
        business.local(ps).date() + timedelta(days=k)
        for ps, pe in pauses
        for k in range((business.local(pe or end).date() - business.local(ps).date()).days + 1)
    }
    if by_day and not calendar.is_always_open:
        zone = business.local(start).tzinfo
        day = business.local(start).date()
        while day < max(by_day):
            if day not in by_day:
                reason = _skip_reason(day, calendar, paused_days)
                timeline.append(
                    (
                        datetime.combine(day, time(), zone),
                        1,
                        Step("skip", f"Skipped {day.strftime('%a %Y-%m-%d')}: {reason}."),
                    )
                )
            day += timedelta(days=1)
    total = timedelta(0)
    for day in sorted(by_day):
        spans = by_day[day]
        day_total = sum((e - s for s, e, _, _ in spans), timedelta(0))
        zone_name = spans[0][2].tzname()
        total += day_total
        ranges = ", ".join(
            f"{local_s.strftime('%H:%M')}-{_end_text(local_s, local_e)}"
            for _, _, local_s, local_e in spans
        )
        timeline.append(
            (
                spans[0][0],
                2,
                Step(
                    "count",
                    f"Counted {day.strftime('%a %Y-%m-%d')} {ranges} {zone_name}: "
                    f"{hours_text(day_total)} (total {hours_text(total)}).",
                    start=spans[0][0],
                    end=spans[-1][1],
                    counted=day_total,
                ),
            )
        )
    timeline.sort(key=lambda item: (item[0], item[1]))
    steps.extend(step for _, _, step in timeline)

    if due is not None:
        steps.append(
            Step(
                "due",
                (
                    f"Due {local_text(due, business)} ({due.strftime('%Y-%m-%d %H:%M UTC')}): "
                    f"{hours_text(total)} counted = the target {hours_text(amount)}."
                ),
                start=due,
            )
        )
    else:
        steps.append(
            Step(
                "due",
                (
                    f"No due time while paused: {hours_text(total)} counted so far, "
                    f"{hours_text(amount - total)} remain and count again when the case resumes."
                ),
            )
        )
    if stop is not None:
        verdict = "met" if due is not None and stop <= due else "breached"
        steps.append(Step("stop", f"Stopped {local_text(stop, business)}: {verdict}.", start=stop))
    return steps


def _end_text(start: datetime, end: datetime) -> str:
    """The end of a counted span (both ends in local time); past midnight it says so
    (``05:00 (+1d)``)."""
    days = (end.date() - start.date()).days
    if days == 1 and end.hour == end.minute == 0:
        return "24:00"
    return end.strftime("%H:%M") + (f" (+{days}d)" if days else "")
