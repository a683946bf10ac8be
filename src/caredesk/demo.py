"""A realistic demo data set, built through the services so every case has a real history.

The vendor and its Care staff; two resellers with end-user accounts in New York, London and
Tokyo; two direct customers; designated contacts; 200 cases across severities and states
opened over the last four weeks.

The organisations and people are data below; ``load`` creates them in order, then draws the
cases from a seeded random generator, so every load holds the same demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation, Profile
from caredesk.cases import services as cases
from caredesk.cases.models import CaseLink
from caredesk.demo_showcase import load_showcase
from caredesk.infra.errors import DomainError

DEMO_PASSWORD = "caredesk-demo"
VENDOR = "genesys"


# Intake answers the demo cases carry (the tests open cases with the same answers).
RESELLER_INTAKE = {
    "account_name": "Acme / Contact centre",
    "users_affected": "40",
    "frequency": "every call",
    "first_observed": "2026-11-20 15:00 EST",
    "business_impact": "agents cannot take inbound calls",
    "reproduction_steps": "log in as agent, go on queue",
    "local_contact": "Rita, +1 212 555 0100",
    "working_hours_location": "Mon-Fri 08:00-17:00, New York",
    "first_level_actions": "checked the agents' status and queue membership; cleared the "
    "browser cache; the same error with another agent and another browser",
    "documentation_consulted": "Help on queues; User Guide and Support FAQs; Service "
    "Advisories on My Support (none about queues)",
    "reproduced": "yes",
}
PURECLOUD_INTAKE = {
    "org_short_name": "initech",
    "org_id": "8c2d5f5e-1d2a-4b55-9e3c-1a2b3c4d5e6f",
    "business_impact": "callbacks are delayed",
}


@dataclass
class Demo:
    people: dict[str, Profile]
    tokens: dict[str, str]
    cases: int


def loaded() -> bool:
    return Organisation.objects.filter(short_name=VENDOR).exists()


# The number a critical case gives for its contact, by the organisation's country.
CRITICAL_CONTACT_PHONES = {
    "US": "+1 212 555 0100",
    "GB": "+44 20 7946 0000",
    "JP": "+81 3-1234-5678",
}
RESELLER_POLICY = "genesys-care-cloud-reseller"
# Every customer and reseller of the demo has this technical account manager, so that a
# breach's escalation to the TAM shows (the vendor has none).
TAM_EMAIL = "tom@care.example"


@dataclass(frozen=True)
class DemoOrganisation:
    short_name: str
    name: str
    kind: str
    policy: str
    plan: str
    country: str
    timezone: str
    subdivision: str = ""
    region: str = ""
    licences: tuple[str, ...] = ()
    parent: str | None = None  # the reseller's short name
    tam: str | None = TAM_EMAIL  # its technical account manager (Care), by e-mail


@dataclass(frozen=True)
class DemoPerson:
    organisation: str  # short name
    email: str
    name: str
    key: str = ""  # the name the demo prints with the person's token; "": no token
    role: str = "contact"
    designated: bool = True  # a contact who has done the training and has credentials
    language: str = "en"
    timezone: str | None = None  # None: the organisation's


# In the order they are created: a reseller before its customers.
ORGANISATIONS = (
    DemoOrganisation(
        VENDOR,
        "Genesys",
        kind="vendor",
        policy="purecloud-support",
        plan="standard",
        country="US",
        timezone="America/New_York",
        tam=None,
    ),
    DemoOrganisation(
        "acme-reseller",
        "Acme Reseller",
        kind="reseller",
        policy=RESELLER_POLICY,
        plan="care-for-cloud",
        country="US",
        subdivision="NY",
        timezone="America/New_York",
        region="North America",
    ),
    DemoOrganisation(
        "sakura-partners",
        "Sakura Partners",
        kind="reseller",
        policy=RESELLER_POLICY,
        plan="business-care",
        country="JP",
        timezone="Asia/Tokyo",
        region="APAC",
    ),
    DemoOrganisation(
        "globex-london",
        "Globex London",
        kind="customer",
        parent="acme-reseller",
        policy=RESELLER_POLICY,
        plan="business-care",
        country="GB",
        timezone="Europe/London",
        region="EMEA",
    ),
    DemoOrganisation(
        "hooli-ny",
        "Hooli New York",
        kind="customer",
        parent="acme-reseller",
        policy=RESELLER_POLICY,
        plan="care-for-cloud",
        country="US",
        subdivision="NY",
        timezone="America/New_York",
        region="North America",
    ),
    DemoOrganisation(
        "nakatomi",
        "Nakatomi Trading",
        kind="customer",
        parent="sakura-partners",
        policy=RESELLER_POLICY,
        plan="business-care",
        country="JP",
        timezone="Asia/Tokyo",
        region="APAC",
    ),
    DemoOrganisation(
        "initech",
        "Initech KK",
        kind="customer",
        policy="purecloud-customer-care",
        plan="standard",
        country="JP",
        timezone="Asia/Tokyo",
        licences=("communicate", "chat"),
        region="APAC",
    ),
    DemoOrganisation(
        "umbrella",
        "Umbrella Corp",
        kind="customer",
        policy="purecloud-support",
        plan="standard",
        country="US",
        timezone="America/Chicago",
        licences=("engage",),
        region="North America",
    ),
)

CARE_STAFF = (
    DemoPerson(VENDOR, "erin@care.example", "Erin Engineer", "engineer", role="engineer"),
    DemoPerson(VENDOR, "max@care.example", "Max Manager", "manager", role="manager"),
    DemoPerson(VENDOR, "admin@care.example", "Ada Admin", "admin", role="admin"),
    DemoPerson(VENDOR, TAM_EMAIL, "Tom TAM", "tam", role="engineer"),
)

# One designated contact an organisation; the demo's cases are opened by these.
CASE_CONTACTS = (
    DemoPerson("acme-reseller", "rita@acme.example", "Rita Reseller", "contact-acme"),
    DemoPerson(
        "globex-london",
        "gina@globex.example",
        "Gina Globex",
        "contact-globex",
        timezone="Europe/London",
    ),
    DemoPerson("hooli-ny", "hank@hooli.example", "Hank Hooli", "contact-hooli"),
    DemoPerson(
        "sakura-partners", "sora@sakura.example", "Sora Sakura", "contact-sakura", language="ja"
    ),
    DemoPerson(
        "nakatomi", "naoko@nakatomi.example", "Naoko Nakatomi", "contact-nakatomi", language="ja"
    ),
    DemoPerson("initech", "kenji@initech.example", "Kenji Sato", "contact-initech", language="ja"),
    DemoPerson("umbrella", "uma@umbrella.example", "Uma Umbrella", "contact-umbrella"),
)

# Acme has its two designated contacts; Sakura has one and shows as short of two.
OTHER_CONTACTS = (
    DemoPerson("acme-reseller", "ravi@acme.example", "Ravi Reseller"),
    DemoPerson("sakura-partners", "new@sakura.example", "Nao New", designated=False),
)

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


def _create_organisation(
    org: DemoOrganisation, created: dict[str, Organisation], tams: dict[str, int], now: datetime
) -> Organisation:
    return accounts.create_organisation(
        actor=None,
        short_name=org.short_name,
        name=org.name,
        kind=org.kind,
        policy=org.policy,
        plan=org.plan,
        country=org.country,
        timezone=org.timezone,
        subdivision=org.subdivision,
        region=org.region,
        licences=org.licences,
        parent_id=created[org.parent].id if org.parent else None,
        tam_id=tams[org.tam] if org.tam else None,
        now=now,
    )


def _create_person(
    person: DemoPerson, organisation: Organisation, trainer: Profile | None, now: datetime
) -> Profile:
    profile = accounts.create_person(
        actor=None,
        email=person.email,
        name=person.name,
        organisation=organisation,
        role=person.role,
        language=person.language,
        timezone=person.timezone,
        password=DEMO_PASSWORD,
        now=now,
    )
    if person.role == "contact" and person.designated and trainer is not None:
        accounts.complete_training(actor=trainer.user, person=profile, now=now)
        accounts.issue_credentials(actor=trainer.user, person=profile, now=now)
    return profile


@transaction.atomic
def load(now: datetime, *, seed: int = 20261123, case_count: int = 200) -> Demo:
    """Load the demo into an empty database; ``now`` is the last instant used."""
    start = now - timedelta(days=28)
    # The vendor and its Care staff first: the other organisations name a TAM among them.
    vendor, *customers = ORGANISATIONS
    orgs = {VENDOR: _create_organisation(vendor, {}, {}, start)}
    people = {
        person.key: _create_person(person, orgs[person.organisation], None, start)
        for person in CARE_STAFF
    }
    tams = {p.user.email: p.user.id for p in people.values()}
    for org in customers:
        orgs[org.short_name] = _create_organisation(org, orgs, tams, start)
    engineer = people["engineer"]
    for person in CASE_CONTACTS + OTHER_CONTACTS:
        profile = _create_person(person, orgs[person.organisation], engineer, start)
        if person.key:
            people[person.key] = profile
    contacts = [people[person.key] for person in CASE_CONTACTS]

    rng = random.Random(seed)
    made = 0
    for n in range(case_count):
        contact = rng.choice(contacts)
        opened_at = start + timedelta(minutes=rng.randrange(0, 27 * 24 * 60))
        if _one_case(rng, n, contact, engineer, opened_at, now):
            made += 1
    # Last, relative to ``now``: the cases whose clocks show every state side by side.
    made += load_showcase(people["contact-initech"], engineer.user, now)
    tokens = {
        name: accounts.issue_token(user=p.user, name="demo", now=now) for name, p in people.items()
    }
    return Demo(people, tokens, made)


def _one_case(
    rng: random.Random,
    n: int,
    contact: Profile,
    engineer: Profile,
    opened_at: datetime,
    now: datetime,
) -> bool:
    """Open the demo's case number ``n`` and give it a history; False if it was refused."""
    fields = _case_fields(rng, n, contact, opened_at)
    try:
        case = cases.open_case(**fields).case
    except DomainError:
        return False
    # Under the reseller policy a High case may turn critical by phone.
    may_be_raised_by_phone = (
        contact.organisation.policy == RESELLER_POLICY and fields["severity"] == 2
    )
    _work_case(rng, case.id, contact, engineer.user, may_be_raised_by_phone, opened_at, now)
    return True


def _case_fields(
    rng: random.Random, n: int, contact: Profile, opened_at: datetime
) -> dict[str, Any]:
    org = contact.organisation
    reseller_policy = org.policy == RESELLER_POLICY
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
        "critical_contact_phone": CRITICAL_CONTACT_PHONES[org.country],
    }
    if reseller_policy:
        fields["intake_fields"] = dict(RESELLER_INTAKE)
        fields["product"] = "pureengage-cloud"
    else:
        fields["intake_fields"] = dict(PURECLOUD_INTAKE, org_short_name=org.short_name)
    if rng.random() < 0.15:
        fields["case_type"] = "admin"
    return fields


def _work_case(
    rng: random.Random,
    case_id: int,
    contact: Profile,
    care: User,
    may_be_raised_by_phone: bool,
    opened_at: datetime,
    now: datetime,
) -> None:
    """Take the case a random way along new, worked, waiting, restored, resolved, closed."""
    moment = opened_at
    plan = rng.random()

    def later(hours: float) -> datetime:
        nonlocal moment
        moment = min(moment + timedelta(hours=rng.uniform(0.1, hours)), now)
        return moment

    if plan < 0.12:
        return  # still new, nobody has answered
    cases.add_comment(
        actor=care, case_id=case_id, body="Thanks, we are looking into it.", now=later(6)
    )
    if may_be_raised_by_phone and rng.random() < 0.1:
        cases.phone_raise(
            actor=care,
            case_id=case_id,
            reason="the customer called: all down",
            contact_name=contact.user.get_full_name(),
            contact_phone=CRITICAL_CONTACT_PHONES[contact.organisation.country],
            now=later(1),
        )
    if plan < 0.3:
        return  # open and worked
    cases.change_status(
        actor=care, case_id=case_id, status="waiting-on-customer", reason="need logs", now=later(8)
    )
    if plan < 0.42:
        return  # waiting on the customer
    cases.add_comment(actor=contact.user, case_id=case_id, body="Logs attached.", now=later(30))
    if plan < 0.55:
        return
    cases.change_status(
        actor=care, case_id=case_id, status="restored", reason="workaround in place", now=later(24)
    )
    if plan < 0.65:
        return
    cases.change_status(
        actor=care,
        case_id=case_id,
        status="resolution-proposed",
        reason="fix deployed",
        # A Priority 1 outage is resolved with its initial RCA (and gets an RCA follow-up).
        initial_rca="A configuration change on the media tier dropped calls; it was rolled back.",
        now=later(48),
    )
    if plan < 0.8:
        return
    for link in CaseLink.objects.filter(from_case_id=case_id, kind=CaseLink.Kind.RCA_FOLLOW_UP):
        # The P1 closes only once its RCA follow-up is complete.
        cases.change_status(
            actor=care,
            case_id=link.to_case_id,
            status="resolution-proposed",
            reason="comprehensive RCA delivered",
            now=later(24),
        )
    cases.change_status(
        actor=contact.user, case_id=case_id, status="closed", reason="confirmed", now=later(24)
    )
