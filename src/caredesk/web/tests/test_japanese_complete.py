"""Japanese complete: every page each kind of reader opens (every action form and refusal
among them) and every e-mail the desk sends, rendered for Japanese readers, hold no English
text of the catalogue: no msgid of ``django.po`` appears verbatim in what they read.

A msgid with placeholders is checked by its literal parts. Proper names, identifiers,
numbers, zone names and the text the users typed are not the catalogue's and are left out
before the check. The frozen clock stands at Monday 2026-11-23 15:00 UTC (Tuesday 00:00 in
Tokyo)."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

import caredesk
from caredesk.accounts.models import Profile
from caredesk.automation import messages
from caredesk.automation.models import Outbox
from caredesk.cases.models import Case, SeverityRequest
from caredesk.conftest import START
from caredesk.infra.clock import Clock
from caredesk.testing import (
    PURECLOUD_INTAKE,
    RESELLER_INTAKE,
    World,
    drain,
    open_customer_case,
    open_reseller_case,
    signed_in_client,
    speaks,
)

CATALOGUE = Path(caredesk.__file__).parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sd]|\{\{.*?\}\}|\{\w+\}")
# Not the catalogue's words: what the people typed in this test, and names.
TYPED = (
    "Looking into it.",
    "Check the DB.",
    "Called Kenji about the delay.",
    "Waiting for your logs.",
    "minor for us now",
    "stuck for days",
    "agents idle",
    "Please send it.",
    "Service is back.",
    "The timeout was raised.",
    "Still slow.",
    "a wrong note",
)
NAMES = re.compile(
    r"CareDesk|Care|Genesys|Initech KK|Initech|Globex|Acme Reseller|API|SLA|RCA|"
    r"CD\d+|[\w.+-]+@[\w.-]+|[A-Z][a-z]+/[A-Za-z_/-]+|UTC|JST|EST|GMT|"
    r"PureCloud[\w ]*|PureEngage[\w ]*|Purecloud[\w ]*"
)
# Attributes a reader meets: read aloud, shown on hover, or in an empty field.
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}


@cache
def _catalogue_english() -> tuple[str, ...]:
    """The literal parts of every msgid (placeholders cut out) that hold an English word."""
    text = CATALOGUE.read_text(encoding="utf-8")
    ids: list[str] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("msgid "):
            current = [ast.literal_eval(line[6:])]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            if current is not None and line.startswith("msgstr"):
                ids.append("".join(current))
            current = None
    parts = {
        part.strip(" .,:;()[]·-—\n") for msgid in ids if msgid for part in PLACEHOLDER.split(msgid)
    }
    # A literal part as short as "on" (between two placeholders) is a word of many a
    # sentence and page; a part is checked when it holds a word of three letters or more.
    return tuple(sorted(p for p in parts if re.search(r"[A-Za-z]{3}", p)))


class _Reading(HTMLParser):
    """What a person reads on a page: its text outside scripts and styles, and the
    attributes read aloud or shown."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.texts.extend(v for k, v in attrs if k in READ_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.texts.append(data)


def _read(html: str) -> str:
    reading = _Reading()
    reading.feed(html)
    return "\n".join(reading.texts)


@cache
def _proper_names() -> tuple[str, ...]:
    """Names the policies and the holiday library give, in English in every language: the
    policies' titles and plans' English names (product names), and the countries the rules
    page offers (the holiday library's names). Longest first, so that a name holding
    another goes whole."""
    from caredesk.core import policy as policies
    from caredesk.web.views.rules import _countries

    names = {name for _, name in _countries()}
    for policy in policies.list_policies():
        names.add(policy.title)
        names.update(policies.text_in(plan.name, "en") for plan in policy.plans.values())
    return tuple(sorted(names, key=len, reverse=True))


def english_in(text: str, *, typed: tuple[str, ...] = ()) -> list[str]:
    """The catalogue's English found in ``text``, once names and typed text are cut out."""
    for said in (*TYPED, *typed, *_proper_names()):
        text = text.replace(said, " ")
    text = NAMES.sub(" ", text)
    found = []
    for part in _catalogue_english():
        if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text):
            found.append(part)
    return found


def _people(world: World) -> dict[str, Client]:
    # The world's own profiles (their users carry them to the services) and everyone else.
    for person in (world.customer_contact, world.engineer, world.manager, *world.reseller_contacts):
        speaks(person, "ja")
    for person in Profile.objects.all():
        speaks(person, "ja")
    return {
        "kenji": signed_in_client(world.customer_contact),
        "erin": signed_in_client(world.engineer),
        "max": signed_in_client(world.manager),
        "rita": signed_in_client(world.reseller_contacts[0]),
    }


def _act(client: Client, case: Case, **form: str) -> str:
    """An action posted from the case page; its answer (a refusal shows the page)."""
    answer = client.post(f"/cases/{case.id}", form)
    assert answer.status_code in (302, 404, 409, 422), (form, answer.status_code)
    return answer.content.decode()


def _cases(world: World, people: dict[str, Client]) -> dict[str, Case]:
    """A desk with a case in each position a form is offered in."""
    kenji, erin, rita = (people[n] for n in ("kenji", "erin", "rita"))
    working = open_customer_case(world, START, severity=2)
    linked = open_customer_case(world, START, subject="Reports are late")
    _act(erin, working, action="assign", assignee="me")
    _act(erin, working, action="reply", body="Looking into it.")
    _act(erin, working, action="reply", body="Check the DB.", internal="on")
    _act(erin, working, action="call", summary="Called Kenji about the delay.")
    _act(erin, working, action="link", case_number=linked.number, kind="related")
    _act(
        erin,
        working,
        action="status",
        status="waiting-on-customer",
        reason="Waiting for your logs.",
    )
    _act(kenji, working, action="request-severity", severity="3", reason="minor for us now")
    _act(
        kenji,
        working,
        action="escalate",
        description="stuck for days",
        business_impact="agents idle",
    )
    outage = open_reseller_case(world, START, severity=2)
    _act(erin, outage, action="status", status="restored", reason="Service is back.")
    _act(rita, outage, action="request-incident-report", text="Please send it.")
    proposed = open_customer_case(world, START, subject="Wallboard is blank")
    _act(
        erin,
        proposed,
        action="propose",
        status="resolution-proposed",
        reason="The timeout was raised.",
    )
    reopened = open_customer_case(world, START, subject="Transfers drop")
    _act(
        erin,
        reopened,
        action="propose",
        status="resolution-proposed",
        reason="The timeout was raised.",
    )
    _act(kenji, reopened, action="not-fixed", body="Still slow.")
    closed = open_customer_case(world, START, subject="Old issue")
    _act(kenji, closed, action="status", status="closed", reason="")
    return {
        "working": working,
        "linked": linked,
        "outage": outage,
        "proposed": proposed,
        "reopened": reopened,
        "closed": closed,
    }


def _pages(world: World, people: dict[str, Client], cases: dict[str, Case]) -> dict[str, str]:
    """Every page each reader opens, by a name saying who saw what."""
    kenji, erin, max_, rita = (people[n] for n in ("kenji", "erin", "max", "rita"))
    pages: dict[str, str] = {}

    def get(name: str, client: Client, url: str, status: int = 200) -> None:
        answer = client.get(url)
        assert answer.status_code == status, (name, answer.status_code)
        pages[name] = answer.content.decode()

    get("my cases", kenji, "/")
    get("my closed cases", kenji, "/?status=closed&q=issue")
    get("new case", kenji, "/cases/new")
    pages["new case refused"] = kenji.post("/cases/new", {"case_type": "incident"}).content.decode()
    get("confirmation", kenji, f"/cases/{cases['linked'].id}/opened")
    for name, case in cases.items():
        if name != "outage":
            get(f"kenji's {name} case", kenji, f"/cases/{case.id}")
    pages["kenji's refused escalation"] = _act(
        kenji, cases["linked"], action="escalate", description="stuck for days"
    )
    get("targets", kenji, "/targets")
    get("profile", kenji, "/profile/")
    get("forbidden dashboard", kenji, "/dashboard", 403)
    get("not found", kenji, "/no/such/page", 404)
    get("rita's outage", rita, f"/cases/{cases['outage'].id}")
    get("queue", erin, "/")
    get("queue filtered", erin, "/?state=on-track&assignee=mine&within=24&q=Callbacks")
    get("queue refused", erin, "/?state=bogus", 400)
    for name, case in cases.items():
        get(f"erin's {name} case", erin, f"/cases/{case.id}")
    pages["erin's refused move"] = _act(erin, cases["working"], action="status", status="restored")
    pages["erin's refused link"] = _act(
        erin, cases["working"], action="link", case_number="CD-999999", kind="related"
    )
    get("rules", erin, f"/organisations/{world.customer.id}/rules")
    get("dashboard", max_, "/dashboard")
    get("max's escalated case", max_, f"/cases/{cases['working'].id}")
    rules = {
        "timezone": "Asia/Tokyo",
        "country": "JP",
        "plan": "standard",
        "policy": "purecloud-customer-care",
    }
    pages["rules preview"] = max_.post(
        f"/organisations/{world.customer.id}/rules", rules
    ).content.decode()
    pages["rules refused"] = max_.post(
        f"/organisations/{world.customer.id}/rules", {**rules, "hours": "whenever", "apply": "1"}
    ).content.decode()
    stranger = Client(HTTP_ACCEPT_LANGUAGE="ja")
    get("sign in", stranger, "/login/")
    pages["sign in refused"] = stranger.post(
        "/login/", {"username": "kenji@initech.example", "password": "wrong"}
    ).content.decode()
    get("password reset", stranger, "/password/reset/")
    get("password reset sent", stranger, "/password/reset/sent/")
    get("password reset link invalid", stranger, "/password/reset/MQ/bad-token/")
    get("password reset done", stranger, "/password/reset/done/")
    with translation.override("ja"):
        pages["server error"] = render_to_string("500.html")
    return pages


def test_every_page_reads_in_japanese(world: World) -> None:
    people = _people(world)
    cases = _cases(world, people)
    pages = _pages(world, people, cases)
    typed = tuple(case.subject for case in cases.values()) + tuple(
        str(v) for v in (*PURECLOUD_INTAKE.values(), *RESELLER_INTAKE.values())
    )
    english = {name: english_in(_read(page), typed=typed) for name, page in pages.items()}
    assert {name: found for name, found in english.items() if found} == {}


def test_every_email_reads_in_japanese(world: World, clock: Clock) -> None:
    people = _people(world)
    cases = _cases(world, people)
    kenji, erin, max_ = people["kenji"], people["erin"], people["max"]
    _act(max_, cases["working"], action="acknowledge")
    # Kenji's request on the working case accepted, another declined.
    _act(kenji, cases["linked"], action="request-severity", severity="4", reason="minor for us now")
    for case, decision in ((cases["working"], "accept"), (cases["linked"], "decline")):
        request = SeverityRequest.objects.get(case=case, state="pending")
        form = {"request": str(request.id), "reason": "Agreed on the phone."}
        _act(erin, case, action="decide-severity", decision=decision, **form)
    # The outage: the meeting held (the Incident Report falls due), the resolution proposed
    # with the initial RCA (the comprehensive RCA falls due).
    _act(erin, cases["outage"], action="post-mortem")
    # Kenji's own outage (his policy asks for the comprehensive RCA at Severity 2).
    outage = open_customer_case(world, START, severity=2, subject="Outage in Tokyo")
    _act(erin, outage, action="status", status="restored", reason="Service is back.")
    rca = {"reason": "The timeout was raised.", "initial_rca": "A full disk stopped the queue."}
    _act(erin, outage, action="propose", status="resolution-proposed", **rca)
    rules = {
        "timezone": "Asia/Tokyo",
        "country": "JP",
        "plan": "standard",
        "policy": "purecloud-customer-care",
        "hours": "Mon-Fri 09:00-18:00",
        "reason": "New contract",
        "apply": "1",
    }
    assert max_.post(f"/organisations/{world.customer.id}/rules", rules).status_code == 200
    # The desk's timers over the next weeks: warnings, breaches, reminders, stale notices.
    for hours in (1, 4, 12, 30, 80, 200, 500):
        clock.set(START + timedelta(hours=hours))
        drain(START + timedelta(hours=hours))
    sent = list(Outbox.objects.filter(channel="email").values_list("event", "payload"))
    typed = (
        *(case.subject for case in cases.values()),
        "Outage in Tokyo",
        "New contract",
        "Agreed on the phone.",
        "A full disk stopped the queue.",
        "Mon-Fri 09:00-18:00",
    )
    english = {
        f"{event} to {payload['to']}": found
        for event, payload in sent
        if (found := english_in(payload["subject"] + "\n" + payload["body"], typed=typed))
    }
    assert english == {}
    kinds = {event for event, _ in sent}
    assert set(messages.RENDERERS) <= kinds, set(messages.RENDERERS) - kinds


def test_the_credentials_reminders_read_in_japanese(world: World) -> None:
    person = world.reseller_contacts[0]
    for overdue in (False, True):
        subject, body = messages.credentials_message(
            person=person, overdue=overdue, due=START.isoformat(), language="ja", zone="Asia/Tokyo"
        )
        assert english_in(subject + "\n" + body) == []


def test_the_check_finds_english_left_in_a_japanese_page() -> None:
    # The checker itself: a catalogue sentence left in English is found, with its
    # placeholders' values around it; names, zones and typed text are not.
    page = "<p>ケース CD0000001 · <span title='Sign out'>x</span> Case CD0000001 opened</p>"
    found = english_in(_read(page))
    assert "Sign out" in found
    assert "opened" in found
    assert english_in(_read("<p>Initech KK · Asia/Tokyo · 2026-11-24 09:00 JST</p>")) == []
    assert english_in(_read("<p>Looking into it.</p>")) == []
