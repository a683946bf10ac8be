"""The accounts store's hand-written reads give what their ORM reference gives."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.models import User

from caredesk.accounts import services, store
from caredesk.accounts.models import ApiToken, Organisation
from caredesk.conftest import START
from caredesk.testing import World, organisation


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def test_a_resellers_accounts_are_the_organisations_the_orm_finds_under_it(world: World) -> None:
    second = organisation(START, "second-account", parent_id=world.reseller.id)
    for org in (world.reseller, world.account, world.customer, world.vendor):
        reference = Organisation.objects.filter(parent_id=org.id).values_list("id", flat=True)
        assert sorted(store.account_ids(org.id)) == sorted(reference), org.short_name
    assert sorted(store.account_ids(world.reseller.id)) == sorted([world.account.id, second.id])
    assert store.account_ids(world.customer.id) == []


def test_a_live_token_is_the_row_the_orm_reads_with_its_user_profile_and_organisation(
    world: World,
) -> None:
    secret = services.issue_token(user=world.account_contact.user, now=START)
    found = store.live_token(digest_of(secret))
    assert found is not None
    token, user = found
    reference = ApiToken.objects.select_related("user__profile__organisation", "user__profile").get(
        digest=digest_of(secret)
    )
    for field in ApiToken._meta.concrete_fields:
        assert getattr(token, field.attname) == getattr(reference, field.attname), field.name
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(reference.user, field.attname), field.name
    assert token.created_at == START
    assert token.created_at.utcoffset() == timedelta(0)  # aware UTC, as the ORM reads it
    assert user.profile == reference.user.profile
    assert user.profile.organisation == world.account


def test_a_revoked_token_or_an_inactive_user_is_no_live_token(world: World) -> None:
    secret = services.issue_token(user=world.customer_contact.user, now=START)
    ApiToken.objects.filter(digest=digest_of(secret)).update(revoked_at=START)
    assert store.live_token(digest_of(secret)) is None
    other = services.issue_token(user=world.engineer.user, now=START)
    User.objects.filter(id=world.engineer.user.id).update(is_active=False)
    assert store.live_token(digest_of(other)) is None
    assert store.live_token(digest_of("cd_never-issued")) is None
