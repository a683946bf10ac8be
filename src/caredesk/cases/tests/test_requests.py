"""Requests for an RCA or further documentation (seeds 000-002, "Root cause analysis"): a new
case naming the original case and the contact information for distributing the document.

Kenji works for Initech KK (PureCloud Customer Care, Tokyo). The frozen clock reads Monday
2026-11-23 10:00 New York (15:00 UTC, Tuesday 00:00 Tokyo).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from caredesk.cases import services
from caredesk.cases.models import Case, CaseEvent, CaseLink
from caredesk.cases.tests.test_api import Api
from caredesk.conftest import START
from caredesk.infra.errors import DomainError
from caredesk.testing import (
    PURECLOUD_INTAKE,
    World,
    customer_case_payload,
    kinds,
    open_customer_case,
    open_reseller_case,
)

LATER = START + timedelta(hours=1)
DISTRIBUTION = "Kenji Sato, kenji@initech.example; cc it-leads@initech.example"


def request_payload(world: World, case_type: str, **request: str) -> dict[str, Any]:
    """Kenji asks, an hour after START, for a document about a case (``request``: the
    request's own intake fields)."""
    return customer_case_payload(
        world,
        LATER,
        case_type=case_type,
        subject="Comprehensive RCA for the callback outage",
        description="Please send the documentation of the outage.",
        intake_fields={**PURECLOUD_INTAKE, **request},
    )


def open_request(world: World, case_type: str, **request: str) -> Case:
    """Kenji's request of ``request_payload`` about the case he opened at START, the document
    to go to DISTRIBUTION (``request``: the request's further intake fields)."""
    original = open_customer_case(world, START)
    return services.open_case(
        **request_payload(
            world,
            case_type,
            original_case=original.number,
            distribution_contact=DISTRIBUTION,
            **request,
        )
    ).case


def refusal(payload: dict[str, Any]) -> DomainError:
    cases, events, links = Case.objects.count(), CaseEvent.objects.count(), CaseLink.objects.count()
    with pytest.raises(DomainError) as err:
        services.open_case(**payload)
    # Nothing written.
    assert (Case.objects.count(), CaseEvent.objects.count(), CaseLink.objects.count()) == (
        cases,
        events,
        links,
    )
    return err.value


@pytest.mark.parametrize("case_type", ["rca", "documentation"])
def test_a_request_names_its_original_case_and_is_linked_to_it(
    world: World, case_type: str
) -> None:
    original = open_customer_case(world, START, severity=2)
    opened = services.open_case(
        **request_payload(
            world,
            case_type,
            original_case=f"  {original.number.lower()} ",
            distribution_contact=DISTRIBUTION,
            follow_up_discussion="Yes: our IT leads",
        )
    )
    request = opened.case
    assert request.case_type == case_type
    # The number is stored as the case's own.
    assert request.intake["original_case"] == original.number
    assert request.intake["distribution_contact"] == DISTRIBUTION
    link = CaseLink.objects.get()
    assert (link.from_case, link.to_case, link.kind) == (request, original, "documentation")
    assert link.created_at == LATER
    assert kinds(request) == ["opened", "linked"]
    assert request.events.get(kind="linked").data == {
        "to": original.number,
        "kind": "documentation",
    }
    told = original.events.get(kind="linked")
    assert (told.data, told.at, told.actor) == (
        {"from": request.number, "kind": "documentation"},
        LATER,
        world.customer_contact.user,
    )


def test_the_follow_up_discussion_is_optional(world: World) -> None:
    request = open_request(world, "documentation")
    assert "follow_up_discussion" not in request.intake


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"distribution_contact": DISTRIBUTION}, ["original_case"]),
        ({"original_case": "CD0000001"}, ["distribution_contact"]),
        (
            {"original_case": " ", "distribution_contact": ""},
            ["original_case", "distribution_contact"],
        ),
    ],
)
def test_a_request_missing_a_required_field_is_refused_naming_it(
    world: World, given: dict[str, str], missing: list[str]
) -> None:
    open_customer_case(world, START)  # CD0000001
    err = refusal(request_payload(world, "documentation", **given))
    assert err.status == 422
    assert err.message == "the case cannot be opened; fix: " + ", ".join(
        f"intake.{key}" for key in missing
    )
    labels = {
        "original_case": "Case number of the original trouble reported (original_case) is required",
        "distribution_contact": (
            "Contact information for distributing the documentation (distribution_contact) "
            "is required"
        ),
    }
    assert err.errors == [{"field": f"intake.{key}", "message": labels[key]} for key in missing]


def test_an_unknown_original_case_is_refused_naming_the_number(world: World) -> None:
    open_customer_case(world, START)
    err = refusal(
        request_payload(world, "rca", original_case="CD0009999", distribution_contact=DISTRIBUTION)
    )
    assert err.status == 422
    assert err.message == (
        "original case 'CD0009999' is not a case you can see; expected the number of the "
        "case this request is about, such as 'CD0000123'"
    )
    assert err.errors == [
        {"field": "intake.original_case", "message": "no case 'CD0009999' of yours"}
    ]


def test_another_organisations_case_reads_as_unknown(world: World) -> None:
    # The reseller's case exists, but Kenji (Initech) cannot see it: the same refusal as a
    # number that does not exist, so the request tells nothing of other tenants' cases.
    theirs = open_reseller_case(world, START)
    err = refusal(
        request_payload(
            world, "documentation", original_case=theirs.number, distribution_contact="x"
        )
    )
    assert (err.status, err.message) == (
        422,
        f"original case {theirs.number!r} is not a case you can see; expected the number of "
        "the case this request is about, such as 'CD0000123'",
    )
    # Care logging the request for Kenji sees every case, but the request is Kenji's.
    payload = request_payload(
        world, "documentation", original_case=theirs.number, distribution_contact="x"
    )
    payload.update(actor=world.engineer.user, on_behalf_of=world.customer_contact.id)
    assert refusal(payload).message == err.message


def test_request_fields_belong_to_requests(world: World) -> None:
    original = open_customer_case(world, START)
    err = refusal(
        customer_case_payload(
            world, LATER, intake_fields={**PURECLOUD_INTAKE, "original_case": original.number}
        )
    )
    assert err.errors == [
        {
            "field": "intake.original_case",
            "message": (
                "intake field 'original_case' is asked only of rca and documentation cases, "
                "not of an incident case"
            ),
        }
    ]


def test_the_api_refuses_a_request_with_422_and_links_an_accepted_one(
    world: World, tokens: dict[str, str]
) -> None:
    kenji = Api(tokens["customer"])
    original = open_customer_case(world, START)
    intake = {**PURECLOUD_INTAKE, "original_case": original.number}
    body: dict[str, Any] = {
        "case_type": "documentation",
        "severity": 4,
        "channel": "portal",
        "subject": "Further documentation of the callback delays",
        "description": "Please send the configuration notes.",
        "intake": intake,
    }
    status, refused = kenji.post("/cases", body)
    assert (status, refused["detail"]) == (
        422,
        "the case cannot be opened; fix: intake.distribution_contact",
    )
    assert Case.objects.count() == 1
    body["intake"] = {**intake, "distribution_contact": DISTRIBUTION}
    status, opened = kenji.post("/cases", body)
    assert status == 201
    assert opened["intake"]["original_case"] == original.number
    _, history = kenji.get(f"/cases/{opened['id']}/events")
    assert [(e["kind"], e["data"]) for e in history][-1] == (
        "linked",
        {"to": original.number, "kind": "documentation"},
    )
