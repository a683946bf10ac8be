"""The cache of local dates' UTC bases (``zones.DAY_BASES``) and of unclean dates: what is
stored, and the bounds that keep them small."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from caredesk.core import zones

NY = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
LONDON = ZoneInfo("Europe/London")


def day(text: str) -> int:
    return date.fromisoformat(text).toordinal()


@pytest.fixture
def empty_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "DAY_BASES", {})
    monkeypatch.setattr(zones, "_UNCLEAN", set())


@pytest.mark.usefixtures("empty_caches")
def test_a_clean_date_is_cached_with_its_midnight() -> None:
    # Midnight of Monday 2026-11-23 in New York (EST, UTC-5) is 05:00 UTC.
    base = zones.day_base(NY, day("2026-11-23"))
    assert base == datetime(2026, 11, 23, 5, tzinfo=UTC).timestamp()
    assert {NY: {day("2026-11-23"): base}} == zones.DAY_BASES
    # A fixed offset too: midnight at UTC+05:30 is 18:30 UTC the day before.
    india = timezone(timedelta(hours=5, minutes=30))
    assert zones.day_base(india, day("2026-11-23")) == (
        datetime(2026, 11, 22, 18, 30, tzinfo=UTC).timestamp()
    )


@pytest.mark.usefixtures("empty_caches")
def test_an_offset_change_is_never_cached_and_remembered_as_unclean() -> None:
    assert zones.day_base(NY, day("2026-11-01")) is None  # the fall back
    assert zones.DAY_BASES == {}
    assert {(NY, day("2026-11-01"))} == zones._UNCLEAN
    assert zones.day_base(NY, day("2026-11-01")) is None  # now from the unclean set


@pytest.mark.usefixtures("empty_caches")
def test_the_days_of_one_zone_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "_MAX_DAYS_PER_ZONE", 3)
    for text in ("2026-11-23", "2026-11-24", "2026-11-25"):
        zones.day_base(NY, day(text))
    assert len(zones.DAY_BASES[NY]) == 3
    zones.day_base(NY, day("2026-11-26"))  # a fourth day starts the zone's dates afresh
    assert list(zones.DAY_BASES[NY]) == [day("2026-11-26")]


@pytest.mark.usefixtures("empty_caches")
def test_the_zones_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "_MAX_ZONES", 2)
    zones.day_base(NY, day("2026-11-23"))
    zones.day_base(TOKYO, day("2026-11-23"))
    assert set(zones.DAY_BASES) == {NY, TOKYO}
    zones.day_base(NY, day("2026-11-24"))  # a known zone: nothing is dropped
    assert set(zones.DAY_BASES) == {NY, TOKYO}
    zones.day_base(LONDON, day("2026-11-23"))  # a third zone starts the cache afresh
    assert set(zones.DAY_BASES) == {LONDON}


@pytest.mark.usefixtures("empty_caches")
def test_the_unclean_dates_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zones, "_MAX_DAYS_PER_ZONE", 1)
    changes = ("2026-03-08", "2026-11-01", "2025-03-09")
    for text in changes[:2]:
        zones.day_base(NY, day(text))
    assert len(zones._UNCLEAN) == 2
    zones.day_base(NY, day(changes[2]))  # more than the bound: the set starts afresh
    assert {(NY, day(changes[2]))} == zones._UNCLEAN


def test_other_tzinfos_and_microsecond_offsets_are_not_cached() -> None:
    odd = timezone(timedelta(hours=1, microseconds=250))
    assert zones.day_base(odd, day("2026-11-23")) is None
    assert odd not in zones.DAY_BASES


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "time zone '' is not an IANA zone name such as 'America/New_York'"),
        (5, "time zone 5 is not an IANA zone name such as 'America/New_York'"),
        (
            "Mars/Base",
            "unknown time zone 'Mars/Base'; expected an IANA zone name such as 'America/New_York'",
        ),
    ],
)
def test_zone_names(name: object, message: str) -> None:
    with pytest.raises(ValueError, match="IANA zone name") as err:
        zones.load_zone(name)  # type: ignore[arg-type]
    assert str(err.value) == message
