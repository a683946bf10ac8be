"""A realistic demo data set, built through the services so every case has a real history.

The vendor and its Care staff; two resellers with end-user accounts in New York, London and
Tokyo; two direct customers; designated contacts; 200 cases across severities and states
opened over the last four weeks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation, Profile
from caredesk.cases import services as cases
from caredesk.cases.models import CaseLink
from caredesk.infra.errors import DomainError
from caredesk.testing import PURECLOUD_INTAKE, RESELLER_INTAKE

DEMO_PASSWORD = "caredesk-demo"
VENDOR = "genesys"


@dataclass
class Demo:
    people: dict[str, Profile]
    tokens: dict[str, str]
    cases: int


def loaded() -> bool:
    return Organisation.objects.filter(short_name=VENDOR).exists()


def _org(now: datetime, short: str, name: str, **fields: Any) -> Organisation:
    return accounts.create_organisation(actor=None, short_name=short, name=name, now=now, **fields)


def _person(
    now: datetime,
    org: Organisation,
    email: str,
    name: str,
    engineer: Profile | None,
    *,
    role: str = "contact",
    designated: bool = True,
    **fields: Any,
) -> Profile:
    profile = accounts.create_person(
        actor=None,
        email=email,
        name=name,
        organisation=org,
        role=role,
        password=DEMO_PASSWORD,
        now=now,
        **fields,
    )
    if role == "contact" and designated and engineer is not None:
        accounts.complete_training(actor=engineer.user, person=profile, now=now)
        accounts.issue_credentials(actor=engineer.user, person=profile, now=now)
    return profile


SUBJECTS = [
    "Agents cannot go on queue",
    "Inbound calls drop after 30 seconds",
    "Queue report totals are wrong",
    "Callbacks are delayed",
    "IVR prompt plays twice",
    "Cannot export interaction history",
    "Wrap-up codes missing",
    "Supervisor view is slow",
    "SSO login loops",
    "Outbound campaign stalls",
    "Chat widget not loading",
    "Recording playback fails",
    "Scheduled reports not delivered",
    "Add 12 agent licences",
    "Change routing for holiday hours",
    "Request RCA documentation",
]


@transaction.atomic
def load(now: datetime, *, seed: int = 20261123, case_count: int = 200) -> Demo:
    """Load the demo into an empty database; ``now`` is the last instant used."""
    start = now - timedelta(days=28)
    vendor = _org(
        start,
        VENDOR,
        "Genesys",
        kind="vendor",
        policy="purecloud-support",
        plan="standard",
        country="US",
        timezone="America/New_York",
    )
    engineer = _person(start, vendor, "erin@care.example", "Erin Engineer", None, role="engineer")
    people = {
        "engineer": engineer,
        "manager": _person(start, vendor, "max@care.example", "Max Manager", None, role="manager"),
        "admin": _person(start, vendor, "admin@care.example", "Ada Admin", None, role="admin"),
    }
    acme = _org(
        start,
        "acme-reseller",
        "Acme Reseller",
        kind="reseller",
        policy="genesys-care-cloud-reseller",
        plan="care-for-cloud",
        country="US",
        subdivision="NY",
        timezone="America/New_York",
        region="North America",
    )
    sakura = _org(
        start,
        "sakura-partners",
        "Sakura Partners",
        kind="reseller",
        policy="genesys-care-cloud-reseller",
        plan="business-care",
        country="JP",
        timezone="Asia/Tokyo",
        region="APAC",
    )
    orgs = {
        "acme": acme,
        "globex": _org(
            start,
            "globex-london",
            "Globex London",
            kind="customer",
            parent_id=acme.id,
            policy="genesys-care-cloud-reseller",
            plan="business-care",
            country="GB",
            timezone="Europe/London",
            region="EMEA",
        ),
        "hooli": _org(
            start,
            "hooli-ny",
            "Hooli New York",
            kind="customer",
            parent_id=acme.id,
            policy="genesys-care-cloud-reseller",
            plan="care-for-cloud",
            country="US",
            subdivision="NY",
            timezone="America/New_York",
            region="North America",
        ),
        "sakura": sakura,
        "nakatomi": _org(
            start,
            "nakatomi",
            "Nakatomi Trading",
            kind="customer",
            parent_id=sakura.id,
            policy="genesys-care-cloud-reseller",
            plan="business-care",
            country="JP",
            timezone="Asia/Tokyo",
            region="APAC",
        ),
        "initech": _org(
            start,
            "initech",
            "Initech KK",
            kind="customer",
            policy="purecloud-customer-care",
            plan="standard",
            country="JP",
            timezone="Asia/Tokyo",
            licences=["communicate", "chat"],
            region="APAC",
        ),
        "umbrella": _org(
            start,
            "umbrella",
            "Umbrella Corp",
            kind="customer",
            policy="purecloud-support",
            plan="standard",
            country="US",
            timezone="America/Chicago",
            licences=["engage"],
            region="North America",
        ),
    }
    contacts = {
        "acme": _person(start, acme, "rita@acme.example", "Rita Reseller", engineer),
        "globex": _person(
            start,
            orgs["globex"],
            "gina@globex.example",
            "Gina Globex",
            engineer,
            timezone="Europe/London",
        ),
        "hooli": _person(start, orgs["hooli"], "hank@hooli.example", "Hank Hooli", engineer),
        "sakura": _person(
            start, sakura, "sora@sakura.example", "Sora Sakura", engineer, language="ja"
        ),
        "nakatomi": _person(
            start,
            orgs["nakatomi"],
            "naoko@nakatomi.example",
            "Naoko Nakatomi",
            engineer,
            language="ja",
        ),
        "initech": _person(
            start, orgs["initech"], "kenji@initech.example", "Kenji Sato", engineer, language="ja"
        ),
        "umbrella": _person(
            start, orgs["umbrella"], "uma@umbrella.example", "Uma Umbrella", engineer
        ),
    }
    # Acme has its two designated contacts; Sakura has one and shows as short of two.
    _person(start, acme, "ravi@acme.example", "Ravi Reseller", engineer)
    _person(start, sakura, "new@sakura.example", "Nao New", engineer, designated=False)
    people.update({f"contact-{k}": v for k, v in contacts.items()})

    rng = random.Random(seed)
    made = 0
    for n in range(case_count):
        key = rng.choice(list(contacts))
        opened_at = start + timedelta(minutes=rng.randrange(0, 27 * 24 * 60))
        if _one_case(rng, n, contacts[key], orgs[key], engineer, opened_at, now):
            made += 1
    tokens = {
        name: accounts.issue_token(user=p.user, name="demo", now=now) for name, p in people.items()
    }
    return Demo(people, tokens, made)


def _one_case(
    rng: random.Random,
    n: int,
    contact: Profile,
    org: Organisation,
    engineer: Profile,
    opened_at: datetime,
    now: datetime,
) -> bool:
    reseller_policy = org.policy == "genesys-care-cloud-reseller"
    severity = rng.choices([1, 2, 3, 4], weights=[1, 4, 6, 4])[0]
    if reseller_policy and severity == 1:
        severity = 2  # critical issues are raised by phone after a High submission
    channel = "portal"
    if severity == 1:
        channel = "phone"
    fields: dict[str, Any] = {
        "actor": contact.user,
        "now": opened_at,
        "case_type": "incident",
        "severity": severity,
        "priority": rng.randint(1, 4),
        "channel": channel,
        "subject": f"{rng.choice(SUBJECTS)} ({n + 1})",
        "description": "Reported by the demo loader; see the history for what happened.",
        "critical_contact_name": contact.user.get_full_name(),
        "critical_contact_phone": {
            "US": "+1 212 555 0100",
            "GB": "+44 20 7946 0000",
            "JP": "+81 3-1234-5678",
        }[org.country],
    }
    if reseller_policy:
        fields["intake_fields"] = dict(RESELLER_INTAKE)
        fields["product"] = "pureengage-cloud"
    else:
        fields["intake_fields"] = dict(PURECLOUD_INTAKE, org_short_name=org.short_name)
    if rng.random() < 0.15:
        fields["case_type"] = "admin"
    try:
        case = cases.open_case(**fields).case
    except DomainError:
        return False
    care = engineer.user
    moment = opened_at
    plan = rng.random()

    def later(hours: float) -> datetime:
        nonlocal moment
        moment = min(moment + timedelta(hours=rng.uniform(0.1, hours)), now)
        return moment

    if plan < 0.12:
        return True  # still new, nobody has answered
    cases.add_comment(
        actor=care, case_id=case.id, body="Thanks, we are looking into it.", now=later(6)
    )
    if reseller_policy and severity == 2 and rng.random() < 0.1:
        cases.phone_raise(
            actor=care,
            case_id=case.id,
            reason="the customer called: all down",
            contact_name=contact.user.get_full_name(),
            contact_phone=fields["critical_contact_phone"],
            now=later(1),
        )
    if plan < 0.3:
        return True  # open and worked
    cases.change_status(
        actor=care, case_id=case.id, status="waiting-on-customer", reason="need logs", now=later(8)
    )
    if plan < 0.42:
        return True  # waiting on the customer
    cases.add_comment(actor=contact.user, case_id=case.id, body="Logs attached.", now=later(30))
    if plan < 0.55:
        return True
    cases.change_status(
        actor=care, case_id=case.id, status="restored", reason="workaround in place", now=later(24)
    )
    if plan < 0.65:
        return True
    cases.change_status(
        actor=care,
        case_id=case.id,
        status="resolution-proposed",
        reason="fix deployed",
        # A Priority 1 outage is resolved with its initial RCA (and gets an RCA follow-up).
        initial_rca="A configuration change on the media tier dropped calls; it was rolled back.",
        now=later(48),
    )
    if plan < 0.8:
        return True
    for link in CaseLink.objects.filter(from_case=case, kind=CaseLink.Kind.RCA_FOLLOW_UP):
        # The P1 closes only once its RCA follow-up is complete.
        cases.change_status(
            actor=care,
            case_id=link.to_case_id,
            status="resolution-proposed",
            reason="comprehensive RCA delivered",
            now=later(24),
        )
    cases.change_status(
        actor=contact.user, case_id=case.id, status="closed", reason="confirmed", now=later(24)
    )
    return True
