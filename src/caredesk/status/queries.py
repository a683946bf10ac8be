"""Maintenance questions about a catalogue service, and their answers as JSON.

Pure Python (no Django): ``caredesk maintenance`` answers them without a database unless an
organisation is named, and the API shapes the same documents. The zone a question comes
with is the customer's: it counts a local-time service's windows and is the one the local
times are written in; without one, local times are in the service's own zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from caredesk.core.calendar import require_aware
from caredesk.core.maintenance import Window, window_at, windows_between
from caredesk.core.zones import load_zone
from caredesk.status.catalogue import ServiceInfo, service


def iso_z(instant: datetime) -> str:
    """UTC with ``Z``, to the second unless the instant has microseconds."""
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def display_zone(info: ServiceInfo, zone: str | None) -> str:
    """The zone local times are written in: the customer's, else the service's own."""
    if zone is not None:
        load_zone(zone)
        return zone
    if info.rule is not None:
        return info.rule.zone_for(None)
    return "UTC"


def maintenance_at(service_id: str, at: datetime, zone: str | None) -> Window | None:
    """The planned window of the service in progress at ``at``, or ``None``."""
    info = service(service_id)
    require_aware(at, "time")
    if zone is not None:
        load_zone(zone)
    if info.rule is None:
        return None
    return window_at(info.rule, at, zone)


def maintenance_windows(
    service_id: str, start: datetime, end: datetime, zone: str | None
) -> list[Window]:
    """Every planned window of the service overlapping ``[start, end)``."""
    info = service(service_id)
    if zone is not None:
        load_zone(zone)
    if info.rule is None:
        require_aware(start, "start")
        require_aware(end, "end")
        return []
    return windows_between(info.rule, start, end, zone)


def at_document(service_id: str, at: datetime, window: Window | None) -> dict[str, Any]:
    """``{"service", "at", "in_maintenance", "window": {"start", "end"} | null}``."""
    return {
        "service": service_id,
        "at": iso_z(at),
        "in_maintenance": window is not None,
        "window": None
        if window is None
        else {"start": iso_z(window.start), "end": iso_z(window.end)},
    }


def window_document(window: Window, zone: str) -> dict[str, str]:
    """``{"start", "end", "start_local", "end_local"}``: UTC, and local in ``zone``."""
    tz = ZoneInfo(zone)
    return {
        "start": iso_z(window.start),
        "end": iso_z(window.end),
        "start_local": window.start.astimezone(tz).isoformat(),
        "end_local": window.end.astimezone(tz).isoformat(),
    }
