"""iCalendar feeds of planned maintenance: a service's, and an organisation's (its services,
in its zone, with its accepted reschedules)."""

from __future__ import annotations

from datetime import datetime

from django.core.signing import Signer
from django.db.models import Q
from django.utils.crypto import constant_time_compare

from caredesk.accounts.models import Organisation
from caredesk.core.maintenance import windows_between
from caredesk.infra.errors import DomainError, NotFound
from caredesk.status.catalogue import ServiceInfo
from caredesk.status.ical import AnnouncedItem, FeedItem, build_feed, feed_period
from caredesk.status.models import AnnouncementKind, MaintenanceWindow
from caredesk.status.services.calendar import organisation_windows
from caredesk.status.services.subscriptions import service_info, services_of

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
    shown = zone or (info.rule.zone if info.rule else None) or "UTC"
    announced = _announced([info], shown, now)
    return build_feed(
        items, name=info.name_in(language), language=language, now=now, announced=announced
    )


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
        for window in organisation_windows(org, info, start, end)
    ]
    announced = _announced(services_of(org), str(org.timezone), now)
    return build_feed(items, name=str(org.name), language=language, now=now, announced=announced)


def _announced(infos: list[ServiceInfo], zone: str, now: datetime) -> list[AnnouncedItem]:
    """Announced maintenance of these services not over at ``now``, within the feed's
    period, each once, with the services of it the feed is about."""
    start, end = feed_period(now)
    wanted = {info.id: info for info in infos}
    found = (
        MaintenanceWindow.objects.filter(services__id__in=list(wanted), start__lt=end)
        .filter(Q(end__isnull=True) | Q(end__gt=start))
        .prefetch_related("services")
        .distinct()
        .order_by("start", "id")
    )
    return [
        AnnouncedItem(
            id=window.pk,
            emergency=window.kind == AnnouncementKind.EMERGENCY,
            services=tuple(wanted[s.id] for s in window.services.all() if s.id in wanted),
            start=window.start,
            end=window.end,
            summary=window.summary,
            zone=zone,
        )
        for window in found
    ]
