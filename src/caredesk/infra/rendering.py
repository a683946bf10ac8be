"""The API's JSON text, and answers written without a second look at their schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder


def rfc3339(instant: datetime) -> str:
    """An instant as the API's answers write it (``JSONRenderer``): UTC as ``Z``, with the
    microseconds it has; for JSON written elsewhere (webhook payloads)."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


class JSONRenderer(BaseRenderer):
    """orjson writes the answers, instants included, in RFC 3339: UTC as ``Z``, with the
    microseconds an instant has (as webhooks' ``occurred_at`` does). Django's encoder
    wrote milliseconds, one Python call per instant, and a page of fifty cases holds some
    250 of them. Values orjson does not know go through ninja's encoder."""

    media_type = "application/json"
    _options = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return orjson.dumps(data, default=_default, option=self._options)


_encode = NinjaJSONEncoder().default


def _default(value: Any) -> Any:
    if isinstance(value, datetime):  # a subclass: orjson writes only ``datetime`` itself
        plain = datetime.combine(value.date(), value.timetz())
        return orjson.dumps(plain, option=JSONRenderer._options)[1:-1].decode()
    return _encode(value)


def unvalidated_answer(request: HttpRequest, data: Any) -> HttpResponse:
    """``data`` rendered as it is, without ninja's validation against the operation's
    response schema: for the hottest reads (list pages, SLA answers), whose dicts are
    built field by field from typed columns and the core's clocks, validating fifty
    summaries, or three clocks' explanation steps, again is work done twice (see the
    README's request costs). The operation still declares its schema (OpenAPI),
    and the API tests validate every such answer they get against it."""
    return HttpResponse(
        JSONRenderer().render(request, data, response_status=200),
        content_type=f"{JSONRenderer.media_type}; charset={JSONRenderer.charset}",
    )
