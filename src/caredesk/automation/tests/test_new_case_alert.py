"""Care hears of every case a customer opens (issue 14): an e-mail to the Care managers
(or the assignee) in the outbox, written in the transaction that opened the case, in each
recipient's language and zone. A case Care opened for a customer alerts nobody in Care.

Kenji (Initech KK, Tokyo) opens a severity 3 case on Monday 2026-11-23 10:00 New York =
Tuesday 00:00 Tokyo; its 2 BH response is due Tuesday 10:00 Tokyo = Monday 20:00 New
York, its 5 BD restoration Monday 2026-11-30 17:00 Tokyo = 03:00 New York. Max reads
English in New York, Mika Japanese in Tokyo.
"""

# ruff: noqa: RUF001

from __future__ import annotations

from caredesk.accounts.models import Profile
from caredesk.cases import services
from caredesk.conftest import START
from caredesk.testing import World, customer_case_payload, mails, open_customer_case


def test_a_customers_new_case_alerts_the_care_managers_in_their_language(
    world: World, mika: Profile
) -> None:
    case = open_customer_case(world, START, description="Callbacks wait ten minutes.")
    n = case.number
    assert mails(world.manager, "opened") == [
        (
            f"[{n}] New case: Callbacks are delayed",
            f"Initech KK opened case {n} with severity 3.\n"
            "Response due: Mon 2026-11-23 20:00 (America/New_York)\n"
            "Restoration due: Mon 2026-11-30 03:00 (America/New_York)\n"
            "\nDescription: Callbacks wait ten minutes.",
        )
    ]
    assert mails(mika, "opened") == [
        (
            f"[{n}] 新規ケース: Callbacks are delayed",
            f"Initech KK がケース {n} を重大度 3 で作成しました。\n"
            "初回応答の期限：火 2026-11-24 10:00 (Asia/Tokyo)\n"
            "復旧の期限：月 2026-11-30 17:00 (Asia/Tokyo)\n"
            "\n詳細：Callbacks wait ten minutes.",
        )
    ]
    # The engineer is on no case yet: the managers hand it on.
    assert mails(world.engineer, "opened") == []
    # The opener gets the confirmation, not Care's alert.
    ((subject, _),) = mails(world.customer_contact, "opened")
    assert subject == f"[{n}] Case opened: Callbacks are delayed"


def test_a_case_care_opened_for_a_customer_alerts_nobody_in_care(world: World) -> None:
    payload = customer_case_payload(world, START)
    payload.update(actor=world.engineer.user, on_behalf_of=world.customer_contact.id)
    services.open_case(**payload)
    assert mails(world.manager, "opened") == []
    assert mails(world.engineer, "opened") == []
