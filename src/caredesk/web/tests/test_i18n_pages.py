"""The pages in the signed-in person's language (their profile's): Japanese for Kenji when his
profile says so, English otherwise; the sign-in page follows the browser's Accept-Language."""

from __future__ import annotations

import pytest
from django.test import Client

from caredesk.cases.models import Case
from caredesk.conftest import START
from caredesk.testing import World, open_customer_case, signed_in_client


@pytest.fixture
def japanese(world: World) -> Client:
    return signed_in_client(world.customer_contact, language="ja")


@pytest.fixture
def english(world: World) -> Client:
    return signed_in_client(world.customer_contact, language="en")


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_list_in_japanese(world: World, japanese: Client) -> None:
    empty = _page(japanese, "/")
    assert '<html lang="ja">' in empty
    assert "ケースはありません。" in empty
    case = open_customer_case(world, START, severity=2)
    page = _page(japanese, "/")
    for text in (
        "マイケース",
        "新規ケース",
        "サインアウト",
        "SLA 状態",
        "すべて",
        "<th>ケース</th>",
        "<th>件名</th>",
        "<th>組織</th>",
        "<th>ステータス</th>",
        "次の期限 (Asia/Tokyo)",
    ):
        assert text in page, text
    assert case.number in page
    # Response due Tuesday 09:00 in Tokyo, the weekday in Japanese.
    assert "火 2026-11-24 09:00 JST" in page
    assert "My cases</a>" not in page
    assert "Sign out" not in page


def test_the_case_list_in_english(world: World, english: Client) -> None:
    open_customer_case(world, START, severity=2)
    page = _page(english, "/")
    assert '<html lang="en">' in page
    for text in (
        "My cases",
        "New case",
        "Sign out",
        "SLA state",
        "<th>Subject</th>",
        "Next due (Asia/Tokyo)",
        "Tue 2026-11-24 09:00 JST",
    ):
        assert text in page, text
    assert "マイケース" not in page


def test_the_case_page_in_japanese(world: World, japanese: Client) -> None:
    case = open_customer_case(world, START, severity=2)
    page = _page(japanese, f"/cases/{case.id}")
    for text in (
        "重大度 2",
        "優先度 3",
        "お客様の営業カレンダー: ",
        "<th>指標</th>",
        "<th>目標</th>",
        "<th>状態</th>",
        "<th>期限 (Asia/Tokyo)</th>",
        "<th>現状</th>",
        "初回応答: 期限の数え方",
        "<h2>履歴</h2>",
        "コメントを追加",
        "火 2026-11-24 09:00 JST",
        # The SLA explanation: opened Monday 10:00 New York = Tuesday 00:00 Tokyo; the
        # 1 BH response counts Tuesday 08:00-09:00.
        "クロックは 火 2026-11-24 00:00 JST に開始します。",
        "火 2026-11-24 08:00-09:00 JST を計上：1:00（累計 1:00）。",  # noqa: RUF001
        "期限 火 2026-11-24 09:00 JST（2026-11-24 00:00 UTC）：計上 1:00 = 目標 1:00。",  # noqa: RUF001
    ):
        assert text in page, text
    assert "Add comment" not in page
    assert "The clock starts" not in page


def test_the_case_page_in_english(world: World, english: Client) -> None:
    case = open_customer_case(world, START, severity=2)
    page = _page(english, f"/cases/{case.id}")
    for text in (
        "severity 2",
        "Customer calendar: ",
        "<th>Where it stands</th>",
        "<h2>History</h2>",
        "Add comment",
        "Tue 2026-11-24 09:00 JST",
        "The clock starts Tue 2026-11-24 00:00 JST.",
        "Counted Tue 2026-11-24 08:00-09:00 JST: 1:00 (total 1:00).",
    ):
        assert text in page, text
    assert "履歴" not in page


def test_the_new_case_form_in_japanese(world: World, japanese: Client) -> None:
    page = _page(japanese, "/cases/new")
    for text in (
        "<title>新規ケース · CareDesk</title>",
        "<h1>新規ケース</h1>",
        "ケースを作成",
        "組織の略称",
        "組織 ID",
    ):  # the policy's own Japanese field labels
        assert text in page, text
    response = japanese.post("/cases/new", {"case_type": "incident", "severity": "3"})
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()  # Django's own catalogue
    assert Case.objects.count() == 0


def test_the_new_case_form_in_english(world: World, english: Client) -> None:
    page = _page(english, "/cases/new")
    for text in ("<h1>New case</h1>", "Open case", "Organization short name"):
        assert text in page, text
    assert "ケースを作成" not in page


def test_the_sign_in_page_follows_the_browser(db: None) -> None:
    japanese = Client(HTTP_ACCEPT_LANGUAGE="ja").get("/login/").content.decode()
    assert "<h1>サインイン</h1>" in japanese
    assert "メールアドレス" in japanese
    assert "パスワード" in japanese
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    assert "<h1>Sign in</h1>" in english
    assert "Password" in english
