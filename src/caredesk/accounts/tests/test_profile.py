"""A person's own language and time zone (update_profile): theirs alone, names checked."""

from __future__ import annotations

import pytest

from caredesk.accounts import services
from caredesk.accounts.models import Profile
from caredesk.conftest import START
from caredesk.infra.errors import DomainError, PermissionDenied
from caredesk.testing import World


def _fresh(profile: Profile) -> Profile:
    return Profile.objects.get(id=profile.id)


def test_a_person_sets_their_language_and_zone(world: World) -> None:
    kenji = world.customer_contact
    services.update_profile(
        actor=kenji.user, person=kenji, language="ja", timezone="Asia/Seoul", now=START
    )
    saved = _fresh(kenji)
    assert (saved.language, saved.timezone) == ("ja", "Asia/Seoul")


@pytest.mark.parametrize(
    ("language", "zone", "field", "message"),
    [
        ("fr", "Asia/Tokyo", "language", r"unknown language 'fr'; expected 'en' or 'ja'"),
        (
            "en",
            "Mars/Olympus",
            "timezone",
            r"unknown time zone 'Mars/Olympus'; expected an IANA zone name",
        ),
    ],
)
def test_a_bad_language_or_zone_is_refused_naming_it(
    world: World, language: str, zone: str, field: str, message: str
) -> None:
    kenji = world.customer_contact
    with pytest.raises(DomainError, match=message) as refused:
        services.update_profile(
            actor=kenji.user, person=kenji, language=language, timezone=zone, now=START
        )
    assert refused.value.errors[0]["field"] == field
    saved = _fresh(kenji)
    assert (saved.language, saved.timezone) == ("en", "Asia/Tokyo")  # nothing written


def test_nobody_changes_another_persons_profile(world: World) -> None:
    kenji = world.customer_contact
    with pytest.raises(PermissionDenied, match="their own language and time zone only"):
        services.update_profile(
            actor=world.engineer.user, person=kenji, language="ja", timezone="UTC", now=START
        )
    assert _fresh(kenji).language == "en"
