"""Unplanned maintenance and emergency suspensions (seed 004 section 3): Care announces
them; the organisations subscribed to an affected service are told (``signals``: the
automation app writes the e-mails in the same transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts import services as accounts
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.status import signals
from caredesk.status.catalogue import ServiceInfo
from caredesk.status.models import AnnouncementKind, MaintenanceWindow, Service
from caredesk.status.services.values import affected_services, aware, invalid
from caredesk.status.services.version import changed

_ALWAYS = BusinessCalendar.always()


def earliest_unplanned_start(info: ServiceInfo, now: datetime) -> datetime:
    """The earliest start of unplanned maintenance of ``info`` announced at ``now``: the
    notice its policy promises (none: at once)."""
    notice = policies.load(info.policy).unplanned_notice if info.policy else None
    return now if notice is None else notice.due(now, _ALWAYS)


def announce_maintenance(
    *,
    actor: User,
    kind: str,
    services: Sequence[str],
    start: datetime | None,
    end: datetime | None,
    summary: str,
    now: datetime,
) -> MaintenanceWindow:
    """Care announces unplanned maintenance (``start`` no earlier than the policy's notice,
    ``end`` required) or an emergency suspension (``start`` now by default, never in the
    past; no ``end``: until further notice)."""
    accounts.require_care(actor)
    if kind not in AnnouncementKind.values:
        expected = ", ".join(AnnouncementKind.values)
        raise invalid("kind", f"unknown kind {kind!r}; expected one of: {expected}")
    affected = affected_services(services)
    if not summary.strip():
        raise invalid("summary", "the summary is empty; say what is done and why")
    begins = now if start is None and kind == AnnouncementKind.EMERGENCY else start
    if begins is None:
        raise invalid("start", "unplanned maintenance needs its start")
    begins = aware(begins, "start")
    if begins < now:
        raise invalid("start", f"start {begins.isoformat()} has passed; expected now or later")
    ends = None if end is None else aware(end, "end")
    if kind == AnnouncementKind.UNPLANNED and ends is None:
        raise invalid("end", "unplanned maintenance needs its end")
    if ends is not None and ends <= begins:
        raise invalid("end", f"end {ends.isoformat()} is not after the start; expected a later end")
    if kind == AnnouncementKind.UNPLANNED:
        _check_notice(affected, begins, now)
    with transaction.atomic():
        window = MaintenanceWindow.objects.create(
            kind=kind,
            start=begins,
            end=ends,
            summary=summary.strip(),
            announced_by=actor,
            announced_at=now,
        )
        window.services.set(list(Service.objects.filter(id__in=[i.id for i in affected])))
        signals.maintenance_announced.send(sender=MaintenanceWindow, window=window, now=now)
        changed()
    return window


def _check_notice(affected: list[ServiceInfo], start: datetime, now: datetime) -> None:
    for info in affected:
        earliest = earliest_unplanned_start(info, now)
        if start < earliest:
            raise invalid(
                "start",
                f"unplanned maintenance of {info.id} starting {start.isoformat()} gives less "
                f"notice than its policy promises; start at or after {earliest.isoformat()}, "
                "or announce an emergency suspension",
            )


def announced_maintenance(*, service_id: str | None = None) -> list[MaintenanceWindow]:
    """Announced maintenance, latest start first; of one service when given."""
    found = MaintenanceWindow.objects.prefetch_related("services")
    if service_id is not None:
        found = found.filter(services__id=service_id)
    return list(found)
