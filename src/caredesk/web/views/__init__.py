"""The pages, one module per place people work; handlers stay thin and call services."""

from __future__ import annotations

from caredesk.web.views.case import case_detail
from caredesk.web.views.common import health
from caredesk.web.views.dashboard import dashboard, retry_delivery
from caredesk.web.views.opening import CaseForm, new_case
from caredesk.web.views.queue import home, queue_fragment
from caredesk.web.views.rules import RulesForm, organisation_rules

__all__ = [
    "CaseForm",
    "RulesForm",
    "case_detail",
    "dashboard",
    "health",
    "home",
    "new_case",
    "organisation_rules",
    "queue_fragment",
    "retry_delivery",
]
