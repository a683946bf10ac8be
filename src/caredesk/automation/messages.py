"""Notification texts, rendered in the recipient's language (Django's catalogues, English and
Japanese) with every time in the recipient's zone and the zone named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from caredesk.accounts.models import Profile
from caredesk.cases import history_text, notices, sla, words
from caredesk.cases.models import Case, CaseEvent, EventKind
from caredesk.core.clocks import MetricClock
from caredesk.core.policy import Metric
from caredesk.infra.speech import instant_text as when

# Ids that reach people through ``_(...)`` at run time: statuses, metrics, SLA states,
# escalation rungs, case types (in SLA explanations). Listed here so that makemessages
# keeps them in the catalogue.
VOCABULARY = (
    gettext_noop("new"),
    gettext_noop("open"),
    gettext_noop("waiting-on-customer"),
    gettext_noop("restored"),
    gettext_noop("resolution-proposed"),
    gettext_noop("closed"),
    gettext_noop("response"),
    gettext_noop("restoration"),
    gettext_noop("resolution"),
    gettext_noop("on-track"),
    gettext_noop("at-risk"),
    gettext_noop("breached"),
    gettext_noop("paused"),
    gettext_noop("met"),
    gettext_noop("n/a"),
    gettext_noop("case"),
    gettext_noop("tam"),
    gettext_noop("management-attention"),
    gettext_noop("incident"),
    gettext_noop("admin"),
    gettext_noop("service-request"),
    gettext_noop("feature-request"),
    gettext_noop("rca"),
    gettext_noop("documentation"),
)


Render = Callable[[Case, CaseEvent, str], tuple[str, str]]


def _subject(case: Case, title: str) -> str:
    return f"[{case.number}] {title}: {case.subject}"


def is_critical_alert(event: CaseEvent) -> bool:
    """A case opened at Severity 1, or raised to it: Care is alerted at once."""
    if event.kind == EventKind.OPENED:
        return bool(event.data.get("severity") == 1)
    return event.kind == EventKind.SEVERITY_CHANGED and bool(event.data.get("to") == 1)


def alerts_care(case: Case, event: CaseEvent) -> bool:
    """Care is alerted at once of a case a customer opened themselves (one Care opened for
    a customer it knows of), and of every Severity 1 case, new or raised."""
    opened_by_customer = event.kind == EventKind.OPENED and event.actor_id == case.opened_by_id
    return opened_by_customer or is_critical_alert(event)


DUE_LINES = {
    Metric.RESPONSE: gettext_noop("Response due: %(when)s"),
    Metric.RESTORATION: gettext_noop("Restoration due: %(when)s"),
    Metric.RESOLUTION: gettext_noop("Resolution due: %(when)s"),
}


def _clocks(case: Case, event: CaseEvent) -> dict[Metric, MetricClock]:
    # Told before the clocks are stored (in the transaction that appended the event):
    # replay the history so far.
    return sla.replay(case, list(case.events.order_by("seq")), event.at, explain=False)


def _due_lines(clocks: dict[Metric, MetricClock], zone: str) -> list[str]:
    """Each running clock's due time, in the recipient's zone."""
    return [
        _(DUE_LINES[metric]) % {"when": when(clock.due, zone)}
        for metric, clock in clocks.items()
        if clock.due is not None and clock.stop is None
    ]


def _opened(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    """The opener's confirmation: the number, when Care responds (said as the customer's
    notice when the case came outside their business hours) and every due time."""
    clocks = _clocks(case, event)
    lines = [
        _("Your case %(number)s was opened with severity %(severity)s.")
        % {"number": case.number, "severity": case.severity}
    ]
    rows = [sla.clock_row(case.id, clock) for clock in clocks.values()]
    expected = notices.response_expected_by(case, rows, event.at)
    due = clocks[Metric.RESPONSE].due
    if expected is not None:
        language = translation.get_language() or "en"
        lines.append(notices.response_expected_text(case, expected, language))
    elif due is not None:
        lines.append(_("Care will respond by %(when)s.") % {"when": when(due, zone)})
    lines.extend(_due_lines(clocks, zone))
    return _subject(case, _("Case opened")), "\n".join(lines)


def _care_alert(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    """Care's alert of a new case a customer opened, or of a Severity 1 case new or raised:
    for Severity 1 who is reachable at all times; the due times; the description."""
    values = {
        "number": case.number,
        "organisation": case.organisation.name,
        "severity": case.severity,
    }
    if event.kind != EventKind.OPENED:
        title = _("Raised to Severity 1")
        lines = [_("Case %(number)s of %(organisation)s was raised to Severity 1.") % values]
    elif case.severity == 1:
        title = _("Severity 1 case opened")
        lines = [_("Severity 1 case %(number)s of %(organisation)s was opened.") % values]
    else:
        title = _("New case")
        lines = [_("%(organisation)s opened case %(number)s with severity %(severity)s.") % values]
    if case.severity == 1:
        contact = notices.critical_contact(case)
        if contact is not None:
            lines.append(history_text.contact_sentence(contact["name"], contact["phone"]))
        else:
            lines.append(_("No contact reachable at all times is recorded on the case."))
    lines.extend(_due_lines(_clocks(case, event), zone))
    lines.append("\n" + _("Description: %(text)s") % {"text": case.description})
    return _subject(case, title), "\n".join(lines)


def _comment(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("New reply on case %(number)s:") % {"number": case.number}
    return _subject(case, _("New reply")), f"{body}\n\n{event.data.get('body', '')}"


def _call(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("Care logged a phone call about case %(number)s:") % {"number": case.number}
    return _subject(case, _("Phone call")), f"{body}\n\n{event.data.get('body', '')}"


def _status(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("Case %(number)s is now %(status)s.") % {
        "number": case.number,
        "status": _(str(event.data.get("to"))),
    }
    if event.reason:
        body += "\n" + _("Reason: %(reason)s") % {"reason": _(event.reason)}
    return _subject(case, _("Status changed")), body


def _severity(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("The severity of case %(number)s changed from %(old)s to %(new)s.") % {
        "number": case.number,
        "old": event.data.get("from"),
        "new": event.data.get("to"),
    }
    if event.reason:
        body += "\n" + _("Reason: %(reason)s") % {"reason": _(event.reason)}
    return _subject(case, _("Severity changed")), body


def _rules(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    to = event.data.get("to", {})
    body = _(
        "The service hours of case %(number)s now count in the time zone %(zone)s under "
        "the %(plan)s plan. Time already counted stays counted; the case page shows the "
        "new deadlines."
    ) % {"number": case.number, "zone": to.get("timezone"), "plan": words.plan_name(to)}
    if event.reason:
        body += "\n" + _("Reason: %(reason)s") % {"reason": event.reason}
    return _subject(case, _("Service hours changed")), body


def _severity_request(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("The customer asks to change the severity of case %(number)s to %(new)s.") % {
        "number": case.number,
        "new": event.data.get("to"),
    }
    return _subject(case, _("Severity change requested")), f"{body}\n{event.reason}"


def _severity_declined(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("Care declined the severity change of case %(number)s.") % {"number": case.number}
    return _subject(case, _("Severity change declined")), f"{body}\n{event.reason}"


def _sla(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    metric = _(str(event.data.get("metric")))
    due = when(event.data.get("due"), zone)
    if event.kind == EventKind.SLA_BREACHED:
        title = _("SLA breached")
        body = _("The %(metric)s target of case %(number)s was due %(when)s and is breached.")
    else:
        title = _("SLA warning")
        body = _(
            "%(level)s%% of the %(metric)s target of case %(number)s is used; it is due %(when)s."
        )
    text = body % {
        "metric": metric,
        "number": case.number,
        "when": due,
        "level": event.data.get("level"),
    }
    return _subject(case, title), text


def _stale_notice(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _(
        "Case %(number)s has waited for your answer for three business days. It will be "
        "closed %(when)s unless you reply."
    ) % {"number": case.number, "when": when(event.data.get("close_at"), zone)}
    return _subject(case, _("Advance notice of closure")), body


def _deadline(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    names: dict[str, str] = {
        EventKind.RCA_DUE: _("comprehensive RCA"),
        EventKind.POST_MORTEM_DUE: _("post-mortem meeting"),
        EventKind.INCIDENT_REPORT_DUE: _("Incident Report"),
    }
    name = names.get(str(event.data.get("deadline", event.kind)), _("deadline"))
    due = when(event.data.get("due"), zone)
    if event.kind == EventKind.DEADLINE_OVERDUE:
        title = _("Overdue")
        body = _("The %(name)s for case %(number)s was due %(when)s.")
    elif event.kind == EventKind.DEADLINE_REMINDER:
        title = _("Reminder")
        body = _("The %(name)s for case %(number)s is due %(when)s.")
    else:
        title = _("Deadline set")
        body = _("The %(name)s for case %(number)s is due %(when)s.")
    return _subject(case, title), body % {"name": name, "number": case.number, "when": due}


def _escalation(case: Case, event: CaseEvent, zone: str) -> tuple[str, str]:
    body = _("Case %(number)s was escalated (%(step)s).") % {
        "number": case.number,
        "step": _(str(event.data.get("step"))),
    }
    details = "\n\n" + _("Description: %(text)s") % {"text": event.data.get("description", "")}
    details += "\n" + _("Business impact: %(text)s") % {
        "text": event.data.get("business_impact", "")
    }
    return _subject(case, _("Escalation")), body + details


RENDERERS: dict[str, Render] = {
    EventKind.OPENED: _opened,
    EventKind.COMMENT: _comment,
    EventKind.CALL_LOGGED: _call,
    EventKind.STATUS_CHANGED: _status,
    EventKind.SEVERITY_CHANGED: _severity,
    EventKind.SEVERITY_CHANGE_REQUESTED: _severity_request,
    EventKind.SEVERITY_CHANGE_DECLINED: _severity_declined,
    EventKind.RULES_CHANGED: _rules,
    EventKind.SLA_WARNING: _sla,
    EventKind.SLA_BREACHED: _sla,
    EventKind.STALE_NOTICE: _stale_notice,
    EventKind.RCA_DUE: _deadline,
    EventKind.POST_MORTEM_DUE: _deadline,
    EventKind.INCIDENT_REPORT_DUE: _deadline,
    EventKind.DEADLINE_REMINDER: _deadline,
    EventKind.DEADLINE_OVERDUE: _deadline,
    EventKind.ESCALATION_REQUESTED: _escalation,
}


def render(
    case: Case, event: CaseEvent, *, language: str, zone: str, to_care: bool = False
) -> tuple[str, str] | None:
    renderer = RENDERERS.get(event.kind)
    if to_care and alerts_care(case, event):
        renderer = _care_alert
    if renderer is None:
        return None
    with translation.override(language):
        return renderer(case, event, zone)


def credentials_message(
    *, person: Profile, overdue: bool, due: str, language: str, zone: str
) -> tuple[str, str]:
    """Care's reminder that a designated contact's credentials are due (or overdue), in
    the recipient's language, the instants in their zone."""
    with translation.override(language):
        values = {
            "email": person.user.email,
            "organisation": person.organisation.name,
            "trained": when(person.training_completed_at, zone),
            "when": when(due, zone),
        }
        if overdue:
            subject = _("Credentials overdue for designated contact %(email)s (%(organisation)s)")
            body = _(
                "%(email)s completed the roles-and-responsibilities training %(trained)s; "
                "the credentials were due %(when)s and have not been issued."
            )
        else:
            subject = _("Credentials due for designated contact %(email)s (%(organisation)s)")
            body = _(
                "%(email)s completed the roles-and-responsibilities training %(trained)s; "
                "the credentials are due %(when)s and have not been issued."
            )
        return subject % values, body % values


def mailbox_message(
    *, template: Any, case: Case, problem: str, description: str, business_impact: str
) -> tuple[str, str]:
    """The management-attention e-mail exactly as seed 002's template lays it out."""
    values = {
        "case_number": case.number,
        "customer_name": case.organisation.name,
        "region": " / ".join(v for v in (case.organisation.region, case.organisation.country) if v),
        "description": description,
        "business_impact": business_impact,
        "problem_statement": problem,
    }
    subject = template.subject.format(**values)
    lines = [f"{label}: {values[key]}" for key, label in template.fields]
    return subject, "\n\n".join(lines) + "\n\n" + template.closing + "\n"
