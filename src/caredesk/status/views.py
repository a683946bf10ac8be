"""The public status page (no sign-in): ``/status/`` in the reader's language and zone,
``/status/index.json`` and ``/status/feed.atom``.

Everyone loads this page during an outage, so what is built is cached in Django's cache
under the status version (bumped by every write of incidents, advisories and announced
maintenance) and the minute (planned windows begin and end on the clock): while nothing
changes, a request costs no database query, and a conditional one answers 304.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from caredesk.core.zones import load_zone
from caredesk.infra.clock import CLOCK
from caredesk.status import documents
from caredesk.status.atom import StatusFeed
from caredesk.status.services import page, version

# How long a built entry is kept: a minute's, and a little more for a late reader.
_KEPT = 120


@dataclass(frozen=True)
class Built:
    content: bytes
    content_type: str
    etag: str
    modified: float  # when content of this kind first read so (Last-Modified)


def _reader_zone(request: HttpRequest) -> str:
    """``tz`` if given, else the signed-in person's zone, else UTC; ``ValueError`` names a
    bad one."""
    asked = request.GET.get("tz")
    if asked is not None:
        load_zone(asked)
        return asked
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        if profile is not None:
            return str(profile.timezone)
    return "UTC"


def _reader_language(request: HttpRequest) -> str:
    asked = request.GET.get("lang")
    if asked in dict(settings.LANGUAGES):
        translation.activate(asked)
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _cached(
    request: HttpRequest, parts: tuple[str, ...], build: Callable[[], Built]
) -> HttpResponse:
    """The built answer for ``parts`` at this version and minute (built once), answered
    304 when the reader has it."""
    now = CLOCK.now()
    minute = now.replace(second=0, microsecond=0)
    key = ":".join(("status", str(version.current()), *parts, minute.strftime("%Y%m%d%H%M")))
    built: Built | None = cache.get(key)
    if built is None:
        fresh = build()
        # Last-Modified: when this kind of answer first read as it does now.
        seen_key = ":".join(("status-etag", *parts))
        seen = cache.get(seen_key)
        modified = seen[1] if seen and seen[0] == fresh.etag else minute.timestamp()
        built = Built(fresh.content, fresh.content_type, fresh.etag, modified)
        cache.set(seen_key, (built.etag, modified), timeout=None)
        cache.set(key, built, timeout=_KEPT)
    response = get_conditional_response(
        request, etag=built.etag, last_modified=int(built.modified)
    ) or HttpResponse(built.content, content_type=built.content_type)
    response["ETag"] = built.etag
    response["Last-Modified"] = http_date(built.modified)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def _built(content: bytes, content_type: str) -> Built:
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    return Built(content, content_type, etag, 0.0)


def _bad_zone(exc: ValueError) -> HttpResponse:
    return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


@require_safe
def status_page(request: HttpRequest) -> HttpResponse:
    try:
        zone = _reader_zone(request)
    except ValueError as exc:
        return _bad_zone(exc)
    language = _reader_language(request)

    def build() -> Built:
        shot = page.snapshot(now=CLOCK.now(), zone=zone)
        with translation.override(language):
            html = render_to_string(
                "status/page.html", documents.page_context(shot, language, request.GET)
            )
        return _built(html.encode(), "text/html; charset=utf-8")

    return _cached(request, ("page", language, zone), build)


@require_safe
def status_json(request: HttpRequest) -> HttpResponse:
    try:
        zone = _reader_zone(request)
    except ValueError as exc:
        return _bad_zone(exc)

    def build() -> Built:
        shot = page.snapshot(now=CLOCK.now(), zone=zone)
        body = json.dumps(documents.index_document(shot), ensure_ascii=False)
        return _built(body.encode(), "application/json")

    return _cached(request, ("json", zone), build)


@require_safe
def status_feed(request: HttpRequest) -> HttpResponse:
    language = _reader_language(request)

    def build() -> Built:
        with translation.override(language):
            answer = StatusFeed()(request)
        return _built(answer.content, answer["Content-Type"])

    return _cached(request, ("atom", language), build)
