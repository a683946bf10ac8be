"""API tokens: issued once, stored as digests, looked up per request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.contrib.auth.models import User

from caredesk.accounts import store
from caredesk.accounts.models import (
    ApiToken,
)

TOKEN_PREFIX = "cd_"


# -- tokens ---------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(*, user: User, name: str = "default", now: datetime) -> str:
    """A new API token; the secret is returned once and only its digest is stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=_digest(secret), created_at=now
    )
    return secret


def user_for_token(secret: str, *, now: datetime) -> User | None:
    """The active user behind a live token, with profile and organisation loaded.

    Every API request starts here, so the query is written once (``store.live_token``)
    rather than compiled from a queryset each time.
    """
    if not secret.startswith(TOKEN_PREFIX):
        return None
    found = store.live_token(_digest(secret))
    if found is None:
        return None
    token, user = found
    # Record use at most once a minute: a write on every request would serialise reads.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
    return user
