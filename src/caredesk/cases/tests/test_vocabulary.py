"""Case vocabularies have one home: event kinds (``EventKind``), severities (the policy's)."""

from __future__ import annotations

import dataclasses

import pytest

from caredesk.cases import intake, services
from caredesk.cases.models import CaseEvent, EventKind
from caredesk.conftest import START
from caredesk.core import policy as policies
from caredesk.testing import World, open_customer_case


def test_an_event_kind_outside_the_vocabulary_is_refused_and_nothing_written(
    world: World,
) -> None:
    case = open_customer_case(world, START)
    with pytest.raises(ValueError, match="unknown case event kind 'sla-breach'; see EventKind"):
        services.append_event(case, kind="sla-breach", at=START, actor=None)
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        EventKind.OPENED
    ]


def test_severities_are_the_policys() -> None:
    shipped = policies.load("purecloud-support")
    assert intake.severity_error(shipped, 4) is None
    assert intake.severity_error(shipped, 5) == "unknown severity 5; expected 1, 2, 3 or 4"
    assert intake.severity_error(shipped, True) == "unknown severity True; expected 1, 2, 3 or 4"
    three = dataclasses.replace(
        shipped, severities={k: v for k, v in shipped.severities.items() if k != 4}
    )
    assert intake.severity_error(three, 4) == "unknown severity 4; expected 1, 2 or 3"
    assert intake.severity_error(three, 3) is None
