"""What the policies ask of a request for an RCA or further documentation (seeds 000-002,
"Root cause analysis"): read from the shipped documents, and the exact message for each
mistake."""

from __future__ import annotations

from typing import Any

import pytest

from caredesk.core.policy import parse_policy, text_in
from tests.core.policy_documents import CARE, RESELLER, SUPPORT, document, fresh, refused

# -- RCA and documentation requests (seeds 000-002, "Root cause analysis") ---------------------


@pytest.mark.parametrize("name", [SUPPORT, CARE])
def test_a_request_names_the_original_case_and_where_to_send_the_document(name: str) -> None:
    intake = fresh(name).intake
    policy_wide = [f.key for f in intake.fields]
    for case_type in ("rca", "documentation"):
        fields = intake.fields_for(case_type)
        assert [f.key for f in fields] == [
            *policy_wide,
            "original_case",
            "distribution_contact",
            "follow_up_discussion",
        ]
        assert [f.required for f in fields[-3:]] == [True, True, False]
        assert intake.original_case_field(case_type) == "original_case"
    assert text_in(intake.fields_for("rca")[-2].label, "en") == (
        "Contact information for distributing the documentation"
    )
    # Other case types ask only the policy's own fields, and name no original case.
    assert [f.key for f in intake.fields_for("incident")] == policy_wide
    assert intake.original_case_field("incident") is None
    # The policy-wide required fields are unchanged.
    assert intake.required == ("org_short_name", "org_id", "business_impact")


def test_the_seeds_words_label_the_original_case() -> None:
    support = fresh(SUPPORT).intake.fields_for("documentation")[-3]
    care = fresh(CARE).intake.fields_for("documentation")[-3]
    assert support.label["en"] == "Ticket number of the original trouble reported"
    assert care.label["en"] == "Case number of the original trouble reported"
    assert care.label["ja"] == "報告された元の問題のケース番号"


def test_the_reseller_guide_asks_nothing_more_of_a_request() -> None:
    intake = fresh(RESELLER).intake
    assert intake.case_types == {}
    assert intake.fields_for("documentation") == intake.fields


def by_case_type(doc: dict[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = doc["intake"]["by_case_type"][0]
    return entry


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e.update(case_types=["rca", "bug"]),
            "intake.by_case_type[0].case_types: unknown case type 'bug'; expected one of "
            "'incident', 'admin', 'service-request', 'feature-request', 'rca', 'documentation'",
        ),
        (
            lambda e: e.update(case_types=["rca", "rca"]),
            "intake.by_case_type[0].case_types: 'rca' is given intake fields twice",
        ),
        (
            lambda e: e.update(original_case_field="case_no"),
            "intake.by_case_type[0].original_case_field: 'case_no' is not one of these fields",
        ),
        (
            lambda e: e["fields"][1].update(key="org_id"),
            "intake.by_case_type[0].fields: an intake field key is declared twice",
        ),
        (
            lambda e: e["fields"][0].update(required="yes"),
            "intake.by_case_type[0].fields[0].required: expected bool, got 'yes'",
        ),
        (lambda e: e.update(colour=1), "intake.by_case_type[0].colour: unknown key"),
        (lambda e: e.pop("case_types"), "intake.by_case_type[0].case_types: missing"),
    ],
)
def test_request_fields_mistakes_are_named(change: Any, message: str) -> None:
    doc = document(CARE)
    change(by_case_type(doc))
    assert refused(doc) == message


def test_a_request_may_name_no_original_case() -> None:
    doc = document(SUPPORT)
    del by_case_type(doc)["original_case_field"]
    intake = parse_policy(doc, "custom.toml").intake
    assert intake.original_case_field("rca") is None
    assert len(intake.fields_for("rca")) == len(intake.fields) + 3
