"""The services' refusals in the reader's language (issue 14): the same refusal reads in
Japanese for a Japanese reader and in English for an English one, on the case page and over
the API; its HTTP status and ``errors[].field`` are the same in both, and nothing is written."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Profile
from caredesk.cases import services
from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.infra.errors import DomainError
from caredesk.testing import (
    World,
    customer_case_payload,
    kinds,
    open_customer_case,
    reseller_case_payload,
    signed_in_client,
    speaks,
)


@dataclass(frozen=True)
class Refusal:
    """A refused action, as the case page's form and as the API's request send it."""

    who: Callable[[World], Profile]
    form: dict[str, str]
    path: str  # under /api/cases/{id}
    body: dict[str, Any]
    status: int  # over the API; the page answers 422 for a 400
    said: dict[str, str]  # the sentence by language; {number} is the case's number


def _closed(world: World, case: Case) -> None:
    services.change_status(actor=world.engineer.user, case_id=case.id, status="closed", now=START)


def _pending_request(world: World, case: Case) -> None:
    services.request_severity_change(
        actor=world.customer_contact.user,
        case_id=case.id,
        severity=2,
        reason="Sales stop",
        now=START,
    )


def _kenji(world: World) -> Profile:
    return world.customer_contact


def _erin(world: World) -> Profile:
    return world.engineer


REFUSALS: dict[str, tuple[Refusal, Callable[[World, Case], None] | None]] = {
    "not a designated contact": (
        Refusal(
            who=lambda world: world.untrained,
            form={"action": "reply", "body": "Any news?"},
            path="/comments",
            body={"body": "Any news?"},
            status=403,
            said={
                "en": "new@initech.example is not a designated contact; only designated "
                "contacts (who completed the roles-and-responsibilities training) may update "
                "cases",
                "ja": "new@initech.example は指定担当者ではありません。ケースを更新することが"
                "できるのは、指定担当者 (役割と責任のトレーニングを修了した方) のみです",
            },
        ),
        None,
    ),
    "closed case": (
        Refusal(
            who=_kenji,
            form={"action": "reply", "body": "It is back."},
            path="/comments",
            body={"body": "It is back."},
            status=409,
            said={
                "en": "case {number} is closed; open a new case naming it instead",
                "ja": "ケース {number} はクローズ済みです。代わりにこのケースの番号を記載した"
                "新しいケースを開いてください",
            },
        ),
        _closed,
    ),
    "illegal transition": (
        Refusal(
            who=_erin,
            form={"action": "status", "status": "restored"},
            path="/status",
            body={"status": "restored"},
            status=409,
            said={
                "en": "a case cannot move from 'closed' to 'restored'; from 'closed' it can "
                "move to: none (final)",
                "ja": "ケースを 「クローズ」(closed) から 「復旧済み」(restored) に移すことは"
                "できません。「クローズ」(closed) から移せる状態: なし (最終状態)",
            },
        ),
        _closed,
    ),
    "pending severity request": (
        Refusal(
            who=_kenji,
            form={"action": "request-severity", "severity": "2", "reason": "Sales stop"},
            path="/severity-requests",
            body={"severity": 2, "reason": "Sales stop"},
            status=409,
            said={
                "en": "case {number} already has a pending severity request",
                "ja": "ケース {number} には未決定の重大度変更依頼がすでにあります",
            },
        ),
        _pending_request,
    ),
    "escalation without its words": (
        Refusal(
            who=_kenji,
            form={"action": "escalate", "description": "", "business_impact": ""},
            path="/escalations",
            body={"description": "", "business_impact": ""},
            status=400,
            said={
                "en": "a description of the issue is required to escalate; the business "
                "impact is required to escalate",
                "ja": "エスカレーションには問題の説明が必要です; エスカレーションにはビジネスへの"
                "影響が必要です",
            },
        ),
        None,
    ),
    "link to itself": (
        Refusal(
            who=_erin,
            form={"action": "link", "case_number": "{number}", "kind": "related"},
            path="/links",
            body={"case_number": "{number}", "kind": "related"},
            status=400,
            said={
                "en": "a case cannot be linked to itself",
                "ja": "ケースを自分自身にリンクすることはできません",
            },
        ),
        None,
    ),
    "nothing to accept": (
        Refusal(
            who=_kenji,
            form={"action": "accept"},
            path="/accept",
            body={},
            status=409,
            said={
                "en": "case {number} is new, not resolution-proposed: there is no proposed "
                "resolution to accept",
                "ja": "ケース {number} は「新規」(new)で、解決策提示済み (resolution-proposed) "
                "ではありません。承認する解決策はありません",
            },
        ),
        None,
    ),
    "a customer logging a call": (
        Refusal(
            who=_kenji,
            form={"action": "call", "summary": "We talked."},
            path="/calls",
            body={"summary": "We talked."},
            status=403,
            said={
                "en": "only Care logs a call with the customer; a contact adds a comment instead",
                "ja": "お客様との通話を記録できるのはケアのみです。"
                "担当者はコメントを追加してください",
            },
        ),
        None,
    ),
    "no Incident Report in the policy": (
        Refusal(
            who=_kenji,
            form={"action": "request-incident-report", "text": "Please send the report."},
            path="/incident-report-requests",
            body={"text": "Please send the report."},
            status=400,
            said={
                "en": "the policy of case {number} provides no Incident Report",
                "ja": "ケース {number} のポリシーにはインシデント報告書の規定がありません",
            },
        ),
        None,
    ),
}


def _refused_case(world: World, name: str) -> tuple[Refusal, Case]:
    refusal, prepare = REFUSALS[name]
    case = open_customer_case(world, START)
    if prepare is not None:
        prepare(world, case)
    return refusal, case


def _filled(values: dict[str, Any], case: Case) -> dict[str, Any]:
    return {k: v.format(number=case.number) if isinstance(v, str) else v for k, v in values.items()}


def api_post(profile: Profile, path: str, body: dict[str, Any], **headers: str) -> tuple[int, Any]:
    token = accounts.issue_token(user=profile.user, now=START)
    answer = Client().post(
        f"/api{path}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", **headers},
    )
    return answer.status_code, answer.json()


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_refusal_on_the_case_page_reads_in_the_readers_language(
    world: World, name: str, language: str
) -> None:
    refusal, case = _refused_case(world, name)
    before = kinds(case)
    browser = signed_in_client(refusal.who(world), language=language)
    answer = browser.post(f"/cases/{case.id}", _filled(refusal.form, case))
    assert answer.status_code == (422 if refusal.status == 400 else refusal.status)
    assert refusal.said[language].format(number=case.number) in html.unescape(
        answer.content.decode()
    )
    assert kinds(case) == before


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_refusal_over_the_api_reads_in_the_callers_profile_language(
    world: World, name: str, language: str
) -> None:
    refusal, case = _refused_case(world, name)
    before = kinds(case)
    caller = speaks(refusal.who(world), language)
    status, body = api_post(caller, f"/cases/{case.id}{refusal.path}", _filled(refusal.body, case))
    assert status == refusal.status
    assert body["detail"] == refusal.said[language].format(number=case.number)
    assert kinds(case) == before


def test_escalation_fields_stay_the_same_in_every_language(world: World) -> None:
    refusal, case = _refused_case(world, "escalation without its words")
    answers = {}
    for language in ("en", "ja"):
        caller = speaks(world.customer_contact, language)
        answers[language] = api_post(caller, f"/cases/{case.id}/escalations", refusal.body)[1]
    assert [e["field"] for e in answers["en"]["errors"]] == ["description", "business_impact"]
    assert [e["field"] for e in answers["ja"]["errors"]] == ["description", "business_impact"]
    assert answers["ja"]["errors"][0]["message"] == "エスカレーションには問題の説明が必要です"


def test_the_api_follows_the_profile_not_accept_language(world: World) -> None:
    # An English profile asking with Accept-Language: ja still reads English (the default);
    # a Japanese profile reads Japanese whatever the request asks.
    refusal, case = _refused_case(world, "a customer logging a call")
    path = f"/cases/{case.id}/calls"
    caller = speaks(world.customer_contact, "en")
    detail = api_post(caller, path, refusal.body, **{"Accept-Language": "ja"})[1]["detail"]
    assert detail == refusal.said["en"]
    caller = speaks(world.customer_contact, "ja")
    detail = api_post(caller, path, refusal.body, **{"Accept-Language": "en"})[1]["detail"]
    assert detail == refusal.said["ja"]


@pytest.mark.parametrize(
    ("language", "detail", "subject"),
    [
        ("en", "the case cannot be opened; fix: subject", "subject is required"),
        ("ja", "ケースを開けません。次の項目を修正してください: subject", "件名は必須です"),
    ],
)
def test_intake_field_errors_read_in_the_callers_language(
    world: World, language: str, detail: str, subject: str
) -> None:
    caller = speaks(world.customer_contact, language)
    payload = customer_case_payload(world, START)
    body = {
        "severity": payload["severity"],
        "channel": "portal",
        "subject": "",
        "description": payload["description"],
        "intake": payload["intake_fields"],
    }
    status, answer = api_post(caller, "/cases", body)
    assert status == 422
    assert answer["detail"] == detail
    assert answer["errors"] == [{"field": "subject", "message": subject}]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "unknown status 'bogus'; expected one of: new, open, waiting-on-customer, "),
        ("ja", "状態 'bogus' は不明です。次のいずれかを指定してください: 「新規」(new), "),
    ],
)
def test_an_unknown_queue_filter_is_named_in_the_callers_language(
    world: World, language: str, said: str
) -> None:
    token = accounts.issue_token(user=speaks(world.engineer, language).user, now=START)
    answer = Client().get(
        "/api/queue", {"status": "bogus"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(said)


def test_a_bad_language_on_the_profile_is_refused_in_the_readers_language(world: World) -> None:
    person = world.customer_contact
    with translation.override("ja"), pytest.raises(DomainError) as refused:
        accounts.update_profile(
            actor=person.user, person=person, language="fr", timezone="Asia/Tokyo", now=START
        )
    assert refused.value.message == "言語 'fr' は不明です。'en' または 'ja' を指定してください"
    assert refused.value.errors[0]["field"] == "language"
    person.refresh_from_db()
    assert person.language == "en"


LICENCES = "collaborate, communicate, purecloud-1, purecloud-2, purecloud-3"
NO_LICENCE = {
    "en": f"Initech KK holds no support licence; one of {LICENCES} is needed to open cases",
    "ja": f"Initech KK はサポート ライセンスを保有していません。ケースを開くには {LICENCES} "
    "のいずれかが必要です",
}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_intake_refusal_of_the_whole_case_reads_in_the_readers_language(
    world: World, language: str
) -> None:
    # Initech keeps only its chat licence: PureCloud Customer Care needs a support licence.
    world.customer.licences = ["chat"]
    world.customer.save()
    payload = customer_case_payload(world, START)
    form = {
        "case_type": "incident",
        "severity": "3",
        "priority": "3",
        "subject": payload["subject"],
        "description": payload["description"],
        **{f"intake_{k}": v for k, v in payload["intake_fields"].items()},
    }
    page = signed_in_client(world.customer_contact, language=language).post("/cases/new", form)
    assert NO_LICENCE[language] in html.unescape(page.content.decode())
    body = {
        "severity": 3,
        "channel": "portal",
        "subject": payload["subject"],
        "description": payload["description"],
        "intake": payload["intake_fields"],
    }
    status, answer = api_post(world.customer_contact, "/cases", body)
    assert status == 403
    assert answer["detail"] == NO_LICENCE[language]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("language", "detail", "field"),
    [
        (
            "en",
            "Severity 1 (Critical) cannot be submitted directly: submit the case as Severity 2 "
            "(High) in the portal, then call Care to raise it to Critical",
            "submit as 2, then raise by phone",
        ),
        (
            "ja",
            "重大度 1 (Critical) では直接送信できません。ポータルで重大度 2 (High) として送信し、"
            "その後ケアに電話して Critical に引き上げてください",
            "2 で送信し、電話で引き上げてください",
        ),
    ],
)
def test_severity_1_submitted_directly_is_refused_in_the_callers_language(
    world: World, language: str, detail: str, field: str
) -> None:
    # Care for Cloud (Rita's reseller): Severity 1 is submitted as High, then raised by phone.
    rita = speaks(world.reseller_contacts[0], language)
    payload = reseller_case_payload(world, START)
    body = {
        "severity": 1,
        "channel": "portal",
        "product": payload["product"],
        "subject": payload["subject"],
        "description": payload["description"],
        "intake": payload["intake_fields"],
        "critical_contact_name": "Rita",
        "critical_contact_phone": "+1 212 555 0100",
    }
    status, answer = api_post(rita, "/cases", body)
    assert status == 422
    assert answer["detail"] == detail
    assert answer["errors"] == [{"field": "severity", "message": field}]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (
            "en",
            "unknown case status 'limbo'; expected one of: new, open, waiting-on-customer, "
            "restored, resolution-proposed, closed",
        ),
        (
            "ja",
            "ケースの状態 'limbo' は不明です。次のいずれかを指定してください: 「新規」(new), "
            "「対応中」(open), 「お客様の回答待ち」(waiting-on-customer), 「復旧済み」(restored), "
            "「解決策提示済み」(resolution-proposed), 「クローズ」(closed)",
        ),
    ],
)
def test_an_unknown_status_is_named_with_the_statuses_in_words(
    world: World, language: str, detail: str
) -> None:
    case = open_customer_case(world, START)
    before = kinds(case)
    erin = speaks(world.engineer, language)
    status, answer = api_post(erin, f"/cases/{case.id}/status", {"status": "limbo"})
    assert status == 400
    assert answer["detail"] == detail
    assert [e["field"] for e in answer["errors"]] == ["status"]
    assert kinds(case) == before


def test_likely_duplicates_are_named_in_the_readers_language(world: World) -> None:
    first = services.open_case(**reseller_case_payload(world, START)).case
    again = reseller_case_payload(world, START, subject="Agents cannot go on queue now")
    with translation.override("ja"), pytest.raises(services.LikelyDuplicates) as refusal:
        services.open_case(**again, refuse_duplicates=True)
    assert refusal.value.message == (
        f"このケースに似た未解決のケースがあります ({first.number})。"
        "別の問題である場合にのみ、このまま開いてください"
    )
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (
            "en",
            "Severity 3 cases on Care for Cloud are taken through api or portal, not by phone. "
            "Open it in the portal.",
        ),
        (
            "ja",
            "Care for Cloud の重大度 3 のケースは api または portal で受け付けます。"
            "phone では受け付けません。ポータルで開いてください。",
        ),
    ],
)
def test_a_channel_the_plan_does_not_take_is_refused_in_the_callers_language(
    world: World, language: str, detail: str
) -> None:
    rita = speaks(world.reseller_contacts[0], language)
    payload = reseller_case_payload(world, START)
    body = {
        "severity": 3,
        "channel": "phone",
        "product": payload["product"],
        "subject": payload["subject"],
        "description": payload["description"],
        "intake": payload["intake_fields"],
    }
    status, answer = api_post(rita, "/cases", body)
    assert status == 422
    assert answer["detail"] == detail
    assert answer["errors"][0]["field"] == "channel"
    assert not Case.objects.exists()
