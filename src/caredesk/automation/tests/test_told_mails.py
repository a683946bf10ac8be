"""What the e-mails tell (issue 13, point 7): every opener's confirmation with the case
number and due times (and, outside business hours, when Care will respond).

World: Kenji (``customer_contact``) works for Initech KK in Tokyo, Monday-Friday
08:00-17:00, and Monday 2026-11-23 is a public holiday there; Rita (reseller) in New York;
Max (``manager``) in New York reads English. Monday 2026-11-23 10:00 New York is Tuesday
00:00 in Tokyo.
"""

# The Japanese sentences use full-width punctuation, as the catalogue does.
# ruff: noqa: RUF001

from __future__ import annotations

from datetime import timedelta

import pytest

from caredesk.accounts.models import Profile
from caredesk.automation.models import Outbox
from caredesk.cases import services
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, open_reseller_case


def mails(to: Profile, event: str) -> list[tuple[str, str]]:
    rows = Outbox.objects.filter(channel="email", event=event, payload__to=to.user.email)
    return [(row.payload["subject"], row.payload["body"]) for row in rows.order_by("id")]


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
