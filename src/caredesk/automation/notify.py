"""Who hears about a case event, and how: e-mails and webhook deliveries written to the
outbox in the transaction that appended the event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.models import User

from caredesk.accounts.models import Role
from caredesk.automation import messages, outbox, store
from caredesk.automation.escalation import Rung
from caredesk.automation.models import Outbox, WebhookSubscription
from caredesk.cases import notices
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.infra.rendering import rfc3339

# Who is told of each event kind by e-mail.
CONTACT, CARE, MANAGERS, TAM = "contact", "care", "managers", "tam"
AUDIENCE: dict[str, tuple[str, ...]] = {
    EventKind.OPENED: (CONTACT,),
    EventKind.STATUS_CHANGED: (CONTACT,),
    EventKind.CALL_LOGGED: (CONTACT,),  # the call's summary, in writing
    EventKind.SEVERITY_CHANGED: (CONTACT,),
    EventKind.SEVERITY_CHANGE_DECLINED: (CONTACT,),
    EventKind.SEVERITY_CHANGE_REQUESTED: (CARE,),
    EventKind.RULES_CHANGED: (CONTACT,),  # the deadlines a customer was told of may move
    EventKind.SLA_WARNING: (CARE, MANAGERS),
    EventKind.SLA_BREACHED: (CARE, MANAGERS, TAM),  # a breach climbs the escalation ladder
    EventKind.STALE_NOTICE: (CONTACT,),
    EventKind.RCA_DUE: (CONTACT, CARE),
    EventKind.POST_MORTEM_DUE: (CONTACT, MANAGERS),
    EventKind.INCIDENT_REPORT_DUE: (CONTACT, MANAGERS),
    EventKind.DEADLINE_REMINDER: (CARE,),
    EventKind.DEADLINE_OVERDUE: (CARE, MANAGERS),
    EventKind.ESCALATION_REQUESTED: (CARE, MANAGERS),
}


def _managers() -> list[User]:
    return list(User.objects.select_related("profile").filter(profile__role=Role.MANAGER))


class _Managers:
    """Care managers, read once per batch of events and only when one of them needs them."""

    def __init__(self) -> None:
        self._people: list[User] | None = None

    def __call__(self) -> list[User]:
        if self._people is None:
            self._people = _managers()
        return self._people


def recipients(
    case: Case, event: CaseEvent, managers: Callable[[], list[User]] = _managers
) -> list[User]:
    kinds = AUDIENCE.get(event.kind, ())
    if event.kind == EventKind.COMMENT:
        if not event.data.get("public"):
            return []
        kinds = (CONTACT,) if event.data.get("by_care") else (CARE,)
    elif event.kind == EventKind.ESCALATION_REQUESTED and event.data.get("step") == Rung.TAM:
        kinds = (TAM,)
    if messages.alerts_care(case, event):
        # A customer's new case, or a Severity 1 case new or raised: Care is alerted at
        # once (the assignee, else the Care managers, who hand it on).
        kinds = (*kinds, CARE)
    people: list[User] = []
    for kind in kinds:
        if kind == CONTACT:
            people.append(case.opened_by)
        elif kind == CARE and case.assignee is not None:
            people.append(case.assignee)
        elif kind in (CARE, MANAGERS):
            people.extend(managers())
        elif kind == TAM and case.organisation.tam is not None:
            people.append(case.organisation.tam)
    unique: dict[int, User] = {}
    for person in people:
        # Nobody is told of their own action, except that whoever opens a case gets its
        # confirmation (its number and due times).
        own = person.pk == event.actor_id
        confirms = event.kind == EventKind.OPENED and person.pk == case.opened_by_id
        if person.email and (not own or confirms):
            unique.setdefault(person.pk, person)
    return list(unique.values())


def _email_row(
    *, key: str, to: User, subject: str, body: str, event: str, now: Any, language: str
) -> Outbox:
    return outbox.row(
        key=key,
        channel=Outbox.Channel.EMAIL,
        event=event,
        now=now,
        payload={"to": to.email, "subject": subject, "body": body, "language": language},
    )


def email(
    *, key: str, to: User, subject: str, body: str, event: str, now: Any, language: str
) -> None:
    outbox.enqueue_rows(
        [
            _email_row(
                key=key,
                to=to,
                subject=subject,
                body=body,
                event=event,
                now=now,
                language=language,
            )
        ]
    )


def _mails(case: Case, event: CaseEvent, managers: Callable[[], list[User]]) -> Iterator[Outbox]:
    for person in recipients(case, event, managers):
        profile = getattr(person, "profile", None)
        language = profile.language if profile else "en"
        zone = profile.timezone if profile else case.timezone
        care = profile is not None and profile.is_care
        rendered = messages.render(case, event, language=language, zone=zone, to_care=care)
        if rendered is not None:
            subject, body = rendered
            yield _email_row(
                key=f"mail:{event.id}:{person.pk}",
                to=person,
                subject=subject,
                body=body,
                event=event.kind,
                now=event.at,
                language=language,
            )


def _hook(case: Case, event: CaseEvent, sub: WebhookSubscription) -> Outbox:
    return outbox.row(
        key=f"webhook:{sub.id}:{event.id}",
        channel=Outbox.Channel.WEBHOOK,
        event=event.kind,
        now=event.at,
        payload={
            "url": sub.url,
            "subscription": sub.id,
            "body": {
                "id": f"evt_{event.id}",
                "type": event.kind,
                "occurred_at": rfc3339(event.at),
                "case": {
                    "id": case.id,
                    "number": case.number,
                    "severity": case.severity,
                    "status": case.status,
                    "critical_contact": notices.critical_contact(case),
                },
                "data": event.data,
            },
        },
    )


def _subscriptions(appended: list[tuple[Case, CaseEvent]]) -> dict[int, list[WebhookSubscription]]:
    """Active subscriptions by organisation, for every organisation of the batch and its
    parent (a reseller hears of its end users' cases), in one query."""
    orgs = set()
    for case, _ in appended:
        orgs.add(case.organisation_id)
        if case.organisation.parent_id:
            orgs.add(case.organisation.parent_id)
    return store.active_subscriptions(orgs)


def on_events(appended: list[tuple[Case, CaseEvent]]) -> None:
    """Fan case events out to e-mail recipients and webhook subscribers: one outbox write for
    the whole batch, managers and subscriptions read once."""
    managers = _Managers()
    rows = [row for case, event in appended for row in _mails(case, event, managers)]
    # Internal notes never leave Care.
    shared = [
        (case, event)
        for case, event in appended
        if not (event.kind == EventKind.COMMENT and not event.data.get("public"))
    ]
    if shared:
        by_org = _subscriptions(shared)
        for case, event in shared:
            orgs = [case.organisation_id, case.organisation.parent_id]
            for org in orgs:
                for sub in by_org.get(org, []) if org else []:
                    if sub.wants(event.kind):
                        rows.append(_hook(case, event, sub))
    outbox.enqueue_rows(rows)
