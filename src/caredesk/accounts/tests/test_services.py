"""Organisations, people, tokens and onboarding through the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User

from caredesk.accounts import services
from caredesk.accounts.models import ApiToken, Organisation, Profile
from caredesk.conftest import START
from caredesk.infra.errors import Conflict, DomainError, PermissionDenied
from caredesk.testing import World, organisation, person


def test_tokens_are_stored_hashed_and_resolve_to_their_user(world: World) -> None:
    secret = services.issue_token(user=world.customer_contact.user, now=START)
    stored = ApiToken.objects.get(user=world.customer_contact.user)
    assert secret.startswith("cd_")
    assert secret not in (stored.digest, stored.prefix)
    assert stored.prefix == secret[:10]
    assert services.user_for_token(secret, now=START) == world.customer_contact.user
    assert services.user_for_token(secret + "x", now=START) is None
    stored.revoked_at = START
    stored.save()
    assert services.user_for_token(secret, now=START) is None


def test_a_token_brings_its_user_profile_and_organisation_in_one_query(
    world: World, django_assert_num_queries: Any
) -> None:
    user = world.customer_contact.user
    secret = services.issue_token(user=user, now=START)
    services.user_for_token(secret, now=START)  # records the use: a write, once a minute
    with django_assert_num_queries(1):
        found = services.user_for_token(secret, now=START + timedelta(seconds=30))
        assert found is not None
        assert (found.username, found.is_active) == (user.username, True)
        assert found.profile.organisation.name == world.customer_contact.organisation.name
        assert found.profile.user is found
    stored = ApiToken.objects.get(user=user)
    assert stored.last_used_at == START  # the ORM reads back the instant it wrote, as UTC


def test_a_token_of_an_inactive_user_or_a_user_without_profile_is_refused_or_bare(
    world: World,
) -> None:
    user = world.customer_contact.user
    secret = services.issue_token(user=user, now=START)
    user.is_active = False
    user.save()
    assert services.user_for_token(secret, now=START) is None
    bare = User.objects.create_user("bare")
    found = services.user_for_token(services.issue_token(user=bare, now=START), now=START)
    assert found == bare
    with pytest.raises(PermissionDenied, match="no CareDesk profile"):
        services.profile_of(found)


# Organisations refused: what changes from a valid one (a function of the world), the error
# and its message.
BAD_ORGANISATIONS = [
    pytest.param(lambda w: {"plan": "gold"}, DomainError, r"unknown plan 'gold'", id="plan"),
    pytest.param(lambda w: {"country": "QQ"}, DomainError, r"unknown country 'QQ'", id="country"),
    pytest.param(
        lambda w: {"parent_id": w.customer.id},
        DomainError,
        r"parent .* is not a reseller",
        id="parent-not-a-reseller",
    ),
    pytest.param(
        lambda w: {"short_name": "initech"},
        Conflict,
        r"short name 'initech' already exists",
        id="short-name-taken",
    ),
    pytest.param(
        lambda w: {"actor": w.customer_contact.user},
        PermissionDenied,
        r"^only a Care manager may do this$",
        id="not-care",
    ),
]


@pytest.mark.parametrize(("overrides", "error", "message"), BAD_ORGANISATIONS)
def test_bad_organisations_are_refused_and_not_written(
    world: World,
    overrides: Callable[[World], dict[str, Any]],
    error: type[DomainError],
    message: str,
) -> None:
    count = Organisation.objects.count()
    fields: dict[str, Any] = {
        "actor": None,
        "name": "X",
        "short_name": "x",
        "kind": "customer",
        "policy": "purecloud-support",
        "plan": "standard",
        "country": "US",
        "timezone": "America/New_York",
        "now": START,
    }
    with pytest.raises(error, match=message) as err:
        services.create_organisation(**{**fields, **overrides(world)})
    assert type(err.value) is error
    assert Organisation.objects.count() == count
    assert not Organisation.objects.filter(name="X").exists()


def test_resellers_short_of_two_designated_contacts_are_listed(world: World) -> None:
    assert all(
        org != world.reseller
        for org, _, _ in services.short_of_designated_contacts(world.engineer.user)
    )
    second = world.reseller_contacts[1]
    second.training_completed_at = None
    second.save()
    short = {
        org.short_name: (n, m)
        for org, n, m in services.short_of_designated_contacts(world.engineer.user)
    }
    assert short["acme-reseller"] == (1, 2)


def test_only_resellers_owe_two_designated_contacts(world: World) -> None:
    # Seed 004 section 4.1: "The Reseller must employ and identify at least two Reseller
    # personnel" as designated contacts. The duty is the reseller's own: its end users
    # (who carry its policy) owe none, nor do PureCloud customers, whose pages set no number.
    engineer = world.engineer
    lone = organisation(START, "lone-reseller", name="Lone Reseller", kind="reseller")
    person(START, lone, "solo@lone.example", engineer=engineer)
    empty = organisation(START, "empty-reseller", name="Empty Reseller", kind="reseller")
    person(START, empty, "untrained@empty.example", designated=False)
    # An end user of the lone reseller with nobody trained, one with one designated contact.
    organisation(START, "lone-end-user", name="Lone End User", parent_id=lone.id)
    one = organisation(START, "one-end-user", name="One End User", parent_id=lone.id)
    person(START, one, "una@one.example", engineer=engineer)
    for policy in ("purecloud-support", "purecloud-customer-care"):
        organisation(START, f"{policy}-customer", policy=policy, plan="standard")
    short = {
        org.short_name: (count, minimum)
        for org, count, minimum in services.short_of_designated_contacts(engineer.user)
    }
    assert short == {"empty-reseller": (0, 2), "lone-reseller": (1, 2)}
    # The reseller's own designated contact sees its own shortfall, not its end users'.
    solo = Profile.objects.get(user__email="solo@lone.example")
    seen = [org.short_name for org, _, _ in services.short_of_designated_contacts(solo.user)]
    assert seen == ["lone-reseller"]


def test_training_sets_credentials_due_48_business_hours_later(world: World) -> None:
    person = services.create_person(
        actor=world.engineer.user,
        email="Lee@Globex.example",
        name="Lee Park",
        organisation=world.account,
        now=START,
    )
    assert person.user.email == "lee@globex.example"
    assert not person.is_designated
    services.complete_training(actor=world.engineer.user, person=person, now=START)
    # Globex works in London (Mon-Fri 08:00-17:00, GB holidays); START is Monday 15:00 GMT.
    # 48 BH: 2 h Monday, then Tue-Fri 36 h, Mon 30 9 h = 47, + 1 h Tuesday 1 Dec -> 09:00.
    assert person.credentials_due_at is not None
    assert person.credentials_due_at.isoformat() == "2026-12-01T09:00:00+00:00"
    assert person.is_designated
    with pytest.raises(Conflict, match=r"completed the training already"):
        services.complete_training(actor=world.engineer.user, person=person, now=START)


# People refused: what changes from a valid one, the error and its message.
BAD_PEOPLE = [
    pytest.param({"language": "fr"}, DomainError, r"unknown language 'fr'", id="language"),
    pytest.param({"timezone": "Tokyo"}, DomainError, r"unknown time zone 'Tokyo'", id="zone"),
    pytest.param(
        {"role": "engineer"},
        DomainError,
        r"role 'engineer' belongs to the vendor",
        id="vendor-role-elsewhere",
    ),
    pytest.param(
        {"email": "kenji@initech.example", "name": "K"},
        Conflict,
        r"already exists",
        id="email-taken",
    ),
]


@pytest.mark.parametrize(("overrides", "error", "message"), BAD_PEOPLE)
def test_people_are_validated_and_not_written(
    world: World, overrides: dict[str, Any], error: type[DomainError], message: str
) -> None:
    people = (User.objects.count(), Profile.objects.count())
    fields: dict[str, Any] = {
        "actor": None,
        "email": "a@b.example",
        "name": "A",
        "organisation": world.customer,
        "now": START,
    }
    with pytest.raises(error, match=message) as err:
        services.create_person(**{**fields, **overrides})
    assert type(err.value) is error
    assert (User.objects.count(), Profile.objects.count()) == people
    assert not User.objects.filter(email="a@b.example").exists()
