"""The case lifecycle: one transition table, categories driving the SLA clock."""

from __future__ import annotations

import pytest

from caredesk.core.lifecycle import (
    CATEGORY,
    TRANSITIONS,
    CaseStatus,
    Category,
    IllegalTransition,
    check_transition,
    parse_status,
)


def test_every_status_has_a_category_and_a_row() -> None:
    assert set(CATEGORY) == set(CaseStatus) == set(TRANSITIONS)
    assert CATEGORY[CaseStatus.WAITING_ON_CUSTOMER] is Category.PAUSED
    assert CATEGORY[CaseStatus.RESOLUTION_PROPOSED] is Category.RESOLVED


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("new", "open"),
        ("open", "waiting-on-customer"),
        ("waiting-on-customer", "open"),
        ("open", "restored"),
        ("restored", "resolution-proposed"),
        ("resolution-proposed", "open"),  # reopen
        ("resolution-proposed", "closed"),
        ("waiting-on-customer", "closed"),  # stale closure
    ],
)
def test_legal_moves(current: str, target: str) -> None:
    check_transition(CaseStatus(current), CaseStatus(target))


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("closed", "open"),
        ("resolution-proposed", "waiting-on-customer"),
        ("open", "open"),
        ("open", "new"),
    ],
)
def test_illegal_moves_are_refused_with_both_names(current: str, target: str) -> None:
    with pytest.raises(IllegalTransition) as err:
        check_transition(CaseStatus(current), CaseStatus(target))
    assert f"from {current!r} to {target!r}" in str(err.value)


def test_closed_is_final() -> None:
    with pytest.raises(IllegalTransition, match=r"none \(final\)"):
        check_transition(CaseStatus.CLOSED, CaseStatus.OPEN)


def test_parse_status() -> None:
    assert parse_status("Waiting_on_customer") is CaseStatus.WAITING_ON_CUSTOMER
    with pytest.raises(ValueError, match=r"unknown case status 'limbo'"):
        parse_status("limbo")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("waiting on customer", CaseStatus.WAITING_ON_CUSTOMER),
        (" Resolution Proposed ", CaseStatus.RESOLUTION_PROPOSED),
        ("RESTORED", CaseStatus.RESTORED),
        ("new", CaseStatus.NEW),
    ],
)
def test_parse_status_spellings(text: str, status: CaseStatus) -> None:
    assert parse_status(text) is status


def test_unknown_statuses_list_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"^unknown case status 'limbo'") as err:
        parse_status("limbo")
    assert str(err.value) == (
        "unknown case status 'limbo'; expected one of: new, open, waiting-on-customer, "
        "restored, resolution-proposed, closed"
    )
    with pytest.raises(ValueError, match=r"^unknown case status 5; expected one of: new, "):
        parse_status(5)  # type: ignore[arg-type]


def test_illegal_move_messages_list_the_allowed_ones() -> None:
    with pytest.raises(IllegalTransition) as err:
        check_transition(CaseStatus.RESOLUTION_PROPOSED, CaseStatus.RESTORED)
    assert str(err.value) == (
        "a case cannot move from 'resolution-proposed' to 'restored'; "
        "from 'resolution-proposed' it can move to: closed, open"
    )
    with pytest.raises(IllegalTransition) as err:
        check_transition(CaseStatus.CLOSED, CaseStatus.OPEN)
    assert str(err.value) == (
        "a case cannot move from 'closed' to 'open'; from 'closed' it can move to: none (final)"
    )


def test_an_illegal_move_keeps_its_facts_for_a_reader_in_another_language() -> None:
    # The services say the refusal in the reader's language from these, not from the text.
    with pytest.raises(IllegalTransition) as err:
        check_transition(CaseStatus.RESOLUTION_PROPOSED, CaseStatus.RESTORED)
    assert err.value.current is CaseStatus.RESOLUTION_PROPOSED
    assert err.value.target is CaseStatus.RESTORED
    assert err.value.allowed == (CaseStatus.CLOSED, CaseStatus.OPEN)
    with pytest.raises(IllegalTransition) as err:
        check_transition(CaseStatus.CLOSED, CaseStatus.OPEN)
    assert err.value.allowed == ()
