"""An organisation's rules (zone, country, plan, working hours), preview then apply."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from caredesk.accounts.services import caller, get_organisation
from caredesk.cases import services
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.web.views.common import activate


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
