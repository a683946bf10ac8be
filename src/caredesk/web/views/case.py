"""One case: its clocks, its history in words, and what the reader may do on it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from caredesk.accounts.services import caller, may_update_cases
from caredesk.cases import history_text, intake, notices, services
from caredesk.core import policy as policies
from caredesk.core.explain import hours_text
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.infra.speech import step_texts
from caredesk.web.views.common import activate


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    profile = activate(request)
    try:
        case, clocks = services.get_case_with_clocks(caller(request), case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    error, status = None, 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                services.accept_resolution(actor=caller(request), case_id=case_id, now=CLOCK.now())
            else:
                services.add_comment(
                    actor=caller(request),
                    case_id=case_id,
                    body=request.POST.get("body", ""),
                    public=request.POST.get("internal") != "on",
                    now=CLOCK.now(),
                )
            return redirect("case", case_id=case_id)
        except DomainError as exc:
            error, status = exc.message, exc.status
    answer = services.sla_answer(actor=caller(request), case_id=case.id, now=CLOCK.now())
    metrics = [
        {
            "metric": m.metric.value,
            "clock": m.clock,
            "state": m.state,
            "remaining": hours_text(m.clock.remaining) if m.clock.remaining is not None else "",
            "steps": list(
                zip(
                    [s.kind for s in m.clock.steps],
                    step_texts(m.clock.steps, profile.language),
                    strict=True,
                )
            ),
        }
        for m in answer.metrics
    ]
    events = services.visible_events(caller(request), case)
    response = next(m for m in answer.metrics if m.metric is policies.Metric.RESPONSE)
    unstaffed = services.unstaffed_portal(case) if response.clock.stop is None else None
    texts = history_text.event_texts(case, events, language=profile.language, zone=profile.timezone)
    expected = notices.response_expected_by(case, clocks, CLOCK.now())
    return render(
        request,
        "web/case.html",
        {
            "case": case,
            "metrics": metrics,
            # Until Care responds: a case that came in while the portal was unstaffed.
            "portal_hours_notice": (
                intake.portal_hours_notice(unstaffed, case.severity, profile.language)
                if unstaffed
                else None
            ),
            "history": list(zip(events, texts, strict=True)),
            "profile": profile,
            "zone": profile.timezone,
            "error": error,
            "may_update": may_update_cases(profile),
            "calendar": answer.calendar.describe(),
            "critical_contact": notices.critical_contact(case),
            "response_notice": (
                notices.response_expected_text(case, expected, profile.language)
                if expected
                else None
            ),
        },
        status=status,
    )
