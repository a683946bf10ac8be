"""What the public status page shows at an instant, for a viewer's zone: each service's
state now, its past 90 days, the active incidents with their updates, the advisories, and
the maintenance ahead. Read from the status tables in a handful of queries; the views cache
what is built from it under the status version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from caredesk.core.maintenance import window_at, windows_between
from caredesk.status.catalogue import ServiceInfo, catalogue
from caredesk.status.models import (
    Advisory,
    Impact,
    Incident,
    MaintenanceWindow,
)
from caredesk.status.services.advisories import active_advisories

DAYS = 90
AHEAD = timedelta(days=7)  # planned windows shown ahead; announced ones all until they end
# A service's state, worst first: what an active incident or maintenance makes of it.
OUTAGE, DEGRADED, MAINTENANCE, OPERATIONAL = "outage", "degraded", "maintenance", "operational"
_WORST = (OUTAGE, DEGRADED, MAINTENANCE, OPERATIONAL)


@dataclass(frozen=True)
class Day:
    """One local day of a service's past: its worst state and the minutes it lasted."""

    day: date
    state: str
    outage_minutes: int
    degraded_minutes: int


@dataclass(frozen=True)
class ServiceState:
    info: ServiceInfo
    state: str
    days: tuple[Day, ...]
    uptime: float  # percent of the 90 days without an outage


@dataclass(frozen=True)
class Maintenance:
    """A maintenance period ahead or in progress: planned (a recurring window) or
    announced (unplanned maintenance, emergency suspension; ``end`` None: until notice)."""

    kind: str
    services: tuple[ServiceInfo, ...]
    start: datetime
    end: datetime | None
    summary: str


@dataclass(frozen=True)
class Snapshot:
    now: datetime
    zone: str
    services: tuple[ServiceState, ...]
    incidents: tuple[Incident, ...]  # active, latest start first, updates prefetched
    advisories: tuple[Advisory, ...]
    maintenance: tuple[Maintenance, ...]

    @property
    def state(self) -> str:
        """The platform's worst service state."""
        states = {s.state for s in self.services}
        return next((s for s in _WORST if s in states), OPERATIONAL)


def snapshot(*, now: datetime, zone: str) -> Snapshot:
    """The status page at ``now``, local days and planned windows in ``zone``."""
    tz = ZoneInfo(zone)
    first_day = now.astimezone(tz).date() - timedelta(days=DAYS - 1)
    since = datetime.combine(first_day, time(), tz)
    incidents = list(
        Incident.objects.filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=since))
        .filter(started_at__lte=now)
        .prefetch_related("services", "updates")
    )
    announced = list(
        MaintenanceWindow.objects.filter(Q(end__isnull=True) | Q(end__gt=now)).prefetch_related(
            "services"
        )
    )
    states = tuple(
        _service_state(info, incidents, announced, now=now, zone=zone, first_day=first_day)
        for info in catalogue()
    )
    return Snapshot(
        now=now,
        zone=zone,
        services=states,
        incidents=tuple(i for i in incidents if i.resolved_at is None),
        advisories=tuple(active_advisories()),
        maintenance=_maintenance_ahead(announced, now=now, zone=zone),
    )


def _service_state(
    info: ServiceInfo,
    incidents: list[Incident],
    announced: list[MaintenanceWindow],
    *,
    now: datetime,
    zone: str,
    first_day: date,
) -> ServiceState:
    mine = [i for i in incidents if info.id in {s.id for s in i.services.all()}]
    spans = [(i.started_at, i.resolved_at or now, i.impact) for i in mine]
    tz = ZoneInfo(zone)
    days = []
    for offset in range(DAYS):
        day = first_day + timedelta(days=offset)
        begin = datetime.combine(day, time(), tz)
        end = min(datetime.combine(day + timedelta(days=1), time(), tz), now)
        minutes = {Impact.OUTAGE.value: 0.0, Impact.DEGRADED.value: 0.0}
        for start, stop, impact in spans:
            overlap = (min(stop, end) - max(start, begin)).total_seconds()
            if overlap > 0:
                minutes[impact] += overlap / 60
        worst = OUTAGE if minutes[OUTAGE] else DEGRADED if minutes[DEGRADED] else OPERATIONAL
        days.append(Day(day, worst, round(minutes[OUTAGE]), round(minutes[DEGRADED])))
    counted = (now - datetime.combine(first_day, time(), tz)).total_seconds() / 60
    down = sum(d.outage_minutes for d in days)
    uptime = 100.0 if counted <= 0 else max(0.0, 100 * (1 - down / counted))
    return ServiceState(info, _state_now(info, mine, announced, now, zone), tuple(days), uptime)


def _state_now(
    info: ServiceInfo,
    incidents: list[Incident],
    announced: list[MaintenanceWindow],
    now: datetime,
    zone: str,
) -> str:
    active = {i.impact for i in incidents if i.resolved_at is None}
    if Impact.OUTAGE in active:
        return OUTAGE
    if Impact.DEGRADED in active:
        return DEGRADED
    in_announced = any(
        w.start <= now and info.id in {s.id for s in w.services.all()} for w in announced
    )
    # A local-time service's windows are the viewer's local hours (the customer's).
    planned = info.rule is not None and window_at(info.rule, now, zone) is not None
    return MAINTENANCE if in_announced or planned else OPERATIONAL


def _maintenance_ahead(
    announced: list[MaintenanceWindow], *, now: datetime, zone: str
) -> tuple[Maintenance, ...]:
    by_id = {info.id: info for info in catalogue()}
    found = [
        Maintenance(
            w.kind,
            tuple(by_id[s.id] for s in w.services.all() if s.id in by_id),
            w.start,
            w.end,
            w.summary,
        )
        for w in announced
    ]
    for info in catalogue():
        if info.rule is None:
            continue
        for window in windows_between(info.rule, now, now + AHEAD, zone):
            found.append(Maintenance("planned", (info,), window.start, window.end, ""))
    return tuple(sorted(found, key=lambda m: (m.start, m.kind)))
