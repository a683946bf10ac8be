"""Use-cases for organisations, people, designated-contact onboarding and API tokens.

Keyword-only functions; the only code that changes these tables. ``now`` is passed in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from functools import lru_cache

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from caredesk.accounts import signals, store
from caredesk.accounts.models import (
    CARE_ROLES,
    MANAGER_ROLES,
    ApiToken,
    Organisation,
    OrgKind,
    Profile,
    Role,
    VendorHoliday,
)
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.hours import DeclaredDay, declared_day
from caredesk.infra.errors import Conflict, DomainError, NotFound, PermissionDenied

TOKEN_PREFIX = "cd_"


# -- who sees what ----------------------------------------------------------------------


def caller(request: HttpRequest) -> User:
    """The authenticated person behind a request (the API and pages authenticate first)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("sign in first")
    return user


def profile_of(user: User) -> Profile:
    try:
        return user.profile
    except Profile.DoesNotExist:
        raise PermissionDenied("this account has no CareDesk profile") from None


def visible_org_ids(user: User) -> set[int] | None:
    """``None`` for Care (everything); else the caller's organisation and, for a reseller,
    its end-user accounts. The one place tenant scope is decided."""
    profile = profile_of(user)
    if profile.is_care:
        return None
    org = profile.organisation
    ids = {org.id}
    if org.kind == OrgKind.RESELLER:
        ids.update(store.account_ids(org.id))
    return ids


def visible_organisations(user: User) -> QuerySet[Organisation]:
    ids = visible_org_ids(user)
    qs = Organisation.objects.all()
    return qs if ids is None else qs.filter(id__in=ids)


def get_organisation(user: User, org_id: int) -> Organisation:
    try:
        return visible_organisations(user).get(id=org_id)
    except Organisation.DoesNotExist:
        raise NotFound(f"organisation {org_id} not found") from None


def may_update_cases(profile: Profile) -> bool:
    """Whether ``profile`` may open and update its organisation's cases and manage its
    webhooks: Care, or a designated contact (SPEC 3; seed 004 section 4.1: designated
    contacts "open and update cases"). Reading stays open to every person of the
    organisation. The one place this rule is decided."""
    return profile.is_care or profile.is_designated


def require_designated(profile: Profile, *, to: str) -> None:
    """Refuse ``profile`` what only designated contacts (and Care) may do (``to``: e.g.
    "update cases")."""
    if not may_update_cases(profile):
        raise PermissionDenied(
            f"{profile.user.email} is not a designated contact; only designated contacts "
            f"(who completed the roles-and-responsibilities training) may {to}"
        )


def require_care(user: User, *, manager: bool = False) -> Profile:
    profile = profile_of(user)
    allowed = MANAGER_ROLES if manager else CARE_ROLES
    if profile.role not in allowed:
        who = "a Care manager" if manager else "Care"
        raise PermissionDenied(f"only {who} may do this")
    return profile


# -- calendars ------------------------------------------------------------------------


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


# -- organisations ----------------------------------------------------------------------


def create_organisation(
    *,
    actor: User | None,
    name: str,
    short_name: str,
    kind: str,
    policy: str,
    plan: str,
    country: str,
    timezone: str,
    now: datetime,
    parent_id: int | None = None,
    subdivision: str = "",
    licences: Iterable[str] = (),
    region: str = "",
    tam_id: int | None = None,
) -> Organisation:
    if actor is not None:
        require_care(actor, manager=True)
    errors = []
    if kind not in OrgKind.values:
        errors.append(
            {
                "field": "kind",
                "message": f"unknown kind {kind!r}; expected vendor, reseller or customer",
            }
        )
    try:
        loaded = policies.load(policy)
        loaded.plan(plan)
        loaded.calendar(timezone, country=country, subdivision=subdivision or None)
    except ValueError as exc:
        errors.append({"field": "policy", "message": str(exc)})
    parent = None
    if parent_id is not None:
        parent = Organisation.objects.filter(id=parent_id).first()
        if parent is None or parent.kind != OrgKind.RESELLER:
            errors.append(
                {"field": "parent_id", "message": f"parent {parent_id} is not a reseller"}
            )
    elif kind == OrgKind.CUSTOMER:
        pass  # a direct customer of the vendor
    if Organisation.objects.filter(short_name=short_name).exists():
        raise Conflict(f"an organisation with short name {short_name!r} already exists")
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    tam = User.objects.filter(id=tam_id).first() if tam_id is not None else None
    if tam_id is not None and tam is None:
        raise DomainError(f"TAM user {tam_id} does not exist")
    return Organisation.objects.create(
        name=name,
        short_name=short_name,
        kind=kind,
        parent=parent,
        policy=policy,
        plan=plan,
        licences=sorted(set(licences)),
        country=country.upper(),
        subdivision=subdivision,
        timezone=timezone,
        region=region,
        tam=tam,
        created_at=now,
    )


def short_of_designated_contacts(user: User) -> list[tuple[Organisation, int, int]]:
    """Resellers in scope with fewer designated contacts than their policy asks (two under
    the reseller guide); with (count, minimum). The duty is the reseller's own (seed 004
    section 4.1: "The Reseller must employ and identify at least two Reseller personnel"):
    its end-user accounts carry its policy but owe no contacts of their own, and customers
    of the vendor owe none."""
    orgs = (
        visible_organisations(user)
        .filter(kind=OrgKind.RESELLER)
        .annotate(
            designated=Count(
                "people",
                filter=Q(people__role=Role.CONTACT, people__training_completed_at__isnull=False),
            )
        )
    )
    short: list[tuple[Organisation, int, int]] = []
    for org in orgs.order_by("name"):
        minimum = policies.load(org.policy).designated_contacts.minimum
        if org.designated < minimum:
            short.append((org, int(org.designated), minimum))
    return short


# -- people ---------------------------------------------------------------------------


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
                "only Care or a designated contact of the organisation may add people to it"
            )
    if role not in Role.values:
        raise DomainError(f"unknown role {role!r}; expected one of: {', '.join(Role.values)}")
    if role != Role.CONTACT and organisation.kind != OrgKind.VENDOR:
        raise DomainError(
            f"role {role!r} belongs to the vendor's Care staff, not to {organisation.name}"
        )
    if language not in ("en", "ja"):
        raise DomainError(f"unknown language {language!r}; expected 'en' or 'ja'")
    zone = timezone or organisation.timezone
    try:
        BusinessCalendar(zone, {"mon": "00:00-24:00"})
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(f"e-mail address {email!r} is not valid")
    if User.objects.filter(username=email).exists():
        raise Conflict(f"a person with e-mail {email!r} already exists")
    first, _, last = name.strip().partition(" ")
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


@transaction.atomic
def complete_training(*, actor: User, person: Profile, now: datetime) -> Profile:
    """Roles-and-responsibilities training done: a designated contact from now, with
    credentials due 48 business hours later (the policy's figure, customer calendar)."""
    require_care(actor)
    if person.role != Role.CONTACT:
        raise DomainError(f"{person.user.email} is Care staff, not a customer contact")
    if person.training_completed_at is not None:
        raise Conflict(f"{person.user.email} completed the training already")
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
        raise DomainError(f"{person.user.email} has not completed the training yet")
    if person.credentials_issued_at is not None:
        raise Conflict(f"credentials for {person.user.email} were issued already")
    person.credentials_issued_at = now
    person.save(update_fields=["credentials_issued_at"])
    return person


# -- tokens ---------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, user: User, name: str = "default", now: datetime) -> str:
    """A new API token; the secret is returned once and only its digest is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=_digest(secret), created_at=now
    )
    return secret


def user_for_token(secret: str, *, now: datetime) -> User | None:
    """The active user behind a live token, with profile and organisation loaded.

    Every API request starts here, so the query is written once (``store.live_token``)
    rather than compiled from a queryset each time.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    found = store.live_token(_digest(secret))
    if found is None:
        return None
    token, user = found
    # Record use at most once a minute: a write on every request would serialise reads.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    return user


def find_person(user: User, person_id: int) -> Profile:
    ids = visible_org_ids(user)
    qs = Profile.objects.select_related("user", "organisation")
    if ids is not None:
        qs = qs.filter(organisation_id__in=ids)
    try:
        return qs.get(id=person_id)
    except Profile.DoesNotExist:
        raise NotFound(f"person {person_id} not found") from None


# -- vendor holidays and the vendor's calendar --------------------------------------------


def vendor_holidays(*, actor: User | None) -> list[VendorHoliday]:
    """The days Care declared the vendor closed, in order (Care managers; ``actor`` is
    ``None`` for an operator at the command line)."""
    if actor is not None:
        require_care(actor, manager=True)
    return list(VendorHoliday.objects.order_by("day"))


@transaction.atomic
def declare_vendor_holiday(
    *,
    actor: User | None,
    day: str,
    name: str,
    now: datetime,
    open_from: str = "",
    open_until: str = "",
) -> VendorHoliday:
    """Declare ``day`` a vendor holiday: closed all day, or open only from ``open_from``
    and/or until ``open_until`` (``HH:MM``). Care managers; ``actor`` is ``None`` for an
    operator at the command line."""
    if actor is not None:
        require_care(actor, manager=True)
    declared = _declared(day, open_from, open_until)
    if not name.strip():
        raise DomainError("a vendor holiday needs a name, such as 'Christmas Eve'")
    taken = VendorHoliday.objects.filter(day=declared.day).first()
    if taken is not None:
        raise Conflict(
            f"{taken.day.isoformat()} is already declared a vendor holiday ({taken.name}); "
            "remove it first"
        )
    return VendorHoliday.objects.create(
        day=declared.day,
        name=name.strip(),
        open_from=_time_of(declared.open_from),
        open_until=_time_of(declared.open_until),
        declared_by=actor,
        declared_at=now,
    )


@transaction.atomic
def remove_vendor_holiday(*, actor: User | None, day: str) -> VendorHoliday:
    """Remove a declared vendor holiday; the removed row is returned (Care managers)."""
    if actor is not None:
        require_care(actor, manager=True)
    found = VendorHoliday.objects.filter(day=_declared(day).day).first()
    if found is None:
        raise NotFound(f"{day.strip()} is not a declared vendor holiday")
    found.delete()
    return found


def _declared(day: str, open_from: str = "", open_until: str = "") -> DeclaredDay:
    try:
        return declared_day(day, open_from, open_until)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def _time_of(minutes: int | None) -> time | None:
    """A stored time of day; ``None`` for none, and for an end at midnight (the day's end)."""
    if minutes is None or minutes >= 24 * 60:
        return None
    return time(minutes // 60, minutes % 60)


def vendor_closures(*, since: date) -> tuple[DeclaredDay, ...]:
    """The vendor holidays declared from ``since`` on, as the core's calendar takes them."""
    return tuple(
        DeclaredDay(h.day, _minutes_of(h.open_from), _minutes_of(h.open_until))
        for h in VendorHoliday.objects.filter(day__gte=since).order_by("day")
    )


def vendor_holiday_on(day: date) -> VendorHoliday | None:
    return VendorHoliday.objects.filter(day=day).first()


def _minutes_of(value: time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def vendor_calendar(hours: Mapping[str, str | list[str]], *, since: date) -> BusinessCalendar:
    """The vendor's business ``hours`` in its zone, with its country's public holidays and
    the vendor holidays declared from ``since`` on (the management-attention mailbox)."""
    vendor = Organisation.objects.filter(kind=OrgKind.VENDOR).first()
    zone, country = (vendor.timezone, vendor.country or None) if vendor else ("UTC", None)
    return hours_calendar(zone, hours, vendor_closures(since=since), country=country)


def hours_calendar(
    zone: str,
    hours: Mapping[str, str | list[str]],
    closures: tuple[DeclaredDay, ...] = (),
    *,
    country: str | None = None,
) -> BusinessCalendar:
    """A calendar of weekly ``hours`` in ``zone``, shared between requests (calendars are
    immutable and keep their index warm)."""
    frozen = tuple((d, v if isinstance(v, str) else tuple(v)) for d, v in sorted(hours.items()))
    return _hours_calendar(zone, frozen, closures, country)


@lru_cache(maxsize=256)
def _hours_calendar(
    zone: str,
    hours: tuple[tuple[str, str | tuple[str, ...]], ...],
    closures: tuple[DeclaredDay, ...],
    country: str | None,
) -> BusinessCalendar:
    week = {d: v if isinstance(v, str) else list(v) for d, v in hours}
    return BusinessCalendar(zone, week, closures, country=country)
