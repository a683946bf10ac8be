"""Pages of case summaries: cases with their organisation's name (read with the page's
ids when a list has no filter, by id otherwise), then their clocks in one query
(``sla.clock_rows_of``), built as plain dicts without model instances: a page holds fifty
cases and a hundred and fifty clocks, and instances, prefetching and per-case querysets
cost more than the rest of the request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from caredesk.accounts.models import Organisation
from caredesk.cases import sla
from caredesk.cases.models import Case
from caredesk.site.rows import Columns, among, fetch

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
# A summary's row: the case (``c``) with its organisation's name, for ``summaries_of``;
# an unfiltered page selects it with its ids (``queries.Joined``).
SUMMARY_ROW = (f"{_CASE.sql}, {_ORG.sql}", f" JOIN {_ORG.table} ON o.id = c.organisation_id")
_CASES_SQL = f"SELECT {SUMMARY_ROW[0]} FROM {_CASE.table}{SUMMARY_ROW[1]} WHERE "


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
    condition, params = among("c.id", ids)
    found = {s["id"]: s for s in summaries_of(fetch(_CASES_SQL + condition, params), now)}
    return [found[case_id] for case_id in ids if case_id in found]


def summaries_of(rows: Sequence[Sequence[Any]], now: datetime) -> list[dict[str, Any]]:
    """The summaries of ``rows`` (``SUMMARY_ROW``), in their order."""
    if not rows:
        return []
    cases = [dict(zip(_CASE.attnames, values, strict=True)) for values in _CASE.values(rows)]
    clocks = sla.clock_rows_of([case["id"] for case in cases])
    names = _ORG.values(rows, _CASE.width)
    for case, org in zip(cases, names, strict=True):
        case["organisation"] = org[_ORG_NAME]
        shown = clocks_out(clocks[case["id"]], now)
        case["sla_state"] = sla.worst_state(clock["state"] for clock in shown)
        case["clocks"] = shown
    return cases
