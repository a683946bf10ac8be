"""Re-applying rules: a new calendar, plan or policy version for an organisation's open
cases (SPEC 3: previewed first, then applied with a reason)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.accounts.models import Organisation
from caredesk.accounts.services import require_care
from caredesk.cases import sla
from caredesk.cases.models import Case, EventKind
from caredesk.cases.services.history import append_event, store_clocks
from caredesk.cases.services.reading import OPEN_STATUSES
from caredesk.core import policy as policies
from caredesk.core.clocks import MetricClock
from caredesk.core.hours import hours_text, parse_hours
from caredesk.core.policy import Metric
from caredesk.infra.errors import DomainError, NotFound, named


@dataclass(frozen=True)
class Move:
    """A deadline of an open case that the rules change moves (or moved)."""

    case_id: int
    number: str
    metric: str
    due_before: datetime | None
    due_after: datetime | None
    state_before: str
    state_after: str


@dataclass(frozen=True)
class RulesChange:
    """An organisation's rules before and after, the open cases they apply to and the
    deadlines that move; a preview until ``applied``."""

    organisation: Organisation
    before: dict[str, Any]
    after: dict[str, Any]
    cases: list[str]
    moves: list[Move]
    applied: bool


# The rules an organisation holds (its cases also hold the policy version in force).
ORG_RULES = tuple(name for name in sla.RULE_FIELDS if name != "policy_version")


def _new_rules(
    org: Organisation, changes: dict[str, str | None], now: datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organisation's rules now and after ``changes`` (``None``: unchanged), checked;
    cases get the policy version in force today."""
    unknown = sorted(set(changes) - set(ORG_RULES))
    if unknown:
        raise DomainError(
            _("unknown rule %(rule)s; expected one of %(rules)s")
            % {"rule": named(unknown[0]), "rules": ", ".join(ORG_RULES)}
        )
    before = {name: getattr(org, name) for name in ORG_RULES}
    after = dict(before)
    after.update({k: v.strip() for k, v in changes.items() if v is not None and k != "hours"})
    after["country"] = after["country"].upper()
    try:
        if changes.get("hours") is not None:
            after["hours"] = own_hours(changes["hours"])
        policy = policies.load(after["policy"], on=now.date())
        policy.plan(after["plan"])
        sla.case_calendar(
            policy.id,
            policy.version,
            after["timezone"],
            after["country"],
            after["subdivision"],
            sla.hours_key(after["hours"]),
        )
    except ValueError as exc:
        # The core's reason (an unknown zone, plan or policy) stays in its words.
        raise DomainError(_("the new rules cannot apply: %(reason)s") % {"reason": exc}) from None
    after["policy_version"] = policy.version
    before["policy_version"] = policies.load(before["policy"], on=now.date()).version
    return before, after


def own_hours(text: str | None) -> dict[str, list[str]]:
    """An organisation's working hours as typed (``"Mon-Fri 09:00-12:00, 13:00-18:00"``),
    as stored; a blank line: the policy's business hours (an empty map)."""
    return parse_hours(text) if text and text.strip() else {}


def own_hours_text(hours: dict[str, Any]) -> str:
    """Stored working hours as typed; blank for the policy's business hours."""
    return hours_text(hours) if hours else ""


def hours_shown(rules: dict[str, Any]) -> str:
    """The working hours of ``rules`` in one line, as typed; the policy's where it has none
    of its own."""
    if rules.get("hours"):
        return hours_text(rules["hours"])
    policy = policies.load(rules["policy"], version=rules.get("policy_version"))
    return hours_text(policy.business_hours)


def _affected(org: Organisation, to: dict[str, Any], *, lock: bool) -> list[Case]:
    """The organisation's open cases counting under other rules than ``to``."""
    cases = Case.objects.filter(organisation=org, status__in=OPEN_STATUSES).order_by("id")
    if lock:
        cases = cases.select_for_update()
    return [c for c in cases if sla.rules_data(c) != to]


def _moves(
    case: Case, before: dict[Metric, MetricClock], after: dict[Metric, MetricClock]
) -> list[Move]:
    found = []
    for metric, old in before.items():
        new = after[metric]
        if (old.due, old.state) != (new.due, new.state):
            found.append(
                Move(
                    case.id,
                    case.number,
                    metric.value,
                    old.due,
                    new.due,
                    old.state.value,
                    new.state.value,
                )
            )
    return found


def preview_rules(
    *, actor: User, organisation_id: int, changes: dict[str, str | None], now: datetime
) -> RulesChange:
    """What re-applying the organisation's rules (with ``changes``) to its open cases would
    move, written nowhere (SPEC 3: the operator sees the moves first)."""
    return _rules_change(
        actor=actor, organisation_id=organisation_id, changes=changes, now=now, apply=False
    )


@transaction.atomic
def apply_rules(
    *,
    actor: User,
    organisation_id: int,
    changes: dict[str, str | None],
    reason: str,
    now: datetime,
) -> RulesChange:
    """Change the organisation's rules and re-apply them to its open cases: on a running
    clock the time used stays used and the rest counts under the new rules; completed
    clocks never change. Each case records the change in its history."""
    if not reason.strip():
        raise DomainError(_("re-applying rules needs a reason; it goes into each case's history"))
    return _rules_change(
        actor=actor,
        organisation_id=organisation_id,
        changes=changes,
        now=now,
        apply=True,
        reason=reason.strip(),
    )


def _rules_change(
    *,
    actor: User,
    organisation_id: int,
    changes: dict[str, str | None],
    now: datetime,
    apply: bool,
    reason: str = "",
) -> RulesChange:
    require_care(actor, manager=apply)
    query = Organisation.objects.select_for_update() if apply else Organisation.objects
    org = query.filter(id=organisation_id).first()
    if org is None:
        raise NotFound(_("organisation %(id)s not found") % {"id": organisation_id})
    before, after = _new_rules(org, changes, now)
    to = {k: after[k] for k in sla.RULE_FIELDS}
    affected = _affected(org, to, lock=apply)
    events = sla.histories([c.id for c in affected], sla.CLOCK_KINDS)
    moves: list[Move] = []
    for case in affected:
        history = events[case.id]
        old = sla.replay(case, history, now, explain=False)
        change = sla.LightEvent(
            case.event_count + 1,
            now,
            EventKind.RULES_CHANGED,
            {"from": sla.rules_data(case), "to": to},
        )
        new = sla.replay(case, [*history, change], now, explain=False)
        moves.extend(_moves(case, old, new))
        if apply:
            _reapply(case, change.data, new, actor=actor, now=now, reason=reason)
    if apply:
        Organisation.objects.filter(id=org.id).update(**{k: after[k] for k in ORG_RULES})
        for name in ORG_RULES:
            setattr(org, name, after[name])
    return RulesChange(org, before, after, [c.number for c in affected], moves, apply)


def _reapply(
    case: Case,
    data: dict[str, Any],
    clocks: dict[Metric, MetricClock],
    *,
    actor: User,
    now: datetime,
    reason: str,
) -> None:
    """Record the rules change and store ``clocks``, its history replayed with the change."""
    for name, value in data["to"].items():
        setattr(case, name, value)
    Case.objects.filter(id=case.id).update(**data["to"])
    append_event(case, kind=EventKind.RULES_CHANGED, at=now, actor=actor, data=data, reason=reason)
    store_clocks(case, clocks, now)
