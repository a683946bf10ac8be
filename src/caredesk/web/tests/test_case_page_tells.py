"""What the case page tells its reader: when Care will respond to a case opened outside the
customer's business hours, the Severity 1 contact, and the history as sentences in the
reader's language (never a stored dictionary or event identifier).

Kenji works in Tokyo (Monday-Friday 08:00-17:00); the cases open Monday 10:00 New York =
Tuesday 00:00 Tokyo, outside his business hours.
"""

from __future__ import annotations

import html
from datetime import timedelta

from django.test import Client

from caredesk.cases import services
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, signed_in_client


def _page(client: Client, case_id: int) -> str:
    response = client.get(f"/cases/{case_id}")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_says_when_care_will_respond_in_the_readers_language(world: World) -> None:
    case = open_customer_case(world, START, severity=2)  # 1 BH: Tuesday 09:00 Tokyo
    english = _page(signed_in_client(world.customer_contact), case.id)
    assert (
        "Opened outside business hours: Care will respond by Tue 2026-11-24 09:00 (Asia/Tokyo)."
        in english
    )
    japanese = _page(signed_in_client(world.customer_contact, language="ja"), case.id)
    assert (
        "営業時間外に作成されたケースです。Care より 火 2026-11-24 09:00 (Asia/Tokyo) までに"
        "回答いたします。" in japanese
    )


def test_the_page_shows_the_severity_1_contact(world: World) -> None:
    case = open_customer_case(
        world,
        START,
        severity=1,
        critical_contact_name="Kenji Sato",
        critical_contact_phone="+81 3-1234-5678",
    )
    page = _page(signed_in_client(world.customer_contact), case.id)
    assert "Contact reachable at all times (Severity 1): Kenji Sato, +81 3-1234-5678" in page
    assert "Opened outside business hours" not in page  # Severity 1 runs 24x7


def test_the_history_reads_as_sentences_not_stored_data(world: World) -> None:
    case = open_customer_case(world, START, severity=2)
    services.apply_rules(
        actor=world.manager.user,
        organisation_id=world.customer.id,
        changes={"timezone": "Asia/Seoul", "country": "KR"},
        reason="Initech moved its desk to Seoul",
        now=START + timedelta(minutes=5),
    )
    page = _page(signed_in_client(world.customer_contact), case.id)
    assert (
        "Max changed the rules the case counts under. Time zone changed from Asia/Tokyo to "
        "Asia/Seoul. Public holidays changed from Japan (JP) to South Korea (KR). "
        "Reason: Initech moved its desk to Seoul" in page
    )
    assert "Kenji opened the case through the portal: incident, severity 2 (High), priority 3." in (
        page
    )
    history = page[page.index('class="history"') :]
    assert "{'" not in history
    assert "rules-changed</b>" not in history
    japanese = _page(signed_in_client(world.customer_contact, language="ja"), case.id)
    assert "Max がケースの計算ルールを変更しました。 タイムゾーンが Asia/Tokyo から" in japanese
