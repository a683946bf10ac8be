"""What the case page shows (issue 14): the customer's description and intake answers
under the policy's questions, each clock in words a person needs, its explanation drawn
as a timeline, and a version the open page follows."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from caredesk.cases import services
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import World, open_customer_case, signed_in_client


def test_the_description_and_intake_answers_under_the_policys_questions(
    world: World, signed_in: Client
) -> None:
    case = open_customer_case(world, START, severity=2)
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    assert "<p>Callbacks wait ten minutes.</p>" in page
    assert "<dt>Organization short name</dt><dd>initech</dd>" in page
    assert "<dt>Business impact</dt><dd>callbacks are delayed</dd>" in page
    assert "org_short_name" not in page
    erin = signed_in_client(world.engineer, language="ja")
    page = erin.get(f"/cases/{case.id}").content.decode()
    assert "<dt>組織の略称</dt><dd>initech</dd>" in page
    assert "<dt>業務上の影響</dt><dd>callbacks are delayed</dd>" in page


def test_a_met_clock_says_how_early_and_a_breached_one_by_how_much(
    world: World, signed_in: Client, clock: Clock
) -> None:
    # Opened Monday 10:00 New York = Tuesday 00:00 Tokyo; severity 2 response 1 BH, due
    # Tuesday 09:00 Tokyo (Monday 19:00 New York). Care replies Monday 17:00 New York
    # (Tuesday 07:00 Tokyo): met 2 h early.
    case = open_customer_case(world, START, severity=2)
    replied = START + timedelta(hours=7)
    clock.set(replied)
    services.add_comment(actor=world.engineer.user, case_id=case.id, body="On it.", now=replied)
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    assert '<td class="clock-words">met 2 h early</td>' in page
    assert "-0:" not in page
    # Read a week later, Monday 30th 10:00 New York (15:00 UTC): restoration (2 BD = 18
    # business hours from Tuesday 24th 08:00 Tokyo) was due Wednesday 25th 17:00 Tokyo
    # (08:00 UTC), 5 d 7 h before.
    clock.set(START + timedelta(days=7))
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    assert '<td class="clock-words">breached by 5 d 7 h so far</td>' in page
    kenji = signed_in_client(world.customer_contact, language="ja")
    page = kenji.get(f"/cases/{case.id}").content.decode()
    assert '<td class="clock-words">期限の 2 時間 前に達成</td>' in page
    assert '<td class="clock-words">現在 5 日 7 時間 超過</td>' in page


def test_a_running_clock_says_the_business_time_left(world: World, signed_in: Client) -> None:
    # At opening (Tuesday 00:00 Tokyo) the whole 1 BH response target is left.
    case = open_customer_case(world, START, severity=2)
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    assert '<td class="clock-words">1 h of business time left</td>' in page


def test_each_clock_is_drawn_as_a_bar_per_day_with_its_steps_folded(
    world: World, signed_in: Client
) -> None:
    case = open_customer_case(world, START, severity=2)
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    # Response and restoration (the standard plan sets no resolution target).
    assert page.count('<svg class="timeline"') == 2
    # The response hour, Tuesday 08:00-09:00 Tokyo, still ahead at opening.
    assert "<title>Tue 11-24: Rest of the target 08:00-09:00</title>" in page
    assert "<title>Tue 11-24: Due 09:00</title>" in page
    assert "<details><summary>Each step in words</summary>" in page


def test_the_version_moves_when_the_case_changes(world: World, signed_in: Client) -> None:
    case = open_customer_case(world, START, severity=2)
    first = signed_in.get(f"/cases/{case.id}/version").json()["version"]
    assert f'data-live-version="{first}"' in signed_in.get(f"/cases/{case.id}").content.decode()
    assert signed_in.get(f"/cases/{case.id}/version").json()["version"] == first
    services.add_comment(actor=world.engineer.user, case_id=case.id, body="Hi", now=START)
    assert signed_in.get(f"/cases/{case.id}/version").json()["version"] != first
