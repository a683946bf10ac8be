"""Who sees what and who may do what: the caller, visible organisations, the
roles that may update cases or act for Care.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from caredesk.accounts import store
from caredesk.accounts.models import (
    CARE_ROLES,
    MANAGER_ROLES,
    Organisation,
    OrgKind,
    Profile,
)
from caredesk.infra.errors import NotFound, PermissionDenied


def caller(request: HttpRequest) -> User:
    """The authenticated person behind a request (the API and pages authenticate first)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied(_("sign in first"))
    return user


def profile_of(user: User) -> Profile:
    try:
        return user.profile
    except Profile.DoesNotExist:
        raise PermissionDenied(_("this account has no CareDesk profile")) from None


def visible_org_ids(user: User) -> set[int] | None:
    """``None`` for Care (everything); else the caller's organisation and, for a reseller,
    its end-user accounts. The one place tenant scope is decided."""
    profile = profile_of(user)
    if profile.is_care:
        return None
    org = profile.organisation
    ids = {org.id}
    if org.kind == OrgKind.RESELLER:
        ids.update(store.account_ids(org.id))
    return ids


def visible_organisations(user: User) -> QuerySet[Organisation]:
    ids = visible_org_ids(user)
    qs = Organisation.objects.all()
    return qs if ids is None else qs.filter(id__in=ids)


def get_organisation(user: User, org_id: int) -> Organisation:
    try:
        return visible_organisations(user).get(id=org_id)
    except Organisation.DoesNotExist:
        raise NotFound(_("organisation %(id)s not found") % {"id": org_id}) from None


def may_update_cases(profile: Profile) -> bool:
    """Whether ``profile`` may open and update its organisation's cases and manage its
    webhooks: Care, or a designated contact (SPEC 3; seed 004 section 4.1: designated
    contacts "open and update cases"). Reading stays open to every person of the
    organisation. The one place this rule is decided."""
    return profile.is_care or profile.is_designated


def require_designated(profile: Profile, *, to: str) -> None:
    """Refuse ``profile`` what only designated contacts (and Care) may do (``to``: e.g.
    "update cases", marked with ``gettext_noop`` and said in the reader's language)."""
    if not may_update_cases(profile):
        raise PermissionDenied(
            _(
                "%(email)s is not a designated contact; only designated contacts "
                "(who completed the roles-and-responsibilities training) may %(to)s"
            )
            % {"email": profile.user.email, "to": _(to)}
        )


def require_care(user: User, *, manager: bool = False) -> Profile:
    profile = profile_of(user)
    allowed = MANAGER_ROLES if manager else CARE_ROLES
    if profile.role not in allowed:
        raise PermissionDenied(
            _("only a Care manager may do this") if manager else _("only Care may do this")
        )
    return profile
