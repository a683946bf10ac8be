"""``/status/feed.atom``: the status page's news as an Atom feed (Django's syndication
framework), in the reader's language: every incident update, advisory and announced
maintenance of the last 90 days, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from caredesk.infra.clock import CLOCK
from caredesk.status.catalogue import service
from caredesk.status.documents import kind_words, stage_words
from caredesk.status.models import Advisory, IncidentUpdate, MaintenanceWindow

_SINCE = timedelta(days=90)
_MOST = 100


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    text: str
    at: datetime
    anchor: str


class StatusFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    link = "/status/"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return translation.get_language() or "en"

    def title(self, language: str) -> str:
        return _("CareDesk platform status")

    def subtitle(self, language: str) -> str:
        return _("Incidents, advisories and maintenance of the platform's services")

    def items(self, language: str) -> list[Entry]:
        since = CLOCK.now() - _SINCE
        stages, kinds = stage_words(), kind_words()
        entries = [
            Entry(
                f"incident-update-{u.id}",
                f"{stages[u.stage]}: {u.incident.title_in(language)}",
                u.text_in(language),
                u.at,
                f"incident-{u.incident_id}",
            )
            for u in IncidentUpdate.objects.filter(at__gte=since).select_related("incident")
        ]
        entries += [
            Entry(
                f"advisory-{a.id}",
                _("Advisory: %(title)s") % {"title": a.title_in(language)},
                a.text_in(language),
                a.published_at,
                "advisories",
            )
            for a in Advisory.objects.filter(published_at__gte=since)
        ]
        entries += [
            Entry(
                f"maintenance-{w.id}",
                f"{kinds[w.kind]}: "
                + ", ".join(service(s.id).name_in(language) for s in w.services.all()),
                w.summary,
                w.announced_at,
                "maintenance",
            )
            for w in MaintenanceWindow.objects.filter(announced_at__gte=since).prefetch_related(
                "services"
            )
        ]
        return sorted(entries, key=lambda e: (e.at, e.key), reverse=True)[:_MOST]

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.text

    def item_link(self, item: Entry) -> str:
        return f"/status/#{item.anchor}"

    def item_guid(self, item: Entry) -> str:
        return f"tag:caredesk,2026:status/{item.key}"

    def item_pubdate(self, item: Entry) -> datetime:
        return item.at

    def item_updateddate(self, item: Entry) -> datetime:
        return item.at
