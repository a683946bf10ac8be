"""The API's JSON text: instants written as Django's (and ninja's) encoder writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import orjson
from ninja.responses import NinjaJSONEncoder

from caredesk.site.api import JSONRenderer, _default


class Later(datetime):
    """A datetime subclass: not the fast path's exact type."""


def test_instants_are_written_as_djangos_encoder_writes_them() -> None:
    reference = NinjaJSONEncoder().default
    tokyo = ZoneInfo("Asia/Tokyo")
    instants = [
        datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 23, 15, 0, 0, 123456, tzinfo=UTC),
        datetime(2026, 11, 23, 15, 0, 0, 999, tzinfo=UTC),
        datetime(2026, 11, 24, 0, 0, 0, 500000, tzinfo=tokyo),
        datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=-5))),
        Later(2026, 11, 23, 15, 0, 0, 1000, tzinfo=UTC),
    ]
    for instant in instants:
        assert _default(instant) == reference(instant), instant
    assert _default(instants[1]) == "2026-11-23T15:00:00.123Z"
    assert _default(instants[3]) == "2026-11-24T00:00:00.500+09:00"


def test_the_renderer_writes_containers_with_orjson_and_the_rest_as_before() -> None:
    at = datetime(2026, 11, 23, 15, 0, 0, 250000, tzinfo=UTC)
    body = JSONRenderer().render(None, {"at": at, "n": [1, None], 2: "x"}, response_status=200)  # type: ignore[arg-type]
    assert orjson.loads(body) == {"at": "2026-11-23T15:00:00.250Z", "n": [1, None], "2": "x"}
