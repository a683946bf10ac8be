"""Services and their planned maintenance over HTTP; handlers stay thin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from caredesk.accounts.models import Organisation
from caredesk.accounts.services import caller, get_organisation
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import DomainError
from caredesk.infra.schemas import Strict
from caredesk.status import queries, services
from caredesk.status.api_incidents import router as incidents_router
from caredesk.status.catalogue import ServiceInfo, catalogue
from caredesk.status.models import MaintenanceWindow, Reschedule

router = Router(tags=["services"])
T = TypeVar("T")


class RuleOut(Schema):
    zone: str | None = Field(description="IANA zone; null: the customer's local time")
    local_time: bool
    windows: dict[str, list[str]] = Field(
        description="Per weekday, 'HH:MM-HH:MM'; a window belongs to the day it starts on"
    )
    text: str = Field(description="The rule in one line")


class ServiceOut(Schema):
    id: str
    name: dict[str, str] = Field(description="The service's name by language (en, ja)")
    maintenance: RuleOut | None = Field(description="Planned maintenance; null: none planned")


class AtOut(Schema):
    service: str
    at: str
    in_maintenance: bool
    window: dict[str, str] | None


class WindowOut(Schema):
    start: str
    end: str
    start_local: str
    end_local: str


class OrganisationServicesOut(Schema):
    organisation_id: int
    services: list[ServiceOut]
    calendar_url: str = Field(
        description="The organisation's maintenance feed (iCalendar): its address is its key"
    )


class OrganisationServicesIn(Strict):
    services: list[str] = Field(description="Service ids the organisation subscribes to")


class FeedQuery(Schema):
    tz: str | None = Field(None, description="The customer's IANA zone, e.g. Asia/Tokyo")
    lang: str = Field("en", description="en or ja")


class OrganisationFeedQuery(Schema):
    key: str = Field(description="The feed's key, from calendar_url")
    lang: str = Field("en", description="en or ja")


class ZoneQuery(Schema):
    tz: str | None = Field(None, description="The customer's IANA zone, e.g. Asia/Tokyo")
    org: int | None = Field(None, description="An organisation's id: its zone")


class AtQuery(ZoneQuery):
    at: AwareDatetime = Field(description="The instant, RFC 3339 with its offset")


class PeriodQuery(ZoneQuery):
    start: AwareDatetime = Field(alias="from", description="RFC 3339 with its offset")
    end: AwareDatetime = Field(alias="to", description="RFC 3339 with its offset")


def service_out(info: ServiceInfo) -> dict[str, Any]:
    rule = info.rule
    maintenance = None
    if rule is not None:
        maintenance = {
            "zone": rule.zone,
            "local_time": rule.is_local,
            "windows": rule.hours,
            "text": rule.describe(),
        }
    return {"id": info.id, "name": dict(info.name), "maintenance": maintenance}


def _zone(request: HttpRequest, info: ServiceInfo, asked: ZoneQuery) -> str | None:
    """The customer's zone from ``tz``; a local-time service cannot do without one (or
    ``org``, which the handlers ask first)."""
    if asked.tz is not None and asked.org is not None:
        raise DomainError("give either tz or org, not both", status=422)
    if asked.tz is None and info.rule is not None and info.rule.is_local:
        raise DomainError(
            f"service {info.id!r} has its maintenance windows in the customer's local time; "
            "give tz (an IANA zone) or org (an organisation's id)",
            status=422,
        )
    return asked.tz


def _organisation(request: HttpRequest, asked: ZoneQuery) -> Organisation | None:
    """The organisation asked for (in the caller's scope): its zone and its reschedules."""
    if asked.org is None or asked.tz is not None:
        return None
    return get_organisation(caller(request), asked.org)


def _answer(question: Callable[[], T]) -> T:
    """A query's answer; a bad value (zone, period) is the client's: 422 with its sentence."""
    try:
        return question()
    except ValueError as exc:
        raise DomainError(str(exc), status=422) from None


@router.get("/services", response=list[ServiceOut], summary="The service catalogue")
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    return [service_out(info) for info in catalogue()]


@router.get("/services/{service_id}", response=ServiceOut, summary="One service")
def get_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    return service_out(services.service_info(service_id))


@router.get(
    "/services/{service_id}/maintenance",
    response=AtOut,
    summary="Whether the service is in a planned maintenance window at an instant",
)
def maintenance_at(request: HttpRequest, service_id: str, asked: Query[AtQuery]) -> Any:
    info = services.service_info(service_id)
    org = _organisation(request, asked)
    if org is not None:
        window = services.organisation_window_at(org, info, asked.at)
    else:
        zone = _zone(request, info, asked)
        window = _answer(lambda: queries.maintenance_at(info.id, asked.at, zone))
    return queries.at_document(info.id, asked.at, window)


@router.get(
    "/services/{service_id}/windows",
    response=list[WindowOut],
    summary="Every planned maintenance window overlapping a period",
)
def maintenance_windows(request: HttpRequest, service_id: str, asked: Query[PeriodQuery]) -> Any:
    info = services.service_info(service_id)
    org = _organisation(request, asked)
    if org is not None:
        zone: str | None = str(org.timezone)
        found = _answer(lambda: services.organisation_windows(org, info, asked.start, asked.end))
    else:
        zone = _zone(request, info, asked)
        found = _answer(lambda: queries.maintenance_windows(info.id, asked.start, asked.end, zone))
    shown = queries.display_zone(info, zone)
    return [queries.window_document(w, shown) for w in found]


@router.get(
    "/organisations/{org_id}/services",
    response=OrganisationServicesOut,
    summary="The services an organisation subscribes to",
)
def organisation_services(request: HttpRequest, org_id: int) -> dict[str, Any]:
    found = services.subscribed_services(actor=caller(request), organisation_id=org_id)
    return _organisation_services(request, org_id, found)


def _organisation_services(
    request: HttpRequest, org_id: int, found: list[ServiceInfo]
) -> dict[str, Any]:
    org = get_organisation(caller(request), org_id)
    path = reverse("api:organisation_feed", kwargs={"org_id": org_id})
    url = request.build_absolute_uri(f"{path}?{urlencode({'key': services.feed_key(org)})}")
    return {
        "organisation_id": org_id,
        "services": [service_out(i) for i in found],
        "calendar_url": url,
    }


@router.put(
    "/organisations/{org_id}/services",
    response=OrganisationServicesOut,
    summary="Set the services an organisation subscribes to (Care)",
)
def set_organisation_services(
    request: HttpRequest, org_id: int, payload: OrganisationServicesIn
) -> dict[str, Any]:
    found = services.set_subscribed_services(
        actor=caller(request), organisation_id=org_id, services=payload.services, now=CLOCK.now()
    )
    return _organisation_services(request, org_id, found)


_CALENDAR = "text/calendar; charset=utf-8"


@router.get(
    "/services/{service_id}/maintenance.ics",
    auth=None,
    summary="The service's planned maintenance of the next 12 months (iCalendar; public)",
)
def service_feed(request: HttpRequest, service_id: str, asked: Query[FeedQuery]) -> HttpResponse:
    text = services.service_feed(
        service_id=service_id, zone=asked.tz, language=asked.lang, now=CLOCK.now()
    )
    return HttpResponse(text, content_type=_CALENDAR)


@router.get(
    "/organisations/{org_id}/maintenance.ics",
    auth=None,
    url_name="organisation_feed",
    summary="Planned maintenance of the organisation's services, next 12 months (iCalendar)",
)
def organisation_feed(
    request: HttpRequest, org_id: int, asked: Query[OrganisationFeedQuery]
) -> HttpResponse:
    text = services.organisation_feed(
        organisation_id=org_id, key=asked.key, language=asked.lang, now=CLOCK.now()
    )
    return HttpResponse(text, content_type=_CALENDAR)


# -- reschedule requests ----------------------------------------------------------------------


def _instant(description: str, default: Any = ...) -> Any:
    # Read from RFC 3339 text; a naive time is refused, never guessed.
    return Field(default, strict=False, description=description)


class RescheduleIn(Strict):
    service: str = Field(description="The service id")
    occurrence_start: AwareDatetime = _instant("The planned window's start, with its offset")
    proposed_start: AwareDatetime = _instant("When the window should start instead")
    reason: str = Field(max_length=5000, description="Why the window disrupts the business")


class AcceptIn(Strict):
    new_start: AwareDatetime | None = _instant("The new start; by default the proposed one", None)
    note: str = Field("", max_length=5000)


class DeclineIn(Strict):
    reason: str = Field(max_length=5000)


class RescheduleOut(Schema):
    id: int
    organisation_id: int
    service: str = Field(alias="service_id")
    occurrence_start: datetime
    occurrence_end: datetime
    reason: str
    proposed_start: datetime
    requested_by: str
    requested_at: datetime
    state: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    new_start: datetime | None
    new_end: datetime | None

    @staticmethod
    def resolve_requested_by(obj: Reschedule) -> str:
        return obj.requested_by.email

    @staticmethod
    def resolve_decided_by(obj: Reschedule) -> str | None:
        return obj.decided_by.email if obj.decided_by else None


@router.get(
    "/organisations/{org_id}/reschedules",
    response=list[RescheduleOut],
    summary="The organisation's maintenance reschedule requests, newest first",
)
def list_reschedules(request: HttpRequest, org_id: int) -> list[Reschedule]:
    return services.reschedules_of(actor=caller(request), organisation_id=org_id)


@router.post(
    "/organisations/{org_id}/reschedules",
    response={201: RescheduleOut},
    summary="Ask to move one occurrence of planned maintenance (designated contacts)",
)
def request_reschedule(request: HttpRequest, org_id: int, payload: RescheduleIn) -> Status[Any]:
    found = services.request_reschedule(
        actor=caller(request),
        organisation_id=org_id,
        service_id=payload.service,
        occurrence_start=payload.occurrence_start,
        proposed_start=payload.proposed_start,
        reason=payload.reason,
        now=CLOCK.now(),
    )
    return Status(201, found)


@router.post(
    "/reschedules/{reschedule_id}/accept",
    response=RescheduleOut,
    summary="Accept a reschedule request, at the proposed or another start (Care)",
)
def accept_reschedule(request: HttpRequest, reschedule_id: int, payload: AcceptIn) -> Reschedule:
    return services.decide_reschedule(
        actor=caller(request),
        reschedule_id=reschedule_id,
        accept=True,
        new_start=payload.new_start,
        reason=payload.note,
        now=CLOCK.now(),
    )


@router.post(
    "/reschedules/{reschedule_id}/decline",
    response=RescheduleOut,
    summary="Decline a reschedule request with a reason (Care)",
)
def decline_reschedule(request: HttpRequest, reschedule_id: int, payload: DeclineIn) -> Reschedule:
    return services.decide_reschedule(
        actor=caller(request),
        reschedule_id=reschedule_id,
        accept=False,
        reason=payload.reason,
        now=CLOCK.now(),
    )


# -- unplanned maintenance and emergency suspensions -----------------------------------------


class AnnouncementIn(Strict):
    kind: str = Field(description="unplanned or emergency")
    services: list[str] = Field(description="The affected service ids")
    start: AwareDatetime | None = _instant("Start; an emergency: now by default", None)
    end: AwareDatetime | None = _instant("End; an emergency may have none (until notice)", None)
    summary: str = Field(max_length=5000, description="What is done and why")


class AnnouncementOut(Schema):
    id: int
    kind: str
    services: list[str]
    start: datetime
    end: datetime | None
    summary: str
    announced_by: str
    announced_at: datetime

    @staticmethod
    def resolve_services(obj: MaintenanceWindow) -> list[str]:
        return [s.id for s in obj.services.all()]

    @staticmethod
    def resolve_announced_by(obj: MaintenanceWindow) -> str:
        return obj.announced_by.email


class AnnouncementQuery(Schema):
    service: str | None = Field(None, description="Only this service's")


@router.get(
    "/maintenance",
    response=list[AnnouncementOut],
    summary="Announced unplanned maintenance and emergency suspensions, latest first",
)
def list_announcements(request: HttpRequest, asked: Query[AnnouncementQuery]) -> Any:
    if asked.service is not None:
        services.service_info(asked.service)
    return services.announced_maintenance(service_id=asked.service)


@router.post(
    "/maintenance",
    response={201: AnnouncementOut},
    summary="Announce unplanned maintenance or an emergency suspension (Care)",
)
def announce(request: HttpRequest, payload: AnnouncementIn) -> Status[Any]:
    window = services.announce_maintenance(
        actor=caller(request),
        kind=payload.kind,
        services=payload.services,
        start=payload.start,
        end=payload.end,
        summary=payload.summary,
        now=CLOCK.now(),
    )
    return Status(201, window)


# -- incidents (their own module, mounted here) ----------------------------------------------

router.add_router("/", incidents_router)
