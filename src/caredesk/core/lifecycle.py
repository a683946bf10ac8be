"""Case statuses, the category each falls in, and the one table of legal transitions."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting-on-customer"
    RESTORED = "restored"
    RESOLUTION_PROPOSED = "resolution-proposed"
    CLOSED = "closed"


class Category(StrEnum):
    """What a status means for SLA clocks (after Frappe Helpdesk's status categories)."""

    OPEN = "open"  # Care is working: every clock runs
    PAUSED = "paused"  # waiting on the customer: restoration and resolution stop counting
    RESOLVED = "resolved"  # a solution is with the customer or the case is done


CATEGORY: dict[CaseStatus, Category] = {
    CaseStatus.NEW: Category.OPEN,
    CaseStatus.OPEN: Category.OPEN,
    CaseStatus.WAITING_ON_CUSTOMER: Category.PAUSED,
    # Service is back but the root cause is still being worked: resolution keeps running.
    CaseStatus.RESTORED: Category.OPEN,
    CaseStatus.RESOLUTION_PROPOSED: Category.RESOLVED,
    CaseStatus.CLOSED: Category.RESOLVED,
}

_WORKING = (
    CaseStatus.OPEN,
    CaseStatus.WAITING_ON_CUSTOMER,
    CaseStatus.RESTORED,
    CaseStatus.RESOLUTION_PROPOSED,
    CaseStatus.CLOSED,
)

TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.NEW: frozenset(_WORKING),
    CaseStatus.OPEN: frozenset(_WORKING) - {CaseStatus.OPEN},
    CaseStatus.WAITING_ON_CUSTOMER: frozenset(_WORKING) - {CaseStatus.WAITING_ON_CUSTOMER},
    CaseStatus.RESTORED: frozenset(_WORKING) - {CaseStatus.RESTORED},
    # Reopen (a reported issue) or close; nothing else follows a proposed resolution.
    CaseStatus.RESOLUTION_PROPOSED: frozenset({CaseStatus.OPEN, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class IllegalTransition(ValueError):
    """A status change the lifecycle does not allow; it keeps the facts (the two statuses
    and where ``current`` may go) so that a caller can say them in a reader's language."""

    def __init__(self, current: CaseStatus, target: CaseStatus) -> None:
        self.current = current
        self.target = target
        self.allowed = tuple(sorted(TRANSITIONS[current], key=lambda s: s.value))
        allowed = ", ".join(s.value for s in self.allowed) or "none (final)"
        super().__init__(
            f"a case cannot move from {current.value!r} to {target.value!r}; "
            f"from {current.value!r} it can move to: {allowed}"
        )


def parse_status(text: str) -> CaseStatus:
    try:
        return CaseStatus(text.strip().lower().replace("_", "-").replace(" ", "-"))
    except (ValueError, AttributeError) as exc:
        names = ", ".join(s.value for s in CaseStatus)
        raise ValueError(f"unknown case status {text!r}; expected one of: {names}") from exc


def check_transition(current: CaseStatus, target: CaseStatus) -> None:
    """Raise ``IllegalTransition`` naming both statuses when the move is not allowed."""
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(current, target)


def is_resolved(status: CaseStatus) -> bool:
    """A solution is with the customer or the case is done (the resolved category)."""
    return CATEGORY[status] is Category.RESOLVED
