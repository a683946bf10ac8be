"""Use-cases of the status app, one module per family; callers keep ``from caredesk.status
import services``.

Keyword-only functions; the only code that changes these tables. ``now`` is passed in.
"""

from __future__ import annotations

from caredesk.status.services.feeds import (
    FEED_LANGUAGES,
    feed_key,
    organisation_feed,
    service_feed,
)
from caredesk.status.services.subscriptions import (
    service_info,
    services_of,
    set_subscribed_services,
    subscribed_services,
    zone_of_organisation,
)

__all__ = [
    "FEED_LANGUAGES",
    "feed_key",
    "organisation_feed",
    "service_feed",
    "service_info",
    "services_of",
    "set_subscribed_services",
    "subscribed_services",
    "zone_of_organisation",
]
