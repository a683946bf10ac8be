"""A list's rows as the queue and My cases show them: statuses in words, the SLA state as
a label, and the countdown to the next due instant in the reader's language. The same
countdown patterns go to the page's script (``countdown.js``), which keeps them current."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.cases.words import STATUS_WORDS

# The countdown's sentences and spans; the script fills the same ones, so a page reads the
# same with or without it.
COUNTDOWN = {
    "ahead": gettext_noop("in %(span)s"),
    "overdue": gettext_noop("overdue by %(span)s"),
    "days": gettext_noop("%(d)s d %(h)s h"),
    "hours": gettext_noop("%(h)s h %(m)s min"),
    "minutes": gettext_noop("%(m)s min"),
}


def countdown_patterns() -> dict[str, str]:
    """The countdown's patterns in the active language, for the script."""
    return {name: _(pattern) for name, pattern in COUNTDOWN.items()}


def span_text(span: timedelta) -> str:
    """``3 d 4 h``, ``2 h 05 min``, ``7 min``: a wall-clock span as a countdown says it,
    to the whole minute below."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _(COUNTDOWN["days"]) % {"d": days, "h": hours}
    if hours:
        return _(COUNTDOWN["hours"]) % {"h": hours, "m": f"{minutes:02d}"}
    return _(COUNTDOWN["minutes"]) % {"m": minutes}


def countdown_text(due: datetime, now: datetime) -> str:
    """How long until ``due`` (``in 2 h 05 min``), or since (``overdue by 3 d 4 h``)."""
    if due >= now:
        return _(COUNTDOWN["ahead"]) % {"span": span_text(due - now)}
    return _(COUNTDOWN["overdue"]) % {"span": span_text(now - due)}


def rows(items: list[dict[str, Any]], *, now: datetime) -> list[dict[str, Any]]:
    """The page's rows of a list page's summaries (``cases.listing``)."""
    shown = []
    for item in items:
        due = item["next_due"]
        shown.append(
            {
                **item,
                "status_text": _(STATUS_WORDS.get(item["status"], item["status"])),
                "state_text": _(item["sla_state"]),
                "countdown": countdown_text(due, now) if due else "",
            }
        )
    return shown
