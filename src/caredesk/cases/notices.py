"""What a case tells the people on it besides its history (SPEC 3): when Care will respond
to a case opened outside the customer's business hours, and who is reachable at all times
for a Severity 1 case. The API's case answer, the case page and the e-mails say both
through these functions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.cases import sla
from caredesk.cases.models import Case
from caredesk.core.durations import parse_duration
from caredesk.core.policy import Metric
from caredesk.infra.speech import instant_text


def response_expected_by(
    case: Case, clocks: Iterable[sla.StoredInstants], now: datetime
) -> datetime | None:
    """When Care will respond to a case opened outside the customer's business hours,
    while that response is awaited and still ahead at ``now``; ``None`` for a case opened
    inside them, or whose response target runs 24x7 (clock time: Severity 1), which
    nobody waits for the morning to meet."""
    response = next((c for c in clocks if c.metric == Metric.RESPONSE), None)
    if response is None or response.due_at is None or response.stopped_at is not None:
        return None
    if response.due_at <= now:
        return None  # no longer a promise: the clock says breached
    target = parse_duration(response.target) if response.target else None
    if target is None or not target.unit.is_business:
        return None
    if sla.calendar_for(case).is_open(case.opened_at):
        return None
    return response.due_at


def response_expected_text(case: Case, due: datetime, language: str) -> str:
    """The notice in ``language``, the instant in the customer's own zone, named."""
    with translation.override(language):
        return _("Opened outside business hours: Care will respond by %(when)s.") % {
            "when": instant_text(due, case.timezone)
        }


def critical_contact(case: Case) -> dict[str, str] | None:
    """Who is reachable at all times for a Severity 1 case, and how (recorded when it was
    opened or raised to Severity 1); ``None`` for another severity or none recorded."""
    if case.severity != 1 or not (case.critical_contact_name or case.critical_contact_phone):
        return None
    return {"name": case.critical_contact_name, "phone": case.critical_contact_phone}
