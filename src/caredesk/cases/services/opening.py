"""Opening a case: the intake rules of the organisation's policy, possible duplicates,
and the case written with its opening event and clocks."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.models import Organisation, OrgKind, Profile, Role
from caredesk.accounts.services import profile_of, require_designated, visible_org_ids
from caredesk.cases import intake, signals, sla, store
from caredesk.cases.models import Case, CaseEvent, CaseLink, EventKind, SlaClock
from caredesk.cases.services.links import record_link
from caredesk.cases.services.reading import get_case_by_number
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import Conflict, DomainError, NotFound, PermissionDenied, named


@dataclass(frozen=True)
class Duplicate:
    """An open case whose subject looks like the new one's."""

    id: int
    number: str
    subject: str


class LikelyDuplicates(Conflict):
    """A case not opened because open cases of its organisation look like it: the opener
    sees them first and may open it anyway (one issue per case, SPEC 3)."""

    def __init__(self, duplicates: list[Duplicate]) -> None:
        numbers = ", ".join(d.number for d in duplicates)
        super().__init__(
            _(
                "open cases look like this one (%(numbers)s); open it anyway only if it is "
                "another issue"
            )
            % {"numbers": numbers}
        )
        self.duplicates = duplicates


@dataclass
class Opened:
    """A new case, the clock rows it was stored with, the open cases that look like it and
    whether to phone Care as well (told once, in the answer to the request that opened it)."""

    case: Case
    clocks: list[SlaClock]
    possible_duplicates: list[Duplicate] = field(default_factory=list)
    # The portal's staffed hours when the case came in outside them and is to be phoned in.
    portal_unstaffed: BusinessCalendar | None = None


WORD = re.compile(r"\w{3,}")
DUPLICATE_WINDOW = 200  # the newest open cases a new subject is compared with


@lru_cache(maxsize=8192)
def _words(subject: str) -> frozenset[str]:
    """The words (three letters or more, lower case) of a subject: a pure function of the
    text, kept for the subjects of the newest open cases, which every new case of their
    organisation compares itself with."""
    return frozenset(WORD.findall(subject.lower()))


def _duplicates(
    org: Organisation, subject: str, product: str, *, window: int = DUPLICATE_WINDOW
) -> list[Duplicate]:
    """Open cases of the same organisation (and product) whose subject shares most of its
    words, among its ``window`` newest open cases, newest first; five at most. A
    hand-written query (see ``infra.rows``): it runs for every new case."""
    words = _words(subject)
    if not words:
        return []
    found = []
    for case_id, number, other in store.open_subjects(org.id, product, window):
        theirs = _words(other)
        if theirs and len(words & theirs) / len(words | theirs) >= 0.6:
            found.append(Duplicate(case_id, number, other))
    return found[:5]


def _requester(actor: User, on_behalf_of: int | None) -> Profile:
    """The designated contact a case is opened for: the caller, or the contact Care logs a
    call, chat or e-mail for."""
    profile = profile_of(actor)
    if profile.is_care:
        if on_behalf_of is None:
            raise DomainError(_("Care opening a case names the designated contact (on_behalf_of)"))
        contact = (
            Profile.objects.select_related("user", "organisation")
            .filter(id=on_behalf_of, role=Role.CONTACT)  # a customer's contact, never Care
            .first()
        )
        if contact is None:
            raise NotFound(_("contact %(id)s not found") % {"id": on_behalf_of})
        profile = contact
    elif on_behalf_of is not None:
        raise PermissionDenied(_("only Care opens cases on behalf of someone else"))
    require_designated(profile, to=gettext_noop("open a case"))
    return profile


def _opening_org(actor: User, profile: Profile, organisation_id: int | None) -> Organisation:
    if organisation_id is None:
        if profile.is_care:
            raise DomainError(_("Care opening a case must name the organisation (organisation_id)"))
        return profile.organisation
    ids = visible_org_ids(actor)
    if ids is not None and organisation_id not in ids:
        raise NotFound(_("organisation %(id)s not found") % {"id": organisation_id})
    org = Organisation.objects.filter(id=organisation_id).first()
    if org is None:
        raise NotFound(_("organisation %(id)s not found") % {"id": organisation_id})
    if org.kind == OrgKind.VENDOR:
        raise DomainError(_("cases are opened for a customer or reseller, not for the vendor"))
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
    refuse_duplicates: bool = False,
) -> Opened:
    """Open a case after every intake rule of the organisation's policy holds. Likely
    duplicates are told in the answer; with ``refuse_duplicates`` (a form that asks its user
    first) they refuse the case instead, where the policy checks for them."""
    requester_profile = _requester(actor, on_behalf_of)
    requester = requester_profile.user
    if organisation_id is None and profile_of(actor).is_care:
        organisation_id = requester_profile.organisation_id  # the contact's
    org = _opening_org(requester, requester_profile, organisation_id)
    policy = policies.load(org.policy, on=now.date())
    submission = intake.submission(
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
    errors = intake.check_shape(policy, submission)
    if not errors:
        errors = intake.check_fields(policy, submission)
    if errors:
        names = ", ".join(e["field"] for e in errors)
        raise DomainError(
            _("the case cannot be opened; fix: %(fields)s") % {"fields": names},
            errors=errors,
            status=422,
        )
    intake.check_product(policy, submission)
    intake.check_routing(policy, submission)
    intake.check_entitlement(policy, org, submission, now)
    if severity == 1:
        intake.check_critical_contact(policy, org, submission)
    original = _original_case(requester, policy, submission)

    duplicates = _duplicates(org, submission.subject, submission.product)
    if duplicates and refuse_duplicates and policy.intake.duplicate_check:
        raise LikelyDuplicates(duplicates)
    case, clocks = create_case(
        org=org,
        requester=requester,
        actor=actor,
        policy_id=policy.id,
        policy_version=policy.version,
        submission=submission,
        now=now,
    )
    if original is not None:
        record_link(case, original, kind=CaseLink.Kind.DOCUMENTATION, actor=actor, now=now)
    return Opened(case, clocks, duplicates, unstaffed_portal(case))


def unstaffed_portal(case: Case) -> BusinessCalendar | None:
    """The hours Care staffs the portal when ``case`` came in outside them with a severity
    to phone in as well (seed 000: Severity 1 by phone, 24x7x365); else ``None``."""
    return intake.unstaffed_portal(
        policies.load(case.policy, version=case.policy_version),
        severity=case.severity,
        channel=case.channel,
        at=case.opened_at,
        timezone=case.timezone,
        country=case.country,
        subdivision=case.subdivision,
    )


def _original_case(
    requester: User, policy: policies.Policy, submission: intake.Submission
) -> Case | None:
    """The case an RCA or documentation request names, in the requester's scope (its
    number is stored as the case's own); another organisation's case reads as unknown."""
    key = policy.intake.original_case_field(submission.case_type)
    raw = submission.intake.get(key) if key is not None else None
    if key is None or raw is None or not str(raw).strip():
        return None
    number = str(raw).strip().upper()
    try:
        original = get_case_by_number(requester, number)
    except NotFound:
        raise DomainError(
            _(
                "original case %(number)s is not a case you can see; expected the number of "
                "the case this request is about, such as 'CD0000123'"
            )
            % {"number": named(number)},
            errors=[
                {
                    "field": f"intake.{key}",
                    "message": _("no case %(number)s of yours") % {"number": named(number)},
                }
            ],
            status=422,
        ) from None
    submission.intake[key] = original.number
    return original


def create_case(
    *,
    org: Organisation,
    requester: User,
    actor: User,
    policy_id: str,
    policy_version: int,
    submission: intake.Submission,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> tuple[Case, list[SlaClock]]:
    """Store a new case with its opening event and clocks (the rules were checked).

    A new case has nothing to replace: its clocks are computed before it is written, so the
    case, its first event and its clock rows go in with one statement each (``store``)."""
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
        hours=org.hours,
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
        kind=EventKind.OPENED,
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
    store.insert_case(case)
    opened.case = case
    store.insert_first_event(opened)
    signals.events_appended.send(sender=Case, appended=[(case, opened)])
    stored = store.insert_clocks(sla.stored_rows(case, clocks))
    signals.clocks_stored.send(sender=Case, case=case, clocks=clocks, now=now, new=True)
    return case, stored
