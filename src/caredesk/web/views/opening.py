"""Opening a case: the form the policy's intake builds, and its page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.accounts.services import caller
from caredesk.cases import intake, services
from caredesk.core import policy as policies
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.web.views.common import activate


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
    profile = activate(request)
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
