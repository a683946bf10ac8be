"""The new-case form built from the policy (seeds 000-004): its checklist, severities with
their definitions, how to reach Care, refusals in words next to each field and in a summary,
likely duplicates before opening, and the confirmation with Care's response time.

The frozen clock reads Monday 2026-11-23 10:00 New York (15:00 UTC, Tuesday 00:00 Tokyo).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.test import Client

from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import (
    PURECLOUD_INTAKE,
    RESELLER_INTAKE,
    World,
    open_customer_case,
    signed_in_client,
)


def kenjis_case(**changes: str) -> dict[str, str]:
    """A Severity 2 incident of Initech (PureCloud Customer Care, Tokyo), as the form posts it."""
    return {
        "case_type": "incident",
        "severity": "2",
        "priority": "3",
        "subject": "Callbacks are delayed",
        "description": "Callbacks reach customers an hour late.",
        **{f"intake_{k}": v for k, v in PURECLOUD_INTAKE.items()},
        **changes,
    }


def ritas_case(**changes: str) -> dict[str, str]:
    """An incident of Acme Reseller (Care for Cloud, New York), as the form posts it."""
    return {
        "case_type": "incident",
        "severity": "3",
        "priority": "3",
        "product": "pureengage-cloud",
        "subject": "Wrap-up codes missing",
        "description": "Wrap-up codes do not show for agents.",
        **{f"intake_{k}": v for k, v in RESELLER_INTAKE.items()},
        **changes,
    }


def test_the_reseller_form_shows_the_first_level_checklist_and_how_to_call(world: World) -> None:
    page = signed_in_client(world.reseller_contacts[0]).get("/cases/new").content.decode()
    # Seed 004 section 4.1, above the form.
    assert "<h2>Before you contact Care</h2>" in page
    assert "<li>Document every action taken.</li>" in page
    # Severities as choices, each with its definition beside it.
    assert '<input type="radio" name="severity" value="2"' in page
    assert "<strong>2 - High</strong>" in page
    assert "moderate impact to End User&#x27;s business operations." in page
    # Care for Cloud: Severity 1 is submitted as High, then raised by phone (Table 1 *).
    assert (
        "Submit the case here as Severity 2 (High), then call Care to raise it to Critical "
        "(the Customer Care phone numbers listed in the &quot;Support Processes for Cloud "
        "Resellers&quot; document): the Critical targets count from the call." in page
    )
    assert '<p class="reach">Open the case here.</p>' in page  # Severities 2-4: portal only
    # Required fields marked; long answers in text areas.
    assert 'Number of users affected <span class="required">(required)</span>' in page
    assert '<textarea name="intake_reproduction_steps"' in page
    assert '<input type="text" name="intake_users_affected"' in page


def test_the_purecloud_form_says_when_to_phone_as_well(world: World) -> None:
    # PureCloud Support staffs the portal 08:00-17:00; Severity 1 is phoned in outside.
    world.customer.policy = "purecloud-support"
    world.customer.licences = ["communicate"]
    world.customer.save()
    page = signed_in_client(world.customer_contact).get("/cases/new").content.decode()
    assert (
        "Open the case here or call Care at any hour (the phone numbers published on the " in page
    )
    assert "outside the hours Care staffs the portal (Mon-Fri 08:00-17:00 Asia/Tokyo" in page
    assert "Do some basic troubleshooting first" in page


def test_a_refusal_names_each_field_in_words_and_writes_nothing(
    world: World, signed_in: Client
) -> None:
    form = kenjis_case(intake_org_id="", intake_business_impact="  ")
    response = signed_in.post("/cases/new", form)
    assert response.status_code == 200
    page = response.content.decode()
    # The summary at the top links each field; the same sentence stands next to it.
    assert "The case was not opened: please correct these fields" in page
    assert (
        '<li><a href="#id_intake_org_id">Organization ID</a>: Organization ID is required: '
        "please fill it in.</li>" in page
    )
    assert (
        '<p class="error" id="id_intake_business_impact_error">Business impact is required: '
        "please fill it in.</p>" in page
    )
    assert "intake.org_id" not in page
    assert "(org_id)" not in page
    assert Case.objects.count() == 0


def test_a_refusal_in_japanese(world: World) -> None:
    client = signed_in_client(world.customer_contact, language="ja")
    page = client.post("/cases/new", kenjis_case(intake_org_id="")).content.decode()
    assert "ケースは作成されていません。次の項目を修正してください" in page
    assert "組織 ID は必須です。入力してください。" in page
    assert Case.objects.count() == 0


def test_severity_1_under_care_for_cloud_is_refused_with_the_way_to_raise_it(
    world: World,
) -> None:
    client = signed_in_client(world.reseller_contacts[0])
    form = ritas_case(
        severity="1", critical_contact_name="Rita", critical_contact_phone="+1 212 555 0100"
    )
    page = client.post("/cases/new", form).content.decode()
    assert (
        "Severity 1 (Critical) is not submitted directly on your plan: choose Severity 2 "
        "(High), submit, then call Care to raise it to Critical." in page
    )
    assert Case.objects.count() == 0


def test_a_bad_phone_number_is_named(world: World, signed_in: Client) -> None:
    form = kenjis_case(severity="1", critical_contact_name="Kenji", critical_contact_phone="12")
    page = signed_in.post("/cases/new", form).content.decode()
    assert (
        "12 is not a phone number that can be called; give the number with its country code, "
        "such as +81 3 1234 5678." in page
    )
    assert Case.objects.count() == 0


def test_a_mac_d_request_refused_by_policy_is_said_in_the_readers_language(world: World) -> None:
    client = signed_in_client(world.reseller_contacts[0], language="ja")
    form = ritas_case(case_type="service-request", product="premier-edition")
    page = client.post("/cases/new", form).content.decode()
    assert (
        "Premier Edition Cloud の MAC/D リクエストはカスタマー ケアでは受け付けていません" in page
    )
    assert Case.objects.count() == 0


def test_likely_duplicates_are_shown_before_the_case_is_opened(
    world: World, signed_in: Client
) -> None:
    first = open_customer_case(world, START, subject="Callbacks are delayed today")
    form = kenjis_case(subject="Callbacks delayed today")
    page = signed_in.post("/cases/new", form).content.decode()
    assert "Is this one of your open cases?" in page
    assert f'<a href="/cases/{first.id}">{first.number}</a> Callbacks are delayed today' in page
    assert 'name="open_anyway"' in page
    assert Case.objects.count() == 1  # nothing written yet
    response = signed_in.post("/cases/new", {**form, "open_anyway": "1"})
    assert response.status_code == 302
    assert Case.objects.count() == 2


def _opened(client: Client, form: dict[str, Any]) -> str:
    response = client.post("/cases/new", form)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.id}/opened"
    return client.get(response["Location"]).content.decode()


def test_the_confirmation_says_when_care_will_respond_outside_business_hours(
    world: World, signed_in: Client
) -> None:
    # Opened Tuesday 00:00 Tokyo, outside Initech's hours: 1 BH counts Tuesday 08:00-09:00.
    page = _opened(signed_in, kenjis_case())
    number = Case.objects.get().number
    assert f"<h1>Case {number} opened</h1>" in page
    assert (
        "Opened outside business hours: Care will respond by Tue 2026-11-24 09:00 (Asia/Tokyo)."
        in page
    )
    # The countdown from Mon 15:00 UTC to the due Tue 00:00 UTC, kept current by the script
    # with the patterns beside it.
    assert (
        'Response due: <time datetime="2026-11-24T00:00:00+00:00" data-countdown '
        'title="Tue 2026-11-24 09:00 (Asia/Tokyo)">in 9 h</time>' in page
    )
    assert 'data-hours-minutes="%(hours)s h %(minutes)s min"' in page


def test_the_confirmation_says_the_response_due_time_inside_business_hours(
    world: World, signed_in: Client, clock: Clock
) -> None:
    # Tuesday 10:00 Tokyo (01:00 UTC): 1 BH is due at 11:00 Tokyo.
    clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    page = _opened(signed_in, kenjis_case())
    assert "Care will respond by Tue 2026-11-24 11:00 (Asia/Tokyo)." in page
    assert "Opened outside business hours" not in page


def test_the_confirmation_in_japanese(world: World) -> None:
    client = signed_in_client(world.customer_contact, language="ja")
    page = _opened(client, kenjis_case())
    number = Case.objects.get().number
    assert f"<h1>ケース {number} を作成しました</h1>" in page
    assert "Care will respond" not in page
    assert "Opened outside" not in page
    assert "応答期限" in page
    assert "火 2026-11-24 09:00 (Asia/Tokyo)" in page
    assert ">あと 9 時間</time>" in page


def test_another_organisations_confirmation_is_not_found(world: World) -> None:
    case = open_customer_case(world, START)
    rita = signed_in_client(world.reseller_contacts[0])
    assert rita.get(f"/cases/{case.id}/opened").status_code == 404
