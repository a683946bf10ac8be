"""Who hears about a case event, and how: e-mails and webhook deliveries written to the
outbox in the transaction that appended the event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from caredesk.accounts.models import Role
from caredesk.automation import messages, outbox
from caredesk.automation.models import Outbox, WebhookSubscription
from caredesk.cases.models import Case, CaseEvent

# Who is told of each event kind by e-mail.
CONTACT, CARE, MANAGERS, TAM = "contact", "care", "managers", "tam"
AUDIENCE: dict[str, tuple[str, ...]] = {
    "opened": (CONTACT,),
    "status-changed": (CONTACT,),
    "severity-changed": (CONTACT,),
    "severity-change-declined": (CONTACT,),
    "severity-change-requested": (CARE,),
    "sla-warning": (CARE, MANAGERS),
    "sla-breached": (CARE, MANAGERS, TAM),  # a breach climbs the escalation ladder
    "stale-notice": (CONTACT,),
    "rca-due": (CONTACT, CARE),
    "post-mortem-due": (CONTACT, MANAGERS),
    "incident-report-due": (CONTACT, MANAGERS),
    "deadline-reminder": (CARE,),
    "deadline-overdue": (CARE, MANAGERS),
    "escalation-requested": (CARE, MANAGERS),
}


def _managers() -> list[User]:
    return list(User.objects.select_related("profile").filter(profile__role=Role.MANAGER))


def recipients(case: Case, event: CaseEvent) -> list[User]:
    kinds = AUDIENCE.get(event.kind, ())
    if event.kind == "comment":
        if not event.data.get("public"):
            return []
        kinds = (CONTACT,) if event.data.get("by_care") else (CARE,)
    elif event.kind == "escalation-requested" and event.data.get("step") == "tam":
        kinds = (TAM,)
    people: list[User] = []
    managers: list[User] | None = None
    for kind in kinds:
        if kind == CONTACT:
            people.append(case.opened_by)
        elif kind == CARE and case.assignee is not None:
            people.append(case.assignee)
        elif kind in (CARE, MANAGERS):
            managers = managers if managers is not None else _managers()
            people.extend(managers)
        elif kind == TAM and case.organisation.tam is not None:
            people.append(case.organisation.tam)
    unique: dict[int, User] = {}
    for person in people:
        if person.pk != (event.actor_id or -1) and person.email:
            unique.setdefault(person.pk, person)
    return list(unique.values())


def email(
    *, key: str, to: User, subject: str, body: str, event: str, now: Any, language: str
) -> None:
    outbox.enqueue(
        key=key,
        channel=Outbox.Channel.EMAIL,
        event=event,
        now=now,
        payload={
            "to": to.email,
            "subject": subject,
            "body": body,
            "language": language,
        },
    )


def on_event(case: Case, event: CaseEvent) -> None:
    """Fan one case event out to e-mail recipients and webhook subscribers."""
    now = event.at
    for person in recipients(case, event):
        profile = getattr(person, "profile", None)
        language = profile.language if profile else "en"
        zone = profile.timezone if profile else case.timezone
        rendered = messages.render(case, event, language=language, zone=zone)
        if rendered is not None:
            subject, body = rendered
            email(
                key=f"mail:{event.id}:{person.pk}",
                to=person,
                subject=subject,
                body=body,
                event=event.kind,
                now=now,
                language=language,
            )
    if event.kind == "comment" and not event.data.get("public"):
        return  # internal notes never leave Care
    orgs = [case.organisation_id]
    if case.organisation.parent_id:
        orgs.append(case.organisation.parent_id)
    for sub in WebhookSubscription.objects.filter(organisation_id__in=orgs, active=True):
        if sub.wants(event.kind):
            outbox.enqueue(
                key=f"webhook:{sub.id}:{event.id}",
                channel=Outbox.Channel.WEBHOOK,
                event=event.kind,
                now=now,
                payload={
                    "url": sub.url,
                    "subscription": sub.id,
                    "body": {
                        "id": f"evt_{event.id}",
                        "type": event.kind,
                        "occurred_at": event.at.isoformat(),
                        "case": {
                            "id": case.id,
                            "number": case.number,
                            "severity": case.severity,
                            "status": case.status,
                        },
                        "data": event.data,
                    },
                },
            )
