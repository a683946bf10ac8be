"""The escalation ladder is the one the case's policy lays out.

Each test hand-builds a variant of the shipped PureCloud Customer Care policy from its TOML
(a different step order, fewer steps, other required fields) and has the policy loader give
it for that id, so the service can only pass by reading the policy. Instants are New York
times (the vendor's mailbox calendar: Monday-Friday 08:00-17:00, US holidays).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Any

import pytest

from caredesk.automation import services as automation
from caredesk.automation.escalation import DEFAULT_LADDER, Ladder, Rung, ladder_of
from caredesk.automation.models import Outbox, Timer
from caredesk.cases.models import Case, CaseEvent
from caredesk.core import policy as policies
from caredesk.core.policy import Policy, parse_policy
from caredesk.core.tomlread import PolicyError
from caredesk.infra.errors import Conflict, DomainError
from caredesk.testing import World, ny, open_customer_case, open_reseller_case

CARE = "purecloud-customer-care"
CARE_FILE = "purecloud-customer-care-v1.toml"
RESELLER = "genesys-care-cloud-reseller"


def care_variant(**escalation: Any) -> Policy:
    """The shipped Customer Care policy with its escalation table's keys replaced."""
    text = (resources.files("caredesk") / "policies" / CARE_FILE).read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    doc["escalation"].update(escalation)
    return parse_policy(doc, CARE_FILE)


@pytest.fixture
def use_policy(monkeypatch: pytest.MonkeyPatch) -> Callable[[Policy], None]:
    """Make the loader give ``variant`` for its id (every version asked of it)."""
    shipped = policies.load

    def install(variant: Policy) -> None:
        def load(name: str, **kwargs: Any) -> Policy:
            return variant if name == variant.id else shipped(name, **kwargs)

        monkeypatch.setattr(policies, "load", load)

    return install


def climb(world: World, case: Case, at: datetime, **fields: str) -> str:
    values = {"description": "No progress for a day", "business_impact": "200 agents idle"}
    values.update(fields)
    return automation.escalate(actor=world.customer_contact.user, case_id=case.id, now=at, **values)


def written() -> tuple[int, int, int]:
    """What a refused escalation must leave as it was: events, deliveries, timers."""
    return CaseEvent.objects.count(), Outbox.objects.count(), Timer.objects.count()


def with_tam(world: World) -> None:
    world.customer.tam = world.manager.user
    world.customer.save()


def test_the_service_climbs_the_policys_steps_in_the_policys_order(
    world: World, use_policy: Callable[[Policy], None]
) -> None:
    with_tam(world)
    use_policy(care_variant(steps=["tam", "management-attention", "case"]))
    case = open_customer_case(world, ny(11, 20, 15), severity=2)
    at = ny(11, 20, 16, 30)
    assert climb(world, case, at) == "tam"
    assert not Outbox.objects.filter(event="escalation-mailbox")
    assert climb(world, case, at) == "management-attention"
    (mail,) = Outbox.objects.filter(event="escalation-mailbox")
    assert mail.payload["to"] == "PureCloudManagementAttention@genesys.com"
    # From Friday 16:30 New York, one business day of the mailbox: Friday 0.5 h + Monday
    # 8.5 h -> Monday 23 Nov 16:30 EST.
    rung = case.events.get(kind="escalation-requested", data__step="management-attention")
    assert rung.data["due"] == "2026-11-23T21:30:00+00:00"
    assert climb(world, case, at) == "case"
    steps = case.events.filter(kind="escalation-requested").order_by("seq")
    assert [e.data["step"] for e in steps] == ["tam", "management-attention", "case"]
    before = written()
    with pytest.raises(Conflict, match=r"every rung"):
        climb(world, case, ny(11, 20, 17))
    assert written() == before


def test_a_shorter_ladder_ends_sooner_and_writes_nothing_past_its_top(
    world: World, use_policy: Callable[[Policy], None]
) -> None:
    with_tam(world)
    use_policy(care_variant(steps=["case"]))
    case = open_customer_case(world, ny(11, 20, 15), severity=2)
    assert climb(world, case, ny(11, 20, 16)) == "case"
    before = written()
    with pytest.raises(Conflict, match=r"every rung"):
        climb(world, case, ny(11, 20, 16, 5))
    assert written() == before
    assert not Outbox.objects.filter(event="escalation-mailbox")
    assert not Timer.objects.filter(case=case, kind="deadline-overdue")


def test_the_tam_rung_is_passed_over_when_the_organisation_has_no_tam(world: World) -> None:
    assert world.customer.tam is None
    case = open_customer_case(world, ny(11, 20, 15), severity=2)
    assert climb(world, case, ny(11, 20, 16)) == "case"
    assert climb(world, case, ny(11, 20, 16, 30)) == "management-attention"
    before = written()
    with pytest.raises(Conflict, match=r"every rung"):
        climb(world, case, ny(11, 20, 17))
    assert written() == before


def test_the_fields_the_policy_requires_are_required_and_only_those(
    world: World, use_policy: Callable[[Policy], None]
) -> None:
    use_policy(care_variant(case_request_requires=["business_impact"]))
    case = open_customer_case(world, ny(11, 20, 15), severity=2)
    before = written()
    with pytest.raises(DomainError, match=r"^the business impact is required to escalate$"):
        climb(world, case, ny(11, 20, 16), description="", business_impact="  ")
    assert written() == before
    assert climb(world, case, ny(11, 20, 16), description=" ") == "case"
    assert case.events.get(kind="escalation-requested").data["description"] == ""

    use_policy(care_variant(case_request_requires=[]))
    assert climb(world, case, ny(11, 20, 16, 5), description="", business_impact="") == (
        "management-attention"
    )


def test_both_fields_are_required_under_the_shipped_table(world: World) -> None:
    case = open_customer_case(world, ny(11, 20, 15), severity=2)
    before = written()
    with pytest.raises(DomainError) as refused:
        climb(world, case, ny(11, 20, 16), description=" ", business_impact="")
    assert [e["field"] for e in refused.value.errors] == ["description", "business_impact"]
    assert written() == before


def test_a_policy_without_an_escalation_table_climbs_the_default_ladder(world: World) -> None:
    # The reseller policy has no [escalation]: a request in the case, then the TAM, and no
    # management-attention mailbox (the policy names none).
    assert policies.load(RESELLER).escalation is None
    assert ladder_of(policies.load(RESELLER)) == DEFAULT_LADDER
    world.reseller.tam = world.manager.user
    world.reseller.save()
    case = open_reseller_case(world, ny(11, 23, 10))
    contact = world.reseller_contacts[0].user
    before = written()
    with pytest.raises(DomainError, match=r"a description of the issue is required"):
        automation.escalate(
            actor=contact, case_id=case.id, description="", business_impact="x", now=ny(11, 23, 11)
        )
    assert written() == before

    def step(at: datetime) -> str:
        return automation.escalate(
            actor=contact, case_id=case.id, description="d", business_impact="b", now=at
        )

    assert [step(ny(11, 23, 11)), step(ny(11, 23, 12))] == ["case", "tam"]
    before = written()
    with pytest.raises(Conflict, match=r"every rung"):
        step(ny(11, 23, 13))
    assert written() == before
    assert not Outbox.objects.filter(event="escalation-mailbox")


def test_the_ladder_is_read_from_the_table_or_refused_naming_what_it_cannot_climb() -> None:
    assert ladder_of(care_variant(steps=["management-attention", "case"])) == Ladder(
        steps=(Rung.MANAGEMENT_ATTENTION, Rung.CASE), requires=("description", "business_impact")
    )
    with pytest.raises(PolicyError, match=r"escalation.steps: unknown step 'phone-the-ceo'"):
        ladder_of(care_variant(steps=["case", "phone-the-ceo"]))
    with pytest.raises(
        PolicyError, match=r"escalation.case_request_requires: unknown field 'region'"
    ):
        ladder_of(care_variant(case_request_requires=["description", "region"]))


def test_every_shipped_policy_lays_out_a_ladder_the_automation_can_climb() -> None:
    for policy in policies.list_policies():
        ladder = ladder_of(policy)
        if policy.escalation is None:
            assert ladder == DEFAULT_LADDER, policy
        else:
            assert ladder.steps == policy.escalation.steps, policy
            assert ladder.requires == policy.escalation.case_request_requires, policy


def test_climbing_passes_over_taken_rungs_and_the_tam_without_one() -> None:
    ladder = Ladder(steps=(Rung.TAM, Rung.CASE, Rung.MANAGEMENT_ATTENTION), requires=())
    assert ladder.climb(taken=[], has_tam=True) == Rung.TAM
    assert ladder.climb(taken=[], has_tam=False) == Rung.CASE
    assert ladder.climb(taken=["tam", "case"], has_tam=True) == Rung.MANAGEMENT_ATTENTION
    assert ladder.climb(taken=["case", "management-attention"], has_tam=False) is None
