"""The JSON API: one NinjaAPI with each app's router; every error is JSON with a message."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, django_auth

from caredesk.accounts.api import policies_router
from caredesk.accounts.api import router as accounts_router
from caredesk.accounts.services import user_for_token
from caredesk.automation.api import router as automation_router
from caredesk.cases.api import router as cases_router
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.infra.rendering import JSONRenderer
from caredesk.status.api import router as status_router

log = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cd_...``: a per-user API token. The answer, refusals
    included, is in the token owner's profile language (a session's reader has theirs
    from ``ReaderLanguage``), activated before any service runs and words its refusal."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token, now=CLOCK.now())
        if user is not None:
            request.user = user
            profile = getattr(user, "profile", None)  # none: the service refuses it
            if profile is not None:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        return user


api = NinjaAPI(
    title="CareDesk API",
    version="1",
    description=(
        "Organisations, designated contacts, cases with live SLA clocks, and the shipped "
        "support policies. Authenticate with `Authorization: Bearer <token>` (see "
        "`caredesk createuser`) or a browser session. Errors are JSON: "
        '`{"detail": "<one sentence>", "errors": [{"field": ..., "message": ...}]}`.'
    ),
    auth=[TokenAuth(), django_auth],
    renderer=JSONRenderer(),
    urls_namespace="api",
)
api.add_router("/policies", policies_router)
api.add_router("/", accounts_router)
api.add_router("/", cases_router)
api.add_router("/", automation_router)
api.add_router("/", status_router)


def _json(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None
) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _json(request, exc.status, exc.message, exc.errors)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for item in exc.errors:
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "payload"))
        message = item.get("msg", "invalid")
        if item.get("type") == "extra_forbidden":
            message = "unknown field"
        errors.append({"field": where, "message": message})
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
    return _json(request, 422, f"invalid request: {summary}", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _json(request, 401, "authentication required: send 'Authorization: Bearer <token>'")


@api.exception_handler(HttpError)
def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _json(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _json(request, 413, "request body too large")


@api.exception_handler(ValueError)
def _value(request: HttpRequest, exc: ValueError) -> HttpResponse:
    return _json(request, 400, str(exc))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unhandled error in %s %s", request.method, request.path)
    return _json(request, 500, "internal error; it has been logged")
