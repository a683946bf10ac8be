"""People: creating them, roles-and-responsibilities training, credentials."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.accounts import signals
from caredesk.accounts.models import (
    Organisation,
    OrgKind,
    Profile,
    Role,
)
from caredesk.accounts.services.access import profile_of, require_care, visible_org_ids
from caredesk.accounts.services.lookups import calendar_of
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.infra.errors import Conflict, DomainError, NotFound, PermissionDenied, named


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    email: str,
    name: str,
    organisation: Organisation,
    role: str = Role.CONTACT.value,
    phone: str = "",
    language: str = "en",
    timezone: str | None = None,
    password: str | None = None,
    now: datetime,
) -> Profile:
    if actor is not None:
        actor_profile = profile_of(actor)
        if not actor_profile.is_care and not (
            role == Role.CONTACT
            and visible_org_ids(actor) is not None
            and organisation.id in (visible_org_ids(actor) or set())
            and actor_profile.is_designated
        ):
            raise PermissionDenied(
                _("only Care or a designated contact of the organisation may add people to it")
            )
    if role not in Role.values:
        raise DomainError(
            _("unknown role %(role)s; expected one of: %(roles)s")
            % {"role": named(role), "roles": ", ".join(Role.values)}
        )
    if role != Role.CONTACT and organisation.kind != OrgKind.VENDOR:
        raise DomainError(
            _("role %(role)s belongs to the vendor's Care staff, not to %(organisation)s")
            % {"role": named(role), "organisation": organisation.name}
        )
    _check_language(language)
    zone = timezone or organisation.timezone
    _check_zone(zone)
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(_("e-mail address %(email)s is not valid") % {"email": named(email)})
    if User.objects.filter(username=email).exists():
        raise Conflict(_("a person with e-mail %(email)s already exists") % {"email": named(email)})
    first, _space, last = name.strip().partition(" ")
    user = User.objects.create_user(
        username=email, email=email, password=password, first_name=first, last_name=last
    )
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return Profile.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        phone=phone,
        language=language,
        timezone=zone,
    )


LANGUAGES = ("en", "ja")


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise DomainError(
            _("unknown language %(language)s; expected 'en' or 'ja'")
            % {"language": named(language)},
            errors=[
                {
                    "field": "language",
                    "message": _("expected 'en' or 'ja', not %(language)s")
                    % {"language": named(language)},
                }
            ],
        )


def _check_zone(zone: str) -> None:
    try:
        BusinessCalendar(zone, {"mon": "00:00-24:00"})
    except ValueError as exc:
        raise DomainError(str(exc), errors=[{"field": "timezone", "message": str(exc)}]) from None


@transaction.atomic
def update_profile(
    *, actor: User, person: Profile, language: str, timezone: str, now: datetime
) -> Profile:
    """A person's own settings: the language of their pages and e-mails, and the zone
    their instants are shown in. Nobody changes another person's."""
    if actor.pk != person.user_id:
        raise PermissionDenied(_("people change their own language and time zone only"))
    _check_language(language)
    _check_zone(timezone)
    person.language = language
    person.timezone = timezone
    person.save(update_fields=["language", "timezone"])
    return person


@transaction.atomic
def complete_training(*, actor: User, person: Profile, now: datetime) -> Profile:
    """Roles-and-responsibilities training done: a designated contact from now, with
    credentials due 48 business hours later (the policy's figure, customer calendar)."""
    require_care(actor)
    if person.role != Role.CONTACT:
        raise DomainError(
            _("%(email)s is Care staff, not a customer contact") % {"email": person.user.email}
        )
    if person.training_completed_at is not None:
        raise Conflict(_("%(email)s completed the training already") % {"email": person.user.email})
    rule = policies.load(person.organisation.policy).designated_contacts
    calendar = calendar_of(person.organisation)
    person.training_completed_at = now
    person.credentials_due_at = rule.credentials_due.due(now, calendar)
    person.save(update_fields=["training_completed_at", "credentials_due_at"])
    signals.training_completed.send(sender=Profile, person=person, now=now)
    return person


@transaction.atomic
def issue_credentials(*, actor: User, person: Profile, now: datetime) -> Profile:
    require_care(actor)
    if person.training_completed_at is None:
        raise DomainError(
            _("%(email)s has not completed the training yet") % {"email": person.user.email}
        )
    if person.credentials_issued_at is not None:
        raise Conflict(
            _("credentials for %(email)s were issued already") % {"email": person.user.email}
        )
    person.credentials_issued_at = now
    person.save(update_fields=["credentials_issued_at"])
    return person


def find_person(user: User, person_id: int) -> Profile:
    ids = visible_org_ids(user)
    qs = Profile.objects.select_related("user", "organisation")
    if ids is not None:
        qs = qs.filter(organisation_id__in=ids)
    try:
        return qs.get(id=person_id)
    except Profile.DoesNotExist:
        raise NotFound(_("person %(id)s not found") % {"id": person_id}) from None


def credentials_overdue(*, actor: User, now: datetime) -> list[Profile]:
    """Care: designated contacts whose credentials were due before ``now`` and are not
    issued, the longest overdue first (read through the index on the due instant)."""
    require_care(actor)
    return list(
        Profile.objects.select_related("user", "organisation")
        .filter(credentials_due_at__lt=now, credentials_issued_at__isnull=True)
        .order_by("credentials_due_at")[:50]
    )
