"""A form that asks its user about likely duplicates first: the service refuses the case
while open cases look like it, and opens it when the user says it is another issue
(SPEC 3: one issue per case; likely duplicates are pointed out)."""

from __future__ import annotations

import pytest

from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import World, reseller_case_payload


def test_likely_duplicates_refuse_the_case_until_confirmed(world: World) -> None:
    first = services.open_case(**reseller_case_payload(world, START)).case
    again = reseller_case_payload(world, START, subject="Agents cannot go on queue now")
    with pytest.raises(services.LikelyDuplicates) as refusal:
        services.open_case(**again, refuse_duplicates=True)
    assert refusal.value.status == 409
    assert refusal.value.message == (
        f"open cases look like this one ({first.number}); open it anyway only if it is "
        "another issue"
    )
    assert refusal.value.duplicates == [
        services.Duplicate(first.id, first.number, "Agents cannot go on queue")
    ]
    assert Case.objects.count() == 1  # nothing written
    opened = services.open_case(**again)  # "open anyway"
    assert opened.possible_duplicates == refusal.value.duplicates
    assert Case.objects.count() == 2


def test_a_case_like_no_other_opens_at_once(world: World) -> None:
    services.open_case(**reseller_case_payload(world, START))
    other = reseller_case_payload(world, START, subject="Reports are empty")
    assert services.open_case(**other, refuse_duplicates=True).possible_duplicates == []
