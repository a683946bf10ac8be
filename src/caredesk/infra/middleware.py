"""Request checks that hold for the whole API, before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
_WRITES = frozenset({"POST", "PUT", "PATCH"})


class JsonBodiesOnly:
    """An API request's body is read only when it says it is JSON: a form or text body that
    happens to parse as JSON would otherwise be taken for what the client meant. Answers
    415 with the API's error shape (an operation that takes files will name its own
    multipart type here)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method in _WRITES
            and request.path.startswith(API_PREFIX)
            and request.META.get("CONTENT_LENGTH") not in (None, "", "0")
        ):
            kind = request.content_type or ""
            if kind != "application/json" and not kind.endswith("+json"):
                detail = (
                    "the request body must be JSON, sent with Content-Type: application/json "
                    f"(got {kind or 'none'!r})"
                )
                return JsonResponse({"detail": detail, "errors": []}, status=415)
        return self.get_response(request)
