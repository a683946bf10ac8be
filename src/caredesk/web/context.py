"""What every template sees: the signed-in reader's profile (for the header: which links
the reader may use) and the languages the switch offers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from caredesk.accounts.models import MANAGER_ROLES, Profile


def reader(request: HttpRequest) -> dict[str, Any]:
    profile = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = Profile.objects.filter(user_id=user.pk).select_related("organisation").first()
    return {
        "profile": profile,
        # The dashboard's own check (``views.dashboard``): Care managers and administrators.
        "manages": profile is not None and profile.role in MANAGER_ROLES,
        "language_choices": settings.LANGUAGES,
    }
