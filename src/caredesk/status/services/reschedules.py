"""Requests to reschedule one occurrence of planned maintenance (seed 004 section 3: the
reseller, on the end user's behalf, may ask Genesys to reschedule planned maintenance to
avoid business disruption), and Care's decision. Each is told to the other side through
the outbox (``signals``: the automation app writes the e-mails in the same transaction).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.core.calendar import require_aware
from caredesk.core.maintenance import Window, windows_between
from caredesk.infra.errors import Conflict, DomainError, NotFound
from caredesk.status import signals
from caredesk.status.catalogue import ServiceInfo
from caredesk.status.models import Reschedule, RescheduleState
from caredesk.status.services.subscriptions import service_info, services_of

_ONE_US = timedelta(microseconds=1)


def _invalid(field: str, message: str) -> DomainError:
    return DomainError(message, errors=[{"field": field, "message": message}], status=422)


def _future(value: datetime, field: str, now: datetime) -> datetime:
    try:
        require_aware(value, field)
    except ValueError as exc:
        raise _invalid(field, str(exc)) from None
    if value <= now:
        raise _invalid(field, f"{field} {value.isoformat()} has passed; expected a later time")
    return value.astimezone(UTC)


def request_reschedule(
    *,
    actor: User,
    organisation_id: int,
    service_id: str,
    occurrence_start: datetime,
    proposed_start: datetime,
    reason: str,
    now: datetime,
) -> Reschedule:
    """A designated contact (of the organisation or its reseller) asks to move the
    occurrence of the organisation's planned maintenance that starts at
    ``occurrence_start`` to ``proposed_start``."""
    profile = accounts.profile_of(actor)
    org = accounts.get_organisation(actor, organisation_id)
    accounts.require_designated(profile, to="request a maintenance reschedule")
    info = service_info(service_id)
    if info.id not in {s.id for s in services_of(org)}:
        raise _invalid("service", f"{org.name} does not subscribe to service {info.id!r}")
    if not reason.strip():
        raise _invalid("reason", "the reason is empty; say why the window disrupts the business")
    occurrence_start = _future(occurrence_start, "occurrence_start", now)
    proposed_start = _future(proposed_start, "proposed_start", now)
    window = _occurrence(org, info, occurrence_start)
    if proposed_start == window.start:
        raise _invalid("proposed_start", "the proposed start is the planned one; propose another")
    reschedule = Reschedule(
        organisation=org,
        service_id=info.id,
        occurrence_start=window.start,
        occurrence_end=window.end,
        reason=reason.strip(),
        proposed_start=proposed_start,
        requested_by=actor,
        requested_at=now,
    )
    try:
        with transaction.atomic():
            reschedule.save()
            signals.reschedule_requested.send(sender=Reschedule, reschedule=reschedule, now=now)
    except IntegrityError:
        raise Conflict(
            f"the occurrence starting {window.start.isoformat()} already has a reschedule "
            "request or an accepted reschedule"
        ) from None
    return reschedule


def _occurrence(org: Organisation, info: ServiceInfo, start: datetime) -> Window:
    """The planned occurrence of the service starting at ``start``, in ``org``'s zone."""
    rule = info.rule
    if rule is None:
        raise _invalid("service", f"service {info.id!r} has no planned maintenance windows")
    zone = str(org.timezone)
    found = [w for w in windows_between(rule, start, start + _ONE_US, zone) if w.start == start]
    if not found:
        week = windows_between(rule, start, start + timedelta(days=8), zone)
        upcoming = [w for w in week if w.start > start]
        hint = f"; the next starts {upcoming[0].start.isoformat()}" if upcoming else ""
        raise _invalid(
            "occurrence_start",
            f"no planned window of {info.id} starts at {start.isoformat()}{hint}",
        )
    return found[0]


def decide_reschedule(
    *,
    actor: User,
    reschedule_id: int,
    accept: bool,
    new_start: datetime | None = None,
    reason: str = "",
    now: datetime,
) -> Reschedule:
    """Care accepts a requested reschedule, at ``new_start`` (by default the proposed
    start; the occurrence keeps its length), or declines it with a reason."""
    accounts.require_care(actor)
    with transaction.atomic():
        reschedule = Reschedule.objects.select_for_update().filter(id=reschedule_id).first()
        if reschedule is None:
            raise NotFound(f"reschedule {reschedule_id} not found")
        if reschedule.state != RescheduleState.REQUESTED:
            raise Conflict(f"reschedule {reschedule_id} was already {reschedule.state}")
        if accept:
            _accept(reschedule, new_start, now)
        elif not reason.strip():
            raise _invalid("reason", "a declined reschedule needs a reason for the requester")
        reschedule.state = RescheduleState.ACCEPTED if accept else RescheduleState.DECLINED
        reschedule.decision_reason = reason.strip()
        reschedule.decided_by = actor
        reschedule.decided_at = now
        reschedule.save()
        signals.reschedule_decided.send(sender=Reschedule, reschedule=reschedule, now=now)
    return reschedule


def _accept(reschedule: Reschedule, new_start: datetime | None, now: datetime) -> None:
    if reschedule.occurrence_start <= now:
        raise Conflict(
            f"the occurrence started {reschedule.occurrence_start.isoformat()}; "
            "it can no longer be moved"
        )
    start = _future(new_start or reschedule.proposed_start, "new_start", now)
    reschedule.new_start = start
    reschedule.new_end = start + (reschedule.occurrence_end - reschedule.occurrence_start)


def reschedules_of(*, actor: User, organisation_id: int) -> list[Reschedule]:
    """The organisation's reschedule requests, newest first (anyone who sees it)."""
    org = accounts.get_organisation(actor, organisation_id)
    return list(Reschedule.objects.filter(organisation=org))
