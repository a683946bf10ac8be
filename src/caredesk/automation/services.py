"""Automation use-cases: climbing the escalation ladder, webhook subscriptions."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.services import (
    get_organisation,
    profile_of,
    require_care,
    require_designated,
    vendor_calendar,
)
from caredesk.automation import messages, notify, outbox
from caredesk.automation.escalation import Rung, ladder_of
from caredesk.automation.models import Outbox, Timer, TimerKind, WebhookSubscription
from caredesk.cases import services as cases
from caredesk.cases import sla
from caredesk.cases.models import Case, EventKind
from caredesk.core.policy import Escalation
from caredesk.infra.errors import Conflict, DomainError, NotFound, named


@transaction.atomic
def escalate(
    *, actor: User, case_id: int, description: str, business_impact: str, now: datetime
) -> str:
    """The next rung of the ladder the case's policy lays out (``escalation.ladder_of``):
    with the shipped table, a request in the case, then the TAM, then the
    management-attention mailbox. Returns the rung taken."""
    case = cases.get_case(actor, case_id, for_update=True)
    policy = sla.policy_for(case)
    ladder = ladder_of(policy)
    errors = [
        {**e, "message": _(e["message"])}  # in the reader's language (the page's, the API's)
        for e in ladder.missing({"description": description, "business_impact": business_impact})
    ]
    if errors:
        raise DomainError("; ".join(e["message"] for e in errors), errors=errors)
    if case.status == "closed":
        raise Conflict(_("case %(number)s is closed") % {"number": case.number})
    taken = [e.data.get("step") for e in case.events.filter(kind=EventKind.ESCALATION_REQUESTED)]
    step = ladder.climb(taken=taken, has_tam=case.organisation.tam is not None)
    if step is None:
        raise Conflict(
            _("case %(number)s has climbed every rung of the escalation ladder")
            % {"number": case.number}
        )
    data = {
        "step": step.value,
        "description": description.strip(),
        "business_impact": business_impact.strip(),
        "by": profile_of(actor).role,
    }
    if step == Rung.MANAGEMENT_ATTENTION:
        assert policy.escalation is not None  # only an escalation table names this rung
        _to_the_mailbox(case, policy.escalation, data, now)
    else:
        cases.note(case=case, kind=EventKind.ESCALATION_REQUESTED, data=data, now=now)
    return step.value


def _to_the_mailbox(case: Case, template: Escalation, data: dict[str, Any], now: datetime) -> None:
    """The management-attention rung: the event, the policy's e-mail to its mailbox, and a
    timer for the mailbox's handling deadline."""
    subject, body = messages.mailbox_message(
        template=template,
        case=case,
        problem=case.subject,
        description=data["description"],
        business_impact=data["business_impact"],
    )
    # The mailbox is watched only in the vendor's business hours, weekends, public holidays
    # and the vendor holidays Care declared excluded: its handling deadline counts on that
    # calendar (a day before the escalation's cannot hold any of its time).
    watched = vendor_calendar(template.mailbox_hours, since=now.date() - timedelta(days=1))
    due = template.mailbox_handling.due(now, watched)
    data.update({"mailbox": template.mailbox, "due": due.isoformat()})
    event = cases.note(case=case, kind=EventKind.ESCALATION_REQUESTED, data=data, now=now)
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
        payload={"deadline": Rung.MANAGEMENT_ATTENTION.value, "due": due.isoformat()},
    )


@transaction.atomic
def acknowledge_escalation(*, actor: User, case_id: int, now: datetime) -> None:
    require_care(actor, manager=True)
    case = cases.get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind=EventKind.ESCALATION_REQUESTED).exists():
        raise Conflict(
            _("case %(number)s has no escalation to acknowledge") % {"number": case.number}
        )
    cases.note(case=case, kind=EventKind.ESCALATION_ACKNOWLEDGED, data={}, now=now)


WEBHOOKS = gettext_noop("manage the organisation's webhooks")  # who may: accounts.may_update_cases


def webhooks(*, actor: User, organisation_id: int) -> list[WebhookSubscription]:
    """An organisation's webhook subscriptions (Care, or its designated contacts)."""
    org = get_organisation(actor, organisation_id)
    require_designated(profile_of(actor), to=WEBHOOKS)
    return list(org.webhooks.order_by("id"))


@transaction.atomic
def unsubscribe(*, actor: User, organisation_id: int, subscription_id: int, now: datetime) -> None:
    """Remove one of an organisation's webhook subscriptions; its deliveries still queued
    are cancelled (kept, marked, never sent or retried)."""
    org = get_organisation(actor, organisation_id)
    require_designated(profile_of(actor), to=WEBHOOKS)
    deleted, _by_model = org.webhooks.filter(id=subscription_id).delete()
    if not deleted:
        raise NotFound(_("webhook %(id)s not found") % {"id": subscription_id})
    Outbox.objects.filter(
        channel=Outbox.Channel.WEBHOOK,
        state=Outbox.State.PENDING,
        payload__subscription=subscription_id,
    ).update(state=Outbox.State.CANCELLED)


@transaction.atomic
def subscribe(
    *, actor: User, organisation_id: int, url: str, event_types: list[str], now: datetime
) -> tuple[WebhookSubscription, str]:
    """A webhook for an organisation; the signing secret is returned once."""
    org = get_organisation(actor, organisation_id)
    require_designated(profile_of(actor), to=WEBHOOKS)
    if not url.startswith(("https://", "http://")):
        raise DomainError(
            _("webhook URL %(url)s must start with https:// (or http://)") % {"url": named(url)}
        )
    known = {str(kind) for kind in notify.AUDIENCE} | {
        EventKind.COMMENT.value,
        EventKind.LINKED.value,
        EventKind.ASSIGNED.value,
        EventKind.ESCALATION_ACKNOWLEDGED.value,
        EventKind.POST_MORTEM_HELD.value,
        EventKind.INCIDENT_REPORT_REQUESTED.value,
        EventKind.INCIDENT_REPORT_DELIVERED.value,
    }
    unknown = sorted(set(event_types) - known)
    if unknown:
        raise DomainError(
            _("unknown event type %(kind)s; known: %(known)s")
            % {"kind": named(unknown[0]), "known": ", ".join(sorted(known))}
        )
    secret = "whsec_" + secrets.token_urlsafe(24)
    sub = WebhookSubscription.objects.create(
        organisation=org,
        url=url,
        secret=secret,
        event_types=sorted(set(event_types)),
        created_at=now,
    )
    return sub, secret


def deliveries(*, state: str, limit: int) -> tuple[list[Outbox], int]:
    """The newest ``limit`` outbox rows in ``state`` and how many are in it."""
    if state not in Outbox.State.values:
        names = ", ".join(Outbox.State.values)
        raise DomainError(
            _("unknown outbox state %(state)s; expected one of: %(names)s")
            % {"state": named(state), "names": names}
        )
    rows = Outbox.objects.filter(state=state)
    return list(rows.order_by("-id")[:limit]), rows.count()


def retry_delivery(*, actor: User, row_id: int, now: datetime) -> Outbox:
    """A Care manager sends an outbox row again (a dead one, or one still retrying) from
    now; a delivered or cancelled row, or none, is "not found"."""
    require_care(actor, manager=True)
    if not outbox.redrive([row_id], now=now):
        raise NotFound(_("outbox row %(id)s not found or already delivered") % {"id": row_id})
    return Outbox.objects.get(id=row_id)
