"""One case: what the customer wrote, its clocks, its history in words, and every action the
reader may take on it (``case_actions``); a small version answer lets the open page follow
changes without a reload."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caredesk.accounts.models import Profile
from caredesk.accounts.services import caller, may_update_cases
from caredesk.cases import history_text, intake, notices, services, sla
from caredesk.cases.models import Case, SlaClock
from caredesk.core import policy as policies
from caredesk.core.policy import text_in
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.infra.speech import phrase_text
from caredesk.web.views import case_actions, case_sla
from caredesk.web.views.common import activate


def _case_in_scope(request: HttpRequest, case_id: int) -> tuple[Case, list[SlaClock]]:
    try:
        return services.get_case_with_clocks(caller(request), case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


def version(case: Case) -> str:
    """What changes whenever anything happens on the case: its history's length and the
    instant of its last event."""
    return f"{case.event_count}-{case.updated_at.timestamp():.6f}"


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    profile = activate(request)
    case, clocks = _case_in_scope(request, case_id)
    error: dict[str, str] | None = None
    status = 200
    if request.method == "POST":
        try:
            case_actions.perform(caller(request), case, request.POST, CLOCK.now())
        except DomainError as exc:
            name = request.POST.get("action", "reply")
            # A refusal is shown beside its form; one of no form, above them all.
            name = name if name in case_actions.ACTIONS else "page"
            # A refused form answers 422 (what was sent cannot be done as sent), 403 or 409.
            status = 422 if exc.status == 400 else exc.status
            error = {"action": name, "message": exc.message}
            case, clocks = _case_in_scope(request, case_id)
        else:
            return redirect("case", case_id=case_id)
    context = _context(request, profile, case, clocks)
    context.update(error=error, posted=request.POST if error else {})
    return render(request, "web/case.html", context, status=status)


def intake_answers(case: Case, language: str) -> list[tuple[str, str]]:
    """The customer's answers to the policy's intake questions, each under its question in
    ``language`` (a chosen answer, and the product, by its name), in the policy's order;
    the description is shown on its own."""
    policy = sla.policy_for(case)
    product = policy.products.get(case.product)
    product_name = text_in(product, language) if product else case.product
    fields = policy.intake.fields_for(case.case_type)
    answers = []
    if case.product and "product" not in {f.key for f in fields}:
        answers.append((_("Product"), product_name))
    for field in fields:
        label = text_in(field.label, language)
        if field.key == "product":
            if case.product:
                answers.append((label, product_name))
            continue
        value = case.intake.get(field.key)
        if field.key in intake.COLUMN_FIELDS or value in (None, ""):
            continue
        choice = field.choices.get(str(value))
        answers.append((label, text_in(choice, language) if choice else str(value)))
    return answers


def _context(
    request: HttpRequest, profile: Profile, case: Case, clocks: list[SlaClock]
) -> dict[str, Any]:
    now = CLOCK.now()
    user = caller(request)
    answer = services.sla_answer(actor=user, case_id=case.id, now=now)
    events = services.visible_events(user, case)
    response = next(m for m in answer.metrics if m.metric is policies.Metric.RESPONSE)
    unstaffed = services.unstaffed_portal(case) if response.clock.stop is None else None
    texts = history_text.event_texts(case, events, language=profile.language, zone=profile.timezone)
    expected = notices.response_expected_by(case, clocks, now)
    may_update = may_update_cases(profile)
    return {
        "case": case,
        "version": version(case),
        "metrics": case_sla.metrics(answer, profile.language),
        "intake_answers": intake_answers(case, profile.language),
        # Until Care responds: a case that came in while the portal was unstaffed.
        "portal_hours_notice": (
            intake.portal_hours_notice(unstaffed, case.severity, profile.language)
            if unstaffed
            else None
        ),
        "history": list(zip(events, texts, strict=True)),
        "profile": profile,
        "zone": profile.timezone,
        "may_update": may_update,
        "offers": case_actions.offers(profile, case, events) if may_update else {},
        "calendar": phrase_text(answer.calendar.describe_phrase(), profile.language),
        "critical_contact": notices.critical_contact(case),
        "response_notice": (
            notices.response_expected_text(case, expected, profile.language) if expected else None
        ),
    }


@login_required
@require_GET
def case_version(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's version, for the open page to poll (``case-live.js``): small and cheap."""
    case, _ = _case_in_scope(request, case_id)
    return JsonResponse({"version": version(case)}, headers={"Cache-Control": "no-store"})
