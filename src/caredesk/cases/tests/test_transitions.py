"""Every transition of the lifecycle table through the service, legal and illegal."""

from __future__ import annotations

import pytest

from caredesk.cases import services
from caredesk.cases.models import CaseEvent
from caredesk.conftest import START
from caredesk.core.lifecycle import TRANSITIONS, CaseStatus
from caredesk.infra.errors import Conflict, PermissionDenied
from caredesk.testing import World, open_customer_case

# How to bring a new case to each status through legal moves.
PATHS = {
    CaseStatus.NEW: [],
    CaseStatus.OPEN: ["open"],
    CaseStatus.WAITING_ON_CUSTOMER: ["open", "waiting-on-customer"],
    CaseStatus.RESTORED: ["open", "restored"],
    CaseStatus.RESOLUTION_PROPOSED: ["open", "resolution-proposed"],
    CaseStatus.CLOSED: ["closed"],
}
PAIRS = [(a, b) for a in CaseStatus for b in CaseStatus]


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_table_through_the_service(
    world: World, current: CaseStatus, target: CaseStatus
) -> None:
    case = open_customer_case(world, START)
    engineer = world.engineer.user
    for step in PATHS[current]:
        services.change_status(actor=engineer, case_id=case.id, status=step, now=START)
    before = CaseEvent.objects.filter(case=case).count()
    if target in TRANSITIONS[current]:
        services.change_status(
            actor=engineer, case_id=case.id, status=target.value, reason="test", now=START
        )
        case.refresh_from_db()
        assert case.status == target.value
        # (Care's reason reaches the customer: a first one is also its response.)
        last = case.events.filter(kind="status-changed").order_by("-seq").first()
        assert last is not None
        assert last.data == {"from": current.value, "to": target.value}
    else:
        with pytest.raises(Conflict, match=rf"cannot move from '{current}' to '{target}'"):
            services.change_status(actor=engineer, case_id=case.id, status=target.value, now=START)
        case.refresh_from_db()
        assert case.status == current.value
        assert CaseEvent.objects.filter(case=case).count() == before


def test_customers_reopen_or_close_but_do_not_work_the_case(world: World) -> None:
    case = open_customer_case(world, START)
    contact = world.customer_contact.user
    with pytest.raises(PermissionDenied, match=r"moving it to 'restored' is Care's"):
        services.change_status(actor=contact, case_id=case.id, status="restored", now=START)
    services.change_status(actor=world.engineer.user, case_id=case.id, status="open", now=START)
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=START
    )
    services.change_status(
        actor=contact, case_id=case.id, status="open", reason="still failing", now=START
    )
    services.change_status(actor=contact, case_id=case.id, status="closed", now=START)
    case.refresh_from_db()
    assert case.status == "closed"
    assert case.closed_at == START


def test_history_is_append_only(world: World) -> None:
    case = open_customer_case(world, START)
    event = case.events.get()
    event.reason = "rewritten"
    with pytest.raises(RuntimeError, match=r"append-only"):
        event.save()
    with pytest.raises(RuntimeError, match=r"append-only"):
        event.delete()
