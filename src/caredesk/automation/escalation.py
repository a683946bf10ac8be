"""The escalation ladder as a policy lays it out: which rungs, in which order, and what a
customer must write to climb. Pure: it reads a parsed ``Policy`` and writes nothing; the
use-case that climbs is ``services.escalate``."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from caredesk.core.phrases import gettext_noop
from caredesk.core.policy import Policy
from caredesk.core.tomlread import PolicyError


class Rung(StrEnum):
    """The rungs the automation knows how to take; a policy's ``escalation.steps`` names
    some of them, in its own order. Stored in the ``step`` of an ``escalation-requested``
    event (a member equals its string)."""

    CASE = "case"  # a request recorded in the case, for Care
    TAM = "tam"  # the organisation's Technical Account Manager is told
    MANAGEMENT_ATTENTION = "management-attention"  # the policy's mailbox, with a deadline


# What a customer writes to escalate (the service's inputs) and the refusal when it is left
# blank (a catalogue message: the service says it in the reader's language); a policy's
# ``case_request_requires`` picks which of them must not be blank.
FIELDS: Mapping[str, str] = {
    "description": gettext_noop("a description of the issue is required to escalate"),
    "business_impact": gettext_noop("the business impact is required to escalate"),
}


@dataclass(frozen=True)
class Ladder:
    steps: tuple[Rung, ...]
    requires: tuple[str, ...]

    def climb(self, *, taken: Collection[str], has_tam: bool) -> Rung | None:
        """The next rung: the first of ``steps`` not ``taken`` yet, passing over the TAM
        rung when the organisation has no TAM; ``None`` at the top."""
        for step in self.steps:
            if step == Rung.TAM and not has_tam:
                continue
            if step not in taken:
                return step
        return None

    def missing(self, values: Mapping[str, str]) -> list[dict[str, str]]:
        """The required fields left blank, in the policy's order, as field errors."""
        return [
            {"field": name, "message": FIELDS[name]}
            for name in self.requires
            if not values.get(name, "").strip()
        ]


DEFAULT_LADDER = Ladder(steps=(Rung.CASE, Rung.TAM), requires=("description", "business_impact"))
"""The ladder of a policy without an escalation table. Such a policy promises no ladder,
but a customer may still ask for attention in the case and reach their TAM, as CareDesk
allowed before policies carried the ladder; there is no management-attention rung, since
only an escalation table names its mailbox, hours and template. Both fields are required,
as for the shipped policy that has a table: an escalation says what is wrong and why it
matters."""


def ladder_of(policy: Policy) -> Ladder:
    """The ladder ``policy`` lays out (its ``escalation.steps`` and
    ``case_request_requires``), or ``DEFAULT_LADDER`` when it has no escalation table.

    A step or a required field that CareDesk cannot act on is an error in the policy,
    named as the policy loader names its own."""
    table = policy.escalation
    if table is None:
        return DEFAULT_LADDER
    rungs = {rung.value: rung for rung in Rung}
    for step in table.steps:
        if step not in rungs:
            raise PolicyError(
                f"{policy}: escalation.steps: unknown step {step!r}; expected {', '.join(rungs)}"
            )
    for name in table.case_request_requires:
        if name not in FIELDS:
            raise PolicyError(
                f"{policy}: escalation.case_request_requires: unknown field {name!r}; "
                f"expected {', '.join(FIELDS)}"
            )
    steps = tuple(rungs[step] for step in table.steps)
    return Ladder(steps=steps, requires=tuple(table.case_request_requires))
