"""Case use-cases, one module per family of actions: keyword-only functions, ``now`` passed
in, and the only code that changes cases. Each runs in one transaction: the change, its
history event(s) and the replayed SLA clocks together.

Callers import this package (``from caredesk.cases import services``); the modules are:
``reading`` (scope), ``history`` (events, stored clocks), ``opening``, ``conversation``,
``status``, ``incidents`` (RCA, post-mortem, Incident Report, follow-up meeting),
``severity``, ``links`` (links, assignment), ``system`` (the automation's actions) and
``rules`` (re-applying an organisation's rules to its open cases).
"""

from caredesk.cases.services.conversation import add_comment, log_call
from caredesk.cases.services.history import append_event, append_events
from caredesk.cases.services.incidents import (
    deliver_incident_report,
    link_to_platform_incident,
    record_follow_up_meeting,
    record_post_mortem,
    request_incident_report,
)
from caredesk.cases.services.links import assign, link_cases
from caredesk.cases.services.opening import (
    DUPLICATE_WINDOW,
    Duplicate,
    LikelyDuplicates,
    Opened,
    open_case,
    unstaffed_portal,
)
from caredesk.cases.services.oversight import Oversight, oversight
from caredesk.cases.services.reading import (
    MINE,
    OPEN_STATUSES,
    SlaAnswer,
    get_case,
    get_case_by_number,
    get_case_with_clocks,
    list_cases,
    new_critical_cases,
    sla_answer,
    visible_cases,
    visible_events,
)
from caredesk.cases.services.rules import (
    ORG_RULES,
    Move,
    RulesChange,
    apply_rules,
    hours_shown,
    own_hours_text,
    preview_rules,
)
from caredesk.cases.services.severity import (
    change_severity,
    decide_severity_request,
    pending_severity_requests,
    phone_raise,
    request_severity_change,
)
from caredesk.cases.services.status import (
    accept_resolution,
    change_status,
    moves_for,
    needs_initial_rca,
)
from caredesk.cases.services.system import note, system_close
from caredesk.cases.store import case_number

__all__ = [
    "DUPLICATE_WINDOW",
    "MINE",
    "OPEN_STATUSES",
    "ORG_RULES",
    "Duplicate",
    "LikelyDuplicates",
    "Move",
    "Opened",
    "Oversight",
    "RulesChange",
    "SlaAnswer",
    "accept_resolution",
    "add_comment",
    "append_event",
    "append_events",
    "apply_rules",
    "assign",
    "case_number",
    "change_severity",
    "change_status",
    "decide_severity_request",
    "deliver_incident_report",
    "get_case",
    "get_case_by_number",
    "get_case_with_clocks",
    "hours_shown",
    "link_cases",
    "link_to_platform_incident",
    "list_cases",
    "log_call",
    "moves_for",
    "needs_initial_rca",
    "new_critical_cases",
    "note",
    "open_case",
    "oversight",
    "own_hours_text",
    "pending_severity_requests",
    "phone_raise",
    "preview_rules",
    "record_follow_up_meeting",
    "record_post_mortem",
    "request_incident_report",
    "request_severity_change",
    "sla_answer",
    "system_close",
    "unstaffed_portal",
    "visible_cases",
    "visible_events",
]
