"""The demo's living desk: Severity 1 cases of Initech opened relative to ``now``, whose
targets count clock time (PureCloud Customer Care: response 10 minutes, restoration 4 hours,
24x7), so the queue shows on-track, at-risk, paused, breached and met clocks side by side
at any hour of any day, each with a history that reads like real work."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User

from caredesk.accounts.models import Profile
from caredesk.cases import services as cases

SHOWCASE_ORG = "initech"
PHONE = "+81 3-1234-5678"


def _open(contact: Profile, subject: str, opened: datetime, priority: int = 2) -> int:
    case = cases.open_case(
        actor=contact.user,
        now=opened,
        case_type="incident",
        severity=1,
        priority=priority,
        channel="phone",
        subject=subject,
        description=f"{subject}. Reported by phone; every agent of the Tokyo centre is affected.",
        intake_fields={
            "org_short_name": SHOWCASE_ORG,
            "org_id": "8c2d5f5e-1d2a-4b55-9e3c-1a2b3c4d5e6f",
            "business_impact": "the contact centre cannot take calls",
        },
        critical_contact_name=contact.user.get_full_name(),
        critical_contact_phone=PHONE,
    ).case
    return case.id


def load_showcase(contact: Profile, care: User, now: datetime) -> int:
    """Open the showcase cases for ``contact``, worked by ``care``; how many were opened."""
    m = timedelta(minutes=1)
    # On track: answered at once, restoration 40 minutes into its 4 hours.
    on_track = _open(contact, "Agents hear silence on inbound calls", now - 40 * m)
    cases.log_call(
        actor=care,
        case_id=on_track,
        summary="Called Kenji back: silence since 09:00 on every queue; collecting call IDs.",
        now=now - 34 * m,
    )
    # At risk: restoration 3 h 30 min into its 4 hours (past 75 %).
    at_risk = _open(contact, "Outbound calls fail with a busy tone", now - 210 * m)
    cases.add_comment(
        actor=care,
        case_id=at_risk,
        body="We see the carrier rejecting calls from your trunk; engaging the carrier now.",
        now=now - 202 * m,
    )
    cases.add_comment(
        actor=contact.user,
        case_id=at_risk,
        body="Still failing for all agents; callers are waiting.",
        now=now - 60 * m,
    )
    # Paused: waiting on the customer for logs, restoration stopped counting.
    paused = _open(contact, "Supervisors cannot see live queues", now - 120 * m)
    cases.add_comment(
        actor=care, case_id=paused, body="Looking into the supervisor view.", now=now - 115 * m
    )
    cases.change_status(
        actor=care,
        case_id=paused,
        status="waiting-on-customer",
        reason="need a HAR file from an affected supervisor's browser",
        now=now - 90 * m,
    )
    # Breached: answered late and still not restored after 6 hours.
    breached = _open(contact, "IVR does not answer the main number", now - 360 * m)
    cases.add_comment(
        actor=care,
        case_id=breached,
        body="Sorry for the wait: we are tracing the main number's routing.",
        now=now - 335 * m,
    )
    # Met: restored within the hour, resolution proposed with the initial RCA; the customer
    # then reports it is not fixed, which reopens the case (and its RCA follow-up exists).
    met = _open(contact, "Call recordings are empty", now - 300 * m, priority=1)
    cases.log_call(
        actor=care,
        case_id=met,
        summary="Talked Kenji through the recording settings; a storage key had expired.",
        now=now - 296 * m,
    )
    cases.change_status(
        actor=care, case_id=met, status="restored", reason="key renewed", now=now - 250 * m
    )
    cases.change_status(
        actor=care,
        case_id=met,
        status="resolution-proposed",
        reason="expiry alerting added",
        initial_rca="An expired storage key stopped recordings; it was renewed and now alerts.",
        now=now - 200 * m,
    )
    cases.add_comment(
        actor=contact.user,
        case_id=met,
        body="Not fixed: recordings from the second site are still empty.",
        now=now - 30 * m,
    )
    return 5
