"""Pages of case summaries: the page's ids come from the filtered queryset, the summaries
from two hand-written queries by id (cases with their organisation's name, then their
clocks), built as plain dicts without model instances: a page holds fifty cases and a
hundred and fifty clocks, and instances, prefetching and per-case querysets cost more than
the rest of the request."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from caredesk.accounts.models import Organisation
from caredesk.cases import sla
from caredesk.cases.models import Case, SlaClock
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
_CLOCK = Columns(
    SlaClock,
    "k",
    only=("case", "metric", "target", "due_at", "at_risk_at", "stopped_at", "paused_since"),
)
_ORG_NAME = _ORG.attnames.index("name")
_CASES_SQL = (
    f"SELECT {_CASE.sql}, {_ORG.sql} FROM {_CASE.table}"
    f" JOIN {_ORG.table} ON o.id = c.organisation_id WHERE c.id IN "
)
_CLOCKS_SQL = f"SELECT {_CLOCK.sql} FROM {_CLOCK.table} WHERE k.case_id IN "


class ClockRow(NamedTuple):  # the columns of ``_CLOCK`` after its id, in that order
    """The stored instants of one clock, enough for ``sla.display_state``."""

    case_id: int
    metric: str
    target: str
    due_at: datetime | None
    at_risk_at: datetime | None
    stopped_at: datetime | None
    paused_since: datetime | None


assert tuple(_CLOCK.attnames[1:]) == ClockRow._fields


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
    marks = f"({placeholders(ids)})"
    clocks: dict[int, list[ClockRow]] = {case_id: [] for case_id in ids}
    for values in _CLOCK.values(fetch(_CLOCKS_SQL + marks, ids)):
        clock = ClockRow._make(values[1:])  # after the id
        clocks[clock.case_id].append(clock)
    found: dict[int, dict[str, Any]] = {}
    rows = fetch(_CASES_SQL + marks, ids)
    names = _ORG.values(rows, _CASE.width)
    for values, org in zip(_CASE.values(rows), names, strict=True):
        case = dict(zip(_CASE.attnames, values, strict=True))
        mine = clocks[case["id"]]
        case["organisation"] = org[_ORG_NAME]
        case["sla_state"] = sla.case_state(mine, now)
        case["clocks"] = clocks_out(mine, now)
        found[case["id"]] = case
    return [found[case_id] for case_id in ids if case_id in found]
