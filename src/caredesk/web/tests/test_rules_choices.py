"""The rules page offers its answers as choices: IANA zones, the countries whose public
holidays are known, the shipped policies and their plans; the reason is asked to apply."""

from __future__ import annotations

from caredesk.accounts.models import Organisation
from caredesk.testing import World, signed_in_client


def test_the_rules_page_offers_choices(world: World) -> None:
    manager = signed_in_client(world.manager)
    page = manager.get(f"/organisations/{world.customer.id}/rules").content.decode()
    assert '<select name="timezone"' in page
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in page
    assert '<option value="Europe/Dublin">Europe/Dublin</option>' in page
    assert '<option value="JP" selected>Japan (JP)</option>' in page
    assert '<option value="IE">Ireland (IE)</option>' in page
    assert (
        '<option value="purecloud-customer-care" selected>PureCloud Customer Care '
        "(purecloud-customer-care v1)</option>" in page
    )
    assert '<optgroup label="Genesys Care for Cloud - Support Guide for Cloud Resellers">' in page
    assert '<option value="care-for-cloud">Care for Cloud (care-for-cloud)</option>' in page
    assert "Reason (required to apply; recorded in each case&#x27;s history)" in page


def test_an_unknown_zone_is_refused_next_to_its_field_and_nothing_changes(world: World) -> None:
    manager = signed_in_client(world.manager)
    form = {
        "timezone": "Mars/Olympus",
        "country": "JP",
        "plan": "standard",
        "policy": "purecloud-customer-care",
        "reason": "moved",
        "apply": "",
    }
    page = manager.post(f"/organisations/{world.customer.id}/rules", form).content.decode()
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in page
    assert Organisation.objects.get(id=world.customer.id).timezone == "Asia/Tokyo"


def test_the_choices_in_japanese(world: World) -> None:
    manager = signed_in_client(world.manager, language="ja")
    page = manager.get(f"/organisations/{world.customer.id}/rules").content.decode()
    assert "理由 (適用には必須。各ケースの履歴に記録されます)" in page
    assert '<option value="standard" selected>スタンダード (standard)</option>' in page
    form = {
        "timezone": "Mars/Olympus",
        "country": "JP",
        "plan": "standard",
        "policy": "purecloud-customer-care",
        "preview": "",
    }
    refused = manager.post(f"/organisations/{world.customer.id}/rules", form).content.decode()
    assert "正しく選択してください。 Mars/Olympus は候補にありません。" in refused
