"""The services an organisation subscribes to, and the zone its questions are asked in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.infra.errors import DomainError, NotFound
from caredesk.status.catalogue import ServiceInfo, catalogue, service
from caredesk.status.models import Service, Subscription


def service_info(service_id: str) -> ServiceInfo:
    """The catalogue's service ``service_id``; 404 naming the known ones."""
    try:
        return service(service_id)
    except ValueError as exc:
        raise NotFound(str(exc)) from None


def subscribed_services(*, actor: User, organisation_id: int) -> list[ServiceInfo]:
    """The services the organisation takes, in catalogue order (anyone who sees it)."""
    org = accounts.get_organisation(actor, organisation_id)
    return services_of(org)


def services_of(org: Organisation) -> list[ServiceInfo]:
    taken = set(Subscription.objects.filter(organisation=org).values_list("service_id", flat=True))
    return [info for info in catalogue() if info.id in taken]


def set_subscribed_services(
    *, actor: User, organisation_id: int, services: Sequence[str], now: datetime
) -> list[ServiceInfo]:
    """Care records the services an organisation takes: exactly ``services`` from now on
    (one kept keeps its ``since``). An unknown identifier refuses all of it."""
    accounts.require_care(actor)
    org = accounts.get_organisation(actor, organisation_id)
    known = [info.id for info in catalogue()]
    unknown = [sid for sid in services if sid not in known]
    if unknown:
        raise DomainError(
            f"unknown service {unknown[0]!r}; expected services from: {', '.join(known)}",
            errors=[{"field": "services", "message": f"unknown service {unknown[0]!r}"}],
            status=422,
        )
    wanted = set(services)
    with transaction.atomic():
        current = Subscription.objects.select_for_update().filter(organisation=org)
        current.exclude(service_id__in=wanted).delete()
        kept = set(current.values_list("service_id", flat=True))
        Subscription.objects.bulk_create(
            Subscription(organisation=org, service=Service(id=sid), since=now)
            for sid in sorted(wanted - kept)
        )
    return services_of(org)
