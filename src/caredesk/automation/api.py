"""Escalations, webhook subscriptions and the outbox over HTTP."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from caredesk.accounts.services import caller, require_care
from caredesk.automation import services
from caredesk.automation.models import Outbox, WebhookSubscription
from caredesk.infra.clock import CLOCK
from caredesk.infra.schemas import Strict

router = Router(tags=["automation"])


class EscalationIn(Strict):
    description: str = Field(max_length=20_000)
    business_impact: str = Field(max_length=20_000)


class EscalationOut(Schema):
    step: str


class WebhookIn(Strict):
    url: str = Field(max_length=500)
    event_types: list[str] = []


class WebhookOut(Schema):
    id: int
    organisation_id: int
    url: str
    event_types: list[str]
    active: bool
    created_at: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Shown once: verify X-CareDesk-Signature with it")


class OutboxOut(Schema):
    id: int
    key: str
    channel: str
    event: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_error: str
    delivered_at: datetime | None


@router.post(
    "/cases/{case_id}/escalations",
    response={201: EscalationOut},
    summary="Escalate: a request in the case, then the TAM, then management attention",
)
def escalate(request: HttpRequest, case_id: int, payload: EscalationIn) -> Status[Any]:
    step = services.escalate(
        actor=caller(request), case_id=case_id, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, {"step": step})


@router.post(
    "/cases/{case_id}/escalations/acknowledge",
    response={204: None},
    summary="A Care manager takes the escalation on",
)
def acknowledge(request: HttpRequest, case_id: int) -> Status[Any]:
    services.acknowledge_escalation(actor=caller(request), case_id=case_id, now=CLOCK.now())
    return Status(204, None)


@router.get("/organisations/{org_id}/webhooks", response=list[WebhookOut])
def list_webhooks(request: HttpRequest, org_id: int) -> list[WebhookSubscription]:
    return services.webhooks(actor=caller(request), organisation_id=org_id)


@router.post(
    "/organisations/{org_id}/webhooks",
    response={201: WebhookCreated},
    summary="Subscribe a URL to an organisation's case events (signed deliveries)",
)
def create_webhook(request: HttpRequest, org_id: int, payload: WebhookIn) -> Status[Any]:
    sub, secret = services.subscribe(
        actor=caller(request), organisation_id=org_id, now=CLOCK.now(), **payload.dict()
    )
    return Status(201, {**WebhookOut.from_orm(sub).dict(), "secret": secret})


@router.delete("/organisations/{org_id}/webhooks/{hook_id}", response={204: None})
def delete_webhook(request: HttpRequest, org_id: int, hook_id: int) -> Status[Any]:
    services.unsubscribe(
        actor=caller(request), organisation_id=org_id, subscription_id=hook_id, now=CLOCK.now()
    )
    return Status(204, None)


@router.get("/outbox", response=list[OutboxOut], summary="Deliveries (Care managers)")
def list_outbox(request: HttpRequest, state: str = "dead", limit: int = 100) -> list[Outbox]:
    require_care(caller(request), manager=True)
    return services.deliveries(state=state, limit=min(limit, 1000))[0]


@router.post("/outbox/{row_id}/retry", response=OutboxOut, summary="Deliver a row again")
def retry(request: HttpRequest, row_id: int) -> Outbox:
    return services.retry_delivery(actor=caller(request), row_id=row_id, now=CLOCK.now())
