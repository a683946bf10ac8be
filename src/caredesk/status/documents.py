"""The status page's snapshot as the page's context and as ``/status/index.json``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from caredesk.infra.speech import instant_text
from caredesk.status.models import AnnouncementKind
from caredesk.status.queries import iso_z
from caredesk.status.services.page import Snapshot

BAR_WIDTH, BAR_GAP, BAR_HEIGHT = 6, 2, 28


def state_words() -> dict[str, str]:
    return {
        "operational": _("Operational"),
        "degraded": _("Degraded performance"),
        "outage": _("Outage"),
        "maintenance": _("Under maintenance"),
    }


def stage_words() -> dict[str, str]:
    return {
        "investigating": _("Investigating"),
        "identified": _("Identified"),
        "monitoring": _("Monitoring"),
        "resolved": _("Resolved"),
    }


def kind_words() -> dict[str, str]:
    return {
        "planned": _("Planned maintenance"),
        AnnouncementKind.UNPLANNED.value: _("Unplanned maintenance"),
        AnnouncementKind.EMERGENCY.value: _("Emergency suspension"),
    }


def page_context(shot: Snapshot, language: str, query: Mapping[str, str]) -> dict[str, Any]:
    """What ``status/page.html`` shows, every word in ``language`` (active)."""
    states, stages, kinds = state_words(), stage_words(), kind_words()
    zone = shot.zone

    def when(instant: Any) -> str:
        return instant_text(instant, zone)

    services = []
    for s in shot.services:
        bars = []
        for n, d in enumerate(s.days):
            words = _("%(day)s: %(state)s, outage %(outage)d min, degraded %(degraded)d min") % {
                "day": d.day.isoformat(),
                "state": states[d.state],
                "outage": d.outage_minutes,
                "degraded": d.degraded_minutes,
            }
            bars.append({"x": n * (BAR_WIDTH + BAR_GAP), "state": d.state, "title": words})
        services.append(
            {
                "id": s.info.id,
                "name": s.info.name_in(language),
                "state": s.state,
                "state_text": states[s.state],
                "uptime": _("%(uptime).2f%% uptime over 90 days") % {"uptime": s.uptime},
                "bars": bars,
            }
        )
    incidents = [
        {
            "id": i.id,
            "title": i.title_in(language),
            "impact": states[i.impact],
            "services": ", ".join(_name(shot, x.id, language) for x in i.services.all()),
            "started": when(i.started_at),
            "updates": [
                {"stage": stages[u.stage], "at": when(u.at), "text": u.text_in(language)}
                for u in i.updates.all()
            ],
        }
        for i in shot.incidents
    ]
    advisories = [
        {
            "title": a.title_in(language),
            "text": a.text_in(language),
            "service": _name(shot, a.service_id, language),
            "since": when(a.published_at),
        }
        for a in shot.advisories
    ]
    maintenance = [
        {
            "kind": kinds[m.kind],
            "services": ", ".join(i.name_in(language) for i in m.services),
            "start": when(m.start),
            "end": when(m.end) if m.end else _("until further notice"),
            "summary": m.summary,
        }
        for m in shot.maintenance
    ]
    other = "ja" if language == "en" else "en"
    return {
        "language": language,
        "zone": zone,
        "overall": shot.state,
        "overall_text": _overall(shot.state),
        "services": services,
        "incidents": incidents,
        "advisories": advisories,
        "maintenance": maintenance,
        "updated": when(shot.now),
        "chart_width": len(shot.services[0].days) * (BAR_WIDTH + BAR_GAP) if services else 0,
        "bar_width": BAR_WIDTH,
        "bar_height": BAR_HEIGHT,
        "switch": {"code": other, "href": "?" + urlencode({**dict(query), "lang": other})},
        "zones_note": ZoneInfo(zone).key,
    }


def _overall(state: str) -> str:
    return {
        "operational": _("All services are operating normally."),
        "degraded": _("Some services have degraded performance."),
        "outage": _("Some services are down."),
        "maintenance": _("Some services are under maintenance."),
    }[state]


def _name(shot: Snapshot, service_id: str, language: str) -> str:
    for s in shot.services:
        if s.info.id == service_id:
            return s.info.name_in(language)
    return service_id


def index_document(shot: Snapshot) -> dict[str, Any]:
    """``/status/index.json``: instants in UTC (``Z``), texts in both languages."""
    return {
        "generated_at": iso_z(shot.now),
        "zone": shot.zone,
        "state": shot.state,
        "services": [
            {
                "id": s.info.id,
                "name": dict(s.info.name),
                "state": s.state,
                "uptime_90d": round(s.uptime, 4),
                "days": [
                    {
                        "date": d.day.isoformat(),
                        "state": d.state,
                        "outage_minutes": d.outage_minutes,
                        "degraded_minutes": d.degraded_minutes,
                    }
                    for d in s.days
                ],
            }
            for s in shot.services
        ],
        "incidents": [
            {
                "id": i.id,
                "title": {"en": i.title_en, "ja": i.title_ja},
                "impact": i.impact,
                "stage": i.stage,
                "services": [x.id for x in i.services.all()],
                "started_at": iso_z(i.started_at),
                "updates": [
                    {
                        "stage": u.stage,
                        "at": iso_z(u.at),
                        "text": {"en": u.text_en, "ja": u.text_ja},
                    }
                    for u in i.updates.all()
                ],
            }
            for i in shot.incidents
        ],
        "advisories": [
            {
                "id": a.id,
                "service": a.service_id,
                "title": {"en": a.title_en, "ja": a.title_ja},
                "text": {"en": a.text_en, "ja": a.text_ja},
                "published_at": iso_z(a.published_at),
            }
            for a in shot.advisories
        ],
        "maintenance": [
            {
                "kind": m.kind,
                "services": [i.id for i in m.services],
                "start": iso_z(m.start),
                "end": iso_z(m.end) if m.end else None,
                "summary": m.summary,
            }
            for m in shot.maintenance
        ],
    }
