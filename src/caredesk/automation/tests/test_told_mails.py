"""What the e-mails tell (issue 13, points 7, 8 and 10): every opener's confirmation with
the case number and due times (and, outside business hours, when Care will respond), Care's
alert of a Severity 1 case with the contact reachable at all times, the credentials
reminders in each manager's language and zone, and no ISO 8601 instant in any e-mail.

World: Kenji (``customer_contact``) works for Initech KK in Tokyo, Monday-Friday
08:00-17:00, and Monday 2026-11-23 is a public holiday there; Rita (reseller) in New York;
Max (``manager``) in New York reads English; Mika, a second manager, in Tokyo reads
Japanese. Monday 2026-11-23 10:00 New York is Tuesday 00:00 in Tokyo.
"""

# The Japanese sentences use full-width punctuation, as the catalogue does.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from caredesk.accounts.models import Profile
from caredesk.automation import services as automation
from caredesk.automation.models import Outbox
from caredesk.cases import services
from caredesk.conftest import START
from caredesk.testing import (
    World,
    drain,
    mails,
    open_customer_case,
    open_reseller_case,
    speaks,
)

TOKYO = ZoneInfo("Asia/Tokyo")
ISO_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})\b"
)


CONFIRMATION = {
    # Severity 2, opened Tuesday 00:00 Tokyo: 1 BH to respond (Tuesday 08:00-09:00 JST),
    # 2 BD to restore (Tuesday and Wednesday, 17:00 JST); no resolution target.
    "en": (
        "[{n}] Case opened: Callbacks delayed",
        "Your case {n} was opened with severity 2.\n"
        "Opened outside business hours: Care will respond by Tue 2026-11-24 09:00 (Asia/Tokyo).\n"
        "Response due: Tue 2026-11-24 09:00 (Asia/Tokyo)\n"
        "Restoration due: Wed 2026-11-25 17:00 (Asia/Tokyo)",
    ),
    "ja": (
        "[{n}] ケースが作成されました: Callbacks delayed",
        "ケース {n} が重大度 2 で作成されました。\n"
        "営業時間外に作成されたケースです。Care より 火 2026-11-24 09:00 (Asia/Tokyo) までに"
        "回答いたします。\n"
        "初回応答の期限：火 2026-11-24 09:00 (Asia/Tokyo)\n"
        "復旧の期限：水 2026-11-25 17:00 (Asia/Tokyo)",
    ),
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_opener_is_told_the_number_due_times_and_when_care_responds(
    world: World, language: str
) -> None:
    kenji = speaks(world.customer_contact, language)
    case = open_customer_case(world, START, severity=2, subject="Callbacks delayed")
    subject, body = CONFIRMATION[language]
    assert mails(kenji, "opened") == [(subject.format(n=case.number), body.format(n=case.number))]


def test_a_case_opened_in_business_hours_says_when_care_responds_without_the_notice(
    world: World,
) -> None:
    # Rita opens Monday 10:00 New York, inside her hours: 6 BH to respond (16:00 EST).
    rita = world.reseller_contacts[0]
    case = open_reseller_case(world, START)
    ((_, body),) = mails(rita, "opened")
    lines = body.split("\n")
    assert lines[:3] == [
        f"Your case {case.number} was opened with severity 2.",
        "Care will respond by Mon 2026-11-23 16:00 (America/New_York).",
        "Response due: Mon 2026-11-23 16:00 (America/New_York)",
    ]
    assert "outside business hours" not in body


def test_nobody_else_is_told_of_their_own_action(world: World) -> None:
    # The opener's confirmation is the one exception: Kenji's own reply is not mailed to him.
    case = open_customer_case(world, START, severity=2)
    services.add_comment(
        actor=world.customer_contact.user,
        case_id=case.id,
        body="More detail.",
        now=START + timedelta(minutes=5),
    )
    assert mails(world.customer_contact, "comment") == []
    assert [subject for subject, _ in mails(world.manager, "comment")] == [
        f"[{case.number}] New reply: Callbacks are delayed"
    ]


def test_care_is_alerted_of_a_new_severity_1_case_with_its_contact(
    world: World, mika: Profile
) -> None:
    case = open_customer_case(
        world,
        START,
        severity=1,
        subject="No calls reach the agents",
        description="Every inbound call fails.",
        critical_contact_name="Kenji Sato",
        critical_contact_phone="+81 3-1234-5678",
    )
    n = case.number
    # 10 minutes to respond and 4 hours to restore, both clock time from Monday 10:00 EST.
    assert mails(world.manager, "opened") == [
        (
            f"[{n}] Severity 1 case opened: No calls reach the agents",
            f"Severity 1 case {n} of Initech KK was opened.\n"
            "Contact reachable at all times: Kenji Sato, +81 3-1234-5678.\n"
            "Response due: Mon 2026-11-23 10:10 (America/New_York)\n"
            "Restoration due: Mon 2026-11-23 14:00 (America/New_York)\n"
            "\nDescription: Every inbound call fails.",
        )
    ]
    assert mails(mika, "opened") == [
        (
            f"[{n}] 重大度 1 のケースが作成されました: No calls reach the agents",
            f"Initech KK の重大度 1 のケース {n} が作成されました。\n"
            "常時連絡可能な担当者：Kenji Sato、+81 3-1234-5678。\n"
            "初回応答の期限：火 2026-11-24 00:10 (Asia/Tokyo)\n"
            "復旧の期限：火 2026-11-24 04:00 (Asia/Tokyo)\n"
            "\n詳細：Every inbound call fails.",
        )
    ]
    # The opener gets the confirmation, not Care's alert.
    ((subject, _),) = mails(world.customer_contact, "opened")
    assert subject == f"[{n}] Case opened: No calls reach the agents"


def test_care_is_alerted_of_a_raise_to_severity_1_with_the_contact_of_the_raise(
    world: World,
) -> None:
    rita = world.reseller_contacts[0]
    case = open_reseller_case(world, START)  # Severity 2, Monday 10:00 New York
    _, secret = automation.subscribe(
        actor=rita.user,
        organisation_id=world.reseller.id,
        url="https://hooks.acme.example/caredesk",
        event_types=["severity-changed"],
        now=START,
    )
    assert secret
    services.phone_raise(
        actor=world.engineer.user,
        case_id=case.id,
        reason="all sites down",
        contact_name="Rita Ramos",
        contact_phone="+1 212 555 0100",
        now=START + timedelta(minutes=30),
    )
    ((subject, body),) = mails(world.manager, "severity-changed")
    assert subject == f"[{case.number}] Raised to Severity 1: Agents cannot go on queue"
    # Critical on Care for Cloud counts from the call (10:30): 4 h to respond, 6 h to restore.
    assert body.split("\n")[:4] == [
        f"Case {case.number} of Acme Reseller was raised to Severity 1.",
        "Contact reachable at all times: Rita Ramos, +1 212 555 0100.",
        "Response due: Mon 2026-11-23 14:30 (America/New_York)",
        "Restoration due: Mon 2026-11-23 16:30 (America/New_York)",
    ]
    assert mails(world.engineer, "severity-changed") == []  # Erin logged the call herself
    hook = Outbox.objects.get(channel="webhook", event="severity-changed")
    assert hook.payload["body"]["case"]["critical_contact"] == {
        "name": "Rita Ramos",
        "phone": "+1 212 555 0100",
    }


def test_credentials_mails_name_instants_in_each_managers_zone_and_language(
    world: World, mika: Profile
) -> None:
    # Kenji was trained Tuesday 00:00 Tokyo; 48 BH of his calendar: Tue, Wed, Thu, Fri and
    # Mon (45 h), then Tuesday 1 December 08:00-11:00 JST. The reminder comes half-way,
    # Thursday 26 November 14:00 JST (00:00 in New York).
    drain(datetime(2026, 11, 26, 14, 0, tzinfo=TOKYO))
    kenji = "kenji@initech.example"
    assert [m for m in mails(world.manager, "credentials-reminder") if kenji in m[0]] == [
        (
            f"Credentials due for designated contact {kenji} (Initech KK)",
            f"{kenji} completed the roles-and-responsibilities training Mon 2026-11-23 10:00 "
            "(America/New_York); the credentials are due Mon 2026-11-30 21:00 "
            "(America/New_York) and have not been issued.",
        )
    ]
    assert [m for m in mails(mika, "credentials-reminder") if kenji in m[0]] == [
        (
            f"指定担当者 {kenji} (Initech KK) の認証情報の発行期限",
            f"{kenji} は 火 2026-11-24 00:00 (Asia/Tokyo) に役割と責任のトレーニングを"
            "修了しました。認証情報の発行期限は 火 2026-12-01 11:00 (Asia/Tokyo) で、"
            "まだ発行されていません。",
        )
    ]
    drain(datetime(2026, 12, 1, 11, 0, tzinfo=TOKYO))
    ((subject, body),) = [m for m in mails(world.manager, "credentials-overdue") if kenji in m[0]]
    assert subject == f"Credentials overdue for designated contact {kenji} (Initech KK)"
    assert "the credentials were due Mon 2026-11-30 21:00 (America/New_York)" in body


def test_no_email_shows_an_iso_instant(world: World, mika: Profile) -> None:
    """A week of a desk's life: every e-mail it sends writes instants for people."""
    speaks(world.customer_contact, "ja")
    ordinary = open_customer_case(world, START, severity=2)
    # Initech has no TAM: a request in the case, then the management-attention mailbox.
    steps = [
        automation.escalate(
            actor=world.customer_contact.user,
            case_id=ordinary.id,
            description="No progress",
            business_impact="200 agents idle",
            now=START + timedelta(hours=hours),
        )
        for hours in (1, 2)
    ]
    assert steps == ["case", "management-attention"]
    services.add_comment(
        actor=world.engineer.user,
        case_id=ordinary.id,
        body="Please send the logs.",
        now=START + timedelta(hours=10),
    )
    services.change_status(
        actor=world.engineer.user,
        case_id=ordinary.id,
        status="waiting-on-customer",
        reason="logs requested",
        now=START + timedelta(hours=10, minutes=1),
    )
    critical = open_customer_case(
        world,
        START,
        severity=1,
        subject="All calls fail",
        critical_contact_name="Kenji Sato",
        critical_contact_phone="+81 3-1234-5678",
    )
    services.change_status(
        actor=world.engineer.user,
        case_id=critical.id,
        status="resolution-proposed",
        initial_rca="A certificate expired; renewed.",
        now=START + timedelta(hours=2),
    )
    open_reseller_case(world, START)
    drain(datetime(2026, 12, 10, 12, 0, tzinfo=TOKYO))
    sent = Outbox.objects.filter(channel="email")
    events = set(sent.values_list("event", flat=True))
    assert {
        "opened",
        "comment",
        "status-changed",
        "sla-warning",
        "sla-breached",
        "stale-notice",
        "rca-due",
        "escalation-requested",
        "credentials-reminder",
        "credentials-overdue",
    } <= events
    for row in sent:
        text = row.payload["subject"] + "\n" + row.payload["body"]
        assert ISO_INSTANT.search(text) is None, (row.event, text)
