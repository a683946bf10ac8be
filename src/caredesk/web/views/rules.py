"""An organisation's rules (zone, country, plan, working hours), preview then apply."""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

import holidays
from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy

from caredesk.accounts.services import caller, get_organisation
from caredesk.cases import services
from caredesk.cases.words import country_name
from caredesk.core import policy as policies
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.web.views.common import activate


@cache
def _zones() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones()) if "/" in zone or zone == "UTC"]


@cache
def _countries() -> list[tuple[str, str]]:
    """The countries whose public holidays the holiday library knows, named."""
    codes = holidays.list_supported_countries()
    return [("", "—"), *sorted(((c, country_name(c)) for c in codes), key=lambda c: c[1])]


def _policy_choices(language: str) -> tuple[list[tuple[str, str]], list[tuple[str, Any]]]:
    """The shipped policies (newest versions) and, grouped by policy, their plans."""
    newest = {p.id: p for p in policies.list_policies()}
    policy_choices = [(pid, f"{p.title} ({pid} v{p.version})") for pid, p in newest.items()]
    plan_choices: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for p in newest.values():
        options = []
        for plan_id, plan in p.plans.items():
            if plan_id not in seen:  # a plan id shared by policies is one answer
                seen.add(plan_id)
                options.append((plan_id, f"{policies.text_in(plan.name, language)} ({plan_id})"))
        if options:
            plan_choices.append((p.title, options))
    return policy_choices, plan_choices


class RulesForm(forms.Form):
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=_zones)
    country = forms.ChoiceField(
        label=gettext_lazy("Country (public holidays)"), choices=_countries, required=False
    )
    subdivision = forms.CharField(label=gettext_lazy("Subdivision"), required=False, max_length=8)
    plan = forms.ChoiceField(label=gettext_lazy("Plan"))
    policy = forms.ChoiceField(label=gettext_lazy("Support policy"))
    hours = forms.CharField(
        label=gettext_lazy("Working hours (blank: the policy's business hours)"),
        help_text=gettext_lazy("For example: Mon-Fri 09:00-12:00, 13:00-18:00"),
        required=False,
        max_length=500,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (required to apply; recorded in each case's history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy_choices, plan_choices = _policy_choices(translation.get_language() or "en")
        policy, plan = self.fields["policy"], self.fields["plan"]
        assert isinstance(policy, forms.ChoiceField)
        assert isinstance(plan, forms.ChoiceField)
        policy.choices, plan.choices = policy_choices, plan_choices


@login_required
def organisation_rules(request: HttpRequest, org_id: int) -> HttpResponse:
    """Care: an organisation's calendar, plan and policy; a change is previewed (the
    deadlines of open cases that move), then applied by a Care manager."""
    profile = activate(request)
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
