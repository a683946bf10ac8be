"""A case's clocks as the page shows them: one phrase each (met early, breached by, time
left) and its explanation drawn as a timeline, a bar per local day (an SVG the template
writes from the geometry here; no script)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _

from caredesk.cases.services import SlaAnswer
from caredesk.core.clock_words import clock_phrase
from caredesk.core.explain import Step
from caredesk.core.phrases import clock_text
from caredesk.core.timeline import DayBar, day_bars
from caredesk.infra.speech import phrase_text, step_texts

# The drawing's geometry, in the SVG's own units (it scales to the page's width).
WIDTH = 720
BAR_X = 150  # the day's label to the left
BAR_W = WIDTH - BAR_X - 10  # 00:00 to 24:00
ROW_H = 22
BAR_H = 14
TOP = 18  # room for the hours along the top


def _piece_names() -> dict[str, str]:
    return {
        "counted": _("Counted"),
        "ahead": _("Rest of the target"),
        "paused": _("Paused (waiting on the customer)"),
        "holiday": _("Holiday"),
        "not-working": _("Not a working day"),
        "closed": _("Closed"),
    }


def _mark_names() -> dict[str, str]:
    return {"start": _("Start"), "due": _("Due"), "stop": _("Stopped"), "now": _("Now")}


def _x(fraction: float) -> float:
    return round(BAR_X + fraction * BAR_W, 1)


def _hours(since: datetime, until: datetime, zone: ZoneInfo) -> str:
    """``08:00-17:00`` in ``zone``; a piece that runs to midnight ends at 24:00."""
    start, end = since.astimezone(zone), until.astimezone(zone)
    end_text = "24:00" if end.date() > start.date() else clock_text(end)
    return f"{clock_text(start)}-{end_text}"


def _row(bar: DayBar, index: int, zone: ZoneInfo) -> dict[str, Any]:
    names, marks = _piece_names(), _mark_names()
    y = TOP + index * ROW_H
    pieces = [
        {
            "x": _x(p.start),
            "w": max(round((p.end - p.start) * BAR_W, 1), 0.5),
            "kind": p.kind,
            "title": f"{names[p.kind]} {_hours(p.since, p.until, zone)}",
        }
        for p in bar.pieces
    ]
    return {
        "y": y,
        "y2": y + ROW_H,
        "gap_y": y - ROW_H // 2 + 4,
        "bar_y": y + (ROW_H - BAR_H) // 2,
        "text_y": y + ROW_H // 2 + 4,
        "label": formats.date_format(bar.day, "D m-d"),
        "gap": (
            # Said without a plural form: the catalogue has none (one form in Japanese).
            _("days without counted time left out: %(days)s") % {"days": bar.skipped_before}
            if bar.skipped_before
            else ""
        ),
        "pieces": pieces,
        "marks": [
            {
                "x": _x(m.at),
                "kind": m.kind,
                "title": f"{marks[m.kind]} {clock_text(m.instant.astimezone(zone))}",
            }
            for m in bar.marks
        ],
    }


def timeline(steps: Sequence[Step], zone: ZoneInfo, now: datetime) -> dict[str, Any] | None:
    """The drawing of one clock's explanation (``None``: nothing to draw)."""
    bars = day_bars(steps, zone, now)
    if not bars:
        return None
    rows = []
    index = 0
    for bar in bars:
        if bar.skipped_before:
            index += 1  # a line for the gap's words
        rows.append(_row(bar, index, zone))
        index += 1
    return {
        "width": WIDTH,
        "height": TOP + index * ROW_H + 4,
        "bar_x": BAR_X,
        "bar_w": BAR_W,
        "bar_h": BAR_H,
        "rows": rows,
        "ticks": [{"x": _x(h / 24), "label": f"{h:02d}:00"} for h in (0, 6, 12, 18, 24)],
        "zone": str(zone),
    }


def metrics(answer: SlaAnswer, language: str) -> list[dict[str, Any]]:
    """Each clock: its state, its one phrase, its timeline and its steps in words."""
    zone = ZoneInfo(answer.calendar.timezone)
    found = []
    for m in answer.metrics:
        clock = m.clock
        phrase = clock_phrase(
            m.state,
            due=clock.due,
            stop=clock.stop,
            remaining=clock.remaining,
            business_time=clock.target is not None and clock.target.unit.is_business,
            now=answer.now,
        )
        found.append(
            {
                "metric": m.metric.value,
                "clock": clock,
                "state": m.state,
                "words": phrase_text(phrase, language) if phrase else "",
                "timeline": timeline(clock.steps, zone, answer.now) if clock.target else None,
                "steps": list(
                    zip(
                        [s.kind for s in clock.steps],
                        step_texts(clock.steps, language),
                        strict=True,
                    )
                ),
            }
        )
    return found
