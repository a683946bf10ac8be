"""Pages of case summaries: cases with their organisation's name and their three clocks,
one row per case (read with the page's ids when a list has no filter, by id otherwise),
built as plain dicts without model instances: a page holds fifty cases and a hundred and
fifty clocks, and instances, prefetching and per-case querysets cost more than the rest of
the request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from caredesk.accounts.models import Organisation
from caredesk.cases import sla
from caredesk.cases.models import Case, SlaClock
from caredesk.core.policy import Metric
from caredesk.infra.rows import Columns, among, fetch

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
METRIC_ORDER = {metric.value: i for i, metric in enumerate(Metric)}

_CASE = Columns(Case, "c", only=SUMMARY_FIELDS)
_ORG = Columns(Organisation, "o", only=("name",))
_ORG_NAME = _ORG.attnames.index("name")
# Each metric's clock, joined by the unique (case, metric) index; a case without one (a
# metric its type has no clock for) gets nulls.
_CLOCKS = [Columns(SlaClock, f"m{i}", only=sla.ClockRow._fields[2:]) for i in METRIC_ORDER.values()]
assert tuple(_CLOCKS[0].attnames[1:]) == sla.ClockRow._fields[2:]  # the id comes first
_CLOCK_JOINS = "".join(
    f" LEFT JOIN {k.table} ON {k.alias}.case_id = c.id AND {k.alias}.metric = '{metric}'"
    for metric, k in zip(METRIC_ORDER, _CLOCKS, strict=True)
)
# A summary's row: the case (``c``), its organisation's name and its clocks, for
# ``summaries_of``; an unfiltered page selects it with its ids (``queries.Joined``).
SUMMARY_ROW = (
    ", ".join([_CASE.sql, _ORG.sql, *(k.sql for k in _CLOCKS)]),
    f" JOIN {_ORG.table} ON o.id = c.organisation_id{_CLOCK_JOINS}",
)
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
    names = _ORG.values(rows, _CASE.width)
    start = _CASE.width + _ORG.width
    clocks: list[list[dict[str, Any]]] = [[] for _ in cases]  # per case, in metric order
    for metric, k in zip(METRIC_ORDER, _CLOCKS, strict=True):
        for found, (clock_id, target, due, at_risk, stopped, paused) in zip(
            clocks, k.values(rows, start), strict=True
        ):
            if clock_id is not None:
                found.append(
                    {
                        "metric": metric,
                        "target": target or None,
                        "due": due,
                        "state": sla.state_of(target, due, at_risk, stopped, paused, now),
                    }
                )
        start += k.width
    for case, org, found in zip(cases, names, clocks, strict=True):
        case["organisation"] = org[_ORG_NAME]
        case["sla_state"] = sla.worst_state(clock["state"] for clock in found)
        case["clocks"] = found
    return cases
