"""Use-cases of the status app: the services an organisation subscribes to, and the
maintenance questions asked for an organisation (in its zone).

Keyword-only functions; the only code that changes these tables. ``now`` is passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.core.signing import Signer
from django.db import transaction
from django.utils.crypto import constant_time_compare

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.core.maintenance import windows_between
from caredesk.infra.errors import DomainError, NotFound
from caredesk.status.catalogue import ServiceInfo, catalogue, service
from caredesk.status.ical import FeedItem, build_feed, feed_period
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


def zone_of_organisation(*, actor: User, organisation_id: int) -> str:
    """The zone an organisation's local-time windows are counted in: its own."""
    return str(accounts.get_organisation(actor, organisation_id).timezone)


# -- iCalendar feeds -------------------------------------------------------------------------

_FEED_SIGNER = Signer(salt="caredesk.status.organisation-feed")
FEED_LANGUAGES = ("en", "ja")


def feed_key(org: Organisation) -> str:
    """The secret of an organisation's feed address: calendar applications subscribe by
    address and send no token. It changes only with the server's secret key."""
    return _FEED_SIGNER.signature(str(org.id))


def _language(language: str) -> str:
    if language not in FEED_LANGUAGES:
        raise DomainError(
            f"unknown language {language!r}; expected one of: {', '.join(FEED_LANGUAGES)}",
            status=422,
        )
    return language


def service_feed(*, service_id: str, zone: str | None, language: str, now: datetime) -> bytes:
    """Every planned window of a service in the next 12 months; ``zone`` is the customer's,
    required by a local-time service."""
    info = service_info(service_id)
    language = _language(language)
    start, end = feed_period(now)
    items = []
    if info.rule is not None:
        if info.rule.is_local and zone is None:
            raise DomainError(
                f"service {info.id!r} has its maintenance windows in the customer's local "
                "time; give tz (an IANA zone)",
                status=422,
            )
        try:
            found = windows_between(info.rule, start, end, zone)
        except ValueError as exc:
            raise DomainError(str(exc), status=422) from None
        items = [FeedItem(info, window) for window in found]
    return build_feed(items, name=info.name_in(language), language=language, now=now)


def organisation_feed(*, organisation_id: int, key: str, language: str, now: datetime) -> bytes:
    """Every planned window of the organisation's services in the next 12 months, the
    local-time ones in its zone. The key is the feed address's secret (``feed_key``)."""
    org = Organisation.objects.filter(id=organisation_id).first()
    if org is None or not constant_time_compare(key, feed_key(org)):
        raise NotFound(f"no maintenance feed {organisation_id} with this key")
    language = _language(language)
    start, end = feed_period(now)
    items = [
        FeedItem(info, window)
        for info in services_of(org)
        if info.rule is not None
        for window in windows_between(info.rule, start, end, str(org.timezone))
    ]
    return build_feed(items, name=str(org.name), language=language, now=now)
