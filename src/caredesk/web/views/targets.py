"""The severity definitions and targets of the reader's plan, as the policy states them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caredesk.core import policy as policies
from caredesk.infra.speech import phrase_text
from caredesk.web.views import guidance
from caredesk.web.views.common import activate


@login_required
def plan_targets(request: HttpRequest) -> HttpResponse:
    """A customer's plan: each severity's definition, how to reach Care and the response,
    restoration and resolution targets in words (the policy's current version)."""
    profile = activate(request)
    org = profile.organisation
    policy = policies.load(org.policy)
    return render(
        request,
        "web/targets.html",
        {
            "profile": profile,
            "org": org,
            "policy": policy,
            "plan_name": policies.text_in(policy.plan(org.plan).name, profile.language),
            "severities": guidance.plan_targets(policy, org, profile.language),
            "business_hours": phrase_text(
                policy.calendar(
                    org.timezone,
                    country=org.country or None,
                    subdivision=org.subdivision or None,
                    hours=org.hours or None,
                ).describe_phrase(),
                profile.language,
            ),
        },
    )
