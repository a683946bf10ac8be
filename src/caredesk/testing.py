"""Builders for tests and the demo: plain functions with explicit instants.

One home for the helpers the apps' tests share: ``ny`` (a New York wall time as an aware UTC
instant), ``drain`` (the worker at an instant), the cases the world's contacts open
(``open_reseller_case``, ``open_customer_case``) and the keyword arguments they open them
with (``reseller_case_payload``, ``customer_case_payload``: for tests that change a field or
expect a refusal), ``kinds`` (a case's history), ``mails`` (the e-mails a person was sent),
``speaks`` (a person's language), ``signed_in_client`` (a browser session of a person, for
the pages) and ``run_cli`` (the ``caredesk`` command, in-process).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.test import Client

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation, Profile
from caredesk.demo import PURECLOUD_INTAKE as PURECLOUD_INTAKE  # the tests open cases with them
from caredesk.demo import RESELLER_INTAKE as RESELLER_INTAKE

if TYPE_CHECKING:
    import pytest

    from caredesk.cases.models import Case

NEW_YORK = ZoneInfo("America/New_York")


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


# The one password the tests give a person so that a browser session can sign them in.
_TEST_PASSWORD = "pw-for-tests-123"


def speaks(profile: Profile, language: str) -> Profile:
    """``profile``, its language (what its pages, answers and e-mails are in) set to
    ``language``."""
    profile.language = language
    profile.save(update_fields=["language"])
    return profile


def signed_in_client(profile: Profile, *, language: str | None = None) -> Client:
    """A test browser signed in as ``profile`` (given a password for it); with ``language``,
    the profile's language is set first, so the pages answer in it."""
    if language is not None:
        speaks(profile, language)
    user = profile.user
    user.set_password(_TEST_PASSWORD)
    user.save()
    client = Client()
    assert client.login(username=user.username, password=_TEST_PASSWORD)
    return client


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``caredesk ARGS`` run in this process: its exit code, standard output and error."""
    from caredesk.cli import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- instants, the worker, cases ----------------------------------------------------------------


def ny(
    month: int, day: int, hour: int, minute: int = 0, second: int = 0, *, year: int = 2026
) -> datetime:
    """The instant of a New York wall time (EST or EDT, whichever is in force that day),
    as an aware UTC datetime: ``ny(11, 23, 10)`` is Monday 2026-11-23 10:00 EST, 15:00 UTC."""
    return datetime(year, month, day, hour, minute, second, tzinfo=NEW_YORK).astimezone(UTC)


def drain(now: datetime) -> None:
    """What the worker does at ``now``: rounds until nothing is left to do (fails if it keeps
    finding work: a timer that re-arms itself at or before ``now``)."""
    from caredesk.automation import worker

    for _ in range(50):
        done = worker.one_round(now)
        if not (done.fired or done.delivered or done.failed):
            return
    raise AssertionError("the worker kept finding work")


def kinds(case: Case) -> list[str]:
    """The kinds of a case's events, in order."""
    return list(case.events.order_by("seq").values_list("kind", flat=True))


def mails(to: Profile, event: str) -> list[tuple[str, str]]:
    """The (subject, body) of each e-mail of ``event`` the outbox holds for ``to``, in order."""
    from caredesk.automation.models import Outbox

    rows = Outbox.objects.filter(channel="email", event=event, payload__to=to.user.email)
    return [(row.payload["subject"], row.payload["body"]) for row in rows.order_by("id")]


def reseller_case_payload(world: World, at: datetime, **overrides: Any) -> dict[str, Any]:
    """``services.open_case`` arguments: Rita of the reseller (Care for Cloud) opens a
    severity 2 incident on PureEngage Cloud through the portal at ``at``."""
    fields: dict[str, Any] = {
        "actor": world.reseller_contacts[0].user,
        "now": at,
        "case_type": "incident",
        "severity": 2,
        "channel": "portal",
        "product": "pureengage-cloud",
        "subject": "Agents cannot go on queue",
        "description": "Since 15:00 agents get an error when going on queue.",
        "intake_fields": dict(RESELLER_INTAKE),
    }
    fields.update(overrides)
    return fields


def customer_case_payload(world: World, at: datetime, **overrides: Any) -> dict[str, Any]:
    """``services.open_case`` arguments: Kenji of Initech (Tokyo, PureCloud Customer Care)
    opens a severity 3 incident through the portal at ``at``."""
    fields: dict[str, Any] = {
        "actor": world.customer_contact.user,
        "now": at,
        "case_type": "incident",
        "severity": 3,
        "channel": "portal",
        "subject": "Callbacks are delayed",
        "description": "Callbacks wait ten minutes.",
        "intake_fields": dict(PURECLOUD_INTAKE),
    }
    fields.update(overrides)
    return fields


def open_reseller_case(world: World, at: datetime, **overrides: Any) -> Case:
    """The case of ``reseller_case_payload``, opened through the services."""
    from caredesk.cases import services

    return services.open_case(**reseller_case_payload(world, at, **overrides)).case


def open_customer_case(world: World, at: datetime, **overrides: Any) -> Case:
    """The case of ``customer_case_payload``, opened through the services."""
    from caredesk.cases import services

    return services.open_case(**customer_case_payload(world, at, **overrides)).case
