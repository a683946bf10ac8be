"""Every person's own pages: signing in, a forgotten password, language and time zone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from caredesk.accounts import services
from caredesk.accounts.models import Profile
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError


class SignInForm(auth_forms.AuthenticationForm):
    """Django's sign-in, in words a person reads: the account is the e-mail address."""

    username = forms.EmailField(
        label=gettext_lazy("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {  # noqa: RUF012  (Django reads it from the class, as its own form does)
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "That e-mail address and password do not match an account: check both, or "
            "reset your password."
        ),
    }

    def clean_username(self) -> str:
        # Accounts are kept under the address in lower case (accounts.create_person).
        return str(self.cleaned_data["username"]).strip().lower()


class ResetForm(auth_forms.PasswordResetForm):
    """Django's reset by e-mail (a link that works once), the message in the language of
    the person who owns the account, not of whoever typed the address."""

    def get_users(self, email: str) -> Iterator[Any]:
        # Also people without a usable password yet: Care creates contacts without one
        # (accounts.create_person), and this link is how they choose their first. The
        # link goes to the account's own address only.
        return iter(User.objects.filter(email__iexact=email.strip(), is_active=True))

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        user = args[2]["user"] if len(args) > 2 else kwargs["context"]["user"]
        profile = Profile.objects.filter(user_id=user.pk).first()
        language = profile.language if profile else translation.get_language()
        with translation.override(language):
            super().send_mail(*args, **kwargs)


def _zone_choices() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(available_timezones()) if "/" in zone or zone == "UTC"]


class ProfileForm(forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone"), choices=_zone_choices)


@login_required
def profile_page(request: HttpRequest) -> HttpResponse:
    person = services.profile_of(services.caller(request))
    initial = {"language": person.language, "timezone": person.timezone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                actor=services.caller(request),
                person=person,
                language=form.cleaned_data["language"],
                timezone=form.cleaned_data["timezone"],
                now=CLOCK.now(),
            )
        except DomainError as exc:
            for error in exc.errors or [{"field": "", "message": exc.message}]:
                form.add_error(error["field"] or None, error["message"])
        else:
            translation.activate(person.language)
            messages.success(request, _("Your language and time zone are saved."))
            response = redirect("profile")
            _remember_language(response, person.language)
            return response
    return render(request, "web/account/profile.html", {"form": form, "person": person}, status=200)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """The header's switch: Django's set_language (the cookie, back to the page), and for a
    signed-in person their profile's language too, since that is what their pages follow."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        person = services.profile_of(services.caller(request))
        try:
            services.update_profile(
                actor=services.caller(request),
                person=person,
                language=language,
                timezone=person.timezone,
                now=CLOCK.now(),
            )
        except DomainError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain")
    return set_language(request)


def _remember_language(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
