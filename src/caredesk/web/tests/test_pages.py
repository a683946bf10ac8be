"""The pages: sign in, lists, a case with its SLA explanation, the new-case form."""

from __future__ import annotations

from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import (
    PURECLOUD_INTAKE,
    RESELLER_INTAKE,
    World,
    open_customer_case,
    signed_in_client,
    speaks,
)


def test_pages_need_a_session(world: World) -> None:
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_case_page_shows_clocks_in_the_viewers_zone_and_explains_them(
    world: World, signed_in: Client
) -> None:
    case = open_customer_case(world, START, severity=2)
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    # Opened Monday 10:00 New York = Tuesday 00:00 in Tokyo, where Kenji works: the 1 BH
    # response counts Tuesday 08:00-09:00 JST.
    assert "Tue 2026-11-24 09:00 JST" in page
    assert "Counted Tue 2026-11-24 08:00-09:00 JST: 1:00 (total 1:00)." in page
    listing = signed_in.get("/").content.decode()
    assert case.number in listing


def test_new_case_form_names_missing_fields_and_writes_nothing(
    world: World, signed_in: Client
) -> None:
    response = signed_in.post(
        "/cases/new",
        {
            "case_type": "incident",
            "severity": "3",
            "priority": "3",
            "subject": "Export",
            "description": "CSV export fails",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Organization short name is required: please fill it in." in page
    assert "(org_short_name)" not in page  # never the service's keys
    assert "intake.org_short_name" not in page
    assert Case.objects.count() == 0
    fields = {f"intake_{k}": v for k, v in PURECLOUD_INTAKE.items()}
    response = signed_in.post(
        "/cases/new",
        {
            "case_type": "incident",
            "severity": "3",
            "priority": "3",
            "subject": "Export",
            "description": "CSV export fails",
            **fields,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.subject) == ("portal", "Export")


def test_comments_and_foreign_cases(world: World, signed_in: Client) -> None:
    case = open_customer_case(world, START, severity=2)
    response = signed_in.post(f"/cases/{case.id}", {"body": "More detail here."})
    assert response.status_code == 302
    assert case.events.filter(kind="comment").count() == 1
    foreign = services.open_case(
        actor=world.reseller_contacts[0].user,
        now=START,
        case_type="incident",
        severity=3,
        channel="portal",
        product="pureengage-cloud",
        subject="Other",
        description="d",
        intake_fields=RESELLER_INTAKE,
    ).case
    assert signed_in.get(f"/cases/{foreign.id}").status_code == 404
    assert signed_in.post(f"/cases/{foreign.id}", {"body": "hi"}).status_code == 404
    assert foreign.events.filter(kind="comment").count() == 0


def test_rules_page_previews_then_applies_a_new_time_zone(world: World) -> None:
    # Kenji's case (Initech, Tokyo) opened Monday 10:00 New York = Tuesday 00:00 Tokyo:
    # response 1 BH, due Tuesday 09:00 Tokyo (00:00 UTC). At that instant (Monday 07:00 in
    # Los Angeles) Initech moves to Los Angeles: nothing was used, so the hour counts
    # Monday 08:00-09:00 Los Angeles (17:00 UTC). The manager works in New York.
    case = open_customer_case(world, START, severity=2)
    manager = signed_in_client(world.manager)
    path = f"/organisations/{world.customer.id}/rules"
    page = manager.get(path).content.decode()
    assert 'value="Asia/Tokyo"' in page
    form = {
        "timezone": "America/Los_Angeles",
        "country": "US",
        "subdivision": "",
        "plan": "standard",
        "policy": "purecloud-customer-care",
        "reason": "",
    }
    preview = manager.post(path, {**form, "preview": ""}).content.decode()
    assert "Preview: nothing is written" in preview
    assert case.number in preview
    assert "<td>Mon 2026-11-23 19:00 EST</td><td>Mon 2026-11-23 12:00 EST</td>" in preview
    case.refresh_from_db()
    assert case.timezone == "Asia/Tokyo"
    refused = manager.post(path, {**form, "apply": ""}).content.decode()
    assert "needs a reason" in refused
    case.refresh_from_db()
    assert case.timezone == "Asia/Tokyo"
    applied = manager.post(path, {**form, "reason": "moved", "apply": ""}).content.decode()
    assert "Applied" in applied
    case.refresh_from_db()
    assert case.timezone == "America/Los_Angeles"


def test_rules_page_is_for_care_only(world: World, signed_in: Client) -> None:
    assert signed_in.get(f"/organisations/{world.customer.id}/rules").status_code == 404


def test_rules_page_in_japanese(world: World) -> None:
    page = signed_in_client(world.manager, language="ja").get(
        f"/organisations/{world.customer.id}/rules"
    )
    text = page.content.decode()
    assert "カレンダー、プランとポリシー" in text
    assert "タイムゾーン" in text
    assert "未解決のケースに適用" in text


def test_an_unknown_state_filter_answers_the_page_naming_it(
    world: World, signed_in: Client
) -> None:
    answer = signed_in.get("/?state=bogus")
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "SLA state: Select a valid choice. bogus is not one of the available choices." in page
    assert 'role="search"' in page  # the page itself, with its filters, not an error page


def test_the_reseller_form_asks_for_the_first_level_record(world: World) -> None:
    # Seed 004 section 4.1: what first-level support did, the documentation consulted and
    # whether the problem was reproduced (an answer chosen from the policy's).
    rita = world.reseller_contacts[0]
    client = signed_in_client(rita)
    page = client.get("/cases/new").content.decode()
    assert "Actions taken by first-level support (screening and basic diagnostics)" in page
    assert "Service Advisories on My Support" in page
    assert '<select name="intake_reproduced"' in page
    assert '<option value="not-applicable">Nothing to reproduce (a question or a request)' in page
    form = {
        "case_type": "incident",
        "severity": "3",
        "priority": "3",
        "product": "pureengage-cloud",
        "subject": "Wrap-up codes missing",
        "description": "Wrap-up codes do not show for agents.",
        **{f"intake_{k}": v for k, v in RESELLER_INTAKE.items()},
    }
    missing = client.post("/cases/new", {**form, "intake_reproduced": ""}).content.decode()
    assert "Was the problem reproduced? is required: please fill it in." in missing
    assert Case.objects.count() == 0
    assert client.post("/cases/new", {**form, "intake_reproduced": "no"}).status_code == 302
    assert Case.objects.get().intake["reproduced"] == "no"
    speaks(rita, "ja")
    page = client.get("/cases/new").content.decode()
    assert "問題を再現できましたか?" in page
    assert '<option value="no">いいえ、再現できませんでした</option>' in page
