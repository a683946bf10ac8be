"""The home page: the queue for Care, a customer's own cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from caredesk.accounts.services import caller
from caredesk.cases import services
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.web.views.common import activate


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = activate(request)
    state = request.GET.get("state") or None
    context = {
        "rows": [],
        "profile": profile,
        "state": state,
        "zone": profile.timezone,
        "title": _("Queue") if profile.is_care else _("My cases"),
    }
    try:
        page = services.list_cases(
            actor=caller(request),
            filters={"state": state},
            queue=profile.is_care,
            limit=100,
            now=CLOCK.now(),
        )
    except DomainError as exc:
        # The page, with the filter's refusal where the list would be.
        return render(request, "web/cases.html", {**context, "error": exc.message}, status=400)
    return render(request, "web/cases.html", {**context, "rows": page.items})
