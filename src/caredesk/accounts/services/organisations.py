"""Creating organisations, and those short of designated contacts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from caredesk.accounts.models import (
    Organisation,
    OrgKind,
    Role,
)
from caredesk.accounts.services.access import require_care, visible_organisations
from caredesk.core import policy as policies
from caredesk.infra.errors import Conflict, DomainError, named


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
                "message": _("unknown kind %(kind)s; expected vendor, reseller or customer")
                % {"kind": named(kind)},
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
                {
                    "field": "parent_id",
                    "message": _("parent %(id)s is not a reseller") % {"id": parent_id},
                }
            )
    elif kind == OrgKind.CUSTOMER:
        pass  # a direct customer of the vendor
    if Organisation.objects.filter(short_name=short_name).exists():
        raise Conflict(
            _("an organisation with short name %(name)s already exists")
            % {"name": named(short_name)}
        )
    if errors:
        raise DomainError(errors[0]["message"], errors=errors)
    tam = User.objects.filter(id=tam_id).first() if tam_id is not None else None
    if tam_id is not None and tam is None:
        raise DomainError(_("TAM user %(id)s does not exist") % {"id": tam_id})
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
