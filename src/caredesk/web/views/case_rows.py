"""A list's rows as the queue and My cases show them: statuses in words, the SLA state as
a label, and the countdown to the next due instant in the reader's language, its span
said as every duration is (``core.clock_words``). The same patterns go to the page's script
(``countdown.js``), which keeps them current."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.cases.words import STATUS_WORDS
from caredesk.core.clock_words import SPAN_PATTERNS, span_phrase
from caredesk.infra.speech import phrase_text

# The countdown's sentences; the spans in them are said as every duration is
# (``clock_words.span_phrase``). The script fills the same patterns, so a page reads the
# same with or without it.
COUNTDOWN = {
    "ahead": gettext_noop("in %(span)s"),
    "overdue": gettext_noop("overdue by %(span)s"),
    **SPAN_PATTERNS,
}


def countdown_patterns() -> dict[str, str]:
    """The countdown's patterns in the active language, for the script (``data-<name>``)."""
    return {name: _(pattern) for name, pattern in COUNTDOWN.items()}


def span_text(span: timedelta) -> str:
    """``3 d 4 h``, ``2 h 5 min``, ``7 min``: a wall-clock span in the active language."""
    return phrase_text(span_phrase(span), translation.get_language() or "en")


def countdown_text(due: datetime, now: datetime) -> str:
    """How long until ``due`` (``in 2 h 5 min``), or since (``overdue by 3 d 4 h``)."""
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
