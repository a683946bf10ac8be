"""The home page: Care's queue (every open case, by cursor, filtered and searched) and a
customer's My cases; and the fragment their script polls for fresh rows and, on Care's
consoles, new Severity 1 cases."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.accounts.models import Profile
from caredesk.accounts.services import visible_organisations
from caredesk.cases import services
from caredesk.cases.words import STATUS_WORDS
from caredesk.core import policy as policies
from caredesk.core.display import DisplayState
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.web.views.case_rows import countdown_patterns, rows
from caredesk.web.views.common import activate

PAGE_SIZE = 50
# A filtered list is counted up to this many cases, then shown as "more than" it: an exact
# count of, say, the at-risk cases asks the clocks of every open case on each first page.
COUNT_UP_TO = 500
POLL_SECONDS = 30  # how often an open, visible page asks for fresh rows
WITHIN_HOURS = (1, 2, 4, 8, 24, 48)
SHOWN_STATES = [s for s in DisplayState if s is not DisplayState.NOT_APPLICABLE]


def _choices(values: list[Any], *, anyone: Any = None) -> list[tuple[Any, Any]]:
    return [("", anyone or gettext_lazy("any")), *values]


def _states() -> list[tuple[Any, Any]]:
    return _choices([(s.value, _(s.value)) for s in SHOWN_STATES])


class ListFilters(forms.Form):
    """What both lists take: a search and the cursor of the page."""

    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    after = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class QueueFilters(ListFilters):
    """Care's queue filters. An unknown value is refused by the field, naming it."""

    state = forms.ChoiceField(label=gettext_lazy("SLA state"), required=False)
    severity = forms.TypedChoiceField(label=gettext_lazy("Severity"), coerce=int, required=False)
    plan = forms.ChoiceField(label=gettext_lazy("Plan"), required=False)
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Organisation"), coerce=int, required=False
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    assignee = forms.ChoiceField(label=gettext_lazy("Assignee"), required=False)
    within = forms.TypedChoiceField(
        label=gettext_lazy("Breaching within"), coerce=int, required=False
    )

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = translation.get_language() or "en"
        plans: dict[str, str] = {}
        for policy in policies.list_policies():
            for plan in policy.plans.values():
                plans.setdefault(plan.id, policies.text_in(plan.name, language))
        fields = self.fields
        fields["state"].choices = _states()  # type: ignore[attr-defined]
        fields["severity"].choices = _choices([(n, n) for n in (1, 2, 3, 4)])  # type: ignore[attr-defined]
        fields["plan"].choices = _choices(sorted(plans.items(), key=lambda p: p[1]))  # type: ignore[attr-defined]
        orgs = visible_organisations(profile.user).values_list("id", "name")
        fields["organisation"].choices = _choices(list(orgs))  # type: ignore[attr-defined]
        fields["status"].choices = _choices(  # type: ignore[attr-defined]
            [(s, _(STATUS_WORDS[s])) for s in services.OPEN_STATUSES]
        )
        fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("anyone")),
            (services.MINE, _("mine")),
            ("unassigned", _("unassigned")),
        ]
        fields["within"].choices = _choices(  # type: ignore[attr-defined]
            [(h, _("%(hours)s hours") % {"hours": h}) for h in WITHIN_HOURS]
        )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "state": data["state"] or None,
            "severity": data["severity"] if data["severity"] != "" else None,
            "plan": data["plan"] or None,
            "organisation_id": data["organisation"] if data["organisation"] != "" else None,
            "status": data["status"] or None,
            "assignee": data["assignee"] or None,
            "breaching_within_hours": data["within"] if data["within"] != "" else None,
            "q": data["q"] or None,
        }


class MyCasesFilters(ListFilters):
    """A customer's list: open, closed or every case, its SLA state, and a search."""

    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("all cases")),
            ("open", gettext_lazy("open cases")),
            ("closed", gettext_lazy("closed cases")),
        ],
    )

    state = forms.ChoiceField(label=gettext_lazy("SLA state"), required=False)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = _states()  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        show = self.cleaned_data["show"]
        return {
            "state": self.cleaned_data["state"] or None,
            "open_only": show == "open",
            "closed_only": show == "closed",
            "q": self.cleaned_data["q"] or None,
        }


def _list(request: HttpRequest, profile: Profile, now: datetime) -> tuple[dict[str, Any], int]:
    """The list's context and status: the page of rows, or the refusal that names a bad
    filter value (400) with the page around it."""
    form_class = QueueFilters if profile.is_care else MyCasesFilters
    form = form_class(request.GET, profile=profile)
    context: dict[str, Any] = {
        "form": form,
        "rows": [],
        "errors": [],
        "profile": profile,
        "zone": profile.timezone,
        "title": _("Queue") if profile.is_care else _("My cases"),
        "now": now,
        "poll_seconds": POLL_SECONDS,
        "countdown": countdown_patterns(),
    }
    if not form.is_valid():
        context["errors"] = [
            f"{form.fields[name].label}: {message}"
            for name, messages in form.errors.items()
            for message in messages
        ]
        return context, 400
    after = form.cleaned_data["after"] or None
    try:
        page = services.list_cases(
            actor=profile.user,
            filters=form.filters(),
            queue=profile.is_care,
            limit=PAGE_SIZE,
            after=after,
            now=now,
            count_up_to=COUNT_UP_TO,
        )
    except DomainError as exc:
        # A cursor this list did not give, or a filter the service refuses.
        message = (
            _("This page link is no longer valid; start again from the first page.")
            if after
            else exc.message
        )
        context["errors"] = [message]
        return context, 400
    # The filters the links keep (not the cursor, nor the fragment's ``since``).
    kept: dict[str, str] = {
        k: str(v) for k, v in request.GET.items() if v and k not in ("after", "since")
    }
    context.update(
        rows=rows(page.items, now=now),
        count=page.count,
        count_more=page.more,
        first_url="?" + urlencode(kept) if after else None,
        next_url="?" + urlencode({**kept, "after": page.next}) if page.next else None,
        query=urlencode({**kept, **({"after": after} if after else {})}),
    )
    return context, 200


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profile = activate(request)
    context, status = _list(request, profile, CLOCK.now())
    return render(request, "web/cases.html", context, status=status)


@login_required
def queue_fragment(request: HttpRequest) -> HttpResponse:
    """The rows of the page the reader is on and, for Care, the Severity 1 cases opened
    since ``since``: what the page's script swaps in. With an ETag: a poll that finds
    nothing new is answered 304, without a body."""
    profile = activate(request)
    now = CLOCK.now()
    context, status = _list(request, profile, now)
    since = parse_datetime(request.GET.get("since", "")) if request.GET.get("since") else None
    if request.GET.get("since") and (since is None or since.tzinfo is None):
        context["errors"] = [
            _("since %(value)r is not an instant; expected one such as 2026-11-23T15:00:00Z")
            % {"value": request.GET["since"]}
        ]
        status = 400
    if profile.is_care and since is not None and status == 200:
        # A console open all day is told of the last day's at most.
        since = max(since, now - timedelta(days=1))
        context["critical"] = services.new_critical_cases(actor=profile.user, since=since)
    response = render(request, "web/parts/live.html", context, status=status)
    if status == 200:
        response["ETag"] = _etag(context)
        response["Cache-Control"] = "no-cache"
        return (
            get_conditional_response(request, etag=response["ETag"], response=response) or response
        )
    return response


def _etag(context: dict[str, Any]) -> str:
    """What the fragment shows, less the countdowns (the script keeps those current): a
    poll that finds the same cases in the same states is answered 304."""
    seen = [
        (r["id"], r["updated_at"], r["status"], r["sla_state"], r["assignee_id"], r["next_due"])
        for r in context["rows"]
    ]
    critical = [c["id"] for c in context.get("critical", [])]
    text = repr((translation.get_language(), seen, critical, context.get("next_url")))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'
