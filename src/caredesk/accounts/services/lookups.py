"""Finding organisations and people by what operators type, and an organisation's
business calendar.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from caredesk.accounts.models import (
    CARE_ROLES,
    Organisation,
    Profile,
)
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.infra.errors import NotFound


def organisation_named(short_name: str) -> Organisation:
    """The organisation of ``short_name`` (for operators at the command line)."""
    org = Organisation.objects.filter(short_name=short_name).first()
    if org is None:
        raise NotFound(f"unknown organisation {short_name!r}")
    return org


def user_with_email(email: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise NotFound(f"unknown user {email!r}")
    return user


def some_care_person() -> Profile:
    """A Care person to act as where an operator's command needs one (a preview, recording
    training at the command line)."""
    care = Profile.objects.select_related("user").filter(role__in=CARE_ROLES).first()
    if care is None:
        raise NotFound("no Care engineer exists yet; create one with 'caredesk createuser'")
    return care


def care_people() -> list[Profile]:
    """Care's engineers and managers, by name: whom a case may be assigned to."""
    return list(
        Profile.objects.select_related("user")
        .filter(role__in=CARE_ROLES)
        .order_by("user__first_name", "user__email")
    )


def calendar_of(org: Organisation) -> BusinessCalendar:
    """The organisation's business calendar under its policy (its own working hours, where
    it has set them)."""
    policy = policies.load(org.policy)
    return policy.calendar(
        org.timezone,
        country=org.country,
        subdivision=org.subdivision or None,
        hours=org.hours or None,
    )
