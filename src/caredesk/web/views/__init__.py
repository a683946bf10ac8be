"""The pages, one module per place people work; handlers stay thin and call services."""

from __future__ import annotations

from caredesk.web.views.case import case_detail, case_version
from caredesk.web.views.common import health
from caredesk.web.views.dashboard import dashboard, retry_delivery
from caredesk.web.views.opening import CaseForm, case_opened, new_case
from caredesk.web.views.queue import home, queue_fragment
from caredesk.web.views.rules import RulesForm, organisation_rules
from caredesk.web.views.targets import plan_targets

__all__ = [
    "CaseForm",
    "RulesForm",
    "case_detail",
    "case_opened",
    "case_version",
    "dashboard",
    "health",
    "home",
    "new_case",
    "organisation_rules",
    "plan_targets",
    "queue_fragment",
    "retry_delivery",
]
