"""Explanation steps keep their message and values, so that an adapter can say them in
another language; the core's own text is the English rendering."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, compute_clocks
from caredesk.core.explain import local_text
from caredesk.core.phrases import (
    Day,
    Localized,
    LocalTime,
    Speaker,
    english_time,
    hours_text,
    render,
    say,
)
from caredesk.core.policy import text_in

NY = ZoneInfo("America/New_York")
RESELLER = policies.load("genesys-care-cloud-reseller")


def test_every_step_names_the_values_its_message_asks_for() -> None:
    # Monday 08:00 New York, severity 2; paused Monday 10:00 to Tuesday 10:00; raised to
    # severity 1 by Care Wednesday 09:00; closed Friday 12:00 (Thanksgiving skipped).
    events = [
        ClockEvent.opened(datetime(2026, 11, 23, 8, tzinfo=NY), 2),
        ClockEvent.status_changed(datetime(2026, 11, 23, 10, tzinfo=NY), "waiting-on-customer"),
        ClockEvent.status_changed(datetime(2026, 11, 24, 10, tzinfo=NY), "open"),
        ClockEvent.severity_changed(datetime(2026, 11, 25, 9, tzinfo=NY), 1),
        ClockEvent.closed(datetime(2026, 11, 27, 12, tzinfo=NY)),
    ]
    result = compute_clocks(
        events,
        policy=RESELLER,
        plan="care-for-cloud",
        case_type="incident",
        calendar=RESELLER.calendar("America/New_York", country="US"),
        now=datetime(2026, 11, 27, 12, tzinfo=NY),
    )
    steps = [s for clock in result.values() for s in clock.steps]
    assert {s.kind for s in steps} >= {"policy", "calendar", "retarget", "start", "pause", "due"}
    for step in steps:
        wanted = set(re.findall(r"%\((\w+)\)s", step.phrase.message))
        assert wanted == {name for name, _ in step.phrase.args}, step.phrase.message
        assert "%(" not in step.text


def test_a_speaker_translates_messages_nested_phrases_and_writes_its_own_times() -> None:
    message = "on %(day)s at %(at)s, %(used)s used: %(verdict)s (%(name)s, severity %(n)s)"
    catalogue = {message: "le %(day)s à %(at)s, %(used)s: %(verdict)s (%(name)s, %(n)s)"}
    catalogue["met"] = "tenu"
    french = Speaker(
        "fr",
        translate=lambda m: catalogue.get(m, m),
        time=lambda local: local.strftime("%H.%M"),
        day=lambda day: day.strftime("%d/%m"),
    )
    phrase = say(
        message,
        day=Day(date(2026, 11, 23)),
        at=LocalTime(datetime(2026, 11, 23, 16, 30, tzinfo=NY)),
        used=timedelta(hours=37, minutes=30),
        verdict=say("met"),
        name=Localized.of({"en": "High", "fr": "Haut"}),
        n=2,
    )
    assert render(phrase) == (
        "on Mon 2026-11-23 at Mon 2026-11-23 16:30 EST, 37:30 used: met (High, severity 2)"
    )
    # The message is translated before the values go in; a nested phrase is translated
    # too; a text in several languages picks the speaker's.
    assert render(phrase, french) == "le 23/11 à 16.30, 37:30: tenu (Haut, 2)"
    assert Localized.of({"en": "High"}).get("ja") == "High"  # English when missing


@pytest.mark.parametrize(
    ("texts", "language", "expected"),
    [
        ({"en": "High", "ja": "高"}, "ja", "高"),
        ({"en": "High", "ja": "高"}, "en", "High"),
        ({"en": "High", "ja": "高"}, "fr", "High"),  # English when the language is missing
        ({"en": "High", "ja": ""}, "ja", "High"),  # and when it is empty
        ({"ja": "高"}, "fr", "高"),  # the first text when there is no English
        ({}, "en", ""),
    ],
)
def test_localized_text_falls_back_to_english_then_any(
    texts: dict[str, str], language: str, expected: str
) -> None:
    assert Localized.of(texts).get(language) == expected
    assert text_in(texts, language) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (timedelta(hours=37, minutes=30), "37:30"),
        (timedelta(0), "0:00"),
        (timedelta(minutes=5), "0:05"),
        (-timedelta(hours=1, minutes=15), "-1:15"),
        (timedelta(seconds=59), "0:00"),
    ],
)
def test_hours_text(value: timedelta, expected: str) -> None:
    assert hours_text(value) == expected


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime(2026, 11, 20, 16, 30, tzinfo=NY), "Fri 2026-11-20 16:30 EST"),
        (datetime(2026, 11, 20, 16, 30, 5, tzinfo=NY), "Fri 2026-11-20 16:30:05 EST"),
        (datetime(2026, 11, 20, 16, 30, 0, 1, tzinfo=NY), "Fri 2026-11-20 16:30:00 EST"),
        (datetime(2026, 7, 4, 9, 5, tzinfo=NY), "Sat 2026-07-04 09:05 EDT"),
    ],
)
def test_english_time_shows_seconds_only_when_there_are_some(
    local: datetime, expected: str
) -> None:
    assert english_time(local) == expected


def test_local_text_is_in_the_customers_zone() -> None:
    office = RESELLER.calendar("America/New_York", country="US")
    instant = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
    assert local_text(instant, office) == "Fri 2026-11-20 16:30 EST"
