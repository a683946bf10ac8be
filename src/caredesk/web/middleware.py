"""The signed-in reader's language, from their profile, on every page they ask for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from caredesk.accounts.models import Profile


class ReaderLanguage:
    """After Django's LocaleMiddleware (cookie, then Accept-Language) and authentication:
    a signed-in person reads their profile's language everywhere, error pages and the
    account pages included; the header's switch changes the profile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = (
                Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
            )
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
