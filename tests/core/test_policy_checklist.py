"""What a policy tells the opener of a case before the form: the "before you contact Care"
checklist, the phone line, and which answers are written at length (seeds 000-002, 004)."""

from __future__ import annotations

from typing import Any

import pytest

from caredesk.core.policy import parse_policy
from tests.core.policy_documents import CARE, RESELLER, SUPPORT, document, fresh, refused


def test_the_reseller_guide_lists_the_first_level_duties() -> None:
    # Seed 004 section 4.1: the reseller's duties before contacting Customer Care.
    intake = fresh(RESELLER).intake
    assert [item["en"] for item in intake.checklist][:2] == [
        "Take the first call from the End User and answer their questions.",
        "Screen the problem and run basic diagnostics to assess whether the issue is with the "
        "Genesys Cloud Service, and identify the issue clearly.",
    ]
    assert intake.checklist[3] == {
        "en": "Document every action taken.",
        "ja": "実施したすべての対応を記録してください。",
    }
    assert intake.phone_line is not None
    assert "Support Processes for Cloud Resellers" in intake.phone_line["en"]
    long = {f.key for f in intake.fields if f.long}
    assert {"reproduction_steps", "first_level_actions", "business_impact"} <= long
    assert "users_affected" not in long


@pytest.mark.parametrize("name", [SUPPORT, CARE])
def test_the_purecloud_pages_list_what_to_do_and_gather(name: str) -> None:
    # Seeds 000 and 001: "Before you contact Support" - six points, each in both languages.
    intake = fresh(name).intake
    assert len(intake.checklist) == 6
    assert all(set(item) == {"en", "ja"} for item in intake.checklist)
    assert intake.checklist[4]["en"].startswith("Report each issue separately")


def _with_intake(name: str, **changes: Any) -> dict[str, Any]:
    doc = document(name)
    doc["intake"].update(changes)
    return doc


def test_a_checklist_item_needs_english() -> None:
    doc = _with_intake(SUPPORT, checklist=[{"en": "first"}, {"ja": "二番目"}])
    assert refused(doc) == "intake.checklist[1]: needs an English ('en') text"


def test_a_checklist_is_a_list_of_texts() -> None:
    assert refused(_with_intake(SUPPORT, checklist="do it")) == (
        "intake.checklist: expected list, got 'do it'"
    )
    assert refused(_with_intake(SUPPORT, checklist=[3])) == (
        "intake.checklist[0]: expected str or dict, got 3"
    )


def test_a_field_with_choices_is_not_long() -> None:
    doc = document(RESELLER)
    doc["intake"]["fields"][13]["long"] = True
    assert refused(doc) == (
        "intake.fields[13].long: a field with choices is answered by choosing, not at length"
    )


def test_checklist_and_phone_line_may_be_left_out() -> None:
    doc = document(SUPPORT)
    del doc["intake"]["checklist"], doc["intake"]["phone_line"]
    intake = parse_policy(doc, "custom.toml").intake
    assert (intake.checklist, intake.phone_line) == ((), None)
