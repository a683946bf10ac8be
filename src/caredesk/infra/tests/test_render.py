"""The API's JSON text: instants in RFC 3339, UTC as ``Z``, as precise as they are."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import orjson

from caredesk.infra.rendering import JSONRenderer


class Later(datetime):
    """A datetime subclass."""


def render(data: object) -> bytes:
    body: bytes = JSONRenderer().render(None, data, response_status=200)  # type: ignore[arg-type]
    return body


def test_instants_are_rfc_3339_with_z_for_utc_and_their_own_precision() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    cases = [
        (datetime(2026, 11, 23, 15, 0, tzinfo=UTC), "2026-11-23T15:00:00Z"),
        (datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=UTC), "2026-11-23T15:00:00.123456Z"),
        (datetime(2026, 11, 23, 15, 0, 0, 999, tzinfo=UTC), "2026-11-23T15:00:00.000999Z"),
        (datetime(2026, 11, 24, 0, 0, 0, 500000, tzinfo=tokyo), "2026-11-24T00:00:00.500000+09:00"),
        (
            datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
            "2026-11-23T10:00:00-05:00",
        ),
        (Later(2026, 11, 23, 15, 0, 0, 1000, tzinfo=UTC), "2026-11-23T15:00:00.001000Z"),
    ]
    for instant, text in cases:
        assert orjson.loads(render({"at": instant})) == {"at": text}, instant
        # What clients parse back is the instant itself.
        assert datetime.fromisoformat(text) == instant


def test_the_renderer_writes_other_values_as_ninja_does() -> None:
    body = render({"n": [1, None], 2: "x", "d": date(2026, 11, 23), "x": Decimal("1.50")})
    assert orjson.loads(body) == {"n": [1, None], "2": "x", "d": "2026-11-23", "x": "1.50"}


def test_rfc3339_writes_utc_with_z_and_the_instants_own_precision() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from caredesk.infra.rendering import rfc3339

    # Monday 2026-11-23 10:00 New York is 15:00 UTC.
    ny = ZoneInfo("America/New_York")
    assert rfc3339(datetime(2026, 11, 23, 10, 0, tzinfo=ny)) == "2026-11-23T15:00:00Z"
    assert (
        rfc3339(datetime(2026, 11, 23, 10, 0, 5, 123456, tzinfo=ny))
        == "2026-11-23T15:00:05.123456Z"
    )
