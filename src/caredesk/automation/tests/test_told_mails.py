"""What the e-mails tell (issue 13, points 7 and 8): every opener's confirmation with the
case number and due times (and, outside business hours, when Care will respond), and Care's
alert of a Severity 1 case with the contact reachable at all times.

World: Kenji (``customer_contact``) works for Initech KK in Tokyo, Monday-Friday
08:00-17:00, and Monday 2026-11-23 is a public holiday there; Rita (reseller) in New York;
Max (``manager``) in New York reads English; Mika, a second manager, in Tokyo reads
Japanese. Monday 2026-11-23 10:00 New York is Tuesday 00:00 in Tokyo.
"""

# The Japanese sentences use full-width punctuation, as the catalogue does.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import timedelta

import pytest

from caredesk.accounts.models import Profile
from caredesk.automation import services as automation
from caredesk.automation.models import Outbox
from caredesk.cases import services
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, open_reseller_case, person


def mails(to: Profile, event: str) -> list[tuple[str, str]]:
    rows = Outbox.objects.filter(channel="email", event=event, payload__to=to.user.email)
    return [(row.payload["subject"], row.payload["body"]) for row in rows.order_by("id")]


@pytest.fixture
def mika(world: World) -> Profile:
    return person(
        START,
        world.vendor,
        "mika@care.example",
        role="manager",
        language="ja",
        timezone="Asia/Tokyo",
    )


def _speaks(profile: Profile, language: str) -> Profile:
    profile.language = language
    profile.save(update_fields=["language"])
    return profile


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
    kenji = _speaks(world.customer_contact, language)
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
