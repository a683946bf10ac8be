"""Every automation rule, fired by the worker at hand-worked instants just before and just
after its deadline, across a weekend, a public holiday and a DST change.

Customer calendar of the reseller's cases: Monday-Friday 08:00-17:00 America/New_York,
US public holidays (Thanksgiving: Thursday 2026-11-26). Time is injected; nothing sleeps.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from caredesk.accounts import services as accounts
from caredesk.automation import services as automation
from caredesk.automation import timers, worker
from caredesk.automation.models import Outbox, Timer, TimerLog
from caredesk.cases import services
from caredesk.cases.models import Case, CaseEvent, CaseLink
from caredesk.infra.errors import Conflict, DomainError
from caredesk.testing import (
    World,
    drain,
    kinds,
    ny,
    open_customer_case,
    open_reseller_case,
    person,
)


def mails_to(email: str, event: str) -> list[Outbox]:
    return list(Outbox.objects.filter(channel="email", event=event, payload__to=email))


def test_sla_warnings_then_breach_on_a_working_day(world: World) -> None:
    # Care for Cloud S2 opened Monday 10:00: response 6 BH due 16:00 (50 % at 13:00,
    # 75 % at 14:30, 90 % at 15:24).
    case = open_reseller_case(world, ny(11, 23, 10))
    drain(ny(11, 23, 12, 59, 59))
    assert "sla-warning" not in kinds(case)
    drain(ny(11, 23, 13))
    warnings = case.events.filter(kind="sla-warning")
    assert [(e.data["metric"], e.data["level"]) for e in warnings] == [("response", 50)]
    (mail,) = mails_to("max@care.example", "sla-warning")  # the manager (no assignee)
    assert mail.state == "delivered"
    # Max works at the vendor in New York: his own zone, named.
    assert "Mon 2026-11-23 16:00 (America/New_York)" in mail.payload["body"]
    drain(ny(11, 23, 16))
    assert [e.data["level"] for e in case.events.filter(kind="sla-warning")] == [50, 75, 90]
    assert "sla-breached" not in kinds(case)  # due at 16:00 means by 16:00
    drain(ny(11, 23, 16, 0, 1))
    (breach,) = case.events.filter(kind="sla-breached")
    assert breach.data["metric"] == "response"
    drain(ny(11, 23, 18))
    assert case.events.filter(kind="sla-breached").count() == 1  # once


def test_timers_due_together_are_written_in_order_in_one_sweep(world: World) -> None:
    # A worker that was down since the morning: at 15:30 the three response warnings (13:00,
    # 14:30, 15:24) of one case are all due in one batch; the response is due at 16:00.
    case = open_reseller_case(world, ny(11, 23, 10))
    opened = case.events.count()
    assert timers.sweep(now=ny(11, 23, 15, 30)) >= 3
    fired = list(case.events.filter(seq__gt=opened).order_by("seq"))
    response = [e for e in fired if e.data.get("metric") == "response"]
    assert [(e.kind, e.data.get("level")) for e in response] == [
        ("sla-warning", 50),
        ("sla-warning", 75),
        ("sla-warning", 90),
    ]
    # Distinct, gap-free sequence numbers; the case's counter agrees with its history.
    assert [e.seq for e in fired] == list(range(opened + 1, opened + 1 + len(fired)))
    case.refresh_from_db()
    assert case.event_count == opened + len(fired)
    # One e-mail per event for the manager, written with the events.
    assert len(mails_to("max@care.example", "sla-warning")) == 3 + sum(
        1 for e in fired if e.kind == "sla-warning" and e.data["metric"] != "response"
    )
    assert not Timer.objects.filter(case=case, due_at__lte=ny(11, 23, 15, 30))  # none left due
    logged = TimerLog.objects.filter(case_id=case.id)
    assert logged.count() >= 3
    assert {entry.fired_at for entry in logged} == {ny(11, 23, 15, 30)}


def test_a_worker_down_past_the_due_instant_writes_the_breach_alone(world: World) -> None:
    # Down all day: at 17:00 the three warnings and the breach (after 16:00) are all due;
    # the warnings would tell of time left that is gone, so only the breach is written.
    case = open_reseller_case(world, ny(11, 23, 10))
    opened = case.events.count()
    timers.sweep(now=ny(11, 23, 17))
    fired = case.events.filter(seq__gt=opened).order_by("seq")
    response = [e for e in fired if e.data.get("metric") == "response"]
    assert [(e.kind, e.data.get("level")) for e in response] == [("sla-breached", None)]
    assert not Timer.objects.filter(case=case, due_at__lte=ny(11, 23, 17))  # none left due


def test_a_reply_in_time_stops_the_clock_and_its_timers(world: World) -> None:
    case = open_reseller_case(world, ny(11, 23, 10))
    services.add_comment(
        actor=world.engineer.user, case_id=case.id, body="on it", now=ny(11, 23, 12)
    )
    drain(ny(11, 23, 17))
    assert (
        case.events.filter(
            kind__in=["sla-warning", "sla-breached"], data__metric="response"
        ).count()
        == 0
    )


def test_breach_across_a_weekend(world: World) -> None:
    # Opened Friday 16:00: one business hour on Friday, five on Monday -> due Mon 13:00.
    case = open_reseller_case(world, ny(11, 20, 16))
    drain(ny(11, 21, 12))  # Saturday noon: nothing counts at the weekend
    assert "sla-breached" not in kinds(case)
    drain(ny(11, 23, 13))
    assert "sla-breached" not in kinds(case)
    drain(ny(11, 23, 13, 0, 1))
    assert "sla-breached" in kinds(case)


def test_breach_across_thanksgiving(world: World) -> None:
    # Opened Wednesday 16:00: 1 h on Wednesday, Thanksgiving skipped, 5 h on Friday -> 13:00.
    case = open_reseller_case(world, ny(11, 25, 16))
    drain(ny(11, 26, 23))
    assert "sla-breached" not in kinds(case)
    drain(ny(11, 27, 13))
    assert "sla-breached" not in kinds(case)
    drain(ny(11, 27, 13, 0, 1))
    assert "sla-breached" in kinds(case)


def test_breach_across_the_end_of_daylight_saving(world: World) -> None:
    # Opened Friday 30 October 16:00 EDT; clocks go back on Sunday 1 November; the 6 BH
    # response is due Monday 2 November 13:00 EST = 18:00 UTC (it would be 17:00 UTC in EDT).
    case = open_reseller_case(world, ny(10, 30, 16))
    due = case.clocks.get(metric="response").due_at
    assert due is not None
    assert due.isoformat() == "2026-11-02T18:00:00+00:00"
    drain(datetime(2026, 11, 2, 17, 30, tzinfo=ZoneInfo("UTC")))
    assert "sla-breached" not in kinds(case)
    drain(datetime(2026, 11, 2, 18, 0, 1, tzinfo=ZoneInfo("UTC")))
    assert "sla-breached" in kinds(case)


def test_stale_case_notice_then_closure(world: World) -> None:
    # A New York customer on PureCloud Customer Care, so the customer calendar is New York's.
    world.customer.timezone = "America/New_York"
    world.customer.country = "US"
    world.customer.save()
    case = open_customer_case(world, ny(11, 23, 9))
    services.change_status(
        actor=world.engineer.user,
        case_id=case.id,
        status="waiting-on-customer",
        reason="need logs",
        now=ny(11, 23, 10),
    )
    # 3 BD = 27 BH from Monday 10:00: Mon 7, Tue 9, Wed 9 (Thanksgiving skipped), Fri 2 ->
    # the notice goes out Friday 27 November 10:00.
    drain(ny(11, 27, 9, 59))
    assert "stale-notice" not in kinds(case)
    drain(ny(11, 27, 10))
    notice = case.events.get(kind="stale-notice")
    # Notice period 2 BD = 18 BH: Fri 7, Mon 9, Tue 2 -> closes Tuesday 1 December 10:00.
    assert notice.data["close_at"] == "2026-12-01T15:00:00+00:00"
    (mail,) = mails_to("kenji@initech.example", "stale-notice")
    # Kenji's own zone, named: 15:00 UTC is Wednesday 00:00 in Tokyo.
    assert (
        "It will be closed Wed 2026-12-02 00:00 (Asia/Tokyo) unless you reply."
        in (mail.payload["body"])
    )
    drain(ny(12, 1, 9, 59))
    case.refresh_from_db()
    assert case.status == "waiting-on-customer"
    drain(ny(12, 1, 10))
    case.refresh_from_db()
    assert case.status == "closed"
    last = case.events.order_by("-seq").first()
    assert last is not None
    assert last.actor is None
    assert "no adequate response" in last.reason


def test_a_customer_reply_cancels_the_closure(world: World) -> None:
    world.customer.timezone = "America/New_York"
    world.customer.country = "US"
    world.customer.save()
    case = open_customer_case(world, ny(11, 23, 9))
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="waiting-on-customer", now=ny(11, 23, 10)
    )
    drain(ny(11, 27, 10))
    assert "stale-notice" in kinds(case)
    services.add_comment(
        actor=world.customer_contact.user,
        case_id=case.id,
        body="Here are the logs.",
        now=ny(11, 30, 9),
    )
    assert not Timer.objects.filter(case=case, kind="stale-close")
    drain(ny(12, 2, 12))
    case.refresh_from_db()
    assert case.status == "open"


def test_resolution_proposed_closes_at_the_end_of_the_third_business_day(world: World) -> None:
    world.customer.timezone = "America/New_York"
    world.customer.country = "US"
    world.customer.save()
    case = open_customer_case(world, ny(11, 23, 9))
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=ny(11, 23, 10)
    )
    # 3 BD from Monday 10:00 lands Friday 27 10:00 (Thanksgiving skipped); that business day
    # ends at 17:00.
    drain(ny(11, 27, 16, 59))
    case.refresh_from_db()
    assert case.status == "resolution-proposed"
    drain(ny(11, 27, 17))
    case.refresh_from_db()
    assert case.status == "closed"


def test_a_reported_issue_reopens_and_cancels_the_closure(world: World) -> None:
    world.customer.timezone = "America/New_York"
    world.customer.country = "US"
    world.customer.save()
    case = open_customer_case(world, ny(11, 23, 9))
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="resolution-proposed", now=ny(11, 23, 10)
    )
    services.change_status(
        actor=world.customer_contact.user,
        case_id=case.id,
        status="open",
        reason="still failing",
        now=ny(11, 24, 9),
    )
    drain(ny(11, 30, 12))
    case.refresh_from_db()
    assert case.status == "open"


def critical_case(world: World, at: datetime) -> Case:
    return open_customer_case(
        world,
        at,
        severity=1,
        channel="phone",
        critical_contact_name="Kenji Sato",
        critical_contact_phone="+81 3-1234-5678",
    )


def test_resolving_a_p1_needs_the_initial_rca_and_opens_the_follow_up(world: World) -> None:
    # Customer Care, Tokyo (JP holidays): S1 opened Monday 23 Nov 10:00 New York time.
    case = critical_case(world, ny(11, 23, 10))
    events_before = CaseEvent.objects.count()
    with pytest.raises(DomainError, match=r"needs the initial RCA"):
        services.change_status(
            actor=world.engineer.user,
            case_id=case.id,
            status="resolution-proposed",
            now=ny(11, 23, 12),
        )
    assert CaseEvent.objects.count() == events_before
    assert Case.objects.count() == 1
    services.change_status(
        actor=world.engineer.user,
        case_id=case.id,
        status="resolution-proposed",
        initial_rca="A certificate expired on the media tier; renewed at 11:40.",
        now=ny(11, 23, 12),
    )
    case.refresh_from_db()
    assert case.status == "resolution-proposed"
    update = case.events.get(kind="comment")
    assert update.data == {
        "body": "A certificate expired on the media tier; renewed at 11:40.",
        "public": True,
        "by_care": True,
        "rca": "initial",
    }
    link = CaseLink.objects.get(from_case=case, kind="rca-follow-up")
    follow_up = link.to_case
    assert (follow_up.case_type, follow_up.severity, follow_up.priority) == ("rca", 3, 3)
    # Comprehensive RCA for Critical: 2 BD after resolution. Resolution at Tuesday 02:00
    # Tokyo: Tuesday and Wednesday 08:00-17:00 JST -> due Wednesday 25 17:00 JST.
    due = follow_up.events.get(kind="rca-due")
    assert due.data["due"] == "2026-11-25T08:00:00+00:00"
    # The P1 case cannot close while the follow-up is open.
    with pytest.raises(Conflict, match=rf"stays open until its RCA follow-up {follow_up.number}"):
        services.change_status(
            actor=world.engineer.user, case_id=case.id, status="closed", now=ny(11, 23, 13)
        )
    services.change_status(
        actor=world.engineer.user,
        case_id=follow_up.id,
        status="resolution-proposed",
        reason="comprehensive RCA delivered",
        now=ny(11, 24, 12),
    )
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="closed", now=ny(11, 24, 13)
    )
    case.refresh_from_db()
    assert case.status == "closed"


def test_rca_deadline_reminder_and_overdue(world: World) -> None:
    case = critical_case(world, ny(11, 23, 10))
    services.change_status(
        actor=world.engineer.user,
        case_id=case.id,
        status="resolution-proposed",
        initial_rca="cause",
        now=ny(11, 23, 12),
    )
    follow_up = CaseLink.objects.get(from_case=case).to_case
    # Due Wednesday 25 17:00 JST (08:00 UTC); the reminder one business day earlier is the
    # latest instant nine business hours before: Wednesday 08:00 JST (Tuesday 23:00 UTC).
    utc = ZoneInfo("UTC")
    drain(datetime(2026, 11, 24, 22, 59, tzinfo=utc))
    assert "deadline-reminder" not in kinds(follow_up)
    drain(datetime(2026, 11, 24, 23, 0, tzinfo=utc))
    assert "deadline-reminder" in kinds(follow_up)
    drain(datetime(2026, 11, 25, 8, 0, tzinfo=utc))
    overdue = follow_up.events.get(kind="deadline-overdue")
    assert overdue.data == {"deadline": "rca-due", "due": "2026-11-25T08:00:00+00:00"}


def test_rca_delivered_in_time_raises_no_overdue(world: World) -> None:
    case = critical_case(world, ny(11, 23, 10))
    services.change_status(
        actor=world.engineer.user,
        case_id=case.id,
        status="resolution-proposed",
        initial_rca="cause",
        now=ny(11, 23, 12),
    )
    follow_up = CaseLink.objects.get(from_case=case).to_case
    services.change_status(
        actor=world.engineer.user, case_id=follow_up.id, status="closed", now=ny(11, 24, 9)
    )
    drain(datetime(2026, 11, 26, 0, 0, tzinfo=ZoneInfo("UTC")))
    assert "deadline-overdue" not in kinds(follow_up)


def test_post_mortem_and_incident_report_deadlines(world: World) -> None:
    # Reseller, High severity restored Monday 10:00: post-mortem due 5 BD -> Tuesday 1 Dec
    # 10:00 (Thanksgiving skipped).
    case = open_reseller_case(world, ny(11, 23, 9))
    services.change_status(
        actor=world.engineer.user, case_id=case.id, status="restored", now=ny(11, 23, 10)
    )
    meeting = case.events.get(kind="post-mortem-due")
    assert meeting.data["due"] == "2026-12-01T15:00:00+00:00"
    with pytest.raises(Conflict, match=r"no Service Resolution|was already"):
        services.request_incident_report(
            actor=world.reseller_contacts[0].user,
            case_id=open_reseller_case(world, ny(11, 23, 9)).id,
            text="please",
            now=ny(11, 23, 11),
        )
    services.request_incident_report(
        actor=world.reseller_contacts[0].user,
        case_id=case.id,
        text="Please send the Incident Report.",
        now=ny(11, 24, 9),
    )
    services.record_post_mortem(actor=world.engineer.user, case_id=case.id, now=ny(11, 25, 14))
    report = case.events.get(kind="incident-report-due")
    # 3 BD from Wednesday 14:00: Wed 3, Fri 9, Mon 9, Tue 6 -> Tuesday 1 Dec 14:00 EST.
    assert report.data["due"] == "2026-12-01T19:00:00+00:00"
    drain(ny(12, 1, 14))
    assert (
        case.events.filter(kind="deadline-overdue").values_list("data__deadline", flat=True).first()
        == "incident-report-due"
    )
    # The meeting was held in time: no overdue for it.
    assert not case.events.filter(kind="deadline-overdue", data__deadline="post-mortem-due")


def test_escalation_ladder_and_management_attention_mail(world: World) -> None:
    world.customer.tam = world.manager.user
    world.customer.region = "APAC"
    world.customer.save()
    case = open_customer_case(world, ny(11, 20, 15), severity=2, subject="Exports fail")
    before = CaseEvent.objects.count()
    with pytest.raises(DomainError, match=r"the business impact is required"):
        automation.escalate(
            actor=world.customer_contact.user,
            case_id=case.id,
            description="No progress",
            business_impact=" ",
            now=ny(11, 20, 16),
        )
    assert CaseEvent.objects.count() == before
    steps = [
        automation.escalate(
            actor=world.customer_contact.user,
            case_id=case.id,
            description="No progress for a day",
            business_impact="200 agents idle",
            now=ny(11, 20, 16, 30),
        )
        for _ in range(3)
    ]
    assert steps == ["case", "tam", "management-attention"]
    (mail,) = Outbox.objects.filter(event="escalation-mailbox")
    assert mail.payload["to"] == "PureCloudManagementAttention@genesys.com"
    assert mail.payload["subject"] == f"Initech KK - {case.number} - Exports fail"
    assert mail.payload["body"] == (
        f"My Support Case Number: {case.number}\n\n"
        "Customer Name: Initech KK\n\n"
        "Customer Region/Country: APAC / JP\n\n"
        "Detailed problem description: No progress for a day\n\n"
        "Business impact /Urgency rationale: 200 agents idle\n\n"
        "Thank you for your attention and consideration. We will endeavor to respond to your "
        "request as soon as possible.\n"
    )
    # The mailbox is watched in the vendor's business hours (New York, US holidays): from
    # Friday 16:30, one business day is Friday 0.5 h + Monday 8.5 h -> Monday 16:30.
    rung = case.events.get(kind="escalation-requested", data__step="management-attention")
    assert rung.data["due"] == "2026-11-23T21:30:00+00:00"
    with pytest.raises(Conflict, match=r"every rung"):
        automation.escalate(
            actor=world.customer_contact.user,
            case_id=case.id,
            description="x",
            business_impact="y",
            now=ny(11, 20, 17),
        )
    drain(ny(11, 23, 16, 29))
    assert not case.events.filter(kind="deadline-overdue")
    drain(ny(11, 23, 16, 30))
    assert case.events.get(kind="deadline-overdue").data["deadline"] == "management-attention"


def about_nia(event: str) -> list[Outbox]:
    return [m for m in Outbox.objects.filter(event=event) if "nia@acme" in m.payload["subject"]]


def test_credentials_reminder_and_overdue(world: World) -> None:
    # Training done Monday 10:00 in New York (Acme): 48 BH = Mon 7, Tue 9, Wed 9,
    # (Thanksgiving), Fri 9, Mon 9, Tue 5 -> Tuesday 1 Dec 13:00 EST; the reminder half-way
    # (24 BH = Mon 7, Tue 9, Wed 8): Wednesday 25 Nov 16:00.
    contact = person(ny(11, 23, 10), world.reseller, "nia@acme.example", designated=False)
    accounts.complete_training(actor=world.engineer.user, person=contact, now=ny(11, 23, 10))
    drain(ny(11, 25, 15, 59))
    assert not about_nia("credentials-reminder")
    drain(ny(11, 25, 16))
    assert [m.payload["to"] for m in about_nia("credentials-reminder")] == ["max@care.example"]
    drain(ny(12, 1, 12, 59))
    assert not about_nia("credentials-overdue")
    drain(ny(12, 1, 13))
    assert len(about_nia("credentials-overdue")) == 1


def test_credentials_issued_in_time_raise_nothing(world: World) -> None:
    contact = person(ny(11, 23, 10), world.reseller, "nia@acme.example", designated=False)
    accounts.complete_training(actor=world.engineer.user, person=contact, now=ny(11, 23, 10))
    accounts.issue_credentials(actor=world.engineer.user, person=contact, now=ny(11, 24, 10))
    drain(ny(12, 2, 10))
    assert not about_nia("credentials-reminder") + about_nia("credentials-overdue")


def test_timers_are_rows_a_new_worker_picks_up(world: World) -> None:
    case = open_reseller_case(world, ny(11, 23, 10))
    pending = Timer.objects.filter(case=case)
    assert {t.kind for t in pending} == {"sla-warning", "sla-breach"}
    breach = pending.filter(kind="sla-breach", payload__metric="response").get()
    assert breach.due_at == ny(11, 23, 16)
    drain(ny(11, 23, 16, 0, 1) + timedelta(hours=1))
    # Fired: gone from the pending timers, in the log with what came of it.
    assert not Timer.objects.filter(id=breach.id).exists()
    fired = TimerLog.objects.get(key=breach.key)
    assert (fired.fired_at, fired.outcome) == (ny(11, 23, 17, 0, 1), "breached")


def test_an_error_in_one_loop_stops_the_worker_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The timers and the outbox run in their own threads; when one fails, the worker does
    not go on half alive: it stops and raises, so that its supervisor restarts it."""
    from caredesk.automation import outbox

    def broken(**_: Any) -> int:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(timers, "sweep", broken)
    monkeypatch.setattr(outbox, "dispatch", lambda **_: (0, 0))
    with pytest.raises(RuntimeError, match="the database went away"):
        worker.run(clock=lambda: ny(11, 23, 10), poll=0.01)


def test_a_recompute_moves_pending_sla_timers_to_the_new_instants(world: World) -> None:
    """An operator's fix of a case's calendar, then ``sla recompute``: the pending warnings
    and breach follow the new clocks (a deadline moved earlier must not fire late)."""
    from caredesk.cases import sla

    # Care for Cloud S2 opened Monday 10:00 New York: response 6 BH due 16:00 New York.
    case = open_reseller_case(world, ny(11, 23, 10))
    breach = Timer.objects.get(case=case, kind="sla-breach", payload__metric="response")
    assert breach.due_at == ny(11, 23, 16)
    # The customer's business hours were wrong: they are in Los Angeles (3 h behind).
    Case.objects.filter(id=case.id).update(timezone="America/Los_Angeles")

    assert sla.recompute([case.id], ny(11, 23, 10, 30)) == 1

    # 10:00 New York is 07:00 Los Angeles, before opening: 6 BH from 08:00 end at 14:00 Los
    # Angeles, 17:00 New York; the 50 % warning at 11:00 Los Angeles, 14:00 New York.
    breach.refresh_from_db()
    assert breach.due_at == ny(11, 23, 17)
    half = Timer.objects.get(case=case, key__endswith=":response:0:50")
    assert half.due_at == ny(11, 23, 14)
    drain(ny(11, 23, 16, 30))
    assert "sla-breached" not in [
        e.kind for e in case.events.filter(data__metric="response")
    ]  # not at the old instant
    drain(ny(11, 23, 17, 0, 1))
    assert case.events.filter(kind="sla-breached", data__metric="response").count() == 1
