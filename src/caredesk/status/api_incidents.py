"""Platform incidents and service advisories over HTTP (Care writes; customers read the
incidents on their services, everyone signed in the advisories); mounted by
``status.api``. Handlers stay thin."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from caredesk.accounts.services import caller
from caredesk.infra.clock import CLOCK
from caredesk.infra.schemas import Strict
from caredesk.status import services
from caredesk.status.models import Advisory, Incident, IncidentUpdate

router = Router(tags=["incidents"])


class UpdateOut(Schema):
    stage: str
    text: dict[str, str] = Field(description="The update by language (en, ja)")
    at: datetime

    @staticmethod
    def resolve_text(obj: IncidentUpdate) -> dict[str, str]:
        return {"en": obj.text_en, "ja": obj.text_ja}


class IncidentOut(Schema):
    id: int
    title: dict[str, str] = Field(description="The title by language (en, ja)")
    impact: str = Field(description="degraded or outage")
    services: list[str]
    started_at: datetime
    stage: str
    resolved_at: datetime | None
    post_mortem_held_at: datetime | None
    report_delivered_at: datetime | None
    updates: list[UpdateOut] = Field(description="The timeline, latest first")
    cases: list[str] = Field(description="Numbers of the linked cases the caller may see")

    @staticmethod
    def resolve_title(obj: Incident) -> dict[str, str]:
        return {"en": obj.title_en, "ja": obj.title_ja}

    @staticmethod
    def resolve_services(obj: Incident) -> list[str]:
        return [s.id for s in obj.services.all()]

    @staticmethod
    def resolve_updates(obj: Incident) -> list[IncidentUpdate]:
        return list(obj.updates.all())

    @staticmethod
    def resolve_cases(obj: Incident, context: dict[str, Any]) -> list[str]:
        actor = caller(context["request"])
        return [c.number for c in services.linked_cases(actor=actor, incident=obj)]


class IncidentIn(Strict):
    title_en: str = Field(max_length=200)
    title_ja: str = Field(max_length=200)
    impact: str = Field(description="degraded or outage")
    services: list[str] = Field(description="The affected service ids")
    started_at: AwareDatetime = Field(strict=False, description="When it started, RFC 3339")
    stage: str = Field("investigating", description="investigating, identified or monitoring")
    text_en: str = Field(max_length=5000, description="The first update, in English")
    text_ja: str = Field(max_length=5000, description="The first update, in Japanese")


class UpdateIn(Strict):
    stage: str = Field(description="investigating, identified, monitoring or resolved")
    text_en: str = Field(max_length=5000)
    text_ja: str = Field(max_length=5000)
    restore_linked: bool = Field(
        False, description="With stage resolved: mark every linked case still waiting restored"
    )


class LinkIn(Strict):
    case_id: int


@router.get("/incidents", response=list[IncidentOut], summary="Incidents, latest first")
def list_incidents(request: HttpRequest) -> Any:
    return list(services.visible_incidents(caller(request)))


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="One incident")
def get_incident(request: HttpRequest, incident_id: int) -> Incident:
    return services.get_incident(actor=caller(request), incident_id=incident_id)


@router.post("/incidents", response={201: IncidentOut}, summary="Declare an incident (Care)")
def declare(request: HttpRequest, payload: IncidentIn) -> Status[Any]:
    incident = services.declare_incident(actor=caller(request), now=CLOCK.now(), **payload.dict())
    return Status(201, incident)


@router.post(
    "/incidents/{incident_id}/updates",
    response={201: IncidentOut},
    summary="Add to an incident's timeline; resolved ends it (Care)",
)
def post_update(request: HttpRequest, incident_id: int, payload: UpdateIn) -> Status[Any]:
    actor = caller(request)
    services.post_update(actor=actor, incident_id=incident_id, now=CLOCK.now(), **payload.dict())
    return Status(201, services.get_incident(actor=actor, incident_id=incident_id))


@router.post(
    "/incidents/{incident_id}/cases",
    response={201: IncidentOut},
    summary="Link a case: its restoration counts from the incident's start (Care)",
)
def link_case(request: HttpRequest, incident_id: int, payload: LinkIn) -> Status[Any]:
    actor = caller(request)
    services.link_case(
        actor=actor, incident_id=incident_id, case_id=payload.case_id, now=CLOCK.now()
    )
    return Status(201, services.get_incident(actor=actor, incident_id=incident_id))


@router.post(
    "/incidents/{incident_id}/post-mortem",
    response=IncidentOut,
    summary="The post-mortem was held, for every linked case due one (Care)",
)
def post_mortem(request: HttpRequest, incident_id: int) -> Incident:
    actor = caller(request)
    services.record_post_mortem(actor=actor, incident_id=incident_id, now=CLOCK.now())
    return services.get_incident(actor=actor, incident_id=incident_id)


@router.post(
    "/incidents/{incident_id}/incident-report",
    response=IncidentOut,
    summary="The Incident Report was delivered, to every linked case awaiting it (Care)",
)
def incident_report(request: HttpRequest, incident_id: int) -> Incident:
    actor = caller(request)
    services.deliver_incident_report(actor=actor, incident_id=incident_id, now=CLOCK.now())
    return services.get_incident(actor=actor, incident_id=incident_id)


# -- service advisories ----------------------------------------------------------------------


class AdvisoryOut(Schema):
    id: int
    service: str = Field(alias="service_id")
    title: dict[str, str] = Field(description="The title by language (en, ja)")
    text: dict[str, str] = Field(description="The known issue and workaround by language")
    published_at: datetime
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_title(obj: Advisory) -> dict[str, str]:
        return {"en": obj.title_en, "ja": obj.title_ja}

    @staticmethod
    def resolve_text(obj: Advisory) -> dict[str, str]:
        return {"en": obj.text_en, "ja": obj.text_ja}


class AdvisoryIn(Strict):
    service: str = Field(description="The service id")
    title_en: str = Field(max_length=200)
    title_ja: str = Field(max_length=200)
    text_en: str = Field(max_length=5000, description="The known issue and its workaround")
    text_ja: str = Field(max_length=5000)


class AdvisoryQuery(Schema):
    service: str | None = Field(None, description="Only this service's")


@router.get("/advisories", response=list[AdvisoryOut], summary="Active advisories, newest first")
def list_advisories(request: HttpRequest, asked: Query[AdvisoryQuery]) -> Any:
    if asked.service is not None:
        services.service_info(asked.service)
    ids = None if asked.service is None else [asked.service]
    return services.active_advisories(service_ids=ids)


@router.post("/advisories", response={201: AdvisoryOut}, summary="Publish an advisory (Care)")
def publish_advisory(request: HttpRequest, payload: AdvisoryIn) -> Status[Any]:
    advisory = services.publish_advisory(actor=caller(request), now=CLOCK.now(), **payload.dict())
    return Status(201, advisory)


@router.post(
    "/advisories/{advisory_id}/withdraw",
    response=AdvisoryOut,
    summary="Withdraw an advisory: the issue is fixed (Care)",
)
def withdraw_advisory(request: HttpRequest, advisory_id: int) -> Advisory:
    return services.withdraw_advisory(
        actor=caller(request), advisory_id=advisory_id, now=CLOCK.now()
    )
