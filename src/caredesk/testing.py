"""Builders for tests and the demo: plain functions with explicit instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation, Profile


@dataclass
class World:
    """A vendor with Care staff, a reseller with an end-user account, a direct customer."""

    vendor: Organisation
    engineer: Profile
    manager: Profile
    reseller: Organisation
    reseller_contacts: tuple[Profile, Profile]
    account: Organisation  # an end user of the reseller
    account_contact: Profile
    customer: Organisation  # a direct PureCloud Customer Care customer in Tokyo
    customer_contact: Profile
    untrained: Profile  # a contact of the customer without the training

    def tokens(self, now: datetime) -> dict[str, str]:
        return {
            name: accounts.issue_token(user=profile.user, now=now)
            for name, profile in (
                ("engineer", self.engineer),
                ("manager", self.manager),
                ("reseller", self.reseller_contacts[0]),
                ("account", self.account_contact),
                ("customer", self.customer_contact),
                ("untrained", self.untrained),
            )
        }


def organisation(now: datetime, short_name: str, **fields: object) -> Organisation:
    defaults: dict[str, object] = {
        "name": short_name.replace("-", " ").title(),
        "kind": "customer",
        "policy": "genesys-care-cloud-reseller",
        "plan": "care-for-cloud",
        "country": "US",
        "timezone": "America/New_York",
    }
    defaults.update(fields)
    return accounts.create_organisation(actor=None, short_name=short_name, now=now, **defaults)  # type: ignore[arg-type]


def person(
    now: datetime,
    org: Organisation,
    email: str,
    *,
    role: str = "contact",
    designated: bool = True,
    engineer: Profile | None = None,
    **fields: Any,
) -> Profile:
    profile = accounts.create_person(
        actor=None,
        email=email,
        name=email.split("@")[0].title(),
        organisation=org,
        role=role,
        now=now,
        **fields,
    )
    if designated and role == "contact":
        assert engineer is not None
        accounts.complete_training(actor=engineer.user, person=profile, now=now)
    return profile


def build_world(now: datetime) -> World:
    vendor = organisation(
        now, "genesys", name="Genesys", kind="vendor", policy="purecloud-support", plan="standard"
    )
    engineer = person(now, vendor, "erin@care.example", role="engineer")
    manager = person(now, vendor, "max@care.example", role="manager")
    reseller = organisation(now, "acme-reseller", name="Acme Reseller", kind="reseller")
    r1 = person(now, reseller, "rita@acme.example", engineer=engineer)
    r2 = person(now, reseller, "ravi@acme.example", engineer=engineer)
    account = organisation(
        now,
        "globex",
        name="Globex",
        parent_id=reseller.id,
        plan="business-care",
        country="GB",
        timezone="Europe/London",
    )
    account_contact = person(now, account, "gina@globex.example", engineer=engineer)
    customer = organisation(
        now,
        "initech",
        name="Initech KK",
        policy="purecloud-customer-care",
        plan="standard",
        country="JP",
        timezone="Asia/Tokyo",
        licences=["communicate", "chat"],
    )
    customer_contact = person(now, customer, "kenji@initech.example", engineer=engineer)
    untrained = person(now, customer, "new@initech.example", designated=False)
    return World(
        vendor,
        engineer,
        manager,
        reseller,
        (r1, r2),
        account,
        account_contact,
        customer,
        customer_contact,
        untrained,
    )


RESELLER_INTAKE = {
    "account_name": "Acme / Contact centre",
    "users_affected": "40",
    "frequency": "every call",
    "first_observed": "2026-11-20 15:00 EST",
    "business_impact": "agents cannot take inbound calls",
    "reproduction_steps": "log in as agent, go on queue",
    "local_contact": "Rita, +1 212 555 0100",
    "working_hours_location": "Mon-Fri 08:00-17:00, New York",
}
PURECLOUD_INTAKE = {
    "org_short_name": "initech",
    "org_id": "8c2d5f5e-1d2a-4b55-9e3c-1a2b3c4d5e6f",
    "business_impact": "callbacks are delayed",
}
