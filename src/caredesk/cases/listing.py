"""Pages of case summaries. The page's ids come from the filtered queryset (without a
filter: ``queries.page``); the summaries from two hand-written queries by id (cases with
their organisation's name, then their clocks through ``sla.clock_rows_of``), built as
plain dicts without model instances: a page holds fifty cases and a hundred and fifty
clocks, and instances, prefetching and per-case querysets cost more than the rest of the
request."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from caredesk.accounts.models import Organisation
from caredesk.cases import sla
from caredesk.cases.models import Case
from caredesk.site.rows import Columns, fetch, placeholders

# What a summary shows of the case row itself (``CaseSummaryOut`` adds the organisation's
# name, the SLA state and the clocks).
SUMMARY_FIELDS = (
    "id",
    "number",
    "organisation_id",
    "case_type",
    "severity",
    "priority",
    "channel",
    "product",
    "subject",
    "status",
    "policy",
    "policy_version",
    "plan",
    "timezone",
    "opened_at",
    "updated_at",
    "closed_at",
    "next_due",
)
METRIC_ORDER = {"response": 0, "restoration": 1, "resolution": 2}

_CASE = Columns(Case, "c", only=SUMMARY_FIELDS)
_ORG = Columns(Organisation, "o", only=("name",))
_ORG_NAME = _ORG.attnames.index("name")
_CASES_SQL = (
    f"SELECT {_CASE.sql}, {_ORG.sql} FROM {_CASE.table}"
    f" JOIN {_ORG.table} ON o.id = c.organisation_id WHERE c.id IN "
)


def clocks_out(rows: list[Any], now: datetime) -> list[dict[str, Any]]:
    """A case's clocks as shown: response, restoration, resolution."""
    return [
        {
            "metric": c.metric,
            "target": c.target or None,
            "due": c.due_at,
            "state": sla.display_state(c, now),
        }
        for c in sorted(rows, key=lambda c: METRIC_ORDER[c.metric])
    ]


def summaries(ids: list[int], now: datetime) -> list[dict[str, Any]]:
    """The summaries of the cases ``ids``, in that order."""
    if not ids:
        return []
    clocks = sla.clock_rows_of(ids)
    found: dict[int, dict[str, Any]] = {}
    rows = fetch(f"{_CASES_SQL}({placeholders(ids)})", ids)
    names = _ORG.values(rows, _CASE.width)
    for values, org in zip(_CASE.values(rows), names, strict=True):
        case = dict(zip(_CASE.attnames, values, strict=True))
        mine = clocks[case["id"]]
        case["organisation"] = org[_ORG_NAME]
        shown = clocks_out(mine, now)
        case["sla_state"] = sla.worst_state(clock["state"] for clock in shown)
        case["clocks"] = shown
        found[case["id"]] = case
    return [found[case_id] for case_id in ids if case_id in found]
