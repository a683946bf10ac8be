"""E-mails about platform incidents (the status app's ``incident_updated``): each update
of an incident's timeline to the people of the organisations subscribed to an affected
service (and of their resellers), in their language with instants in their zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.automation import notify
from caredesk.automation.maintenance_mail import audience
from caredesk.infra.speech import instant_text as when
from caredesk.status.catalogue import service
from caredesk.status.models import Incident, IncidentUpdate

UPDATED = "incident-updated"


def on_updated(
    sender: Any, *, incident: Incident, update: IncidentUpdate, now: datetime, **signal: Any
) -> None:
    affected = list(incident.services.all())
    for person in audience(affected):
        language, zone = person.language, person.timezone
        with translation.override(language):
            stages = {
                "investigating": _("Investigating"),
                "identified": _("Identified"),
                "monitoring": _("Monitoring"),
                "resolved": _("Resolved"),
            }
            impacts = {"outage": _("Outage"), "degraded": _("Degraded performance")}
            values = {
                "stage": stages[update.stage],
                "title": incident.title_in(language),
                "impact": impacts[incident.impact],
                "services": ", ".join(service(s.id).name_in(language) for s in affected),
                "started": when(incident.started_at, zone),
                "at": when(update.at, zone),
                "text": update.text_in(language),
            }
            subject = _("%(stage)s: %(title)s (%(services)s)") % values
            body = (
                _(
                    "Platform incident: %(title)s\nImpact: %(impact)s on %(services)s\n"
                    "Started: %(started)s\n\n%(stage)s, %(at)s:\n%(text)s\n\n"
                    "The status page shows every update: /status/"
                )
                % values
            )
        notify.email(
            key=f"incident-{incident.pk}-update-{update.pk}-{person.user_id}",
            to=person.user,
            subject=subject,
            body=body,
            event=UPDATED,
            now=now,
            language=language,
        )
