"""The accounts app's hand-written SQL: the reads behind every API request.

Invariant: every statement here is a read that gives exactly what its ORM equivalent would
(``infra.rows`` builds instances with the ORM's own converters, so instants are aware UTC
and callers cannot tell the difference), and it is written once instead of compiled from a
queryset on each call. It filters as the ORM reference does: a token resolves only while
it is live and its user active; a reseller's accounts are those whose parent it is. No
statement here writes, and none depends on the database vendor (``infra.rows.fetch`` keeps
that to itself).
"""

from __future__ import annotations

from django.contrib.auth.models import User

from caredesk.accounts.models import ApiToken, Organisation, Profile
from caredesk.infra.rows import Columns, fetch

# A reseller's contacts ask this on every request: written once (``infra.rows``).
_ACCOUNTS_SQL = f'SELECT o.id FROM "{Organisation._meta.db_table}" o WHERE o.parent_id = %s'


def account_ids(reseller_id: int) -> list[int]:
    """The organisations whose parent is ``reseller_id`` (its end-user accounts)."""
    return [org_id for (org_id,) in fetch(_ACCOUNTS_SQL, [reseller_id])]


_TOKEN = Columns(ApiToken, "t")
_USER = Columns(User, "u")
_PROFILE = Columns(Profile, "p")
_ORG = Columns(Organisation, "o")
_TOKEN_SQL = (
    f"SELECT {_TOKEN.sql}, {_USER.sql}, {_PROFILE.sql}, {_ORG.sql}"
    f" FROM {_TOKEN.table} JOIN {_USER.table} ON u.id = t.user_id"
    f" LEFT JOIN {_PROFILE.table} ON p.user_id = u.id"
    f" LEFT JOIN {_ORG.table} ON o.id = p.organisation_id"
    " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
)
_PROFILE_USER = Profile._meta.get_field("user")
_PROFILE_ORG = Profile._meta.get_field("organisation")


def live_token(digest: str) -> tuple[ApiToken, User] | None:
    """The live token with this digest and its active user, the user's profile and
    organisation loaded with it (in one query); ``None`` if there is none."""
    rows = fetch(_TOKEN_SQL, [digest])
    if not rows:
        return None
    row = rows[0]
    token = _TOKEN.build(row)
    user = _USER.build(row, _TOKEN.width)
    assert token is not None
    assert user is not None
    start = _TOKEN.width + _USER.width
    profile = _PROFILE.build(row, start)
    _PROFILE_USER.remote_field.set_cached_value(user, profile)
    if profile is not None:
        _PROFILE_USER.set_cached_value(profile, user)
        _PROFILE_ORG.set_cached_value(profile, _ORG.build(row, start + _PROFILE.width))
    return token, user
