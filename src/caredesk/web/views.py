"""Pages for customers (their cases) and Care (the queue). Thin: every change goes through
the services, every error is shown next to the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.accounts.services import caller, get_organisation, may_update_cases, profile_of
from caredesk.cases import history_text, intake, notices, services
from caredesk.core import policy as policies
from caredesk.core.explain import hours_text
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.infra.health import database_answers
from caredesk.infra.speech import step_texts


def health(request: HttpRequest) -> HttpResponse:
    if not database_answers():
        return JsonResponse({"status": "database"}, status=503)
    return JsonResponse({"status": "ok"})


def _activate(request: HttpRequest) -> Any:
    profile = profile_of(caller(request))
    translation.activate(profile.language)
    return profile


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = _activate(request)
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


class CaseForm(forms.Form):
    case_type = forms.ChoiceField(
        label=gettext_lazy("Case type"),
        choices=[(c.value, c.value) for c in policies.CaseType],
    )
    severity = forms.TypedChoiceField(
        label=gettext_lazy("Severity"),
        coerce=int,
        initial=3,
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        choices=[(p, p) for p in intake.PRIORITIES],
        coerce=int,
        initial=3,
    )
    product = forms.ChoiceField(label=gettext_lazy("Product"), required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea)
    critical_contact_name = forms.CharField(
        label=gettext_lazy("Contact reachable at all times (Severity 1)"),
        required=False,
        max_length=100,
    )
    critical_contact_phone = forms.CharField(
        label=gettext_lazy("Their phone number"), required=False, max_length=32
    )

    def __init__(self, *args: Any, policy: policies.Policy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        severity = self.fields["severity"]
        assert isinstance(severity, forms.TypedChoiceField)
        severity.choices = [(s, s) for s in sorted(policy.severities)]
        language = translation.get_language() or "en"
        if policy.products:
            product = self.fields["product"]
            assert isinstance(product, forms.ChoiceField)
            product.choices = [("", "—")] + [
                (pid, policies.text_in(name, language)) for pid, name in policy.products.items()
            ]
        else:
            del self.fields["product"]  # the policy names none: the case is about the service
        self.intake_keys: list[str] = []
        for field in policy.intake.fields:
            if field.key in ("product", "description"):
                continue
            self._intake_field(field, policies.text_in(field.label, language), language)
        # The fields some case types add (an RCA or documentation request's), named so.
        askers: dict[str, list[str]] = {}
        added: dict[str, policies.IntakeField] = {}
        for case_type, extra in policy.intake.case_types.items():
            for field in extra.fields:
                askers.setdefault(field.key, []).append(_(case_type))
                added.setdefault(field.key, field)
        for key, field in added.items():
            label = _("%(label)s (%(case_types)s cases only)") % {
                "label": policies.text_in(field.label, language),
                "case_types": get_text_list(askers[key], _("and")),
            }
            self._intake_field(field, label, language)

    def _intake_field(self, field: policies.IntakeField, label: str, language: str) -> None:
        # Left to the service to require: it names every missing field at once.
        self.fields[f"intake_{field.key}"] = (
            forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—")]
                + [(a, policies.text_in(t, language)) for a, t in field.choices.items()],
            )
            if field.choices
            else forms.CharField(label=label, required=False, max_length=2000)
        )
        self.intake_keys.append(field.key)


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    profile = _activate(request)
    policy = policies.load(profile.organisation.policy)
    form = CaseForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        intake = {k: data[f"intake_{k}"] for k in form.intake_keys if data[f"intake_{k}"]}
        try:
            opened = services.open_case(
                actor=caller(request),
                now=CLOCK.now(),
                channel="portal",
                case_type=data["case_type"],
                severity=data["severity"],
                priority=data["priority"],
                product=data.get("product", ""),
                subject=data["subject"],
                description=data["description"],
                intake_fields=intake,
                critical_contact_name=data["critical_contact_name"],
                critical_contact_phone=data["critical_contact_phone"],
            )
        except DomainError as exc:
            for error in exc.errors:
                name = error["field"].replace("intake.", "intake_")
                form.add_error(name if name in form.fields else None, error["message"])
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            return redirect("case", case_id=opened.case.id)
    return render(
        request, "web/new_case.html", {"form": form, "policy": policy, "profile": profile}
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    profile = _activate(request)
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


class RulesForm(forms.Form):
    timezone = forms.CharField(label=gettext_lazy("Time zone"), max_length=64)
    country = forms.CharField(label=gettext_lazy("Country (public holidays)"), max_length=2)
    subdivision = forms.CharField(label=gettext_lazy("Subdivision"), required=False, max_length=8)
    plan = forms.CharField(label=gettext_lazy("Plan"), max_length=64)
    policy = forms.CharField(label=gettext_lazy("Support policy"), max_length=64)
    hours = forms.CharField(
        label=gettext_lazy("Working hours (blank: the policy's business hours)"),
        help_text=gettext_lazy("For example: Mon-Fri 09:00-12:00, 13:00-18:00"),
        required=False,
        max_length=500,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (recorded in each case's history)"),
        required=False,
        max_length=2000,
    )


@login_required
def organisation_rules(request: HttpRequest, org_id: int) -> HttpResponse:
    """Care: an organisation's calendar, plan and policy; a change is previewed (the
    deadlines of open cases that move), then applied by a Care manager."""
    profile = _activate(request)
    if not profile.is_care:
        raise Http404
    try:
        org = get_organisation(caller(request), org_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    names = services.ORG_RULES
    initial = {n: getattr(org, n) for n in names}
    initial["hours"] = services.own_hours_text(org.hours)
    form = RulesForm(request.POST or None, initial=initial)
    change = None
    if request.method == "POST" and form.is_valid():
        changes = {n: form.cleaned_data[n] for n in names}
        try:
            if "apply" in request.POST:
                change = services.apply_rules(
                    actor=caller(request),
                    organisation_id=org.id,
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                    now=CLOCK.now(),
                )
            else:
                change = services.preview_rules(
                    actor=caller(request), organisation_id=org.id, changes=changes, now=CLOCK.now()
                )
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "web/rules.html",
        {"org": org, "form": form, "change": change, "profile": profile, "zone": profile.timezone},
    )
