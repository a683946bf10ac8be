"""Case use-cases: open, comment, change status or severity, phone raise, link.

Keyword-only functions and the only code that changes cases. Each runs in one
transaction: the change, its history event(s) and the replayed SLA clocks together.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from caredesk.accounts.models import Organisation, OrgKind, Profile, Role
from caredesk.accounts.services import profile_of, require_care, visible_org_ids
from caredesk.cases import intake, signals, sla
from caredesk.cases.models import Case, CaseEvent, CaseLink, SeverityRequest, SlaClock
from caredesk.core import policy as policies
from caredesk.core.clocks import MetricClock
from caredesk.core.lifecycle import CaseStatus, IllegalTransition, check_transition, parse_status
from caredesk.core.policy import Metric
from caredesk.infra.errors import Conflict, DomainError, NotFound, PermissionDenied
from caredesk.infra.rows import Columns, Insert, fetch, placeholders

OPEN_STATUSES = [s.value for s in CaseStatus if s is not CaseStatus.CLOSED]


# -- reading ------------------------------------------------------------------------------


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the caller may see; everything else is "not found"."""
    ids = visible_org_ids(user)
    qs = Case.objects.select_related("organisation")
    return qs if ids is None else qs.filter(organisation_id__in=ids)


def get_case(
    user: User, case_id: int, *, for_update: bool = False, with_clocks: bool = False
) -> Case:
    if not for_update:
        return _read_case(user, case_id, with_clocks=with_clocks)
    qs = visible_cases(user).select_for_update(of=("self",))
    if with_clocks:
        qs = qs.prefetch_related("clocks")
    try:
        return qs.get(id=case_id)
    except Case.DoesNotExist:
        raise NotFound(f"case {case_id} not found") from None


_CASE = Columns(Case, "c")
_CASE_ORG = Columns(Organisation, "o")
_CLOCK = Columns(SlaClock, "k")
_READ_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}, {_CLOCK.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id"
    f" LEFT JOIN {_CLOCK.table} ON k.case_id = c.id WHERE c.id = %s"
)
_READ_WITHOUT_CLOCKS_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id WHERE c.id = %s"
)
_CASE_ORG_FIELD = Case._meta.get_field("organisation")


def _read_case(user: User, case_id: int, *, with_clocks: bool) -> Case:
    """A case in scope with its organisation (and its clocks), in one hand-written query
    (the API's most frequent read; see ``infra.rows``)."""
    ids = visible_org_ids(user)
    sql, params = (_READ_SQL if with_clocks else _READ_WITHOUT_CLOCKS_SQL), [case_id]
    if ids is not None:
        sql += f" AND c.organisation_id IN ({placeholders(list(ids))})"
        params.extend(ids)
    rows = fetch(sql, params)
    if not rows:
        raise NotFound(f"case {case_id} not found")
    case = _CASE.build(rows[0])
    assert case is not None
    _CASE_ORG_FIELD.set_cached_value(case, _CASE_ORG.build(rows[0], _CASE.width))
    if with_clocks:
        start = _CASE.width + _CASE_ORG.width
        case.stored_clocks = [c for row in rows if (c := _CLOCK.build(row, start)) is not None]
    return case


def get_case_by_number(user: User, number: str) -> Case:
    try:
        return visible_cases(user).get(number=number.strip().upper())
    except Case.DoesNotExist:
        raise NotFound(f"case {number!r} not found") from None


# -- history ------------------------------------------------------------------------------


def append_event(
    case: Case,
    *,
    kind: str,
    at: datetime,
    actor: User | None,
    data: dict[str, Any] | None = None,
    reason: str = "",
) -> CaseEvent:
    """Append to the case history; the per-case sequence keeps the order of equal instants."""
    (event,) = append_events([(case, kind, data or {})], at=at, actor=actor, reason=reason)
    return event


def append_events(
    notes: list[tuple[Case, str, dict[str, Any]]],
    *,
    at: datetime,
    actor: User | None = None,
    reason: str = "",
) -> list[CaseEvent]:
    """Append one event to each case of ``notes`` (several to a case are allowed), in a
    handful of statements whatever their number (the automation's batches)."""
    if not notes:
        return []
    table = Case._meta.db_table
    added: dict[int, int] = {}
    for case, _, _ in notes:
        added[case.id] = added.get(case.id, 0) + 1
    counts: dict[int, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(added) > 1:
            # Row locks in one order (by id), so that batches touching the same cases
            # queue instead of deadlocking (one case: the UPDATE below takes its lock).
            cursor.execute(
                f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                [sorted(added)],
            )
        # One statement per step takes the row locks and reserves the next sequence
        # numbers, so concurrent writers to a case queue and keep distinct, ordered numbers.
        by_step: dict[int, list[int]] = {}
        for case_id, step in added.items():
            by_step.setdefault(step, []).append(case_id)
        for step, ids in by_step.items():
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"UPDATE {table} SET event_count = event_count + %s, updated_at = %s "
                f"WHERE id IN ({marks}) RETURNING id, event_count",
                [step, connection.ops.adapt_datetimefield_value(at), *ids],
            )
            counts.update(cursor.fetchall())
    # Sequence numbers: each case's new events take the numbers just reserved, in order.
    next_seq = {case_id: counts[case_id] - step + 1 for case_id, step in added.items()}
    events = []
    for case, kind, data in notes:
        seq = next_seq[case.id]
        next_seq[case.id] = seq + 1
        case.event_count, case.updated_at = counts[case.id], at
        events.append(
            CaseEvent(case=case, seq=seq, at=at, actor=actor, kind=kind, data=data, reason=reason)
        )
    CaseEvent.objects.bulk_create(events)
    signals.events_appended.send(
        sender=Case,
        appended=[(case, event) for (case, _, _), event in zip(notes, events, strict=True)],
    )
    return events


def _resync(case: Case, now: datetime) -> None:
    events = list(case.events.order_by("seq"))
    _store(case, sla.replay(case, events, now, explain=False), now)


def _store(case: Case, clocks: dict[Metric, MetricClock], now: datetime) -> None:
    """Persist the case's replayed clocks; its timers follow (``clocks_stored``)."""
    sla.store(case, clocks)
    signals.clocks_stored.send(sender=Case, case=case, clocks=clocks, now=now, new=False)


# -- opening ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicate:
    """An open case whose subject looks like the new one's."""

    id: int
    number: str
    subject: str


@dataclass
class Opened:
    case: Case
    possible_duplicates: list[Duplicate] = field(default_factory=list)


WORD = re.compile(r"\w{3,}")
DUPLICATE_WINDOW = 200  # the newest open cases a new subject is compared with


@lru_cache(maxsize=8192)
def _words(subject: str) -> frozenset[str]:
    """The words (three letters or more, lower case) of a subject: a pure function of the
    text, kept for the subjects of the newest open cases, which every new case of their
    organisation compares itself with."""
    return frozenset(WORD.findall(subject.lower()))


_DUPLICATES_SQL = (
    f'SELECT c."id", c."number", c."subject" FROM "{Case._meta.db_table}" c'
    f" WHERE c.organisation_id = %s AND c.status IN ({placeholders(OPEN_STATUSES)})"
)
_DUPLICATES_ORDER = " ORDER BY c.opened_at DESC, c.id DESC LIMIT %s"


def _duplicates(
    org: Organisation, subject: str, product: str, *, window: int = DUPLICATE_WINDOW
) -> list[Duplicate]:
    """Open cases of the same organisation (and product) whose subject shares most of its
    words, among its ``window`` newest open cases, newest first; five at most. A
    hand-written query (see ``infra.rows``): it runs for every new case."""
    words = _words(subject)
    if not words:
        return []
    sql, params = _DUPLICATES_SQL, [org.id, *OPEN_STATUSES]
    if product:
        sql += " AND c.product = %s"
        params.append(product)
    params.append(window)
    found = []
    for case_id, number, other in fetch(sql + _DUPLICATES_ORDER, params):
        theirs = _words(other)
        if theirs and len(words & theirs) / len(words | theirs) >= 0.6:
            found.append(Duplicate(case_id, number, other))
    return found[:5]


def _opening_org(actor: User, profile: Profile, organisation_id: int | None) -> Organisation:
    if organisation_id is None:
        if profile.is_care:
            raise DomainError("Care opening a case must name the organisation (organisation_id)")
        return profile.organisation
    ids = visible_org_ids(actor)
    if ids is not None and organisation_id not in ids:
        raise NotFound(f"organisation {organisation_id} not found")
    org = Organisation.objects.filter(id=organisation_id).first()
    if org is None:
        raise NotFound(f"organisation {organisation_id} not found")
    if org.kind == OrgKind.VENDOR:
        raise DomainError("cases are opened for a customer or reseller, not for the vendor")
    return org


@transaction.atomic
def open_case(
    *,
    actor: User,
    now: datetime,
    case_type: str,
    severity: int,
    channel: str,
    subject: str,
    description: str,
    priority: int = 3,
    product: str = "",
    intake_fields: dict[str, Any] | None = None,
    organisation_id: int | None = None,
    on_behalf_of: int | None = None,
    critical_contact_name: str = "",
    critical_contact_phone: str = "",
    request_kind: str | None = None,
) -> Opened:
    """Open a case after every intake rule of the organisation's policy holds."""
    profile = profile_of(actor)
    requester = actor
    if profile.is_care:
        # Care logs a call, chat or e-mail for a designated contact.
        if on_behalf_of is None:
            raise DomainError("Care opening a case names the designated contact (on_behalf_of)")
        contact = (
            Profile.objects.select_related("user", "organisation").filter(id=on_behalf_of).first()
        )
        if contact is None:
            raise NotFound(f"contact {on_behalf_of} not found")
        if organisation_id is None:
            organisation_id = contact.organisation_id
        requester_profile = contact
        requester = contact.user
    else:
        if on_behalf_of is not None:
            raise PermissionDenied("only Care opens cases on behalf of someone else")
        requester_profile = profile
    if not requester_profile.is_designated:
        raise PermissionDenied(
            f"{requester_profile.user.email} is not a designated contact; only designated "
            "contacts (who completed the roles-and-responsibilities training) may open cases"
        )
    org = _opening_org(requester, requester_profile, organisation_id)
    policy = policies.load(org.policy, on=now.date())
    submission = intake.Submission(
        case_type=case_type,
        severity=severity,
        priority=priority,
        channel=channel,
        product=product.strip(),
        subject=subject.strip(),
        description=description.strip(),
        intake=dict(intake_fields or {}),
        critical_contact_name=critical_contact_name,
        critical_contact_phone=critical_contact_phone,
        request_kind=request_kind,
    )
    errors = intake.check_shape(submission)
    if not errors:
        errors = intake.check_fields(policy, submission)
    if errors:
        names = ", ".join(e["field"] for e in errors)
        raise DomainError(f"the case cannot be opened; fix: {names}", errors=errors)
    intake.check_product(policy, submission)
    intake.check_routing(policy, submission)
    intake.check_entitlement(policy, org, submission, now)
    if severity == 1:
        intake.check_critical_contact(policy, org, submission)

    duplicates = _duplicates(org, submission.subject, submission.product)
    case = _create(
        org=org,
        requester=requester,
        actor=actor,
        policy_id=policy.id,
        policy_version=policy.version,
        submission=submission,
        now=now,
    )
    return Opened(case, duplicates)


def case_number(case_id: int) -> str:
    return f"CD{case_id:07d}"


_INSERT_CASE = Insert(Case)
_INSERT_CASE_WITH_ID = Insert(Case, with_pk=True)
_INSERT_EVENT = Insert(CaseEvent)
_INSERT_CLOCKS = Insert(SlaClock)
_NEXT_CASE_ID_SQL = f"SELECT nextval(pg_get_serial_sequence('\"{Case._meta.db_table}\"', 'id'))"


def _create(
    *,
    org: Organisation,
    requester: User,
    actor: User,
    policy_id: str,
    policy_version: int,
    submission: intake.Submission,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> Case:
    """Store a new case with its opening event and clocks (the rules were checked).

    A new case has nothing to replace: its clocks are computed before it is written, so the
    case, its first event and its clock rows go in with one statement each, written once
    (``infra.rows.Insert``). On PostgreSQL the case's id is reserved first, so that its
    number goes in with it; elsewhere the number follows in an UPDATE."""
    case = Case(
        number=f"tmp-{uuid.uuid4().hex[:12]}",
        organisation=org,
        opened_by=requester,
        case_type=submission.case_type,
        severity=submission.severity,
        priority=submission.priority,
        channel=submission.channel,
        product=submission.product,
        subject=submission.subject,
        description=submission.description,
        intake=submission.intake,
        status=CaseStatus.NEW,
        policy=policy_id,
        policy_version=policy_version,
        plan=org.plan,
        timezone=org.timezone,
        country=org.country,
        subdivision=org.subdivision,
        critical_contact_name=submission.critical_contact_name.strip(),
        critical_contact_phone=submission.critical_contact_phone.strip(),
        opened_at=now,
        updated_at=now,
        event_count=1,
    )
    opened = CaseEvent(
        case=case,
        seq=1,
        at=now,
        actor=actor,
        kind="opened",
        data={
            "severity": submission.severity,
            "priority": submission.priority,
            "case_type": submission.case_type,
            "channel": submission.channel,
            "product": submission.product,
            "on_behalf_of": requester.pk,
            "policy": f"{policy_id} v{policy_version}",
            **(extra or {}),
        },
    )
    clocks = sla.replay(case, [opened], now, explain=False)
    case.next_due = sla.next_due(clocks)
    if connection.vendor == "postgresql":
        ((case.id,),) = fetch(_NEXT_CASE_ID_SQL, [])
        case.number = case_number(case.id)
        _INSERT_CASE_WITH_ID([case])
    else:
        _INSERT_CASE([case])
        case.number = case_number(case.id)
        Case.objects.filter(id=case.id).update(number=case.number)
    opened.case = case
    _INSERT_EVENT([opened])
    signals.events_appended.send(sender=Case, appended=[(case, opened)])
    case.stored_clocks = _INSERT_CLOCKS(sla.stored_rows(case, clocks))
    signals.clocks_stored.send(sender=Case, case=case, clocks=clocks, now=now, new=True)
    return case


# -- conversation -------------------------------------------------------------------------


@transaction.atomic
def add_comment(
    *, actor: User, case_id: int, body: str, public: bool = True, now: datetime
) -> CaseEvent:
    case = get_case(actor, case_id, for_update=True)
    profile = profile_of(actor)
    if not body.strip():
        raise DomainError("a comment needs a body")
    if not public and not profile.is_care:
        raise PermissionDenied("only Care writes internal notes")
    if case.status == CaseStatus.CLOSED:
        raise Conflict(f"case {case.number} is closed; open a new case naming it instead")
    event = append_event(
        case,
        kind="comment",
        at=now,
        actor=actor,
        data={
            "body": body.strip(),
            "public": public,
            "by_care": profile.is_care,
        },
    )
    if profile.is_care and public:
        if not case.events.filter(kind="responded").exists():
            append_event(case, kind="responded", at=now, actor=actor)
        if case.status == CaseStatus.NEW:
            _move(
                case,
                CaseStatus.OPEN,
                actor=actor,
                now=now,
                reason=gettext_noop("first response by Care"),
            )
    elif not profile.is_care and case.status == CaseStatus.WAITING_ON_CUSTOMER:
        _move(
            case, CaseStatus.OPEN, actor=actor, now=now, reason=gettext_noop("the customer replied")
        )
    _resync(case, now)
    return event


# -- status -------------------------------------------------------------------------------


_CUSTOMER_MOVES = {
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.OPEN),  # reports that the issue remains
    (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED),  # accepts the resolution
}


def _move(
    case: Case, target: CaseStatus, *, actor: User | None, now: datetime, reason: str
) -> None:
    current = CaseStatus(case.status)
    check_transition(current, target)
    case.status = target.value
    if target is CaseStatus.CLOSED:
        case.closed_at = now
    Case.objects.filter(id=case.id).update(status=case.status, closed_at=case.closed_at)
    append_event(
        case,
        kind="status-changed",
        at=now,
        actor=actor,
        data={"from": current.value, "to": target.value},
        reason=reason,
    )


@transaction.atomic
def change_status(
    *,
    actor: User,
    case_id: int,
    status: str,
    reason: str = "",
    initial_rca: str = "",
    now: datetime,
) -> Case:
    """Move a case through the lifecycle. Resolving a Priority 1 outage carries the initial
    RCA and opens its RCA follow-up; the P1 case closes only once that follow-up completes."""
    case = get_case(actor, case_id, for_update=True)
    target = parse_status(status)
    profile = profile_of(actor)
    current = CaseStatus(case.status)
    try:
        check_transition(current, target)
    except IllegalTransition as exc:
        raise Conflict(str(exc)) from None
    customer_may = (current, target) in _CUSTOMER_MOVES or target is CaseStatus.CLOSED
    if not profile.is_care and not customer_may:
        raise PermissionDenied(
            f"customers may reopen or close a case; moving it to {target.value!r} is Care's"
        )
    policy = sla.policy_for(case)
    resolving = target in (CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED)
    follow_up = _rca_follow_up(case)
    needs_rca = (
        resolving
        and policy.rca is not None
        and case.severity in policy.rca.follow_up_severities
        and follow_up is None
        and case.case_type == "incident"
    )
    if needs_rca and not initial_rca.strip():
        raise DomainError(
            f"resolving Severity {case.severity} case {case.number} needs the initial RCA: a "
            "brief explanation of the outage and its known cause (initial_rca)",
            errors=[{"field": "initial_rca", "message": "required to resolve an outage"}],
        )
    if (
        target is CaseStatus.CLOSED
        and follow_up is not None
        and follow_up.status
        not in (
            CaseStatus.RESOLUTION_PROPOSED,
            CaseStatus.CLOSED,
        )
    ):
        raise Conflict(
            f"case {case.number} stays open until its RCA follow-up {follow_up.number} "
            "completes (a complete RCA is delivered there)"
        )
    if needs_rca:
        # The closing status update to the customer carries the initial RCA.
        append_event(
            case,
            kind="comment",
            at=now,
            actor=actor,
            data={
                "body": initial_rca.strip(),
                "public": True,
                "by_care": True,
                "rca": "initial",
            },
        )
        if target is CaseStatus.CLOSED:
            target = CaseStatus.RESOLUTION_PROPOSED  # closed only after the follow-up
    if target is not current:
        _move(case, target, actor=actor, now=now, reason=reason.strip())
    if needs_rca:
        _open_rca_follow_up(case, actor=actor, initial_rca=initial_rca.strip(), now=now)
    elif resolving and policy.rca is not None and case.severity in policy.rca.comprehensive_due:
        _rca_deadline(case, case, actor=actor, now=now)
    if target in (CaseStatus.RESTORED, CaseStatus.RESOLUTION_PROPOSED):
        _post_mortem_due(case, actor=actor, now=now)
    _resync(case, now)
    return case


def _rca_follow_up(case: Case) -> Case | None:
    link = (
        CaseLink.objects.select_related("to_case")
        .filter(from_case=case, kind=CaseLink.Kind.RCA_FOLLOW_UP)
        .first()
    )
    return link.to_case if link else None


def _rca_deadline(case: Case, target: Case, *, actor: User | None, now: datetime) -> None:
    policy = sla.policy_for(case)
    assert policy.rca is not None
    due = policy.rca.comprehensive_due[case.severity].due(now, sla.calendar_for(case))
    append_event(
        target,
        kind="rca-due",
        at=now,
        actor=actor,
        data={
            "due": due.isoformat(),
            "for_case": case.number,
            "severity": case.severity,
        },
    )


def _open_rca_follow_up(case: Case, *, actor: User, initial_rca: str, now: datetime) -> Case:
    """The Priority 3 RCA follow-up of a resolved Priority 1 outage, linked, with its due."""
    policy = sla.policy_for(case)
    assert policy.rca is not None
    priority = policy.rca.follow_up_priority
    submission = intake.Submission(
        case_type="rca",
        severity=priority,
        priority=priority,
        channel=case.channel,
        product=case.product,
        subject=f"RCA: {case.subject}"[:200],
        description=f"Root cause analysis of {case.number}.\n\nInitial RCA:\n{initial_rca}",
        intake={},
        critical_contact_name="",
        critical_contact_phone="",
        request_kind=None,
    )
    follow_up = _create(
        org=case.organisation,
        requester=case.opened_by,
        actor=actor,
        policy_id=case.policy,
        policy_version=case.policy_version,
        submission=submission,
        now=now,
        extra={"follow_up_of": case.number},
    )
    CaseLink.objects.create(
        from_case=case, to_case=follow_up, kind=CaseLink.Kind.RCA_FOLLOW_UP, created_at=now
    )
    append_event(
        case,
        kind="linked",
        at=now,
        actor=actor,
        data={"to": follow_up.number, "kind": CaseLink.Kind.RCA_FOLLOW_UP},
    )
    _rca_deadline(case, follow_up, actor=actor, now=now)
    return follow_up


def _post_mortem_due(case: Case, *, actor: User | None, now: datetime) -> None:
    """Service Resolution of a Critical or High issue: the post-mortem meeting is due."""
    rule = sla.policy_for(case).post_mortem
    if rule is None or case.severity not in rule.meeting_due:
        return
    if case.events.filter(kind="post-mortem-due").exists():
        return
    due = rule.meeting_due[case.severity].due(now, sla.calendar_for(case))
    append_event(
        case,
        kind="post-mortem-due",
        at=now,
        actor=actor,
        data={
            "due": due.isoformat(),
            "rca_discussed": case.severity in rule.rca_discussed,
        },
    )


@transaction.atomic
def record_post_mortem(*, actor: User, case_id: int, now: datetime) -> Case:
    """Care held the post-mortem meeting; a written request makes the Incident Report due."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind="post-mortem-due").exists():
        raise Conflict(f"case {case.number} has no post-mortem to hold")
    if case.events.filter(kind="post-mortem-held").exists():
        raise Conflict(f"the post-mortem of case {case.number} was already held")
    append_event(case, kind="post-mortem-held", at=now, actor=actor)
    _incident_report_due(case, actor=actor, now=now)
    return case


@transaction.atomic
def request_incident_report(*, actor: User, case_id: int, text: str, now: datetime) -> Case:
    """The reseller asks in writing for the Incident Report."""
    case = get_case(actor, case_id, for_update=True)
    rule = sla.policy_for(case).post_mortem
    if rule is None or not rule.incident_report_on_written_request:
        raise DomainError(f"the policy of case {case.number} provides no Incident Report")
    if not case.events.filter(kind="post-mortem-due").exists():
        raise Conflict(f"case {case.number} has had no Service Resolution with a post-mortem")
    if not text.strip():
        raise DomainError("the written request needs its text")
    if case.events.filter(kind="incident-report-requested").exists():
        raise Conflict(f"an Incident Report for case {case.number} was already requested")
    append_event(
        case, kind="incident-report-requested", at=now, actor=actor, data={"text": text.strip()}
    )
    _incident_report_due(case, actor=actor, now=now)
    return case


def _incident_report_due(case: Case, *, actor: User, now: datetime) -> None:
    held = case.events.filter(kind="post-mortem-held").first()
    requested = case.events.filter(kind="incident-report-requested").exists()
    rule = sla.policy_for(case).post_mortem
    if held is None or not requested or rule is None:
        return
    # "Within 3 business days of the post-mortem meeting".
    due = rule.incident_report_due.due(held.at, sla.calendar_for(case))
    append_event(
        case, kind="incident-report-due", at=now, actor=actor, data={"due": due.isoformat()}
    )


@transaction.atomic
def deliver_incident_report(*, actor: User, case_id: int, now: datetime) -> Case:
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    if not case.events.filter(kind="incident-report-due").exists():
        raise Conflict(f"no Incident Report is due on case {case.number}")
    append_event(case, kind="incident-report-delivered", at=now, actor=actor)
    return case


# -- severity ------------------------------------------------------------------------------


def _check_severity(value: int) -> int:
    try:
        return policies.check_severity(value)
    except ValueError as exc:
        raise DomainError(str(exc)) from None


def _check_change(case: Case, severity: int, reason: str, missing_reason: str) -> None:
    if not reason.strip():
        raise DomainError(missing_reason)
    if severity == case.severity:
        raise Conflict(f"case {case.number} is already severity {severity}")
    if case.status == CaseStatus.CLOSED:
        raise Conflict(f"case {case.number} is closed")


def _set_severity(
    case: Case,
    severity: int,
    *,
    actor: User,
    now: datetime,
    reason: str,
    phone_raise: bool = False,
    request_id: int | None = None,
) -> None:
    old = case.severity
    case.severity = severity
    Case.objects.filter(id=case.id).update(severity=severity)
    data: dict[str, Any] = {"from": old, "to": severity, "phone_raise": phone_raise}
    if request_id is not None:
        data["request_id"] = request_id
    append_event(case, kind="severity-changed", at=now, actor=actor, data=data, reason=reason)


@transaction.atomic
def change_severity(
    *, actor: User, case_id: int, severity: int, reason: str, now: datetime
) -> Case:
    """Care re-determines the severity (it has the final authority)."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(severity)
    _check_change(case, severity, reason, "a severity change needs a reason")
    _set_severity(case, severity, actor=actor, now=now, reason=reason.strip())
    _resync(case, now)
    return case


@transaction.atomic
def request_severity_change(
    *, actor: User, case_id: int, severity: int, reason: str, now: datetime
) -> SeverityRequest:
    """A customer asks for another severity; Care accepts or declines it."""
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(severity)
    _check_change(
        case, severity, reason, "a severity change request needs a reason (the business impact)"
    )
    policy = sla.policy_for(case)
    if severity == 1 and policy.intake.severity1_by_phone_raise:
        raise DomainError(
            "raising a case to Severity 1 (Critical) is done by a phone call to Care", status=422
        )
    if case.severity_requests.filter(state=SeverityRequest.State.PENDING).exists():
        raise Conflict(f"case {case.number} already has a pending severity request")
    request = SeverityRequest.objects.create(
        case=case,
        requested_by=actor,
        from_severity=case.severity,
        to_severity=severity,
        reason=reason.strip(),
        requested_at=now,
    )
    append_event(
        case,
        kind="severity-change-requested",
        at=now,
        actor=actor,
        data={"request_id": request.id, "from": case.severity, "to": severity},
        reason=reason.strip(),
    )
    return request


@transaction.atomic
def decide_severity_request(
    *, actor: User, request_id: int, accept: bool, reason: str, now: datetime
) -> SeverityRequest:
    require_care(actor)
    request = SeverityRequest.objects.select_for_update().filter(id=request_id).first()
    if request is None:
        raise NotFound(f"severity request {request_id} not found")
    if request.state != SeverityRequest.State.PENDING:
        raise Conflict(f"severity request {request_id} was already {request.state}")
    if not reason.strip():
        raise DomainError("a decision on a severity request needs a reason")
    case = get_case(actor, request.case_id, for_update=True)
    request.state = SeverityRequest.State.ACCEPTED if accept else SeverityRequest.State.DECLINED
    request.decided_by = actor
    request.decided_at = now
    request.decision_reason = reason.strip()
    request.save()
    if accept:
        _set_severity(
            case,
            request.to_severity,
            actor=actor,
            now=now,
            reason=reason.strip(),
            request_id=request.id,
        )
        _resync(case, now)
    else:
        append_event(
            case,
            kind="severity-change-declined",
            at=now,
            actor=actor,
            data={"request_id": request.id, "to": request.to_severity},
            reason=reason.strip(),
        )
    return request


@transaction.atomic
def phone_raise(
    *,
    actor: User,
    case_id: int,
    reason: str,
    contact_name: str,
    contact_phone: str,
    now: datetime,
    severity: int = 1,
) -> Case:
    """Care logs the customer's call raising a case (to Critical); targets count from it."""
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    severity = _check_severity(severity)
    if severity >= case.severity:
        raise Conflict(f"a phone raise makes the severity higher than {case.severity}")
    if case.status == CaseStatus.CLOSED:
        raise Conflict(f"case {case.number} is closed")
    if not reason.strip():
        raise DomainError("a phone raise records the caller's reason")
    policy = sla.policy_for(case)
    if severity == 1:
        submission = intake.Submission(
            case_type=case.case_type,
            severity=1,
            priority=case.priority,
            channel="phone",
            product=case.product,
            subject=case.subject,
            description=case.description,
            intake=case.intake,
            critical_contact_name=contact_name,
            critical_contact_phone=contact_phone,
            request_kind=None,
        )
        intake.check_critical_contact(policy, case.organisation, submission)
        case.critical_contact_name = contact_name.strip()
        case.critical_contact_phone = contact_phone.strip()
        Case.objects.filter(id=case.id).update(
            critical_contact_name=case.critical_contact_name,
            critical_contact_phone=case.critical_contact_phone,
        )
    _set_severity(case, severity, actor=actor, now=now, reason=reason.strip(), phone_raise=True)
    _resync(case, now)
    return case


# -- links and assignment -----------------------------------------------------------------


@transaction.atomic
def link_cases(
    *, actor: User, case_id: int, other_number: str, kind: str, now: datetime
) -> CaseLink:
    case = get_case(actor, case_id, for_update=True)
    other = get_case_by_number(actor, other_number)
    if other.id == case.id:
        raise DomainError("a case cannot be linked to itself")
    if kind not in CaseLink.Kind.values:
        raise DomainError(
            f"unknown link kind {kind!r}; expected one of: {', '.join(CaseLink.Kind.values)}"
        )
    if CaseLink.objects.filter(from_case=case, to_case=other, kind=kind).exists():
        raise Conflict(f"{case.number} is already linked to {other.number} as {kind}")
    link = CaseLink.objects.create(from_case=case, to_case=other, kind=kind, created_at=now)
    append_event(case, kind="linked", at=now, actor=actor, data={"to": other.number, "kind": kind})
    append_event(
        other, kind="linked", at=now, actor=actor, data={"from": case.number, "kind": kind}
    )
    return link


@transaction.atomic
def assign(*, actor: User, case_id: int, assignee_id: int | None, now: datetime) -> Case:
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    assignee = None
    if assignee_id is not None:
        found = (
            Profile.objects.select_related("user")
            .filter(user_id=assignee_id, role__in=[Role.ENGINEER, Role.MANAGER, Role.ADMIN])
            .first()
        )
        if found is None:
            raise DomainError(f"user {assignee_id} is not a Care engineer")
        assignee = found.user
    case.assignee = assignee
    Case.objects.filter(id=case.id).update(assignee=assignee)
    append_event(
        case,
        kind="assigned",
        at=now,
        actor=actor,
        data={"assignee": assignee.get_username() if assignee else None},
    )
    return case


# -- for the automation: system actions, no person behind them -------------------------------


@transaction.atomic
def note(*, case: Case, kind: str, data: dict[str, Any], now: datetime) -> CaseEvent:
    """Record what the automation saw or did (a warning, a breach, a notice); appending
    takes the case's row lock."""
    return append_event(case, kind=kind, at=now, actor=None, data=data)


@transaction.atomic
def system_close(
    *, case_id: int, expected: str, since: datetime, reason: str, now: datetime
) -> str:
    """Close a case the policy says is stale, if it is still as it was when the timer was
    set; returns what happened."""
    case = Case.objects.select_for_update().select_related("organisation").get(id=case_id)
    if case.status != expected:
        return f"not closed: the case is {case.status} now"
    last = case.events.filter(kind="status-changed").order_by("-seq").first()
    if last is None or last.at != since:
        return "not closed: the status changed since"
    follow_up = _rca_follow_up(case)
    if follow_up is not None and follow_up.status not in (
        CaseStatus.RESOLUTION_PROPOSED,
        CaseStatus.CLOSED,
    ):
        return f"not closed: RCA follow-up {follow_up.number} is still open"
    _move(case, CaseStatus.CLOSED, actor=None, now=now, reason=reason)
    _resync(case, now)
    return "closed"


# -- re-applying rules: a new calendar, plan or policy version for open cases ------------------


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
        raise DomainError(f"unknown rule {unknown[0]!r}; expected one of {', '.join(ORG_RULES)}")
    before = {name: getattr(org, name) for name in ORG_RULES}
    after = dict(before)
    after.update({k: v.strip() for k, v in changes.items() if v is not None})
    after["country"] = after["country"].upper()
    try:
        policy = policies.load(after["policy"], on=now.date())
        policy.plan(after["plan"])
        sla.case_calendar(
            policy.id, policy.version, after["timezone"], after["country"], after["subdivision"]
        )
    except ValueError as exc:
        raise DomainError(f"the new rules cannot apply: {exc}") from None
    after["policy_version"] = policy.version
    before["policy_version"] = policies.load(before["policy"], on=now.date()).version
    return before, after


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
        raise DomainError("re-applying rules needs a reason; it goes into each case's history")
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
        raise NotFound(f"organisation {organisation_id} not found")
    before, after = _new_rules(org, changes, now)
    to = {k: after[k] for k in sla.RULE_FIELDS}
    affected = _affected(org, to, lock=apply)
    events = sla.histories([c.id for c in affected], sla.CLOCK_KINDS)
    moves: list[Move] = []
    for case in affected:
        history = events[case.id]
        old = sla.replay(case, history, now, explain=False)
        change = sla.LightEvent(
            case.event_count + 1, now, "rules-changed", {"from": sla.rules_data(case), "to": to}
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
    append_event(case, kind="rules-changed", at=now, actor=actor, data=data, reason=reason)
    _store(case, clocks, now)
