"""The new-case page takes requests for an RCA or further documentation (seeds 000-002)."""

from __future__ import annotations

from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case, CaseLink
from caredesk.cases.tests.test_follow_up_meeting import HELD, RECORDED, delivered_request
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import PURECLOUD_INTAKE, World, open_customer_case, speaks


def test_the_form_asks_a_request_for_the_original_case_and_links_it(
    world: World, signed_in: Client
) -> None:
    page = signed_in.get("/cases/new").content.decode()
    assert '<option value="rca">' in page
    assert "Case number of the original trouble reported (rca and documentation cases only)" in page
    original = open_customer_case(world, START)
    form = {
        "case_type": "documentation",
        "severity": "4",
        "priority": "3",
        "subject": "Documentation of the callback delays",
        "description": "Please send the configuration notes.",
        **{f"intake_{k}": v for k, v in PURECLOUD_INTAKE.items()},
        "intake_distribution_contact": "kenji@initech.example",
    }
    response = signed_in.post("/cases/new", form)
    assert response.status_code == 200
    assert (
        "Case number of the original trouble reported (rca and documentation cases only) "
        "is required: please fill it in." in response.content.decode()
    )
    assert Case.objects.count() == 1
    response = signed_in.post("/cases/new", {**form, "intake_original_case": original.number})
    assert response.status_code == 302
    request = Case.objects.get(case_type="documentation")
    assert CaseLink.objects.get().to_case == original
    assert response["Location"] == f"/cases/{request.id}/opened"


def test_the_form_in_japanese_names_the_case_types(world: World, signed_in: Client) -> None:
    speaks(world.customer_contact, "ja")
    page = signed_in.get("/cases/new").content.decode()
    assert "報告された元の問題のケース番号 (RCA と ドキュメント のケースのみ)" in page


def test_the_case_history_shows_the_follow_up_meeting_in_the_readers_zone(
    world: World, signed_in: Client, clock: Clock
) -> None:
    request = delivered_request(world)
    clock.set(RECORDED)
    services.record_follow_up_meeting(
        actor=world.engineer.user, case_id=request.id, held_at=HELD, now=RECORDED
    )
    # Held Tuesday 24 November 14:00 New York: Wednesday 04:00 in Tokyo, where Kenji works.
    page = signed_in.get(f"/cases/{request.id}").content.decode()
    assert "recorded the follow-up meeting, held Wed 2026-11-25 04:00 (Asia/Tokyo)." in page
    speaks(world.customer_contact, "ja")
    page = signed_in.get(f"/cases/{request.id}").content.decode()
    assert "水 2026-11-25 04:00 (Asia/Tokyo) に開催されたフォローアップ会議を記録しました" in page
