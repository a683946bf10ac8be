"""The Care managers' dashboard: the desk at a glance, and dead deliveries sent again."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from caredesk.accounts.models import MANAGER_ROLES
from caredesk.accounts.services import credentials_overdue, short_of_designated_contacts
from caredesk.automation import services as automation
from caredesk.cases import services
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import NotFound
from caredesk.web.views.case_rows import rows
from caredesk.web.views.common import activate

DEAD_SHOWN = 20


def _day_start(now: datetime, zone: str) -> datetime:
    """Midnight of today in ``zone``: "today" is the manager's day."""
    local = now.astimezone(ZoneInfo(zone))
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = activate(request)
    if profile.role not in MANAGER_ROLES:
        raise Forbidden  # the page of our own (403), in the reader's language
    now = CLOCK.now()
    seen = services.oversight(
        actor=profile.user, day_start=_day_start(now, profile.timezone), now=now
    )
    dead, dead_count = automation.deliveries(state="dead", limit=DEAD_SHOWN)
    context = {
        "profile": profile,
        "zone": profile.timezone,
        "oversight": seen,
        "at_risk": rows(seen.at_risk, now=now),
        "short": short_of_designated_contacts(profile.user),
        "overdue": credentials_overdue(actor=profile.user, now=now),
        "dead": dead,
        "dead_count": dead_count,
        "plans": sorted({row["plan"] for row in seen.by_state_and_plan}),
        "now": now,
    }
    return render(request, "web/dashboard.html", context)


@login_required
@require_POST
def retry_delivery(request: HttpRequest, row_id: int) -> HttpResponse:
    profile = activate(request)
    if profile.role not in MANAGER_ROLES:
        raise Forbidden
    try:
        automation.retry_delivery(actor=profile.user, row_id=row_id, now=CLOCK.now())
    except NotFound as exc:
        raise Http404(exc.message) from None
    return redirect("dashboard")
