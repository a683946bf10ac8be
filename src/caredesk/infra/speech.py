"""The core's sentences (SLA explanations) in a reader's language: Django's catalogue
translates the messages; times and days are written as that language writes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import formats, translation

from caredesk.core.explain import Step
from caredesk.core.phrases import Phrase, Speaker, english_day, english_time, render

_JA_WEEKDAYS = "月火水木金土日"


def japanese_day(day: date) -> str:
    """``"月 2026-11-23"``: as the pages' date filter writes it in Japanese."""
    return f"{_JA_WEEKDAYS[day.weekday()]} {day.isoformat()}"


def japanese_time(local: datetime) -> str:
    """``"月 2026-11-23 16:30 JST"``."""
    text = japanese_day(local.date()) + local.strftime(" %H:%M")
    if local.second or local.microsecond:
        text += local.strftime(":%S")
    return f"{text} {local.tzname()}"


def instant_text(instant: datetime | str | None, zone: str) -> str:
    """``Mon 2026-11-23 13:30 (America/New_York)``: an instant as a person reads it, in
    ``zone`` (named) with the weekday in the active language; ``-`` for none. A stored
    ISO text (event data) is read first: people never see ISO 8601."""
    if instant is None:
        return "-"
    if isinstance(instant, str):
        instant = datetime.fromisoformat(instant)
    local = instant.astimezone(ZoneInfo(zone))
    return f"{formats.date_format(local, 'D Y-m-d H:i')} ({zone})"


def _translate(message: str) -> str:
    return translation.gettext(message)


@lru_cache(maxsize=8)
def speaker(language: str) -> Speaker:
    if language == "ja":
        return Speaker("ja", _translate, japanese_time, japanese_day)
    return Speaker(language, _translate, english_time, english_day)


def phrase_text(phrase: Phrase, language: str) -> str:
    """One of the core's phrases in ``language``."""
    if language == "en":
        return render(phrase)
    with translation.override(language):
        return render(phrase, speaker(language))


def step_texts(steps: Sequence[Step], language: str) -> list[str]:
    """The steps in ``language``; the language is switched once for them all, which costs
    more than rendering a step."""
    if language == "en":
        return [step.text for step in steps]
    said = speaker(language)
    with translation.override(language):
        return [render(step.phrase, said) for step in steps]
