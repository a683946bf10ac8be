"""Automation use-cases: the escalation ladder, webhook subscriptions, re-driving the outbox."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts.models import Organisation, OrgKind
from caredesk.accounts.services import get_organisation, profile_of, require_care
from caredesk.automation import messages, notify, outbox
from caredesk.automation.models import Outbox, Timer, TimerKind, WebhookSubscription
from caredesk.cases import services as cases
from caredesk.cases import sla
from caredesk.core.calendar import BusinessCalendar
from caredesk.infra.errors import Conflict, DomainError

LADDER = ("case", "tam", "management-attention")


def vendor_calendar(hours: object) -> BusinessCalendar:
    """The vendor's business hours (its zone and public holidays), for its own mailboxes."""
    vendor = Organisation.objects.filter(kind=OrgKind.VENDOR).first()
    zone, country = (vendor.timezone, vendor.country) if vendor else ("UTC", None)
    return BusinessCalendar(zone, hours, country=country)  # type: ignore[arg-type]


@transaction.atomic
def escalate(
    *, actor: User, case_id: int, description: str, business_impact: str, now: datetime
) -> str:
    """The next rung of the ladder: a request in the case, then the TAM, then the
    management-attention mailbox. Returns the rung taken."""
    case = cases.get_case(actor, case_id, for_update=True)
    errors = [
        {"field": name, "message": f"{label} is required to escalate"}
        for name, label, value in (
            ("description", "a description of the issue", description),
            ("business_impact", "the business impact", business_impact),
        )
        if not value.strip()
    ]
    if errors:
        raise DomainError("; ".join(e["message"] for e in errors), errors=errors)
    if case.status == "closed":
        raise Conflict(f"case {case.number} is closed")
    taken = [e.data.get("step") for e in case.events.filter(kind="escalation-requested")]
    policy = sla.policy_for(case)
    ladder = [step for step in LADDER if step != "tam" or case.organisation.tam is not None]
    if policy.escalation is None:
        ladder = [step for step in ladder if step != "management-attention"]
    remaining = [step for step in ladder if step not in taken]
    if not remaining:
        raise Conflict(f"case {case.number} has climbed every rung of the escalation ladder")
    step = remaining[0]
    data = {
        "step": step,
        "description": description.strip(),
        "business_impact": business_impact.strip(),
        "by": profile_of(actor).role,
    }
    if step == "management-attention":
        template = policy.escalation
        assert template is not None
        subject, body = messages.mailbox_message(
            template=template,
            case=case,
            problem=case.subject,
            description=description.strip(),
            business_impact=business_impact.strip(),
        )
        # The mailbox is watched only in the vendor's business hours, weekends and public
        # holidays excluded: its handling deadline counts on that calendar.
        due = template.mailbox_handling.due(now, vendor_calendar(template.mailbox_hours))
        data.update({"mailbox": template.mailbox, "due": due.isoformat()})
        event = cases.note(case=case, kind="escalation-requested", data=data, now=now)
        outbox.enqueue(
            key=f"mailbox:{event.id}",
            channel=Outbox.Channel.EMAIL,
            event="escalation-mailbox",
            now=now,
            payload={"to": template.mailbox, "subject": subject, "body": body, "language": "en"},
        )
        Timer.objects.create(
            key=f"{TimerKind.DEADLINE_OVERDUE}:{event.id}",
            kind=TimerKind.DEADLINE_OVERDUE,
            case=case,
            due_at=due,
            created_at=now,
            payload={"deadline": "management-attention", "due": due.isoformat()},
        )
    else:
        cases.note(case=case, kind="escalation-requested", data=data, now=now)
    return step


@transaction.atomic
def acknowledge_escalation(*, actor: User, case_id: int, now: datetime) -> None:
    require_care(actor, manager=True)
    case = cases.get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind="escalation-requested").exists():
        raise Conflict(f"case {case.number} has no escalation to acknowledge")
    cases.note(case=case, kind="escalation-acknowledged", data={}, now=now)


@transaction.atomic
def subscribe(
    *, actor: User, organisation_id: int, url: str, event_types: list[str], now: datetime
) -> tuple[WebhookSubscription, str]:
    """A webhook for an organisation; the signing secret is returned once."""
    org = get_organisation(actor, organisation_id)
    profile = profile_of(actor)
    if not profile.is_care and not profile.is_designated:
        raise DomainError("only Care or a designated contact manages webhooks", status=403)
    if not url.startswith(("https://", "http://")):
        raise DomainError(f"webhook URL {url!r} must start with https:// (or http://)")
    known = set(notify.AUDIENCE) | {
        "comment",
        "linked",
        "assigned",
        "escalation-acknowledged",
        "post-mortem-held",
        "incident-report-requested",
        "incident-report-delivered",
    }
    unknown = sorted(set(event_types) - known)
    if unknown:
        raise DomainError(f"unknown event type {unknown[0]!r}; known: {', '.join(sorted(known))}")
    secret = "whsec_" + secrets.token_urlsafe(24)
    sub = WebhookSubscription.objects.create(
        organisation=org,
        url=url,
        secret=secret,
        event_types=sorted(set(event_types)),
        created_at=now,
    )
    return sub, secret
