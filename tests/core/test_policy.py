"""The shipped policies: every number of the seed tables, and validation on load."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import resources

import pytest

from caredesk.core import policy as policies
from caredesk.core.durations import Duration, Unit
from caredesk.core.policy import Basis, CaseType, Channel, Metric, PolicyError, parse_policy
from tests.core.policy_documents import RESELLER as RESELLER_TOML
from tests.core.policy_documents import document
from tests.seed_targets import COUNTRY, OPENED, ROWS, TZ

RESELLER = "genesys-care-cloud-reseller"
SUPPORT = "purecloud-support"
CARE = "purecloud-customer-care"


@pytest.mark.parametrize(
    ("policy_id", "plan", "case_type", "severity", "metric", "target", "due_local"), ROWS
)
def test_seed_target_and_hand_worked_due(
    policy_id: str,
    plan: str,
    case_type: str,
    severity: int,
    metric: str,
    target: str | None,
    due_local: str | None,
) -> None:
    policy = policies.load(policy_id)
    found = policy.target(plan, case_type, severity, metric)
    if target is None:
        assert found is None
        return
    assert str(found) == target
    assert found is not None
    calendar = policy.calendar(TZ, country=COUNTRY)
    due = found.due(datetime.fromisoformat(OPENED), calendar)
    assert calendar.local(due).isoformat() == due_local


def test_every_policy_ships_with_every_plan_and_case_type() -> None:
    shipped = {(p.id, p.version): set(p.plans) for p in policies.list_policies()}
    assert shipped == {
        (SUPPORT, 1): {"standard"},
        (CARE, 1): {"standard"},
        (RESELLER, 4): {"care-for-cloud", "business-care"},
    }
    for policy in policies.list_policies():
        for plan in policy.plans.values():
            assert set(plan.targets) == set(CaseType)
            for rows in plan.targets.values():
                assert set(rows) == {1, 2, 3, 4}


def test_effective_dates_and_versions() -> None:
    assert policies.load(RESELLER).effective == date(2018, 2, 1)  # "Version 4 - February 2018"
    assert policies.load(RESELLER).version == 4
    assert policies.load(SUPPORT).effective == date(2018, 1, 1)
    assert policies.load(RESELLER, on=date(2026, 11, 23)).version == 4
    with pytest.raises(ValueError, match=r"not yet in force on 2017-12-31"):
        policies.load(RESELLER, on=date(2017, 12, 31))
    with pytest.raises(ValueError, match=r"no version 9"):
        policies.load(RESELLER, version=9)


def test_unknown_names_are_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match=r"unknown policy 'nope'"):
        policies.load("nope")
    policy = policies.load(RESELLER)
    with pytest.raises(ValueError, match=r"unknown plan 'gold'"):
        policy.target("gold", "incident", 1, "response")
    with pytest.raises(ValueError, match=r"unknown severity 5"):
        policy.target("care-for-cloud", "incident", 5, "response")
    with pytest.raises(ValueError, match=r"unknown case type 'bug'"):
        policy.target("care-for-cloud", "bug", 1, "response")
    with pytest.raises(ValueError, match=r"unknown metric 'speed'"):
        policy.target("care-for-cloud", "incident", 1, "speed")


def test_non_incident_case_types_follow_the_policy() -> None:
    reseller = policies.load(RESELLER)
    # "The Response Targets for Admin Cases is 2 business days", whatever the severity.
    for plan in ("care-for-cloud", "business-care"):
        for severity in (1, 2, 3, 4):
            assert reseller.target(plan, "admin", severity, "response") == Duration(
                2, Unit.BUSINESS_DAYS
            )
            assert reseller.target(plan, "admin", severity, "resolution") is None
    # Feature requests are Severity 4 concerns on the PureCloud policy: the incident row.
    support = policies.load(SUPPORT)
    assert str(support.target("standard", "feature-request", 4, "response")) == "1 BD"


def test_channels_per_plan_and_severity() -> None:
    reseller = policies.load(RESELLER)
    care = reseller.plan("care-for-cloud").channels
    assert Channel.PHONE in care[1]
    for severity in (2, 3, 4):  # "Report: My Support"
        assert care[severity] == {Channel.PORTAL, Channel.API}
    business = reseller.plan("business-care").channels
    for severity in (1, 2, 3, 4):  # "My Support or by Telephone"
        assert {Channel.PORTAL, Channel.PHONE} <= business[severity]
    support = policies.load(SUPPORT).plan("standard")
    assert Channel.PHONE in support.channels[1]  # phone support for Severity 1 only
    assert all(Channel.PHONE not in support.channels[s] for s in (2, 3, 4))
    (eps,) = support.licensed_channels  # Enhanced Professional Support (voice) 8-5
    assert (eps.channel, eps.licence, eps.zone) == (
        Channel.PHONE,
        "enhanced-professional-support",
        "customer",
    )
    assert eps.hours["mon"] == "08:00-17:00"
    care_eps = policies.load(CARE).plan("standard").licensed_channels[0]  # 8am-9pm EST M-F
    assert (care_eps.zone, care_eps.hours["fri"]) == ("America/New_York", "08:00-21:00")


def test_aggregate_targets() -> None:
    support = policies.load(SUPPORT)
    mean = {(a.metric, tuple(a.severities)): a for a in support.aggregates}
    assert mean[(Metric.RESTORATION, (1,))].statistic == "mean"
    assert mean[(Metric.RESTORATION, (1,))].target == Duration(15, Unit.MINUTES)
    assert mean[(Metric.RESTORATION, (2,))].target == Duration(72, Unit.HOURS)
    (share,) = policies.load(RESELLER).aggregates
    assert (share.metric, share.statistic, share.share) == (
        Metric.RESTORATION,
        "share-within-target",
        0.95,
    )


def test_rca_post_mortem_and_stale_rules() -> None:
    support_rca = policies.load(SUPPORT).rca
    assert support_rca is not None
    assert support_rca.comprehensive_due == {1: Duration(5, Unit.BUSINESS_DAYS)}
    assert (support_rca.follow_up_priority, set(support_rca.follow_up_severities)) == (3, {1})
    care_rca = policies.load(CARE).rca
    assert care_rca is not None
    assert care_rca.comprehensive_due == {
        1: Duration(2, Unit.BUSINESS_DAYS),
        2: Duration(5, Unit.BUSINESS_DAYS),
    }
    post = policies.load(RESELLER).post_mortem
    assert post is not None
    assert post.meeting_due == {
        1: Duration(2, Unit.BUSINESS_DAYS),
        2: Duration(5, Unit.BUSINESS_DAYS),
    }
    assert post.incident_report_due == Duration(3, Unit.BUSINESS_DAYS)
    assert post.incident_report_on_written_request
    assert post.rca_discussed == {1}
    for policy_id in (SUPPORT, CARE):
        stale = policies.load(policy_id).stale
        assert stale is not None
        assert stale.waiting_on_customer == Duration(3, Unit.BUSINESS_DAYS)
        assert stale.resolution_proposed == Duration(3, Unit.BUSINESS_DAYS)


def test_designated_contacts_intake_and_clock_rules() -> None:
    reseller = policies.load(RESELLER)
    assert reseller.designated_contacts.minimum == 2
    assert reseller.designated_contacts.credentials_due == Duration(48, Unit.BUSINESS_HOURS)
    # Section 4.2's 11 case details, then section 4.1's record of first-level support.
    assert len(reseller.intake.fields) == 14
    assert set(reseller.intake.required) == {
        "first_level_actions",
        "documentation_consulted",
        "reproduced",
        "account_name",
        "product",
        "users_affected",
        "frequency",
        "first_observed",
        "business_impact",
        "reproduction_steps",
        "local_contact",
        "working_hours_location",
    }
    (reproduced,) = [f for f in reseller.intake.fields if f.key == "reproduced"]
    assert list(reproduced.choices) == ["yes", "no", "not-applicable"]
    assert reproduced.choices["no"] == {
        "en": "No, it could not be reproduced",
        "ja": "いいえ、再現できませんでした",
    }
    (consulted,) = [f for f in reseller.intake.fields if f.key == "documentation_consulted"]
    assert "Service Advisories on My Support" in consulted.label["en"]
    assert all(f.choices == {} for f in reseller.intake.fields if f is not reproduced)
    assert reseller.intake.severity1_by_phone_raise
    assert reseller.clocks.phone_raise_basis is Basis.CHANGE
    support = policies.load(SUPPORT)
    assert support.intake.required == ("org_short_name", "org_id", "business_impact")
    assert policies.load(CARE).clocks.platform_incident_start == {Metric.RESTORATION}
    assert support.clocks.warnings == (50, 75, 90)


def test_maintenance_windows_routing_and_escalation() -> None:
    reseller = policies.load(RESELLER)
    windows = {m.product: (m.zone, dict(m.windows)) for m in reseller.maintenance}
    assert windows == {
        "outbound-engagement": (
            "America/New_York",
            {"tue": "00:00-03:00", "thu": "00:00-03:00", "sun": "00:00-05:00"},
        ),
        "premier-edition": (
            "America/New_York",
            dict.fromkeys(("tue", "wed", "thu"), "22:00-05:00"),
        ),
        "pureengage-cloud": ("customer", {"tue": "00:00-06:00", "thu": "00:00-06:00"}),
        "social-analytics": (
            "America/New_York",
            dict.fromkeys(("tue", "wed", "thu"), "22:00-05:00"),
        ),
    }
    refused = {(r.case_type, r.product) for r in reseller.routing}
    assert refused == {
        (CaseType.SERVICE_REQUEST, "premier-edition"),
        (CaseType.SERVICE_REQUEST, "outbound-engagement"),
    }
    assert "Customer Success Manager" in reseller.routing[0].refuse["en"]
    assert "statement-of-work-change" in reseller.refused_requests
    escalation = policies.load(CARE).escalation
    assert escalation is not None
    assert escalation.steps == ("case", "tam", "management-attention")
    assert escalation.mailbox == "PureCloudManagementAttention@genesys.com"
    assert escalation.subject == "{customer_name} - {case_number} - {problem_statement}"
    assert [label for _, label in escalation.fields] == [
        "My Support Case Number",
        "Customer Name",
        "Customer Region/Country",
        "Detailed problem description",
        "Business impact /Urgency rationale",
    ]


def test_calendar_of_a_policy_is_the_customers_business_hours() -> None:
    calendar = policies.load(RESELLER).calendar("Asia/Tokyo", country="JP")
    assert calendar.day_length == timedelta(hours=9)
    assert calendar.holiday(date(2026, 11, 23)) == "Labor Thanksgiving Day"


# -- validation on load --------------------------------------------------------------


def test_unknown_key_is_an_error_naming_file_and_key() -> None:
    doc = document(RESELLER_TOML)
    doc["plans"]["care-for-cloud"]["targets"]["incident"]["2"]["respnse"] = "6 BH"
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    assert str(err.value) == (
        "custom.toml: plans.care-for-cloud.targets.incident.2.respnse: unknown key"
    )


def test_missing_severity_is_an_error() -> None:
    doc = document(RESELLER_TOML)
    del doc["plans"]["business-care"]["targets"]["incident"]["3"]
    with pytest.raises(
        PolicyError,
        match=r"custom.toml: plans.business-care.targets.incident.3: "
        r"missing",
    ):
        parse_policy(doc, "custom.toml")
    doc = document(RESELLER_TOML)
    del doc["severities"]["4"]
    with pytest.raises(PolicyError, match=r"custom.toml: severities.4: missing"):
        parse_policy(doc, "custom.toml")


def test_bad_duration_is_an_error_naming_the_text() -> None:
    doc = document(RESELLER_TOML)
    doc["plans"]["care-for-cloud"]["targets"]["incident"]["1"]["restoration"] = "6 hrs-ish"
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    assert "plans.care-for-cloud.targets.incident.1.restoration" in str(err.value)
    assert "'6 hrs-ish'" in str(err.value)


def test_missing_case_type_wrong_type_and_bad_hours_are_errors() -> None:
    doc = document(RESELLER_TOML)
    del doc["plans"]["care-for-cloud"]["targets"]["documentation"]
    with pytest.raises(PolicyError, match=r"targets.documentation: missing"):
        parse_policy(doc, "custom.toml")
    doc = document(RESELLER_TOML)
    doc["designated_contacts"]["minimum"] = "two"
    with pytest.raises(PolicyError, match=r"designated_contacts.minimum: expected int, got 'two'"):
        parse_policy(doc, "custom.toml")
    doc = document(RESELLER_TOML)
    doc["business_hours"]["mon"] = "8am-5pm"
    with pytest.raises(PolicyError, match=r"business_hours: malformed working interval '8am-5pm'"):
        parse_policy(doc, "custom.toml")
    doc = document(RESELLER_TOML)
    doc["maintenance"][0]["zone"] = "Eastern"
    with pytest.raises(PolicyError, match=r"maintenance\[0\].zone: unknown time zone 'Eastern'"):
        parse_policy(doc, "custom.toml")
    doc = document(RESELLER_TOML)
    doc["plans"]["care-for-cloud"]["channels"]["1"] = ["portal", "pigeon"]
    with pytest.raises(PolicyError, match=r"channels.1: unknown channel 'pigeon'"):
        parse_policy(doc, "custom.toml")


def test_policy_file_must_be_named_after_its_id_and_version(tmp_path) -> None:
    source = resources.files("caredesk") / "policies" / "purecloud-support-v1.toml"
    wrong = tmp_path / "support.toml"
    wrong.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    expected = r"support.toml: .* must be named 'purecloud-support-v1.toml'"
    with pytest.raises(PolicyError, match=expected):
        policies.load_file(wrong)
    broken = tmp_path / "purecloud-support-v1.toml"
    broken.write_text("id = [", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"purecloud-support-v1.toml: not valid TOML"):
        policies.load_file(broken)


def test_severity_names_exist_in_english_and_japanese() -> None:
    for policy in policies.list_policies():
        for severity in policy.severities.values():
            assert severity.name["en"]
            assert severity.name["ja"]
            assert severity.definition["en"]
