"""Opening a case: the form the policy's intake builds (its checklist, severities with
their definitions, how to reach Care), likely duplicates shown before the case is opened,
and the confirmation page that says when Care will respond."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.accounts.services import caller
from caredesk.cases import intake, notices, services
from caredesk.core import policy as policies
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError, NotFound
from caredesk.infra.speech import instant_text
from caredesk.status import services as status
from caredesk.web.views import guidance
from caredesk.web.views.case_rows import countdown_patterns, countdown_text
from caredesk.web.views.common import activate


class CaseForm(forms.Form):
    case_type = forms.ChoiceField(
        label=gettext_lazy("Case type"),
        choices=[(c.value, gettext_lazy(c.value)) for c in policies.CaseType],
    )
    severity = forms.TypedChoiceField(
        label=gettext_lazy("Severity"),
        coerce=int,
        initial=3,
        widget=forms.RadioSelect,
    )
    priority = forms.TypedChoiceField(
        label=gettext_lazy("Priority"),
        help_text=gettext_lazy("Your own ranking among your cases: 1 is the most important."),
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
        language = translation.get_language() or "en"
        severity.choices = [
            (s, guidance.severity_label(policy, s, language)) for s in sorted(policy.severities)
        ]
        if policy.products:
            product = self.fields["product"]
            assert isinstance(product, forms.ChoiceField)
            product.choices = [("", "—")] + [
                (pid, policies.text_in(name, language)) for pid, name in policy.products.items()
            ]
        else:
            del self.fields["product"]  # the policy names none: the case is about the service
        self.intake_keys: list[str] = []
        # Marked "required" on the page; the service checks them, naming every one at once.
        self.marked_required = {"case_type", "severity", "priority", "subject", "description"}
        self.policy_fields = policy.intake.fields
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
        name = f"intake_{field.key}"
        self.fields[name] = (
            forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "—")]
                + [(a, policies.text_in(t, language)) for a, t in field.choices.items()],
            )
            if field.choices
            else forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}) if field.long else None,
            )
        )
        if field.required and field in self.policy_fields:
            self.marked_required.add(name)
        self.intake_keys.append(field.key)

    def show_refusal(self, exc: DomainError, policy: policies.Policy, language: str) -> None:
        """A service's refusal in words next to each field it names (and in the summary),
        in the reader's language; a refusal of the whole case above the form."""
        for error in exc.errors:
            name = error["field"].replace("intake.", "intake_")
            if name not in self.fields:
                self.add_error(None, error["message"])
                continue
            value = str(self.data.get(name, ""))
            label = str(self.fields[name].label)
            self.add_error(name, guidance.field_error_text(label, value, name, policy))
        if not exc.errors:
            # The policy's own refusals (MAC/D routing) are shown in the reader's language.
            said = [
                r.refuse for r in policy.routing if policies.text_in(r.refuse, "en") == exc.message
            ]
            self.add_error(None, policies.text_in(said[0], language) if said else exc.message)


@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    profile = activate(request)
    policy = policies.load(profile.organisation.policy)
    form = CaseForm(request.POST or None, policy=policy)
    duplicates: list[services.Duplicate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        answers = {k: data[f"intake_{k}"] for k in form.intake_keys if data[f"intake_{k}"]}
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
                intake_fields=answers,
                critical_contact_name=data["critical_contact_name"],
                critical_contact_phone=data["critical_contact_phone"],
                refuse_duplicates="open_anyway" not in request.POST,
            )
        except services.LikelyDuplicates as exc:
            duplicates = exc.duplicates
        except DomainError as exc:
            form.show_refusal(exc, policy, profile.language)
        else:
            return redirect("case-opened", case_id=opened.case.id)
    return render(
        request,
        "web/new_case.html",
        {
            "form": form,
            "policy": policy,
            "profile": profile,
            "checklist": [policies.text_in(t, profile.language) for t in policy.intake.checklist],
            "severities": _severity_choices(form, policy, profile),
            "duplicates": duplicates,
            # Known issues of the service the case would concern (seed 004 section 4.1:
            # consulted before a case is opened); of the chosen product once there is one.
            "advisories": [
                (
                    a.title_in(profile.language),
                    a.text_in(profile.language),
                    a.service.name_ja if profile.language == "ja" else a.service.name_en,
                )
                for a in status.new_case_advisories(
                    organisation=profile.organisation,
                    policy=policy,
                    product=str(request.POST.get("product", "")),
                )
            ],
        },
    )


def _severity_choices(
    form: CaseForm, policy: policies.Policy, profile: Any
) -> list[tuple[Any, str, str]]:
    """Each severity's radio button, its definition and how such a case reaches Care."""
    reach = guidance.channel_guidance(policy, profile.organisation, profile.language)
    levels = sorted(policy.severities)
    return [
        (
            radio,
            policies.text_in(policy.severities[level].definition, profile.language),
            reach[level],
        )
        for radio, level in zip(form["severity"], levels, strict=True)
    ]


@login_required
def case_opened(request: HttpRequest, case_id: int) -> HttpResponse:
    """After the form: the case number and when Care will respond, in the reader's zone."""
    profile = activate(request)
    try:
        case, clocks = services.get_case_with_clocks(caller(request), case_id)
    except NotFound as exc:
        raise Http404(exc.message) from None
    now = CLOCK.now()
    response = next((c for c in clocks if c.metric == policies.Metric.RESPONSE), None)
    due = response.due_at if response is not None and response.stopped_at is None else None
    outside_hours = notices.response_expected_by(case, clocks, now)
    if outside_hours is not None:
        promise = notices.response_expected_text(case, outside_hours, profile.language)
    elif due is not None:
        promise = _("Care will respond by %(when)s.") % {
            "when": instant_text(due, profile.timezone)
        }
    else:
        promise = None
    unstaffed = services.unstaffed_portal(case)
    return render(
        request,
        "web/case_opened.html",
        {
            "case": case,
            "profile": profile,
            "due": due,
            "due_text": instant_text(due, profile.timezone) if due else "",
            "due_countdown": countdown_text(due, now) if due else "",
            "countdown": countdown_patterns(),
            "promise": promise,
            "portal_hours_notice": (
                intake.portal_hours_notice(unstaffed, case.severity, profile.language)
                if unstaffed
                else None
            ),
        },
    )
