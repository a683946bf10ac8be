"""E-mails about maintenance (the status app's signals), each in its recipient's language
with instants in their zone: a reschedule request to Care's managers, who decide; the
decision to the person who asked; unplanned maintenance and emergency suspensions to the
subscribed organisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.accounts.models import Profile, Role
from caredesk.automation import notify
from caredesk.infra.speech import instant_text as when
from caredesk.status.catalogue import service
from caredesk.status.models import (
    AnnouncementKind,
    MaintenanceWindow,
    Reschedule,
    RescheduleState,
    Service,
    Subscription,
)

REQUESTED = "maintenance-reschedule-requested"
DECIDED = "maintenance-reschedule-decided"


def _reader(user: User) -> tuple[str, str]:
    profile = Profile.objects.filter(user=user).first()
    return (profile.language, profile.timezone) if profile else ("en", "UTC")


def _values(reschedule: Reschedule, language: str, zone: str) -> dict[str, Any]:
    return {
        "service": service(reschedule.service_id).name_in(language),
        "organisation": reschedule.organisation.name,
        "who": reschedule.requested_by.email,
        "planned": when(reschedule.occurrence_start, zone),
        "planned_end": when(reschedule.occurrence_end, zone),
        "proposed": when(reschedule.proposed_start, zone),
        "new": when(reschedule.new_start, zone),
        "new_end": when(reschedule.new_end, zone),
        "reason": reschedule.reason,
        "decision": reschedule.decision_reason,
    }


def on_requested(sender: Any, *, reschedule: Reschedule, now: datetime, **signal: Any) -> None:
    managers = User.objects.filter(profile__role=Role.MANAGER).exclude(
        pk=reschedule.requested_by_id
    )
    for manager in managers:
        language, zone = _reader(manager)
        with translation.override(language):
            values = _values(reschedule, language, zone)
            subject = _("Maintenance reschedule requested: %(service)s for %(organisation)s")
            body = _(
                "%(who)s asks to move the planned maintenance of %(service)s for "
                "%(organisation)s from %(planned)s - %(planned_end)s to start at "
                "%(proposed)s.\n\nReason: %(reason)s\n\nAccept it with the new time or "
                "decline it with a reason."
            )
        notify.email(
            key=f"reschedule-{reschedule.pk}-requested-{manager.pk}",
            to=manager,
            subject=subject % values,
            body=body % values,
            event=REQUESTED,
            now=now,
            language=language,
        )


def on_decided(sender: Any, *, reschedule: Reschedule, now: datetime, **signal: Any) -> None:
    requester = reschedule.requested_by
    language, zone = _reader(requester)
    with translation.override(language):
        values = _values(reschedule, language, zone)
        if reschedule.state == RescheduleState.ACCEPTED:
            subject = _("Maintenance rescheduled: %(service)s for %(organisation)s")
            body = _(
                "The planned maintenance of %(service)s for %(organisation)s due "
                "%(planned)s - %(planned_end)s now takes place %(new)s - %(new_end)s."
            )
            if reschedule.decision_reason:
                body += "\n\n" + _("Care's note: %(decision)s")
        else:
            subject = _("Maintenance reschedule declined: %(service)s for %(organisation)s")
            body = _(
                "Care declined to move the planned maintenance of %(service)s for "
                "%(organisation)s due %(planned)s - %(planned_end)s; it takes place as "
                "planned.\n\nReason: %(decision)s"
            )
    notify.email(
        key=f"reschedule-{reschedule.pk}-{reschedule.state}",
        to=requester,
        subject=subject % values,
        body=body % values,
        event=DECIDED,
        now=now,
        language=language,
    )


ANNOUNCED = "maintenance-announced"


def audience(services: Iterable[Service]) -> list[Profile]:
    """The people of the organisations subscribed to one of ``services``, and of their
    resellers (who act for them), Care aside."""
    orgs = set(
        Subscription.objects.filter(service__in=list(services)).values_list(
            "organisation_id", "organisation__parent_id"
        )
    )
    ids = {org for pair in orgs for org in pair if org is not None}
    people = Profile.objects.select_related("user").filter(organisation_id__in=ids)
    return [p for p in people.order_by("id") if not p.is_care and p.user.email]


def on_announced(sender: Any, *, window: MaintenanceWindow, now: datetime, **signal: Any) -> None:
    affected = list(window.services.all())
    for person in audience(affected):
        language, zone = person.language, person.timezone
        with translation.override(language):
            values = {
                "services": ", ".join(service(s.id).name_in(language) for s in affected),
                "start": when(window.start, zone),
                "until": (
                    _("until %(end)s") % {"end": when(window.end, zone)}
                    if window.end
                    else _("until further notice")
                ),
                "summary": window.summary,
            }
            if window.kind == AnnouncementKind.EMERGENCY:
                subject = _("Emergency suspension: %(services)s")
                body = _(
                    "Care has suspended %(services)s from %(start)s %(until)s to safeguard "
                    "the integrity and security of the network.\n\n%(summary)s"
                )
            else:
                subject = _("Unplanned maintenance: %(services)s from %(start)s")
                body = _(
                    "Care will perform unplanned maintenance of %(services)s from %(start)s "
                    "%(until)s. The service may be unavailable meanwhile.\n\n%(summary)s"
                )
        notify.email(
            key=f"maintenance-{window.pk}-announced-{person.user_id}",
            to=person.user,
            subject=subject % values,
            body=body % values,
            event=ANNOUNCED,
            now=now,
            language=language,
        )
