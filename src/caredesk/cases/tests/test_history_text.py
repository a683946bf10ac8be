"""Every history event reads as a sentence in the reader's language (``cases.history_text``):
who did what, instants in the reader's zone, names in words; never a stored dictionary, an
ISO instant or an internal identifier.

Kenji's case (Initech KK, PureCloud Customer Care, Tokyo): severities 1 Critical / 緊急,
2 High / 高, 3 Medium / 中. The English reader is in New York, the Japanese one in Tokyo:
``2026-11-24T00:00:00+00:00`` is Mon 2026-11-23 19:00 in New York and 火 2026-11-24 09:00 in
Tokyo.
"""

# The Japanese sentences use full-width punctuation, as the catalogue does.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User

from caredesk.cases.history_text import SENTENCES, event_text
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, open_reseller_case

READERS = {"en": "America/New_York", "ja": "Asia/Tokyo"}
ISO_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})"
)
TOKYO_RULES = {
    "policy": "purecloud-customer-care",
    "policy_version": 1,
    "plan": "standard",
    "timezone": "Asia/Tokyo",
    "country": "JP",
    "subdivision": "",
}
SEOUL_RULES = {**TOKYO_RULES, "timezone": "Asia/Seoul", "country": "KR"}
CONTACT = {"name": "Kenji Sato", "phone": "+81 3-1234-5678"}

# kind: (who acts, data, reason, English, Japanese). ``who`` names a person of the world
# (``None``: the automation).
SAMPLES: dict[str, tuple[str | None, dict[str, Any], str, str, str]] = {
    EventKind.OPENED: (
        "kenji",
        {"severity": 2, "priority": 3, "case_type": "incident", "channel": "portal"},
        "",
        "Kenji opened the case through the portal: incident, severity 2 (High), priority 3.",
        "Kenji がポータルからケースを作成しました：インシデント、重大度 2 (高)、優先度 3。",
    ),
    EventKind.STATUS_CHANGED: (
        "erin",
        {"from": "new", "to": "waiting-on-customer"},
        "logs requested",
        "Erin moved the case from new to waiting on the customer. Reason: logs requested",
        "Erin がステータスを「新規」から「お客様の回答待ち」に変更しました。 理由：logs requested",
    ),
    EventKind.SEVERITY_CHANGED: (
        "erin",
        {"from": 2, "to": 1, "phone_raise": True, "contact": CONTACT},
        "all sites down",
        "Erin logged the customer's call raising the severity from 2 (High) to 1 (Critical). "
        "Contact reachable at all times: Kenji Sato, +81 3-1234-5678. Reason: all sites down",
        "Erin がお客様からの電話を記録し、重大度を 2 (高) から 1 (緊急) に引き上げました。 "
        "常時連絡可能な担当者：Kenji Sato、+81 3-1234-5678。 理由：all sites down",
    ),
    EventKind.SEVERITY_CHANGE_REQUESTED: (
        "kenji",
        {"request_id": 1, "from": 3, "to": 2},
        "callbacks lost",
        "Kenji asked to change the severity from 3 (Medium) to 2 (High). Reason: callbacks lost",
        "Kenji が重大度を 3 (中) から 2 (高) に変更するよう依頼しました。 理由：callbacks lost",
    ),
    EventKind.SEVERITY_CHANGE_DECLINED: (
        "erin",
        {"request_id": 1, "to": 2},
        "no impact seen",
        "Erin declined the request to change the severity to 2 (High). Reason: no impact seen",
        "Erin が重大度を 2 (高) に変更する依頼を却下しました。 理由：no impact seen",
    ),
    EventKind.RESPONDED: (
        "erin",
        {},
        "",
        "Erin answered the customer: Care's first response.",
        "Erin がお客様に回答しました（Care の初回応答）。",
    ),
    EventKind.INCIDENT_LINKED: (
        "erin",
        {"started_at": "2026-11-23T14:00:00+00:00"},
        "",
        "Erin linked the case to a platform incident that started "
        "Mon 2026-11-23 09:00 (America/New_York).",
        "Erin がケースを 月 2026-11-23 23:00 (Asia/Tokyo) に始まったプラットフォーム障害に"
        "リンクしました。",
    ),
    EventKind.RULES_CHANGED: (
        "max",
        {"from": TOKYO_RULES, "to": SEOUL_RULES},
        "Initech moved its desk to Seoul",
        "Max changed the rules the case counts under. Time zone changed from Asia/Tokyo to "
        "Asia/Seoul. Public holidays changed from Japan (JP) to South Korea (KR). "
        "Reason: Initech moved its desk to Seoul",
        "Max がケースの計算ルールを変更しました。 タイムゾーンが Asia/Tokyo から Asia/Seoul に"
        "変わりました。 祝日が Japan (JP) から South Korea (KR) に変わりました。 "
        "理由：Initech moved its desk to Seoul",
    ),
    EventKind.COMMENT: (
        "kenji",
        {"body": "Still failing.", "public": True, "by_care": False},
        "",
        "Kenji replied.",
        "Kenji が返信しました。",
    ),
    EventKind.LINKED: (
        "erin",
        {"to": "CD0000009", "kind": "related"},
        "",
        "Erin linked this case to case CD0000009 (related case).",
        "Erin がこのケースをケース CD0000009 にリンクしました（関連ケース）。",
    ),
    EventKind.ASSIGNED: (
        "max",
        {"assignee": "erin@care.example"},
        "",
        "Max assigned the case to Erin.",
        "Max がケースを Erin に割り当てました。",
    ),
    EventKind.RCA_DUE: (
        "erin",
        {"due": "2026-11-30T08:00:00+00:00", "for_case": "CD0000001", "severity": 1},
        "",
        "The comprehensive RCA of case CD0000001 is due Mon 2026-11-30 03:00 (America/New_York).",
        "ケース CD0000001 の詳細な根本原因分析 (RCA) の期限は 月 2026-11-30 17:00 (Asia/Tokyo) "
        "です。",
    ),
    EventKind.POST_MORTEM_DUE: (
        "erin",
        {"due": "2026-11-26T08:00:00+00:00", "rca_discussed": True},
        "",
        "The post-mortem meeting is due Thu 2026-11-26 03:00 (America/New_York). "
        "The RCA is discussed there.",
        "ポストモーテム会議の期限は 木 2026-11-26 17:00 (Asia/Tokyo) です。 "
        "会議では RCA についても話し合います。",
    ),
    EventKind.POST_MORTEM_HELD: (
        "erin",
        {},
        "",
        "Erin recorded that the post-mortem meeting was held.",
        "Erin がポストモーテム会議の実施を記録しました。",
    ),
    EventKind.INCIDENT_REPORT_REQUESTED: (
        "kenji",
        {"text": "Please send the Incident Report."},
        "",
        "Kenji asked in writing for the Incident Report.",
        "Kenji が書面でインシデント報告書を依頼しました。",
    ),
    EventKind.INCIDENT_REPORT_DUE: (
        "erin",
        {"due": "2026-12-01T08:00:00+00:00"},
        "",
        "The Incident Report is due Tue 2026-12-01 03:00 (America/New_York).",
        "インシデント報告書の期限は 火 2026-12-01 17:00 (Asia/Tokyo) です。",
    ),
    EventKind.CALL_LOGGED: (
        "erin",
        {"body": "Walked Kenji through the trunk settings.", "public": True, "by_care": True},
        "",
        "Erin logged a phone call with the customer.",
        "Erin がお客様との電話を記録しました。",
    ),
    EventKind.FOLLOW_UP_MEETING_HELD: (
        "erin",
        # Held Tuesday 24 November 14:00 New York, Wednesday 04:00 in Tokyo.
        {"held_at": "2026-11-24T19:00:00+00:00"},
        "",
        "Erin recorded the follow-up meeting, held Tue 2026-11-24 14:00 (America/New_York).",
        "Erin が 水 2026-11-25 04:00 (Asia/Tokyo) に開催されたフォローアップ会議を記録しました。",
    ),
    EventKind.INCIDENT_REPORT_DELIVERED: (
        "erin",
        {},
        "",
        "Erin delivered the Incident Report.",
        "Erin がインシデント報告書を提出しました。",
    ),
    EventKind.ESCALATION_REQUESTED: (
        None,
        {
            "step": "management-attention",
            "description": "No progress",
            "business_impact": "200 agents idle",
            "by": "contact",
            "mailbox": "PureCloudManagementAttention@genesys.com",
            "due": "2026-11-24T15:00:00+00:00",
        },
        "",
        "The customer escalated the case to the management-attention mailbox "
        "(PureCloudManagementAttention@genesys.com); an answer is due "
        "Tue 2026-11-24 10:00 (America/New_York).",
        "お客様 がマネジメント エスカレーション窓口 (PureCloudManagementAttention@genesys.com) "
        "にエスカレーションしました。回答期限は 水 2026-11-25 00:00 (Asia/Tokyo) です。",
    ),
    EventKind.ESCALATION_ACKNOWLEDGED: (
        None,
        {},
        "",
        "Care management acknowledged the escalation.",
        "Care のマネジメント がエスカレーションを受領しました。",
    ),
    EventKind.SLA_WARNING: (
        None,
        {
            "metric": "response",
            "level": 75,
            "generation": 0,
            "target": "1 BH",
            "due": "2026-11-24T00:00:00+00:00",
        },
        "",
        "SLA warning: 75% of the response time used; due Mon 2026-11-23 19:00 (America/New_York).",
        "SLA 警告：初回応答の目標時間の 75% が経過しました。期限は 火 2026-11-24 09:00 "
        "(Asia/Tokyo) です。",
    ),
    EventKind.SLA_BREACHED: (
        None,
        {"metric": "restoration", "generation": 0, "target": "2 BD", "due": "2026-11-24T00:00:00Z"},
        "",
        "SLA breached: the restoration target was due Mon 2026-11-23 19:00 (America/New_York) "
        "and was not met.",
        "SLA 違反：復旧の目標期限 火 2026-11-24 09:00 (Asia/Tokyo) までに達成されませんでした。",
    ),
    EventKind.STALE_NOTICE: (
        None,
        {"close_at": "2026-11-30T08:00:00+00:00", "since": "2026-11-23T15:06:00+00:00"},
        "",
        "Advance notice of closure: the case closes Mon 2026-11-30 03:00 (America/New_York) "
        "unless the customer replies.",
        "クローズの事前通知：お客様からのご回答がない場合、ケースは 月 2026-11-30 17:00 "
        "(Asia/Tokyo) にクローズされます。",
    ),
    EventKind.DEADLINE_REMINDER: (
        None,
        {"deadline": "post-mortem-due", "due": "2026-11-26T08:00:00+00:00"},
        "",
        "Reminder: the post-mortem meeting is due Thu 2026-11-26 03:00 (America/New_York).",
        "リマインダー：ポストモーテム会議の期限は 木 2026-11-26 17:00 (Asia/Tokyo) です。",
    ),
    EventKind.DEADLINE_OVERDUE: (
        None,
        {"deadline": "management-attention", "due": "2026-11-24T15:00:00+00:00"},
        "",
        "Overdue: the answer of the management-attention mailbox was due "
        "Tue 2026-11-24 10:00 (America/New_York).",
        "期限超過：マネジメント エスカレーション窓口からの回答の期限 水 2026-11-25 00:00 "
        "(Asia/Tokyo) を過ぎています。",
    ),
}


def test_every_event_kind_has_a_sentence_and_a_sample_here() -> None:
    # A new kind needs its sentence in ``history_text.SENTENCES`` (and its sample above).
    assert sorted(set(EventKind.values) - set(SENTENCES)) == []
    assert sorted(set(EventKind.values) - set(SAMPLES)) == []


def _people(world: World) -> dict[str, User]:
    return {
        "kenji": world.customer_contact.user,
        "erin": world.engineer.user,
        "max": world.manager.user,
    }


def _event(case: Case, actor: User | None, kind: str, data: dict[str, Any], reason: str) -> Any:
    return CaseEvent(case=case, seq=9, at=START, actor=actor, kind=kind, data=data, reason=reason)


@pytest.fixture
def kenjis_case(world: World) -> Case:
    return open_customer_case(world, START, severity=2)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("kind", list(EventKind.values))
def test_every_kind_reads_as_a_sentence_in_the_readers_language_and_zone(
    world: World, kenjis_case: Case, kind: str, language: str
) -> None:
    who, data, reason, english, japanese = SAMPLES[kind]
    actor = _people(world)[who] if who else None
    event = _event(kenjis_case, actor, kind, data, reason)
    text = event_text(kenjis_case, event, language=language, zone=READERS[language])
    assert text == {"en": english, "ja": japanese}[language]
    # Never what was stored: no dictionary, no ISO instant, no event kind identifier.
    assert "{" not in text
    assert "}" not in text
    assert ISO_INSTANT.search(text) is None, text
    assert "-" not in kind or kind not in text


def test_who_opened_for_whom_and_the_follow_up_are_said(world: World, kenjis_case: Case) -> None:
    data = {
        "severity": 3,
        "priority": 2,
        "case_type": "rca",
        "channel": "phone",
        "follow_up_of": "CD0000001",
    }
    event = _event(kenjis_case, world.engineer.user, EventKind.OPENED, data, "")
    assert event_text(kenjis_case, event, language="en", zone="Asia/Tokyo") == (
        "Erin opened the case for Kenji by phone: RCA follow-up, severity 3 (Medium), "
        "priority 2. It follows up case CD0000001."
    )
    assert event_text(kenjis_case, event, language="ja", zone="Asia/Tokyo") == (
        "Erin が Kenji に代わって電話でケースを作成しました：RCA フォローアップ、重大度 3 (中)、"
        "優先度 2。 ケース CD0000001 のフォローアップです。"
    )


def test_a_rules_change_names_policies_plans_and_working_hours_in_words(
    world: World, kenjis_case: Case
) -> None:
    before = {**TOKYO_RULES, "hours": {"mon": "08:00-17:00", "tue": "08:00-17:00"}}
    after = {
        **TOKYO_RULES,
        "policy": "purecloud-support",
        "hours": {"mon": ["09:00-12:00", "13:00-18:00"], "tue": "09:00-18:00"},
    }
    event = _event(kenjis_case, None, EventKind.RULES_CHANGED, {"from": before, "to": after}, "")
    assert event_text(kenjis_case, event, language="en", zone="Asia/Tokyo") == (
        "CareDesk changed the rules the case counts under. Support policy changed from "
        "PureCloud Customer Care, version 1 to PureCloud Support, version 1. Working hours "
        "changed from Mon-Tue 08:00-17:00 to Mon 09:00-12:00, 13:00-18:00; Tue 09:00-18:00."
    )
    same = _event(
        kenjis_case,
        world.manager.user,
        EventKind.RULES_CHANGED,
        {"from": TOKYO_RULES, "to": TOKYO_RULES},
        "",
    )
    assert event_text(kenjis_case, same, language="ja", zone="Asia/Tokyo") == (
        "Max がサポートポリシー PureCloud Customer Care バージョン 1 をケースに再適用しました。"
    )


def test_a_kind_without_a_sentence_still_reads_as_words(world: World, kenjis_case: Case) -> None:
    # Kinds another change adds before its sentence is written here: never a failing page.
    event = _event(kenjis_case, world.engineer.user, "call-recorded", {"minutes": 5}, "")
    assert event_text(kenjis_case, event, language="en", zone="Asia/Tokyo") == (
        "Erin: call recorded."
    )
    assert event_text(kenjis_case, event, language="ja", zone="Asia/Tokyo") == (
        "Erin：call recorded。"
    )


def test_the_product_of_a_reseller_case_is_named_in_words(world: World) -> None:
    case = open_reseller_case(world, START, product="premier-edition")
    opened = case.events.get(kind="opened")
    english = event_text(case, opened, language="en", zone=READERS["en"])
    japanese = event_text(case, opened, language="ja", zone=READERS["ja"])
    assert english.endswith("Product: Premier Edition (including Self-Service)."), english
    assert japanese.endswith("Premier Edition (セルフサービスを含む)。"), japanese
    assert "{" not in english + japanese
