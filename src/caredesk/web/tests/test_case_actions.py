"""The case page's forms (issue 14): every action the API has, calling the same services;
each refusal shown beside its form in words, with its status, and nothing written."""

from __future__ import annotations

import pytest
from django.test import Client

from caredesk.cases import services
from caredesk.cases.models import Case, CaseLink, SeverityRequest
from caredesk.conftest import START
from caredesk.testing import (
    World,
    kinds,
    open_customer_case,
    open_reseller_case,
    signed_in_client,
)


def post(client: Client, case: Case, **form: str) -> tuple[int, str]:
    answer = client.post(f"/cases/{case.id}", form)
    return answer.status_code, answer.content.decode()


@pytest.fixture
def case(world: World) -> Case:
    return open_customer_case(world, START, severity=2)


@pytest.fixture
def erin(world: World) -> Client:
    return signed_in_client(world.engineer)


def test_care_replies_notes_logs_a_call_and_moves_the_case(
    world: World, case: Case, erin: Client
) -> None:
    assert post(erin, case, action="reply", body="Looking into it.")[0] == 302
    assert post(erin, case, action="reply", body="Check the DB.", internal="on")[0] == 302
    assert post(erin, case, action="call", summary="Called Kenji about the delay.")[0] == 302
    reason = "Please send the logs."
    assert post(erin, case, action="status", status="waiting-on-customer", reason=reason)[0] == 302
    case.refresh_from_db()
    assert case.status == "waiting-on-customer"
    assert kinds(case).count("comment") == 2
    assert "call-logged" in kinds(case)
    page = erin.get(f"/cases/{case.id}").content.decode()
    # The internal note is marked in words as well as colour.
    assert '<strong class="internal-label">Internal note:</strong> Check the DB.' in page


def test_the_status_form_offers_only_the_moves_the_table_allows(
    world: World, case: Case, erin: Client
) -> None:
    page = erin.get(f"/cases/{case.id}").content.decode()
    # A new case: every working status, not "new" itself.
    assert '<option value="waiting-on-customer">' in page
    assert '<option value="new">' not in page
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=START
    )
    page = erin.get(f"/cases/{case.id}").content.decode()
    select = page.split('id="status-to"')[1].split("</select>")[0]
    assert select.count("<option") == 2  # reopen or close, as TRANSITIONS says
    assert 'value="open"' in select
    assert 'value="closed"' in select


def test_an_illegal_move_is_refused_beside_its_form(world: World, case: Case, erin: Client) -> None:
    services.change_status(actor=world.engineer.user, case_id=case.id, status="closed", now=START)
    before = kinds(case)
    status, page = post(erin, case, action="status", status="restored")
    assert status == 409
    assert "a case cannot move from &#x27;closed&#x27; to &#x27;restored&#x27;" in page
    assert kinds(case) == before


def test_care_assigns_to_itself_and_to_someone(world: World, case: Case, erin: Client) -> None:
    assert post(erin, case, action="assign", assignee="me")[0] == 302
    case.refresh_from_db()
    assert case.assignee == world.engineer.user
    assert post(erin, case, action="assign", assignee=str(world.manager.user.id))[0] == 302
    case.refresh_from_db()
    assert case.assignee == world.manager.user
    status, page = post(erin, case, action="assign", assignee=str(world.customer_contact.user.id))
    assert status == 422
    assert f"user {world.customer_contact.user.id} is not a Care engineer" in page
    case.refresh_from_db()
    assert case.assignee == world.manager.user


def test_severity_request_accepted_and_declined_with_reasons(
    world: World, case: Case, erin: Client, signed_in: Client
) -> None:
    # Kenji asks for severity 3 with the business impact; Care declines, he asks again and
    # Care accepts.
    assert post(signed_in, case, action="request-severity", severity="3", reason="minor")[0] == 302
    request = SeverityRequest.objects.get()
    page = erin.get(f"/cases/{case.id}").content.decode()
    assert "kenji@initech.example asks for severity 3 (now 2)" in page
    status, page = post(
        erin, case, action="decide-severity", request=str(request.id), decision="decline"
    )
    assert status == 422
    assert "a decision on a severity request needs a reason" in page
    form = {"request": str(request.id), "reason": "still urgent"}
    assert post(erin, case, action="decide-severity", decision="decline", **form)[0] == 302
    assert (
        post(signed_in, case, action="request-severity", severity="3", reason="now minor")[0] == 302
    )
    again = SeverityRequest.objects.get(state="pending")
    form = {"request": str(again.id), "reason": "agreed"}
    assert post(erin, case, action="decide-severity", decision="accept", **form)[0] == 302
    case.refresh_from_db()
    assert case.severity == 3


def test_care_re_determines_the_severity_and_takes_a_phone_raise(
    world: World, case: Case, erin: Client
) -> None:
    status, page = post(erin, case, action="severity", severity="3", reason="")
    assert status == 422
    assert "a severity change needs a reason" in page
    assert post(erin, case, action="severity", severity="3", reason="minor")[0] == 302
    raised = {
        "action": "phone-raise",
        "severity": "1",
        "reason": "all callbacks down",
        "contact_name": "Kenji",
        "contact_phone": "+81 3-1234-5678",
    }
    assert post(erin, case, **raised)[0] == 302
    case.refresh_from_db()
    assert (case.severity, case.critical_contact_phone) == (1, "+81 3-1234-5678")


def test_care_links_cases(world: World, case: Case, erin: Client) -> None:
    other = open_customer_case(world, START, subject="Other")
    form = {"action": "link", "case_number": other.number, "kind": "related"}
    assert post(erin, case, **form)[0] == 302
    assert CaseLink.objects.get().to_case == other
    status, page = post(erin, case, action="link", case_number="CD-999999", kind="related")
    assert status == 404
    assert "case &#x27;CD-999999&#x27; not found" in page


def test_a_customer_cannot_take_care_actions(world: World, case: Case, signed_in: Client) -> None:
    before = kinds(case)
    for form in (
        {"action": "call", "summary": "x"},
        {"action": "assign", "assignee": "me"},
        {"action": "severity", "severity": "3", "reason": "x"},
        {"action": "post-mortem"},
        {"action": "reply", "body": "secret", "internal": "on"},
    ):
        status, page = post(signed_in, case, **form)
        assert status == 403, form
        assert "only Care" in page
    assert kinds(case) == before


def test_another_organisations_case_is_not_found(world: World, case: Case) -> None:
    rita = signed_in_client(world.reseller_contacts[0])
    assert rita.get(f"/cases/{case.id}").status_code == 404
    assert post(rita, case, action="reply", body="hi")[0] == 404
    assert rita.get(f"/cases/{case.id}/version").status_code == 404
    assert kinds(case) == ["opened"]


def test_the_customer_reports_it_is_not_fixed(world: World, case: Case, signed_in: Client) -> None:
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=START
    )
    page = signed_in.get(f"/cases/{case.id}").content.decode()
    assert "It is not fixed: reopen the case" in page
    assert post(signed_in, case, action="not-fixed", body="Still slow.")[0] == 302
    case.refresh_from_db()
    assert case.status == "open"


def test_the_customer_escalates_with_the_business_impact(
    world: World, case: Case, signed_in: Client
) -> None:
    status, page = post(signed_in, case, action="escalate", description="stuck")
    assert status == 422
    assert "the business impact is required to escalate" in page
    assert "escalation-requested" not in kinds(case)
    form = {"description": "stuck for days", "business_impact": "agents idle"}
    assert post(signed_in, case, action="escalate", **form)[0] == 302
    assert "escalation-requested" in kinds(case)
    # Only a Care manager acknowledges it.
    erin = signed_in_client(world.engineer)
    assert "Acknowledge the escalation" not in erin.get(f"/cases/{case.id}").content.decode()
    assert post(erin, case, action="acknowledge")[0] == 403
    max_ = signed_in_client(world.manager)
    assert "Acknowledge the escalation" in max_.get(f"/cases/{case.id}").content.decode()
    assert post(max_, case, action="acknowledge")[0] == 302
    assert "escalation-acknowledged" in kinds(case)
    assert "Acknowledge the escalation" not in max_.get(f"/cases/{case.id}").content.decode()


def test_post_mortem_and_incident_report_from_the_page(world: World) -> None:
    # A reseller's Severity 2 outage: service restored, so the post-mortem is due; Rita asks
    # in writing for the Incident Report; Care holds the meeting and delivers the report.
    case = open_reseller_case(world, START, severity=2)
    erin, rita = signed_in_client(world.engineer), signed_in_client(world.reseller_contacts[0])
    assert post(erin, case, action="status", status="restored", reason="Service is back.")[0] == 302
    assert "Request the Incident Report" in rita.get(f"/cases/{case.id}").content.decode()
    assert post(rita, case, action="request-incident-report", text="Please send it.")[0] == 302
    assert post(erin, case, action="post-mortem")[0] == 302
    assert "The Incident Report was delivered" in erin.get(f"/cases/{case.id}").content.decode()
    assert post(erin, case, action="incident-report-delivered")[0] == 302
    assert kinds(case)[-4:] == [
        "incident-report-requested",
        "post-mortem-held",
        "incident-report-due",
        "incident-report-delivered",
    ]


def test_an_unknown_action_is_named(case: Case, erin: Client) -> None:
    status, page = post(erin, case, action="explode")
    assert status == 422
    assert "unknown action &#x27;explode&#x27;; expected one of: reply" in page
    assert kinds(case) == ["opened"]


def test_the_forms_and_refusals_in_japanese(world: World, case: Case) -> None:
    kenji = signed_in_client(world.customer_contact, language="ja")
    page = kenji.get(f"/cases/{case.id}").content.decode()
    for text in (
        "カスタマー ケアに返信する",
        "重大度の変更を依頼する",
        "ケースをエスカレーションする",
    ):
        assert text in page, text
    erin = signed_in_client(world.engineer, language="ja")
    page = erin.get(f"/cases/{case.id}").content.decode()
    for text in ("ステータスを変更する", "お客様との電話を記録する", "他のケースにリンクする"):
        assert text in page, text
    status, _ = post(kenji, case, action="call", summary="x")
    assert status == 403
    assert kinds(case) == ["opened"]
