"""Explanation steps: why a due time is what it is, in words a customer can check.

The counted steps add up to the target: each names the local times counted, and the days
skipped in between say why (weekend, public holiday, paused while waiting on the customer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from caredesk.core.calendar import BusinessCalendar
from caredesk.core.phrases import (
    Day,
    LocalTime,
    Phrase,
    clock_text,
    english_time,
    gettext_noop,
    render,
    say,
)
from caredesk.core.phrases import hours_text as hours_text

Interval = tuple[datetime, datetime | None]


@dataclass(frozen=True)
class Step:
    """One line of an explanation; ``counted`` is the time it adds to the clock."""

    kind: str  # policy, calendar, note, retarget, start, count, skip, pause, rules, due, stop
    phrase: Phrase  # ``text`` in English; an adapter says it in the reader's language
    start: datetime | None = None
    end: datetime | None = None
    counted: timedelta = timedelta(0)
    # What a timeline draws: a count step's counted spans (its day may have a gap, such as
    # lunch), and why a skip step's day counted nothing (one of ``SKIP_REASONS``).
    spans: tuple[tuple[datetime, datetime], ...] = ()
    why: str = ""

    @classmethod
    def said(
        cls,
        kind: str,
        phrase: Phrase,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        counted: timedelta = timedelta(0),
        spans: tuple[tuple[datetime, datetime], ...] = (),
        why: str = "",
    ) -> Step:
        return cls(kind, phrase, start, end, counted, spans, why)

    @property
    def text(self) -> str:
        # Written when read: a reader of another language never needs the English.
        return render(self.phrase)


def local_text(instant: datetime, business: BusinessCalendar) -> str:
    """``"Fri 2026-11-20 16:30 EST"``: in the customer's zone, with the zone named."""
    return english_time(business.local(instant))


def at(instant: datetime, business: BusinessCalendar) -> LocalTime:
    return LocalTime(business.local(instant))


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


# Why a skipped day counted nothing, as a timeline draws it.
SKIP_REASONS = ("holiday", "not-working", "paused", "closed")


def _skip_reason(
    day: date, calendar: BusinessCalendar, paused_days: set[date]
) -> tuple[str, Phrase]:
    name = calendar.holiday(day)
    if name is not None:
        if name == "holiday":
            return "holiday", say(gettext_noop("declared holiday"))
        return "holiday", say(gettext_noop("public holiday (%(name)s)"), name=name)
    if not calendar.week[day.weekday()]:
        return "not-working", say(gettext_noop("not a working day"))
    if day in paused_days:
        return "paused", say(gettext_noop("paused (waiting on the customer)"))
    return "closed", say(gettext_noop("closed"))


@dataclass(frozen=True)
class Earlier:
    """Time counted under earlier rules (before a calendar or policy change): it stays used."""

    calendar: BusinessCalendar  # what was counted: 24x7 or the business hours then
    business: BusinessCalendar  # the customer's calendar then (its zone names local times)
    start: datetime
    pauses: Sequence[Interval]
    end: datetime
    change: Phrase  # what the next rules were, said at the change


def explain(
    *,
    row: Phrase,
    notes: Sequence[Step],
    calendar: BusinessCalendar,
    business: BusinessCalendar,
    start: datetime,
    pauses: Sequence[Interval],
    due: datetime | None,
    amount: timedelta,
    now: datetime,
    stop: datetime | None,
    earlier: Sequence[Earlier] = (),
) -> list[Step]:
    """Steps from the policy row to the due time (or to ``now`` while paused).

    ``earlier`` are the spans counted under rules in force before ``start``, oldest first:
    their time is counted on their own hours, then the change is said, then ``start``'s.
    """
    steps = [Step.said("policy", row), _calendar_step(calendar, business)]
    steps.extend(notes)
    first, first_business = (
        (earlier[0].start, earlier[0].business) if earlier else (start, business)
    )
    starts = say(gettext_noop("The clock starts %(at)s."), at=at(first, first_business))
    steps.append(Step.said("start", starts, start=first))
    total, reached = _earlier_steps(steps, earlier, business, start, due)
    if not reached:
        end = due if due is not None else max(start, min(stop or now, now))
        total = _timeline(steps, calendar, business, start, pauses, end, total)
    steps.append(_due_step(due, business, total, amount))
    if stop is not None:
        steps.append(_stop_step(stop, due, business))
    return steps


def _earlier_steps(
    steps: list[Step],
    earlier: Sequence[Earlier],
    business: BusinessCalendar,
    start: datetime,
    due: datetime | None,
) -> tuple[timedelta, bool]:
    """Append the timeline of each earlier span and the rules change that ended it; the
    total counted, and whether the due time fell inside one of them."""
    total = timedelta(0)
    for i, span in enumerate(earlier):
        nxt = earlier[i + 1] if i + 1 < len(earlier) else None
        following, resumed = (nxt.business, nxt.start) if nxt else (business, start)
        end = span.end if due is None else min(span.end, due)
        total = _timeline(steps, span.calendar, span.business, span.start, span.pauses, end, total)
        if due is not None and due <= span.end:
            return total, True
        steps.append(
            Step.said(
                "rules",
                say(
                    gettext_noop(
                        "From %(at)s %(change)s: the %(used)s already counted stays used."
                    ),
                    at=at(resumed, following),
                    change=span.change,
                    used=total,
                ),
                start=resumed,
            )
        )
    return total, False


def _due_step(
    due: datetime | None, business: BusinessCalendar, total: timedelta, amount: timedelta
) -> Step:
    if due is not None:
        return Step.said(
            "due",
            say(
                gettext_noop("Due %(at)s (%(utc)s): %(total)s counted = the target %(target)s."),
                at=at(due, business),
                utc=due.strftime("%Y-%m-%d %H:%M UTC"),
                total=total,
                target=amount,
            ),
            start=due,
        )
    return Step.said(
        "due",
        say(
            gettext_noop(
                "No due time while paused: %(total)s counted so far, %(remain)s remain "
                "and count again when the case resumes."
            ),
            total=total,
            remain=amount - total,
        ),
    )


def _stop_step(stop: datetime, due: datetime | None, business: BusinessCalendar) -> Step:
    met = due is not None and stop <= due
    verdict = say(gettext_noop("met")) if met else say(gettext_noop("breached"))
    return Step.said(
        "stop",
        say(gettext_noop("Stopped %(at)s: %(verdict)s."), at=at(stop, business), verdict=verdict),
        start=stop,
    )


def _calendar_step(calendar: BusinessCalendar, business: BusinessCalendar) -> Step:
    if calendar.is_always_open:
        message = gettext_noop(
            "Counted on clock time (24x7): nights, weekends and holidays count; times are "
            "shown in %(zone)s."
        )
        return Step.said("calendar", say(message, zone=business.timezone))
    return Step.said(
        "calendar",
        say(
            gettext_noop("Counted on the customer's business calendar: %(hours)s."),
            hours=calendar.describe_phrase(),
        ),
    )


def _timeline(
    steps: list[Step],
    calendar: BusinessCalendar,
    business: BusinessCalendar,
    start: datetime,
    pauses: Sequence[Interval],
    end: datetime,
    total: timedelta,
) -> timedelta:
    """Append the pause, skip and count steps of ``start``..``end`` in time order; returns
    the running total counted (``total`` before this span)."""
    counted = _subtract(calendar.open_intervals(start, end), pauses, end)
    timeline: list[tuple[datetime, int, Step]] = [
        (ps, 0, _pause_step(ps, pe, business)) for ps, pe in pauses
    ]
    # Each counted span with its ends in local time, converted once (the texts read them
    # several times).
    by_day: dict[date, list[tuple[datetime, datetime, datetime, datetime]]] = {}
    for s, e in counted:
        local_s = business.local(s)
        by_day.setdefault(local_s.date(), []).append((s, e, local_s, business.local(e)))
    if by_day and not calendar.is_always_open:
        timeline.extend(_skip_steps(calendar, business, start, pauses, end, by_day))
    for day in sorted(by_day):
        spans = by_day[day]
        day_total = sum((e - s for s, e, _, _ in spans), timedelta(0))
        total += day_total
        timeline.append((spans[0][0], 2, _count_step(day, spans, day_total, total)))
    timeline.sort(key=lambda item: (item[0], item[1]))
    steps.extend(step for _, _, step in timeline)
    return total


def _pause_step(ps: datetime, pe: datetime | None, business: BusinessCalendar) -> Step:
    if pe is not None:
        paused = say(
            gettext_noop(
                "Paused from %(start)s until %(end)s: waiting on the customer, not counted."
            ),
            start=at(ps, business),
            end=at(pe, business),
        )
    else:
        paused = say(
            gettext_noop(
                "Paused from %(start)s and still paused: waiting on the customer, not counted."
            ),
            start=at(ps, business),
        )
    return Step.said("pause", paused, start=ps, end=pe)


def _skip_steps(
    calendar: BusinessCalendar,
    business: BusinessCalendar,
    start: datetime,
    pauses: Sequence[Interval],
    end: datetime,
    by_day: Mapping[date, object],
) -> list[tuple[datetime, int, Step]]:
    """A step for each local day from ``start`` to the last counted day that counts nothing."""
    paused_days = {
        business.local(ps).date() + timedelta(days=k)
        for ps, pe in pauses
        for k in range((business.local(pe or end).date() - business.local(ps).date()).days + 1)
    }
    skips = []
    zone = business.local(start).tzinfo
    day = business.local(start).date()
    while day < max(by_day):
        if day not in by_day:
            why, reason = _skip_reason(day, calendar, paused_days)
            skipped = say(gettext_noop("Skipped %(day)s: %(reason)s."), day=Day(day), reason=reason)
            midnight = datetime.combine(day, time(), zone)
            next_midnight = datetime.combine(day + timedelta(days=1), time(), zone)
            # The local day as instants in UTC, as every step's instants are.
            skip = Step.said(
                "skip",
                skipped,
                start=midnight.astimezone(UTC),
                end=next_midnight.astimezone(UTC),
                why=why,
            )
            skips.append((midnight, 1, skip))
        day += timedelta(days=1)
    return skips


def _count_step(
    day: date,
    spans: Sequence[tuple[datetime, datetime, datetime, datetime]],
    day_total: timedelta,
    total: timedelta,
) -> Step:
    ranges = ", ".join(
        f"{clock_text(local_s)}-{_end_text(local_s, local_e)}" for _, _, local_s, local_e in spans
    )
    counted_text = say(
        gettext_noop("Counted %(day)s %(ranges)s %(zone)s: %(hours)s (total %(total)s)."),
        day=Day(day),
        ranges=ranges,
        zone=spans[0][2].tzname(),
        hours=day_total,
        total=total,
    )
    return Step.said(
        "count",
        counted_text,
        start=spans[0][0],
        end=spans[-1][1],
        counted=day_total,
        spans=tuple((s, e) for s, e, _, _ in spans),
    )


def _end_text(start: datetime, end: datetime) -> str:
    """The end of a counted span (both ends in local time); past midnight it says so
    (``05:00 (+1d)``)."""
    days = (end.date() - start.date()).days
    if days == 1 and end.hour == end.minute == 0:
        return "24:00"
    return clock_text(end) + (f" (+{days}d)" if days else "")
