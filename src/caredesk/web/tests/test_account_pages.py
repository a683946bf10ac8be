"""Every person's own pages: sign-in in plain words, a password reset by e-mail (Django's
views, our templates, the owner's language), the profile, the language switch on every
page."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from caredesk.accounts.models import Profile
from caredesk.testing import World, signed_in_client, speaks

PASSWORD = "a-long-new-password-42"


def _fresh(profile: Profile) -> Profile:
    return Profile.objects.get(id=profile.id)


def _with_password(profile: Profile) -> Profile:
    profile.user.set_password(PASSWORD)
    profile.user.save()
    return profile


def test_sign_in_page_in_english_and_japanese(world: World) -> None:
    page = Client().get("/login/").content.decode()
    assert "Sign in with the e-mail address Care registered for you." in page
    assert '<label for="id_username">E-mail</label>' in page
    assert "Forgotten your password?" in page
    japanese = Client(headers={"accept-language": "ja"}).get("/login/").content.decode()
    assert '<html lang="ja">' in japanese
    assert "サインイン" in japanese
    assert "パスワードをお忘れですか?" in japanese


def test_sign_in_takes_the_address_in_any_case(world: World) -> None:
    kenji = _with_password(world.customer_contact)
    client = Client()
    answer = client.post("/login/", {"username": "Kenji@Initech.example", "password": PASSWORD})
    assert answer.status_code == 302
    assert client.get("/").status_code == 200
    assert kenji.user.email == "kenji@initech.example"


def test_a_wrong_password_is_refused_in_one_sentence(world: World) -> None:
    _with_password(world.customer_contact)
    client = Client()
    answer = client.post("/login/", {"username": "kenji@initech.example", "password": "nope"})
    assert answer.status_code == 200
    assert (
        "That e-mail address and password do not match an account: check both, or reset "
        "your password." in answer.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_in_the_owners_language(world: World) -> None:
    kenji = speaks(world.customer_contact, "ja")
    client = Client()  # an English browser asks for Kenji's link
    sent = client.post("/password/reset/", {"email": "kenji@initech.example"})
    assert sent.status_code == 302
    assert client.get(sent["Location"]).content.decode().count("Check your e-mail") == 2
    [message] = mail.outbox
    assert message.to == ["kenji@initech.example"]
    assert message.subject == "CareDesk: 新しいパスワードを設定してください"
    link = re.search(r"http://testserver(/password/reset/\S+/)", str(message.body))
    assert link is not None, message.body
    form = client.get(link.group(1), follow=True)
    # The pages follow the browser (English here); the e-mail followed its owner.
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert "Your new password is saved." in done.content.decode()
    assert Client().login(username=kenji.user.username, password=PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing(world: World) -> None:
    answer = Client().post("/password/reset/", {"email": "nobody@nowhere.example"})
    assert answer.status_code == 302  # the same answer: no way to probe for accounts
    assert mail.outbox == []


def test_profile_page_saves_language_and_zone(world: World, signed_in: Client) -> None:
    page = signed_in.get("/profile/").content.decode()
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in page
    assert '<option value="en" selected>English</option>' in page
    saved = signed_in.post("/profile/", {"language": "ja", "timezone": "Asia/Seoul"}, follow=True)
    assert "言語とタイムゾーンを保存しました。" in saved.content.decode()
    kenji = _fresh(world.customer_contact)
    assert (kenji.language, kenji.timezone) == ("ja", "Asia/Seoul")
    assert signed_in.cookies["django_language"].value == "ja"


def test_profile_page_refuses_an_unknown_zone_naming_it(world: World, signed_in: Client) -> None:
    answer = signed_in.post("/profile/", {"language": "en", "timezone": "Mars/Olympus"})
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in page
    assert "Please correct the fields below." in page
    assert _fresh(world.customer_contact).timezone == "Asia/Tokyo"  # nothing written


def test_every_page_offers_the_other_language(world: World, signed_in: Client) -> None:
    for url in ("/", "/cases/new", "/profile/"):
        page = signed_in.get(url).content.decode()
        assert '<button type="submit" name="language" value="ja" lang="ja">日本語</button>' in page
    anonymous = Client().get("/login/").content.decode()
    assert 'value="ja" lang="ja">日本語</button>' in anonymous


def test_the_switch_changes_a_signed_in_persons_language(world: World, signed_in: Client) -> None:
    answer = signed_in.post("/language/", {"language": "ja", "next": "/cases/new"})
    assert answer.status_code == 302
    assert answer["Location"] == "/cases/new"
    assert _fresh(world.customer_contact).language == "ja"
    page = signed_in.get("/cases/new").content.decode()
    assert '<html lang="ja">' in page
    assert 'value="en" lang="en">English</button>' in page


def test_the_switch_refuses_an_unknown_language(world: World, signed_in: Client) -> None:
    answer = signed_in.post("/language/", {"language": "fr", "next": "/"})
    assert answer.status_code == 400
    assert answer.content.decode() == "unknown language 'fr'; expected 'en' or 'ja'"
    assert _fresh(world.customer_contact).language == "en"


def test_the_switch_for_someone_not_signed_in_sets_the_cookie(world: World) -> None:
    client = Client()
    answer = client.post("/language/", {"language": "ja", "next": "/login/"})
    assert answer["Location"] == "/login/"
    assert "サインイン" in client.get("/login/").content.decode()


def test_error_pages_of_our_own_in_the_readers_language(world: World) -> None:
    english = signed_in_client(world.customer_contact)
    missing = english.get("/cases/999999")
    assert missing.status_code == 404
    assert "There is no page at this address" in missing.content.decode()
    japanese = signed_in_client(world.engineer, language="ja")
    assert "ページが見つかりません" in japanese.get("/no/such/page").content.decode()
