"""Pages of case summaries: cases with their organisation's name and their three clocks,
built as plain dicts without model instances (a page holds fifty cases and a hundred and
fifty clocks, and instances, prefetching and per-case querysets cost more than the rest of
the request).

``case_page`` is the one query function of the lists and the queue: without a filter (the
lists asked for most) it reads through ``store``'s hand-written statements, which bring
the summary rows with the page's ids; with any filter through the queryset, the tested
reference, and then the summaries by id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from caredesk.cases import queries, sla, store
from caredesk.cases.keyset import NEWEST, QUEUE
from caredesk.cases.models import Case
from caredesk.core.display import display_state, worst_state

SUMMARY_FIELDS = store.SUMMARY_FIELDS


def clocks_out(rows: Iterable[sla.StoredInstants], now: datetime) -> list[dict[str, Any]]:
    """A case's stored clocks as shown: response, restoration, resolution."""
    return [
        {
            "metric": c.metric,
            "target": c.target or None,
            "due": c.due_at,
            "state": sla.display_state(c, now),
        }
        for c in sorted(rows, key=lambda c: store.METRIC_ORDER[c.metric])
    ]


def summary(case: Case, clocks: Iterable[sla.StoredInstants], now: datetime) -> dict[str, Any]:
    """One case as a list shows it, from the case and its stored clocks."""
    shown = clocks_out(clocks, now)
    return {
        **{name: getattr(case, name) for name in SUMMARY_FIELDS},
        "organisation": case.organisation.name,
        "assignee": (
            store.people_names({case.assignee_id}).get(case.assignee_id)
            if case.assignee_id
            else None
        ),
        "sla_state": worst_state(clock["state"] for clock in shown),
        "clocks": shown,
    }


def summaries(ids: list[int], now: datetime) -> list[dict[str, Any]]:
    """The summaries of the cases ``ids``, in that order."""
    found = {s["id"]: s for s in summaries_of(store.summary_rows_by_id(ids), now)}
    return [found[case_id] for case_id in ids if case_id in found]


def summaries_of(rows: list[store.SummaryRow], now: datetime) -> list[dict[str, Any]]:
    """The summaries of decoded summary rows, in their order."""
    for case, org_name, clock_rows in rows:
        clocks = [
            {
                "metric": metric,
                "target": target or None,
                "due": due,
                "state": display_state(target, due, at_risk, stopped, paused, now),
            }
            for metric, (_, target, due, at_risk, stopped, paused) in clock_rows
        ]
        case["organisation"] = org_name
        case["sla_state"] = worst_state([clock["state"] for clock in clocks])
        case["clocks"] = clocks
    return [case for case, _, _ in rows]


@dataclass(frozen=True)
class CasePage:
    items: list[dict[str, Any]]
    count: int | None  # None: not counted (a page after a cursor)
    next: str | None  # the cursor of the following page; None on the last
    more: bool = False  # more cases than ``count`` (counted up to a limit)


def case_page(
    *,
    org_ids: set[int] | None,
    filters: dict[str, Any],
    queue: bool,
    limit: int,
    offset: int,
    after: str | None,
    now: datetime,
    count_up_to: int | None = None,
) -> CasePage:
    """A page of the cases of the organisations ``org_ids`` (``None``: all), newest
    first or, for the queue, open cases in the queue's order, narrowed by ``filters``
    (``queries.filter_cases``' arguments; ``None`` or false: not applied)."""
    applied = {k: v for k, v in filters.items() if v is not None and v is not False}
    if queue:
        applied.pop("open_only", None)  # the queue holds open cases anyway
    cases: queries.Unfiltered | queries.Filtered
    if not applied:
        cases = queries.Unfiltered(org_ids, queue=queue)
    else:
        if queue:
            applied["open_only"] = True
        filtered = queries.filter_cases(queries.in_scope(org_ids), now=now, **applied)
        cases = queries.Filtered(filtered, QUEUE if queue else NEWEST)
    page = queries.page(cases, limit=limit, offset=offset, after=after, count_up_to=count_up_to)
    if page.rows is not None:
        items = summaries_of(store.decode_summary_rows(page.rows), now)
    else:
        items = summaries(page.ids, now)
    names = store.people_names({i["assignee_id"] for i in items if i["assignee_id"]})
    for item in items:
        item["assignee"] = names.get(item["assignee_id"])
    return CasePage(items, page.count, page.next, page.more)
