"""Explanation steps keep their message and values, so that an adapter can say them in
another language; the core's own text is the English rendering."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from caredesk.core import policy as policies
from caredesk.core.clocks import ClockEvent, compute_clocks
from caredesk.core.phrases import Day, Localized, LocalTime, Speaker, render, say

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
