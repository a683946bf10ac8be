"""Reading a policy document section by section: what a fresh parse of each shipped file
says, and the exact message for each kind of mistake.

``policies.load`` caches the shipped files; these tests parse the documents again with
``parse_policy`` so that each fact is read by the parser itself.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

import pytest

from caredesk.core import policy as policies
from caredesk.core.durations import Duration, Unit
from caredesk.core.phrases import Localized
from caredesk.core.policy import (
    Basis,
    CaseType,
    Channel,
    Metric,
    PolicyError,
    TargetRow,
    check_severity,
    parse_policy,
    text_in,
)
from tests.core.policy_documents import CARE, RESELLER, SUPPORT, document, fresh

DROP = object()
BD = Unit.BUSINESS_DAYS
BH = Unit.BUSINESS_HOURS


# -- what each shipped document says ---------------------------------------------------------


def test_the_reseller_document() -> None:
    p = fresh(RESELLER)
    assert (p.id, p.version, p.effective) == ("genesys-care-cloud-reseller", 4, date(2018, 2, 1))
    assert str(p) == "genesys-care-cloud-reseller v4"
    assert p.title == "Genesys Care for Cloud - Support Guide for Cloud Resellers"
    assert p.sources == ("003_adc7583f078c22ee.txt", "004_60c7ad1309f27819.txt")
    assert p.business_hours == dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "08:00-17:00")
    assert sorted(p.severities) == [1, 2, 3, 4]
    assert p.severities[4].level == 4
    assert text_in(p.severities[4].name, "en") == "Low"
    assert text_in(p.severities[4].name, "ja") == "低"
    assert p.severities[4].definition["en"].startswith("Genesys Cloud Service is available")
    clocks = p.clocks
    assert clocks.warnings == (50, 75, 90)
    assert clocks.pause_while_waiting == {Metric.RESTORATION, Metric.RESOLUTION}
    assert clocks.severity_change_basis is Basis.START
    assert clocks.phone_raise_basis is Basis.CHANGE
    assert clocks.platform_incident_start == frozenset()
    contacts = p.designated_contacts
    assert (contacts.credentials_due, contacts.minimum) == (Duration(48, BH), 2)
    assert contacts.severity1_contact_available is True
    assert p.intake.severity1_by_phone_raise is True
    assert p.intake.fields[0].key == "account_name"
    assert p.intake.fields[0].required is True
    assert p.intake.fields[0].label["en"] == (
        "Account name / department or area (end user account)"
    )
    assert len(p.intake.fields) == 14
    assert [f.key for f in p.intake.fields[11:]] == [
        "first_level_actions",
        "documentation_consulted",
        "reproduced",
    ]
    assert p.intake.fields[13].choices["yes"] == {
        "en": "Yes, reproduced",
        "ja": "はい、再現できました",
    }
    assert list(p.plans) == ["care-for-cloud", "business-care"]
    care = p.plans["care-for-cloud"]
    assert care.id == "care-for-cloud"
    assert care.licensed_channels == ()
    assert care.channels[1] == {Channel.PORTAL, Channel.API, Channel.PHONE}
    assert care.targets[CaseType.INCIDENT][2] == TargetRow(
        Duration(6, BH), Duration(4, BD), Duration(15, BD)
    )
    assert care.targets[CaseType.INCIDENT][1] == TargetRow(
        Duration(4, Unit.HOURS), Duration(6, Unit.HOURS), Duration(15, BD)
    )
    assert care.targets[CaseType.INCIDENT][4] == TargetRow(Duration(2, BD), None, None)
    # "all": one row for every severity; "same_as": the incident rows themselves
    admin = care.targets[CaseType.ADMIN]
    assert admin == dict.fromkeys((1, 2, 3, 4), TargetRow(Duration(2, BD), None, None))
    assert care.targets[CaseType.RCA] == care.targets[CaseType.INCIDENT]
    assert care.targets[CaseType.DOCUMENTATION] == care.targets[CaseType.INCIDENT]
    business = p.plans["business-care"]
    assert business.targets[CaseType.INCIDENT][1].response == Duration(15, Unit.MINUTES)
    assert business.targets[CaseType.SERVICE_REQUEST][3].response == Duration(4, BH)
    (share,) = p.aggregates
    assert (share.metric, share.severities, share.statistic) == (
        Metric.RESTORATION,
        frozenset({1, 2, 3}),
        "share-within-target",
    )
    assert (share.share, share.target) == (0.95, None)
    assert p.rca is None
    assert p.stale is None
    assert p.escalation is None
    post = p.post_mortem
    assert post is not None
    assert post.meeting_due == {1: Duration(2, BD), 2: Duration(5, BD)}
    assert post.rca_discussed == {1}
    assert post.incident_report_due == Duration(3, BD)
    assert post.incident_report_on_written_request is True
    assert p.products == {
        "pureengage-cloud": {"en": "PureEngage Cloud", "ja": "PureEngage Cloud"},
        "premier-edition": {
            "en": "Premier Edition (including Self-Service)",
            "ja": "Premier Edition (セルフサービスを含む)",
        },
        "outbound-engagement": {
            "en": "Outbound Engagement (including Mobile Marketing)",
            "ja": "Outbound Engagement (モバイル マーケティングを含む)",
        },
        "social-analytics": {
            "en": "Genesys Social Analytics",
            "ja": "Genesys Social Analytics",
        },
    }
    assert [(r.case_type, r.product) for r in p.routing] == [
        (CaseType.SERVICE_REQUEST, "premier-edition"),
        (CaseType.SERVICE_REQUEST, "outbound-engagement"),
    ]
    assert "Customer Success Manager" in p.routing[0].refuse["en"]
    assert list(p.refused_requests) == ["statement-of-work-change"]
    assert p.refused_requests["statement-of-work-change"]["en"]
    assert [m.product for m in p.maintenance] == [
        "outbound-engagement",
        "premier-edition",
        "pureengage-cloud",
        "social-analytics",
    ]
    assert p.maintenance[0].windows == {
        "tue": "00:00-03:00",
        "thu": "00:00-03:00",
        "sun": "00:00-05:00",
    }
    assert {m.zone for m in p.maintenance} == {"America/New_York", "customer"}


def test_the_support_document() -> None:
    p = fresh(SUPPORT)
    assert (p.id, p.version, p.effective) == ("purecloud-support", 1, date(2018, 1, 1))
    assert p.clocks.warnings == (50, 75, 90)
    assert p.intake.required == ("org_short_name", "org_id", "business_impact")
    assert p.support_licences == ("collaborate-pro", "communicate", "engage")
    (plan,) = p.plans.values()
    assert plan.channels[1] == {Channel.PORTAL, Channel.API, Channel.PHONE}
    assert all(Channel.PHONE not in plan.channels[s] for s in (2, 3, 4))
    (eps,) = plan.licensed_channels
    assert (eps.channel, eps.licence, eps.zone) == (
        Channel.PHONE,
        "enhanced-professional-support",
        "customer",
    )
    assert eps.severities == {2, 3, 4}
    assert eps.hours["mon"] == "08:00-17:00"
    means = {(a.metric, tuple(a.severities)): a for a in p.aggregates}
    assert means[(Metric.RESTORATION, (1,))].statistic == "mean"
    assert means[(Metric.RESTORATION, (1,))].target == Duration(15, Unit.MINUTES)
    assert means[(Metric.RESTORATION, (1,))].share is None
    assert means[(Metric.RESTORATION, (2,))].target == Duration(72, Unit.HOURS)
    rca = p.rca
    assert rca is not None
    assert rca.comprehensive_due == {1: Duration(5, BD)}
    assert (rca.follow_up_priority, rca.follow_up_severities) == (3, {1})
    assert rca.initial_rca_on_close is True
    stale = p.stale
    assert stale is not None
    assert stale.waiting_on_customer == Duration(3, BD)
    assert stale.resolution_proposed == Duration(3, BD)
    assert stale.notice_period == Duration(2, BD)
    assert p.post_mortem is None
    assert p.products == {}
    assert p.routing == ()
    assert p.refused_requests == {}
    assert p.maintenance == ()


def test_the_customer_care_document() -> None:
    p = fresh(CARE)
    assert p.clocks.platform_incident_start == {Metric.RESTORATION}
    assert p.clocks.pause_while_waiting == {Metric.RESTORATION, Metric.RESOLUTION}
    eps, chat = p.plans["standard"].licensed_channels
    assert (eps.zone, eps.hours["fri"], eps.severities) == (
        "America/New_York",
        "08:00-21:00",
        {2, 3, 4},
    )
    assert (chat.channel, chat.licence, chat.zone, chat.severities) == (
        Channel.CHAT,
        "chat",
        "UTC",
        {1, 2, 3, 4},
    )
    rca = p.rca
    assert rca is not None
    assert rca.comprehensive_due == {1: Duration(2, BD), 2: Duration(5, BD)}
    escalation = p.escalation
    assert escalation is not None
    assert escalation.steps == ("case", "tam", "management-attention")
    assert escalation.mailbox == "PureCloudManagementAttention@genesys.com"
    assert escalation.subject == "{customer_name} - {case_number} - {problem_statement}"
    assert escalation.mailbox_hours == dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri"), "08:00-17:00"
    )
    assert escalation.mailbox_handling == Duration(1, BD)
    assert escalation.closing.startswith("Thank you for your attention and consideration.")
    assert escalation.case_request_requires == ("description", "business_impact")
    assert escalation.fields[0] == ("case_number", "My Support Case Number")
    assert [label for _, label in escalation.fields] == [
        "My Support Case Number",
        "Customer Name",
        "Customer Region/Country",
        "Detailed problem description",
        "Business impact /Urgency rationale",
    ]


def test_a_plain_string_text_is_english() -> None:
    doc = document(RESELLER)
    doc["severities"]["1"]["name"] = "Critical"
    assert parse_policy(doc, "custom.toml").severities[1].name == {"en": "Critical"}


def test_warnings_are_sorted_and_share_may_be_one() -> None:
    doc = document(RESELLER)
    doc["clocks"]["warnings"] = [90, 1, 99]
    doc["aggregates"][0]["share"] = 1.0
    policy = parse_policy(doc, "custom.toml")
    assert policy.clocks.warnings == (1, 90, 99)
    assert policy.aggregates[0].share == 1.0


def test_unplanned_maintenance_notice() -> None:
    # Seed 004 section 3 names no period: 48 hours of clock time (README).
    reseller = parse_policy(document(RESELLER), RESELLER)
    assert str(reseller.unplanned_notice) == "48h"
    assert parse_policy(document(SUPPORT), SUPPORT).unplanned_notice is None


def test_optional_sections_may_be_left_out() -> None:
    doc = document(RESELLER)
    for key in ("post_mortem", "products", "routing", "refused_requests", "maintenance"):
        del doc[key]
    del doc["unplanned_maintenance"]
    del doc["aggregates"]
    policy = parse_policy(doc, "custom.toml")
    assert (policy.post_mortem, policy.products, policy.routing) == (None, {}, ())
    assert (policy.refused_requests, policy.maintenance, policy.aggregates) == ({}, (), ())
    assert policy.unplanned_notice is None


# -- every mistake names the file, the key and the problem -------------------------------------


@pytest.mark.parametrize(
    ("name", "path", "value", "message"),
    [
        (RESELLER, ("schema",), 2, "schema: unsupported schema 2; expected 1"),
        (RESELLER, ("schema",), "1", "schema: expected int, got '1'"),
        (RESELLER, ("schema",), DROP, "schema: missing"),
        (
            RESELLER,
            ("severities", "5"),
            {"name": "x", "definition": "y"},
            "severities.5: expected a severity 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("severities", "one"),
            {"name": "x", "definition": "y"},
            "severities.one: expected a severity 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("severities", "2"),
            DROP,
            "severities.2: missing: severities 1-4 must all be defined",
        ),
        (
            RESELLER,
            ("severities", "1", "name"),
            {"ja": "x"},
            "severities.1.name: needs an English ('en') text",
        ),
        (
            RESELLER,
            ("severities", "1", "name"),
            {"en": "x", "fr": "y"},
            "severities.1.name: expected texts keyed by en, ja, got 'fr'",
        ),
        (
            RESELLER,
            ("severities", "1", "name"),
            {"en": 1},
            "severities.1.name: expected texts keyed by en, ja, got 'en'",
        ),
        (
            RESELLER,
            ("severities", "1", "name"),
            5,
            "severities.1.name: expected str or dict, got 5",
        ),
        (RESELLER, ("severities", "1", "colour"), "red", "severities.1.colour: unknown key"),
        (
            RESELLER,
            ("severities", "colour"),
            "red",
            "severities.colour: expected a severity 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("clocks", "warnings"),
            [50, 100],
            "clocks.warnings: expected percentages between 1 and 99, got [50, 100]",
        ),
        (
            RESELLER,
            ("clocks", "warnings"),
            [0],
            "clocks.warnings: expected percentages between 1 and 99, got [0]",
        ),
        (
            RESELLER,
            ("clocks", "warnings"),
            [True],
            "clocks.warnings: expected percentages between 1 and 99, got [True]",
        ),
        (
            RESELLER,
            ("clocks", "warnings"),
            [50.5],
            "clocks.warnings: expected percentages between 1 and 99, got [50.5]",
        ),
        (
            RESELLER,
            ("clocks", "pause_while_waiting"),
            ["speed"],
            "clocks.pause_while_waiting: unknown metric 'speed'; expected one of 'response', 'restoration', 'resolution'",
        ),
        (
            RESELLER,
            ("clocks", "platform_incident_start"),
            ["speed"],
            "clocks.platform_incident_start: unknown metric 'speed'; expected one of 'response', 'restoration', 'resolution'",
        ),
        (
            RESELLER,
            ("clocks", "severity_change_basis"),
            "later",
            "clocks.severity_change_basis: unknown basis 'later'; expected one of 'start', 'change'",
        ),
        (
            RESELLER,
            ("clocks", "phone_raise_basis"),
            "later",
            "clocks.phone_raise_basis: unknown basis 'later'; expected one of 'start', 'change'",
        ),
        (RESELLER, ("clocks", "extra"), 1, "clocks.extra: unknown key"),
        (
            RESELLER,
            ("designated_contacts", "credentials_due"),
            "n/a",
            "designated_contacts.credentials_due: must be a duration, not n/a",
        ),
        (
            RESELLER,
            ("designated_contacts", "severity1_contact_available"),
            "yes",
            "designated_contacts.severity1_contact_available: expected bool, got 'yes'",
        ),
        (RESELLER, ("designated_contacts", "extra"), 1, "designated_contacts.extra: unknown key"),
        (RESELLER, ("licences", "extra"), 1, "licences.extra: unknown key"),
        (RESELLER, ("licences", "support"), "x", "licences.support: expected list, got 'x'"),
        (
            RESELLER,
            ("intake", "fields", 1, "key"),
            "account_name",
            "intake.fields: an intake field key is declared twice",
        ),
        (RESELLER, ("intake", "fields", 0, "extra"), 1, "intake.fields[0].extra: unknown key"),
        (
            RESELLER,
            ("intake", "fields", 0, "required"),
            "yes",
            "intake.fields[0].required: expected bool, got 'yes'",
        ),
        (
            RESELLER,
            ("intake", "duplicate_check"),
            1,
            "intake.duplicate_check: expected bool, got 1",
        ),
        (RESELLER, ("intake", "extra"), 1, "intake.extra: unknown key"),
        (
            RESELLER,
            ("intake", "fields", 13, "choices"),
            {},
            "intake.fields[13].choices: list at least one answer, or leave choices out",
        ),
        (
            RESELLER,
            ("intake", "fields", 13, "choices", "yes"),
            {"ja": "はい"},
            "intake.fields[13].choices.yes: needs an English ('en') text",
        ),
        (
            RESELLER,
            ("intake", "fields", 13, "choices"),
            ["yes", "no"],
            "intake.fields[13].choices: expected dict, got ['yes', 'no']",
        ),
        (RESELLER, ("intake", "fields"), [1], "intake.fields[0]: expected a table, got 1"),
        (RESELLER, ("plans",), {}, "plans: a policy needs at least one plan"),
        (
            RESELLER,
            ("plans", "care-for-cloud", "extra"),
            1,
            "plans.care-for-cloud.extra: unknown key",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "channels", "4"),
            DROP,
            "plans.care-for-cloud.channels.4: missing: channels are needed for severities 1-4",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "channels", "0"),
            [],
            "plans.care-for-cloud.channels.0: expected a severity 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "bug"),
            {"all": {}},
            "plans.care-for-cloud.targets.bug: unknown case type 'bug'; expected one of 'incident', 'admin', 'service-request', 'feature-request', 'rca', 'documentation'",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "rca"),
            {"same_as": "admin", "x": 1},
            "plans.care-for-cloud.targets.rca.x: unknown key",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "rca"),
            {"same_as": "documentation"},
            "plans.care-for-cloud.targets.rca.same_as: 'documentation' has no targets of its own",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "rca"),
            {"same_as": "bug"},
            "plans.care-for-cloud.targets.rca.same_as: unknown case type 'bug'; expected one of 'incident', 'admin', 'service-request', 'feature-request', 'rca', 'documentation'",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "admin", "extra"),
            1,
            "plans.care-for-cloud.targets.admin.extra: unknown key",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "admin", "all", "response"),
            5,
            "plans.care-for-cloud.targets.admin.all.response: expected str, got 5",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "admin", "all", "response"),
            "0 BD",
            "plans.care-for-cloud.targets.admin.all.response: duration '0 BD' must be greater than zero",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "incident", "extra"),
            {},
            "plans.care-for-cloud.targets.incident.extra: expected a severity 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "incident", "1", "typo"),
            "1h",
            "plans.care-for-cloud.targets.incident.1.typo: unknown key",
        ),
        (
            RESELLER,
            ("plans", "care-for-cloud", "targets", "incident", "1", "response"),
            DROP,
            "plans.care-for-cloud.targets.incident.1.response: missing",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "channel"),
            "pigeon",
            "plans.standard.licensed_channels[0].channel: unknown channel 'pigeon'; expected one of 'portal', 'api', 'phone', 'chat', 'email'",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "severities"),
            [0],
            "plans.standard.licensed_channels[0].severities: unknown severity 0; expected 1, 2, 3 or 4",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "severities"),
            [True],
            "plans.standard.licensed_channels[0].severities: unknown severity True; expected 1, 2, 3 or 4",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "zone"),
            "Mars/Base",
            "plans.standard.licensed_channels[0].zone: unknown time zone 'Mars/Base'; expected an IANA zone name such as 'America/New_York'",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "hours"),
            {"mon": "9-5"},
            "plans.standard.licensed_channels[0].hours: malformed working interval '9-5' on mon; expected 'HH:MM-HH:MM'",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "extra"),
            1,
            "plans.standard.licensed_channels[0].extra: unknown key",
        ),
        (
            SUPPORT,
            ("plans", "standard", "licensed_channels", 0, "licence"),
            1,
            "plans.standard.licensed_channels[0].licence: expected str, got 1",
        ),
        (
            SUPPORT,
            ("aggregates", 0, "statistic"),
            "median",
            "aggregates[0].statistic: unknown statistic 'median'; expected 'mean' or 'share-within-target'",
        ),
        (
            SUPPORT,
            ("aggregates", 0, "metric"),
            "speed",
            "aggregates[0].metric: unknown metric 'speed'; expected one of 'response', 'restoration', 'resolution'",
        ),
        (
            SUPPORT,
            ("aggregates", 0, "target"),
            "n/a",
            "aggregates[0].target: must be a duration, not n/a",
        ),
        (SUPPORT, ("aggregates", 0, "extra"), 1, "aggregates[0].extra: unknown key"),
        (
            RESELLER,
            ("aggregates", 0, "share"),
            1.5,
            "aggregates[0].share: expected a fraction between 0 and 1, got 1.5",
        ),
        (
            RESELLER,
            ("aggregates", 0, "share"),
            0.0,
            "aggregates[0].share: expected a fraction between 0 and 1, got 0.0",
        ),
        (RESELLER, ("aggregates", 0, "share"), 1, "aggregates[0].share: expected float, got 1"),
        (
            SUPPORT,
            ("rca", "follow_up_priority"),
            "high",
            "rca.follow_up_priority: expected int, got 'high'",
        ),
        (
            SUPPORT,
            ("rca", "comprehensive_due", "7"),
            "1 BD",
            "rca.comprehensive_due.7: expected a severity 1, 2, 3 or 4",
        ),
        (
            SUPPORT,
            ("rca", "comprehensive_due", "1"),
            "n/a",
            "rca.comprehensive_due.1: must be a duration, not n/a",
        ),
        (SUPPORT, ("rca", "extra"), 1, "rca.extra: unknown key"),
        (
            SUPPORT,
            ("rca", "follow_up_severities"),
            [5],
            "rca.follow_up_severities: unknown severity 5; expected 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("post_mortem", "rca_discussed"),
            [9],
            "post_mortem.rca_discussed: unknown severity 9; expected 1, 2, 3 or 4",
        ),
        (
            RESELLER,
            ("post_mortem", "incident_report_due"),
            "n/a",
            "post_mortem.incident_report_due: must be a duration, not n/a",
        ),
        (RESELLER, ("post_mortem", "extra"), 1, "post_mortem.extra: unknown key"),
        (
            RESELLER,
            ("post_mortem", "meeting_due", "x"),
            "1 BD",
            "post_mortem.meeting_due.x: expected a severity 1, 2, 3 or 4",
        ),
        (
            SUPPORT,
            ("stale", "notice_period"),
            "soon",
            "stale.notice_period: malformed duration 'soon'; expected '10m', '4h', '6 BH', '2 BD' or 'n/a'",
        ),
        (SUPPORT, ("stale", "extra"), 1, "stale.extra: unknown key"),
        (SUPPORT, ("stale",), 5, "stale: expected dict, got 5"),
        (
            CARE,
            ("escalation", "mailbox_hours"),
            {"mon": "9-5"},
            "escalation.mailbox_hours: malformed working interval '9-5' on mon; expected 'HH:MM-HH:MM'",
        ),
        (
            CARE,
            ("escalation", "mailbox_handling"),
            "n/a",
            "escalation.mailbox_handling: must be a duration, not n/a",
        ),
        (CARE, ("escalation", "fields", 0, "extra"), 1, "escalation.fields[0].extra: unknown key"),
        (CARE, ("escalation", "extra"), 1, "escalation.extra: unknown key"),
        (CARE, ("escalation", "subject"), 1, "escalation.subject: expected str, got 1"),
        (
            RESELLER,
            ("products", "pureengage-cloud", "extra"),
            1,
            "products.pureengage-cloud.extra: unknown key",
        ),
        (
            RESELLER,
            ("products", "pureengage-cloud", "name"),
            1,
            "products.pureengage-cloud.name: expected str or dict, got 1",
        ),
        (
            RESELLER,
            ("products", "pureengage-cloud", "name"),
            {"ja": "PureEngage Cloud"},
            "products.pureengage-cloud.name: needs an English ('en') text",
        ),
        (
            RESELLER,
            ("routing", 0, "product"),
            "nothing",
            "routing[0].product: unknown product 'nothing'; not in [products]",
        ),
        (
            RESELLER,
            ("routing", 0, "case_type"),
            "bug",
            "routing[0].case_type: unknown case type 'bug'; expected one of 'incident', 'admin', 'service-request', 'feature-request', 'rca', 'documentation'",
        ),
        (RESELLER, ("routing", 0, "extra"), 1, "routing[0].extra: unknown key"),
        (
            RESELLER,
            ("refused_requests", "statement-of-work-change"),
            5,
            "refused_requests.statement-of-work-change: expected str or dict, got 5",
        ),
        (
            RESELLER,
            ("maintenance", 0, "product"),
            "nothing",
            "maintenance[0].product: unknown product 'nothing'; not in [products]",
        ),
        (RESELLER, ("maintenance", 0, "extra"), 1, "maintenance[0].extra: unknown key"),
        (
            RESELLER,
            ("maintenance", 0, "windows"),
            {"tue": "0-3"},
            "maintenance[0].windows: malformed working interval '0-3' on tue; expected 'HH:MM-HH:MM'",
        ),
        (
            RESELLER,
            ("unplanned_maintenance", "notice"),
            "2 BD",
            "unplanned_maintenance.notice: 2 BD is business time; expected clock time such as '48h'",
        ),
        (
            RESELLER,
            ("unplanned_maintenance", "notice"),
            "n/a",
            "unplanned_maintenance.notice: must be a duration, not n/a",
        ),
        (
            RESELLER,
            ("unplanned_maintenance", "extra"),
            1,
            "unplanned_maintenance.extra: unknown key",
        ),
        (RESELLER, ("id",), 5, "id: expected str, got 5"),
        (RESELLER, ("effective",), "2018-02-01", "effective: expected date, got '2018-02-01'"),
        (RESELLER, ("extra",), 1, "extra: unknown key"),
        (RESELLER, ("business_hours",), DROP, "business_hours: missing"),
    ],
)
def test_mistakes_are_reported_exactly(
    name: str, path: tuple[str | int, ...], value: object, message: str
) -> None:
    doc = document(name)
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    if value is DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    assert str(err.value) == f"custom.toml: {message}"


def test_english_is_preferred_to_the_first_text() -> None:
    # Neither text is first in English: a missing language falls back to English.
    assert text_in({"ja": "高", "en": "High"}, "fr") == "High"
    assert Localized.of({"de": "Hoch", "en": "High"}).get("fr") == "High"


def test_a_licensed_channel_may_follow_the_vendor_zone() -> None:
    doc = document(SUPPORT)
    doc["plans"]["standard"]["licensed_channels"][0]["zone"] = "vendor"
    policy = parse_policy(doc, "custom.toml")
    assert policy.plans["standard"].licensed_channels[0].zone == "vendor"


def test_a_licensed_channel_needs_a_zone() -> None:
    doc = document(SUPPORT)
    del doc["plans"]["standard"]["licensed_channels"][0]["zone"]
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    assert str(err.value) == "custom.toml: plans.standard.licensed_channels[0].zone: missing"


def test_rca_discussed_defaults_to_no_severity() -> None:
    doc = document(RESELLER)
    del doc["post_mortem"]["rca_discussed"]
    post_mortem = parse_policy(doc, "custom.toml").post_mortem
    assert post_mortem is not None
    assert post_mortem.rca_discussed == frozenset()


class Named:
    """A policy file as load_file sees it: ``read_text`` and a name, here only ``str``."""

    def __init__(self, name: str, text: str) -> None:
        self._name = name
        self._text = text

    def read_text(self, encoding: str) -> str:
        assert encoding == "utf-8"  # policy files are UTF-8 whatever the locale
        return self._text

    def __str__(self) -> str:
        return self._name


def test_load_file_reads_utf_8_and_names_the_file() -> None:
    text = (resources.files("caredesk") / "policies" / SUPPORT).read_text(encoding="utf-8")
    policy = policies.load_file(Named(SUPPORT, text))
    assert str(policy) == "purecloud-support v1"
    broken = Named(SUPPORT, text.replace("schema = 1", "schema = 2", 1))
    with pytest.raises(PolicyError) as err:
        policies.load_file(broken)
    assert str(err.value) == f"{SUPPORT}: schema: unsupported schema 2; expected 1"


def test_a_licensed_channel_needs_its_severities() -> None:
    doc = document(SUPPORT)
    del doc["plans"]["standard"]["licensed_channels"][0]["severities"]
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    assert str(err.value) == (
        "custom.toml: plans.standard.licensed_channels[0].severities: missing"
    )


def test_loading_by_name_and_date() -> None:
    with pytest.raises(ValueError, match=r"^unknown policy") as err:
        policies.load("nope")
    assert str(err.value) == (
        "unknown policy 'nope'; expected one of: genesys-care-cloud-reseller, "
        "purecloud-customer-care, purecloud-support"
    )
    # in force from its effective date itself
    assert str(policies.load("genesys-care-cloud-reseller", on=date(2018, 2, 1))) == (
        "genesys-care-cloud-reseller v4"
    )


def test_a_policy_calendar_keeps_the_subdivision() -> None:
    calendar = fresh(RESELLER).calendar("America/Los_Angeles", country="US", subdivision="CA")
    assert (calendar.country, calendar.subdivision) == ("US", "CA")
    assert calendar.holiday(date(2026, 3, 31)) == "Cesar Chavez Day"


def test_an_unknown_plan_names_the_policy_and_its_plans() -> None:
    with pytest.raises(ValueError, match=r"^unknown plan") as err:
        fresh(RESELLER).plan("gold")
    assert str(err.value) == (
        "unknown plan 'gold' for policy 'genesys-care-cloud-reseller'; expected one of: "
        "care-for-cloud, business-care"
    )


def test_load_file_names_a_path_by_its_file_name(tmp_path: Any) -> None:
    source = resources.files("caredesk") / "policies" / SUPPORT
    copy = tmp_path / SUPPORT
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    assert str(policies.load_file(copy)) == "purecloud-support v1"
    wrong = tmp_path / "support.toml"
    wrong.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PolicyError, match="must be named") as err:
        policies.load_file(wrong)
    assert str(err.value) == (
        "support.toml: the file of policy purecloud-support v1 must be named "
        "'purecloud-support-v1.toml'"
    )


@pytest.mark.parametrize("severity", [True, False, 0, 5, "1", 1.0])
def test_a_severity_is_an_int_from_1_to_4(severity: object) -> None:
    with pytest.raises(ValueError, match=r"^unknown severity") as err:
        check_severity(severity)  # type: ignore[arg-type]
    assert str(err.value) == f"unknown severity {severity!r}; expected 1, 2, 3 or 4"
