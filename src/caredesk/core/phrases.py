"""Sentences the core says (SLA explanations), kept as a message and its values so that an
adapter can say them in the reader's language; the core itself renders English.

A message is English with ``%(name)s`` placeholders, marked with ``gettext_noop`` so that
the adapters' translation catalogue finds it. Values are rendered by kind: a local time, a
day, a duration in hours, a text given in several languages, a nested phrase (translated
too), or anything else as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue; translation happens where it is shown."""
    return message


@dataclass(frozen=True)
class LocalTime:
    """An instant as the customer's calendar shows it (aware, in its zone)."""

    local: datetime


@dataclass(frozen=True)
class Day:
    day: date


@dataclass(frozen=True)
class Localized:
    """A text given in several languages (policy data): ``(("en", ...), ("ja", ...))``."""

    texts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, text: Mapping[str, str]) -> Localized:
        return cls(tuple(sorted(text.items())))

    def get(self, language: str) -> str:
        found = dict(self.texts)
        return found.get(language) or found.get("en") or next(iter(found.values()), "")


@dataclass(frozen=True)
class Phrase:
    message: str
    args: tuple[tuple[str, object], ...] = ()


def say(message: str, **args: object) -> Phrase:
    return Phrase(message, tuple(args.items()))


def hours_text(value: timedelta) -> str:
    """``"37:30"`` for 37.5 hours; negative values get a sign."""
    sign = "-" if value < timedelta(0) else ""
    seconds = int(abs(value).total_seconds())
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}"


# Written by hand rather than with strftime: locale-independent, and cheaper (an explanation
# writes dozens of them).
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def clock_text(local: datetime) -> str:
    """``"16:30"``."""
    return f"{local.hour:02d}:{local.minute:02d}"


def english_day(day: date) -> str:
    """``"Fri 2026-11-20"``."""
    return f"{_WEEKDAYS[day.weekday()]} {day.year:04d}-{day.month:02d}-{day.day:02d}"


def english_time(local: datetime) -> str:
    """``"Fri 2026-11-20 16:30 EST"`` (seconds only when there are some)."""
    text = f"{english_day(local)} {local.hour:02d}:{local.minute:02d}"
    if local.second or local.microsecond:
        text += f":{local.second:02d}"
    return f"{text} {local.tzname()}"


@dataclass(frozen=True)
class Speaker:
    """How one language says things: its catalogue and how it writes times and days."""

    language: str = "en"
    translate: Callable[[str], str] = gettext_noop
    time: Callable[[datetime], str] = english_time
    day: Callable[[date], str] = english_day


ENGLISH = Speaker()


def render(phrase: Phrase, speaker: Speaker = ENGLISH) -> str:
    message = speaker.translate(phrase.message)
    if not phrase.args:
        return message
    # By exact type, most common first: an explanation renders some fifty phrases.
    values: dict[str, str] = {}
    for name, value in phrase.args:
        kind = type(value)
        if kind is str:
            values[name] = value  # type: ignore[assignment]
        elif kind is LocalTime:
            values[name] = speaker.time(value.local)  # type: ignore[attr-defined]
        elif kind is timedelta:
            values[name] = hours_text(value)  # type: ignore[arg-type]
        elif kind is Phrase:
            values[name] = render(value, speaker)  # type: ignore[arg-type]
        elif kind is Day:
            values[name] = speaker.day(value.day)  # type: ignore[attr-defined]
        elif kind is Localized:
            values[name] = value.get(speaker.language)  # type: ignore[attr-defined]
        else:
            values[name] = str(value)
    return message % values
