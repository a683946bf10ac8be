"""Use-cases for organisations, people, designated-contact onboarding, API tokens and
vendor holidays, one module per family; callers keep ``from caredesk.accounts import
services``.

Keyword-only functions; the only code that changes these tables. ``now`` is passed in.
"""

from __future__ import annotations

from caredesk.accounts.services.access import (
    caller,
    get_organisation,
    may_update_cases,
    profile_of,
    require_care,
    require_designated,
    visible_org_ids,
    visible_organisations,
)
from caredesk.accounts.services.lookups import (
    calendar_of,
    care_people,
    organisation_named,
    some_care_person,
    user_with_email,
)
from caredesk.accounts.services.organisations import (
    create_organisation,
    short_of_designated_contacts,
)
from caredesk.accounts.services.people import (
    complete_training,
    create_person,
    credentials_overdue,
    find_person,
    issue_credentials,
    update_profile,
)
from caredesk.accounts.services.tokens import (
    TOKEN_PREFIX,
    issue_token,
    user_for_token,
)
from caredesk.accounts.services.vendor import (
    declare_vendor_holiday,
    hours_calendar,
    remove_vendor_holiday,
    vendor_calendar,
    vendor_closures,
    vendor_holiday_on,
    vendor_holidays,
)

__all__ = [
    "TOKEN_PREFIX",
    "calendar_of",
    "caller",
    "care_people",
    "complete_training",
    "create_organisation",
    "create_person",
    "credentials_overdue",
    "declare_vendor_holiday",
    "find_person",
    "get_organisation",
    "hours_calendar",
    "issue_credentials",
    "issue_token",
    "may_update_cases",
    "organisation_named",
    "profile_of",
    "remove_vendor_holiday",
    "require_care",
    "require_designated",
    "short_of_designated_contacts",
    "some_care_person",
    "update_profile",
    "user_for_token",
    "user_with_email",
    "vendor_calendar",
    "vendor_closures",
    "vendor_holiday_on",
    "vendor_holidays",
    "visible_org_ids",
    "visible_organisations",
]
