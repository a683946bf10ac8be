"""The severity definitions and targets of the reader's plan, in words (seeds 001, 004)."""

from __future__ import annotations

from caredesk.testing import World, signed_in_client


def test_care_for_cloud_targets_in_words(world: World) -> None:
    page = signed_in_client(world.reseller_contacts[0]).get("/targets").content.decode()
    assert "Plan: Care for Cloud" in page
    assert "<h2>Severity 1: Critical</h2>" in page
    # Table 1, Care for Cloud: 4 h / 6 h / 15 BD for Critical, 6 BH / 4 BD / 15 BD for High.
    assert (
        '<td data-label="Response target">4 hours (24x7)</td>\n'
        '      <td data-label="Restoration target">6 hours (24x7)</td>\n'
        '      <td data-label="Resolution target">15 business days</td>' in page
    )
    assert '<td data-label="Response target">6 business hours</td>' in page
    # Admin cases: response 2 BD, shown apart from incidents.
    assert (
        '<td data-label="Response target">2 business days</td>\n'
        '      <td data-label="Restoration target">no target</td>' in page
    )
    assert "Mon-Fri 08:00-17:00 America/New_York, public holidays of US" in page


def test_customer_care_targets_in_japanese(world: World) -> None:
    client = signed_in_client(world.customer_contact, language="ja")
    page = client.get("/targets").content.decode()
    assert "<h1>重大度と目標</h1>" in page
    assert "<h2>重大度 2: 高</h2>" in page
    assert "お客様は業務を遂行することはできるものの" in page  # the policy's own definition
    assert '<td data-label="応答目標">1 営業時間</td>' in page
    assert '<td data-label="応答目標">10 分 (24時間365日)</td>' in page
    assert "Response target" not in page
