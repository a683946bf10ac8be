"""What every page shares: the reader's language and zone, the health check."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from caredesk.accounts.services import caller, profile_of
from caredesk.infra.health import database_answers


def health(request: HttpRequest) -> HttpResponse:
    if not database_answers():
        return JsonResponse({"status": "database"}, status=503)
    return JsonResponse({"status": "ok"})


def activate(request: HttpRequest) -> Any:
    profile = profile_of(caller(request))
    translation.activate(profile.language)
    return profile
