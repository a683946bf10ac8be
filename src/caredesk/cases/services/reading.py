"""Reading cases in the caller's scope: everything outside it is "not found"."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from caredesk.accounts.models import Organisation
from caredesk.accounts.services import visible_org_ids
from caredesk.cases.models import Case, SlaClock
from caredesk.core.lifecycle import CaseStatus
from caredesk.infra.errors import NotFound
from caredesk.infra.rows import Columns, fetch, placeholders

OPEN_STATUSES = [s.value for s in CaseStatus if s is not CaseStatus.CLOSED]


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the caller may see; everything else is "not found"."""
    ids = visible_org_ids(user)
    qs = Case.objects.select_related("organisation")
    return qs if ids is None else qs.filter(organisation_id__in=ids)


def get_case(
    user: User, case_id: int, *, for_update: bool = False, with_clocks: bool = False
) -> Case:
    if not for_update:
        return _read_case(user, case_id, with_clocks=with_clocks)
    qs = visible_cases(user).select_for_update(of=("self",))
    if with_clocks:
        qs = qs.prefetch_related("clocks")
    try:
        return qs.get(id=case_id)
    except Case.DoesNotExist:
        raise NotFound(f"case {case_id} not found") from None


_CASE = Columns(Case, "c")
_CASE_ORG = Columns(Organisation, "o")
_CLOCK = Columns(SlaClock, "k")
_READ_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}, {_CLOCK.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id"
    f" LEFT JOIN {_CLOCK.table} ON k.case_id = c.id WHERE c.id = %s"
)
_READ_WITHOUT_CLOCKS_SQL = (
    f"SELECT {_CASE.sql}, {_CASE_ORG.sql}"
    f" FROM {_CASE.table} JOIN {_CASE_ORG.table} ON o.id = c.organisation_id WHERE c.id = %s"
)
_CASE_ORG_FIELD = Case._meta.get_field("organisation")


def _read_case(user: User, case_id: int, *, with_clocks: bool) -> Case:
    """A case in scope with its organisation (and its clocks), in one hand-written query
    (the API's most frequent read; see ``infra.rows``)."""
    ids = visible_org_ids(user)
    sql, params = (_READ_SQL if with_clocks else _READ_WITHOUT_CLOCKS_SQL), [case_id]
    if ids is not None:
        sql += f" AND c.organisation_id IN ({placeholders(list(ids))})"
        params.extend(ids)
    rows = fetch(sql, params)
    if not rows:
        raise NotFound(f"case {case_id} not found")
    case = _CASE.build(rows[0])
    assert case is not None
    _CASE_ORG_FIELD.set_cached_value(case, _CASE_ORG.build(rows[0], _CASE.width))
    if with_clocks:
        start = _CASE.width + _CASE_ORG.width
        case.stored_clocks = [c for row in rows if (c := _CLOCK.build(row, start)) is not None]
    return case


def get_case_by_number(user: User, number: str) -> Case:
    try:
        return visible_cases(user).get(number=number.strip().upper())
    except Case.DoesNotExist:
        raise NotFound(f"case {number!r} not found") from None
