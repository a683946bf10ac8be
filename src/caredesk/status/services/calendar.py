"""An organisation's maintenance calendar: its services' planned windows in its zone, with
the occurrences its accepted reschedules moved."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from caredesk.accounts.models import Organisation
from caredesk.core.maintenance import Window, windows_between, with_moves
from caredesk.status.catalogue import ServiceInfo
from caredesk.status.models import Reschedule, RescheduleState

_ONE_US = timedelta(microseconds=1)


def organisation_windows(
    org: Organisation, info: ServiceInfo, start: datetime, end: datetime
) -> list[Window]:
    """The service's windows overlapping ``[start, end)`` for ``org``."""
    if info.rule is None:
        return []
    zone = str(org.timezone)
    planned = windows_between(info.rule, start, end, zone)
    counted_in = info.rule.zone_for(zone)
    accepted = Reschedule.objects.filter(
        organisation=org, service_id=info.id, state=RescheduleState.ACCEPTED
    ).filter(
        Q(occurrence_start__in=[w.start for w in planned]) | Q(new_start__lt=end, new_end__gt=start)
    )
    moves = {
        r.occurrence_start: Window(r.new_start, r.new_end, counted_in)
        for r in accepted
        if r.new_start is not None and r.new_end is not None
    }
    return with_moves(planned, moves, start, end)


def organisation_window_at(org: Organisation, info: ServiceInfo, at: datetime) -> Window | None:
    """The service's window in progress at ``at`` for ``org``, or ``None``."""
    found = [w for w in organisation_windows(org, info, at, at + _ONE_US) if w.contains(at)]
    return found[0] if found else None
