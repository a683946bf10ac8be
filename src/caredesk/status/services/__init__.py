"""Use-cases of the status app, one module per family; callers keep ``from caredesk.status
import services``.

Keyword-only functions; the only code that changes these tables. ``now`` is passed in.
"""

from __future__ import annotations

from caredesk.status.services.advisories import (
    active_advisories,
    new_case_advisories,
    publish_advisory,
    withdraw_advisory,
)
from caredesk.status.services.announcements import (
    announce_maintenance,
    announced_maintenance,
    earliest_unplanned_start,
)
from caredesk.status.services.calendar import organisation_window_at, organisation_windows
from caredesk.status.services.feeds import (
    FEED_LANGUAGES,
    feed_key,
    organisation_feed,
    service_feed,
)
from caredesk.status.services.incidents import (
    declare_incident,
    deliver_incident_report,
    get_incident,
    link_case,
    linked_cases,
    post_update,
    record_post_mortem,
    visible_incidents,
)
from caredesk.status.services.reschedules import (
    decide_reschedule,
    request_reschedule,
    reschedules_of,
)
from caredesk.status.services.subscriptions import (
    service_info,
    services_of,
    set_subscribed_services,
    subscribed_services,
)

__all__ = [
    "FEED_LANGUAGES",
    "active_advisories",
    "announce_maintenance",
    "announced_maintenance",
    "decide_reschedule",
    "declare_incident",
    "deliver_incident_report",
    "earliest_unplanned_start",
    "feed_key",
    "get_incident",
    "link_case",
    "linked_cases",
    "new_case_advisories",
    "organisation_feed",
    "organisation_window_at",
    "organisation_windows",
    "post_update",
    "publish_advisory",
    "record_post_mortem",
    "request_reschedule",
    "reschedules_of",
    "service_feed",
    "service_info",
    "services_of",
    "set_subscribed_services",
    "subscribed_services",
    "visible_incidents",
    "withdraw_advisory",
]
