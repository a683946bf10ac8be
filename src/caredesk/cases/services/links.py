"""Links between cases and assignment."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from caredesk.accounts.models import CARE_ROLES, Profile
from caredesk.accounts.services import require_care
from caredesk.cases.models import Case, CaseLink, EventKind
from caredesk.cases.services.history import append_event
from caredesk.cases.services.reading import get_case, get_case_by_number
from caredesk.cases.words import LINK_WORDS
from caredesk.infra.errors import Conflict, DomainError, named


@transaction.atomic
def link_cases(
    *, actor: User, case_id: int, other_number: str, kind: str, now: datetime
) -> CaseLink:
    case = get_case(actor, case_id, for_update=True)
    other = get_case_by_number(actor, other_number)
    if other.id == case.id:
        raise DomainError(_("a case cannot be linked to itself"))
    if kind not in CaseLink.Kind.values:
        kinds = ", ".join(named(k, LINK_WORDS.get(k), quoted=False) for k in CaseLink.Kind.values)
        raise DomainError(
            _("unknown link kind %(kind)s; expected one of: %(kinds)s")
            % {"kind": named(kind), "kinds": kinds}
        )
    if CaseLink.objects.filter(from_case=case, to_case=other, kind=kind).exists():
        raise Conflict(
            _("%(number)s is already linked to %(other)s as %(kind)s")
            % {
                "number": case.number,
                "other": other.number,
                "kind": named(kind, LINK_WORDS.get(kind), quoted=False),
            }
        )
    return record_link(case, other, kind=kind, actor=actor, now=now)


def record_link(case: Case, other: Case, *, kind: str, actor: User, now: datetime) -> CaseLink:
    """Link ``case`` to ``other``; each history tells of the other case."""
    link = CaseLink.objects.create(from_case=case, to_case=other, kind=kind, created_at=now)
    append_event(
        case, kind=EventKind.LINKED, at=now, actor=actor, data={"to": other.number, "kind": kind}
    )
    append_event(
        other, kind=EventKind.LINKED, at=now, actor=actor, data={"from": case.number, "kind": kind}
    )
    return link


@transaction.atomic
def assign(*, actor: User, case_id: int, assignee_id: int | None, now: datetime) -> Case:
    require_care(actor)
    case = get_case(actor, case_id, for_update=True)
    assignee = None
    if assignee_id is not None:
        found = (
            Profile.objects.select_related("user")
            .filter(user_id=assignee_id, role__in=CARE_ROLES)
            .first()
        )
        if found is None:
            raise DomainError(_("user %(id)s is not a Care engineer") % {"id": assignee_id})
        assignee = found.user
    case.assignee = assignee
    Case.objects.filter(id=case.id).update(assignee=assignee)
    append_event(
        case,
        kind=EventKind.ASSIGNED,
        at=now,
        actor=actor,
        data={"assignee": assignee.get_username() if assignee else None},
    )
    return case
