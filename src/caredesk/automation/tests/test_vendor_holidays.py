"""Vendor holidays (issue 13, point 12): Care declares the days the vendor is closed, all day
or part of it, and the vendor's own calendar skips them: the management-attention mailbox's
handling deadline (seed 002: watched in business hours, Monday-Friday, weekends and public
holidays excluded) and the channels Care staffs in business hours.

The vendor (Genesys) is in New York with US holidays; the mailbox is watched Monday-Friday
08:00-17:00 and handles an escalation within one business day (9 hours). Christmas Day,
Friday 2026-12-25, is a US public holiday. December: New York on EST (UTC-5).
"""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

import pytest
from django.test import Client

from caredesk.accounts import services as accounts
from caredesk.accounts.models import VendorHoliday
from caredesk.automation import services as automation
from caredesk.automation.models import Timer
from caredesk.cases.models import Case
from caredesk.infra.clock import CLOCK
from caredesk.infra.errors import Conflict, DomainError, NotFound, PermissionDenied
from caredesk.testing import NEW_YORK, World, ny, open_customer_case, run_cli, signed_in_client


def to_the_mailbox(world: World, at: datetime) -> tuple[Case, str]:
    """Initech's case opened Monday 21 December climbs to the mailbox at ``at``; the
    mailbox's handling deadline, in New York time."""
    world.customer.tam = world.manager.user
    world.customer.save()
    case = open_customer_case(world, ny(12, 21, 10), severity=2)
    for _ in range(3):  # the case, the TAM, the mailbox
        step = automation.escalate(
            actor=world.customer_contact.user,
            case_id=case.id,
            description="No progress for two days",
            business_impact="200 agents idle",
            now=at,
        )
    assert step == "management-attention"
    event = case.events.get(kind="escalation-requested", data__step="management-attention")
    timer = Timer.objects.get(case=case, kind="deadline-overdue")
    assert timer.due_at.isoformat() == event.data["due"]
    return case, shown(timer.due_at)


def shown(instant: datetime) -> str:
    return instant.astimezone(NEW_YORK).strftime("%a %d %H:%M")


def declare(world: World, day: str, name: str, **hours: str) -> VendorHoliday:
    return accounts.declare_vendor_holiday(
        actor=world.manager.user, day=day, name=name, now=ny(12, 1, 9), **hours
    )


def test_without_a_declared_holiday_the_mailbox_answers_the_next_day(world: World) -> None:
    # Wednesday 23 December 15:00: 2 h that day, 7 on Thursday -> Thursday 15:00.
    _, due = to_the_mailbox(world, ny(12, 23, 15))
    assert due == "Thu 24 15:00"


def test_the_mailbox_deadline_skips_a_declared_vendor_holiday(world: World) -> None:
    declare(world, "2026-12-24", "Christmas Eve")
    # Wednesday 15:00: 2 h that day; Thursday declared closed, Friday Christmas Day
    # (public), the weekend; 7 h on Monday 28 from 08:00 -> 15:00.
    _, due = to_the_mailbox(world, ny(12, 23, 15))
    assert due == "Mon 28 15:00"


def test_the_mailbox_deadline_counts_a_holiday_morning_until_the_early_closing(
    world: World,
) -> None:
    declare(world, "2026-12-24", "Christmas Eve", open_until="13:00")
    # Wednesday 15:00: 2 h that day, Thursday 08:00-13:00 (5 h), Friday Christmas Day;
    # the last 2 h on Monday 28 08:00-10:00.
    _, due = to_the_mailbox(world, ny(12, 23, 15))
    assert due == "Mon 28 10:00"


def test_declaring_and_removing_holidays_is_for_care_managers(world: World) -> None:
    declared = declare(world, "2026-12-24", "Christmas Eve", open_until="13:00")
    assert (declared.day.isoformat(), declared.name, declared.open_until) == (
        "2026-12-24",
        "Christmas Eve",
        time(13, 0),
    )
    assert declared.declared_by == world.manager.user
    declare(world, "2026-12-31", "New Year's Eve")
    listed = accounts.vendor_holidays(actor=world.manager.user)
    assert [(h.day.isoformat(), h.name) for h in listed] == [
        ("2026-12-24", "Christmas Eve"),
        ("2026-12-31", "New Year's Eve"),
    ]
    for who in (world.engineer.user, world.customer_contact.user):
        with pytest.raises(PermissionDenied, match=r"^only a Care manager may do this$"):
            accounts.vendor_holidays(actor=who)
        with pytest.raises(PermissionDenied):
            accounts.declare_vendor_holiday(
                actor=who, day="2027-01-04", name="Closed", now=ny(12, 1, 9)
            )
        with pytest.raises(PermissionDenied):
            accounts.remove_vendor_holiday(actor=who, day="2026-12-31")
    assert VendorHoliday.objects.count() == 2
    removed = accounts.remove_vendor_holiday(actor=world.manager.user, day="2026-12-31")
    assert removed.name == "New Year's Eve"
    assert list(VendorHoliday.objects.values_list("name", flat=True)) == ["Christmas Eve"]


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (
            {"day": "2026-02-30", "name": "Closed"},
            DomainError,
            "holiday date '2026-02-30' is not a date; expected YYYY-MM-DD",
        ),
        (
            {"day": "2026-12-24", "name": "  "},
            DomainError,
            "a vendor holiday needs a name, such as 'Christmas Eve'",
        ),
        (
            {"day": "2026-12-24", "name": "Closed", "open_until": "1pm"},
            DomainError,
            "closing time '1pm' is not a time; expected HH:MM between 00:00 and 23:59",
        ),
        (
            {"day": "2026-12-24", "name": "Closed", "open_from": "14:00", "open_until": "13:00"},
            DomainError,
            "opening time '14:00' is not before closing time '13:00'; expected the day's open "
            "window, such as 09:00 to 13:00",
        ),
        (
            {"day": "2026-12-31", "name": "Again"},
            Conflict,
            "2026-12-31 is already declared a vendor holiday (New Year's Eve); remove it first",
        ),
    ],
)
def test_a_bad_declaration_is_refused_and_nothing_is_written(
    world: World, fields: dict[str, str], error: type[DomainError], message: str
) -> None:
    declare(world, "2026-12-31", "New Year's Eve")
    before = list(VendorHoliday.objects.values_list("day", "name", "open_from", "open_until"))
    with pytest.raises(error) as refused:
        accounts.declare_vendor_holiday(actor=world.manager.user, now=ny(12, 1, 9), **fields)
    assert type(refused.value) is error
    assert str(refused.value) == message
    after = list(VendorHoliday.objects.values_list("day", "name", "open_from", "open_until"))
    assert after == before


def test_removing_a_day_not_declared_is_refused(world: World) -> None:
    declare(world, "2026-12-31", "New Year's Eve")
    with pytest.raises(NotFound, match=r"^2026-12-30 is not a declared vendor holiday$"):
        accounts.remove_vendor_holiday(actor=world.manager.user, day="2026-12-30")
    with pytest.raises(DomainError, match=r"^holiday date 'soon' is not a date"):
        accounts.remove_vendor_holiday(actor=world.manager.user, day="soon")
    assert VendorHoliday.objects.count() == 1


# -- Care's staffing: licensed channels kept in business hours ----------------------------------


def phone_case(world: World, at: datetime) -> Case:
    # Enhanced Professional Support (voice) is staffed Monday-Friday 08:00-21:00 New York.
    world.customer.licences = ["communicate", "enhanced-professional-support", "chat"]
    world.customer.save()
    return open_customer_case(world, at, severity=2, channel="phone")


def test_the_voice_line_is_not_staffed_after_an_early_closing(world: World) -> None:
    declare(world, "2026-12-24", "Christmas Eve", open_until="13:00")
    assert phone_case(world, ny(12, 24, 12, 59)).channel == "phone"
    with pytest.raises(DomainError) as refused:
        phone_case(world, ny(12, 24, 13))
    assert "phone (enhanced-professional-support) is staffed Mon-Fri 08:00-21:00 " in str(
        refused.value
    )
    assert "closed for Christmas Eve (2026-12-24)" in str(refused.value)
    # The chat is staffed round the clock, every day of the year: a holiday leaves it open.
    chat = open_customer_case(world, ny(12, 24, 14), severity=2, channel="chat")
    assert chat.channel == "chat"


# -- through the API, the command line and the admin -------------------------------------------


def api(token: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    if method == "post":
        answer = client.post(
            f"/api{path}", json.dumps(body), content_type="application/json", headers=headers
        )
    else:
        answer = getattr(client, method)(f"/api{path}", headers=headers)
    return answer.status_code, (answer.json() if answer.content else None)


def test_care_managers_list_declare_and_remove_holidays_over_http(world: World) -> None:
    CLOCK.set(ny(12, 1, 9))
    tokens = world.tokens(ny(12, 1, 9))
    manager = tokens["manager"]
    body = {"day": "2026-12-24", "name": "Christmas Eve", "open_until": "13:00"}
    status, created = api(manager, "post", "/vendor/holidays", body)
    assert status == 201, created
    assert created == {
        "day": "2026-12-24",
        "name": "Christmas Eve",
        "open_from": None,
        "open_until": "13:00",
        "declared_at": "2026-12-01T14:00:00Z",
    }
    for name in ("engineer", "customer", "reseller"):
        for method, path, payload in (
            ("get", "/vendor/holidays", None),
            ("post", "/vendor/holidays", {"day": "2026-12-31", "name": "New Year's Eve"}),
            ("delete", "/vendor/holidays/2026-12-24", None),
        ):
            status, answer = api(tokens[name], method, path, payload)
            assert (status, answer["detail"]) == (403, "only a Care manager may do this")
    for payload, code, detail in (
        ({"day": "24/12/2026", "name": "X"}, 400, "holiday date '24/12/2026' is not a date"),
        ({"day": "2026-12-24", "name": "Again"}, 409, "2026-12-24 is already declared"),
        ({"day": "2026-12-31"}, 422, "name"),
    ):
        status, answer = api(manager, "post", "/vendor/holidays", payload)
        assert status == code, answer
        assert detail in answer["detail"] or detail in json.dumps(answer.get("errors"))
    status, listed = api(manager, "get", "/vendor/holidays")
    assert (status, [h["day"] for h in listed]) == (200, ["2026-12-24"])
    status, answer = api(manager, "delete", "/vendor/holidays/2026-12-23")
    assert (status, answer["detail"]) == (404, "2026-12-23 is not a declared vendor holiday")
    status, answer = api(manager, "delete", "/vendor/holidays/2026-12-24")
    assert (status, answer) == (204, None)
    assert not VendorHoliday.objects.exists()


def test_the_command_line_lists_adds_and_removes_holidays(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    CLOCK.set(ny(12, 1, 9))
    assert run_cli(
        capsys, "holidays", "add", "2026-12-24", "--name", "Christmas Eve", "--closes", "13:00"
    ) == (
        0,
        "declared 2026-12-24 Christmas Eve: open until 13:00\n",
        "",
    )
    assert run_cli(capsys, "holidays", "add", "2026-12-31", "--name", "New Year's Eve")[0] == 0
    assert run_cli(capsys, "holidays", "list") == (
        0,
        "2026-12-24  open until 13:00  Christmas Eve\n"
        "2026-12-31  closed all day   New Year's Eve\n",
        "",
    )
    code, out, _ = run_cli(capsys, "holidays", "list", "--json")
    assert json.loads(out)[0] == {
        "day": "2026-12-24",
        "name": "Christmas Eve",
        "open_from": None,
        "open_until": "13:00",
    }
    for args, message in (
        (("add", "2026-13-01", "--name", "X"), "holiday date '2026-13-01' is not a date"),
        (("add", "2026-12-31", "--name", "X"), "2026-12-31 is already declared"),
        (("add", "2027-01-04", "--name", "X", "--opens", "25:00"), "opening time '25:00'"),
        (("remove", "2026-12-30"), "2026-12-30 is not a declared vendor holiday"),
    ):
        code, out, err = run_cli(capsys, "holidays", *args)
        assert (code, out) == (2, ""), err
        (line,) = err.splitlines()
        assert line.startswith("caredesk: error: ")
        assert message in line
    assert VendorHoliday.objects.count() == 2
    assert run_cli(capsys, "holidays", "remove", "2026-12-31") == (
        0,
        "removed 2026-12-31 New Year's Eve\n",
        "",
    )
    assert list(VendorHoliday.objects.values_list("name", flat=True)) == ["Christmas Eve"]


def test_the_admin_adds_and_deletes_holidays_through_the_service(world: World) -> None:
    CLOCK.set(ny(12, 1, 9))
    admin = accounts.create_person(
        actor=None,
        email="ada@care.example",
        name="Ada Admin",
        organisation=world.vendor,
        role="admin",
        now=ny(12, 1, 9),
    )
    client = signed_in_client(admin)
    assert client.get("/admin/accounts/vendorholiday/").status_code == 200
    add = "/admin/accounts/vendorholiday/add/"
    refused = client.post(
        add, {"day": "2026-12-24", "name": "Eve", "open_from": "14:00", "open_until": "13:00"}
    )
    assert refused.status_code == 200
    assert "opening time &#x27;14:00&#x27; is not before closing time" in refused.content.decode()
    assert not VendorHoliday.objects.exists()
    added = client.post(add, {"day": "2026-12-24", "name": "Christmas Eve", "open_until": "13:00"})
    assert added.status_code == 302
    holiday = VendorHoliday.objects.get()
    assert (holiday.name, holiday.open_until, holiday.declared_by) == (
        "Christmas Eve",
        time(13, 0),
        admin.user,
    )
    assert holiday.declared_at == ny(12, 1, 9)
    deleted = client.post(f"/admin/accounts/vendorholiday/{holiday.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not VendorHoliday.objects.exists()
