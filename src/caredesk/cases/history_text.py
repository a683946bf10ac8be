"""Each history event as one sentence in the reader's language: who did what, and why.

The case page and the API's events answer (``text``) both say events through
``event_texts``; instants are written in the reader's zone, and statuses, metrics,
policies, plans and countries in words, never as stored identifiers or dictionaries.
Every kind of ``EventKind`` has a sentence here (a test holds it); a kind without one, added
elsewhere, still reads as a sentence (``_unknown``) rather than failing the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.cases import sla, words
from caredesk.cases.models import Case, EventKind
from caredesk.core import policy as policies
from caredesk.infra.speech import instant_text


class Event(Protocol):
    """What a sentence reads of an event (a ``CaseEvent``)."""

    @property
    def kind(self) -> str: ...
    @property
    def data(self) -> dict[str, Any]: ...
    @property
    def reason(self) -> str: ...
    @property
    def actor(self) -> User | None: ...


@dataclass(frozen=True)
class _Said:
    """One event about to be said: its case, and the reader's zone."""

    case: Case
    event: Event
    zone: str

    @property
    def data(self) -> dict[str, Any]:
        return self.event.data

    @property
    def who(self) -> str:
        return words.person_name(self.event.actor)

    def when(self, value: object) -> str:
        return instant_text(value, self.zone) if isinstance(value, str) else "-"

    def severity(self, level: object) -> str:
        """``2 (High)``: the level with the case policy's name for it."""
        known = sla.policy_for(self.case).severities.get(level) if isinstance(level, int) else None
        if known is None:
            return str(level)
        return f"{level} ({policies.text_in(known.name, translation.get_language() or 'en')})"


Sentence = Callable[[_Said], str]


def _opened(said: _Said) -> str:
    data = said.data
    values = {
        "who": said.who,
        "channel": words.word(words.CHANNEL_WORDS, data.get("channel", "")),
        "case_type": words.word(words.CASE_TYPE_WORDS, data.get("case_type", "")),
        "severity": said.severity(data.get("severity")),
        "priority": data.get("priority"),
    }
    requester = said.case.opened_by
    actor = said.event.actor
    if actor is not None and actor.pk != requester.pk:
        values["contact"] = words.person_name(requester)
        text = _(
            "%(who)s opened the case for %(contact)s %(channel)s: %(case_type)s, "
            "severity %(severity)s, priority %(priority)s."
        )
    else:
        text = _(
            "%(who)s opened the case %(channel)s: %(case_type)s, severity %(severity)s, "
            "priority %(priority)s."
        )
    text %= values
    product = data.get("product")
    if product:
        names = sla.policy_for(said.case).products.get(product)
        language = translation.get_language() or "en"
        name = policies.text_in(names, language) if names else product
        text += " " + _("Product: %(product)s.") % {"product": name}
    if data.get("follow_up_of"):
        text += " " + _("It follows up case %(number)s.") % {"number": data["follow_up_of"]}
    return text


def _status(said: _Said) -> str:
    return _("%(who)s moved the case from %(from)s to %(to)s.") % {
        "who": said.who,
        "from": words.word(words.STATUS_WORDS, said.data.get("from")),
        "to": words.word(words.STATUS_WORDS, said.data.get("to")),
    }


def _severity(said: _Said) -> str:
    data = said.data
    values = {
        "who": said.who,
        "from": said.severity(data.get("from")),
        "to": said.severity(data.get("to")),
    }
    if data.get("phone_raise"):
        text = _("%(who)s logged the customer's call raising the severity from %(from)s to %(to)s.")
    elif data.get("request_id") is not None:
        text = _(
            "%(who)s accepted the customer's request and changed the severity from %(from)s "
            "to %(to)s."
        )
    else:
        text = _("%(who)s changed the severity from %(from)s to %(to)s.")
    text %= values
    contact = data.get("contact")
    if isinstance(contact, dict) and contact.get("name"):
        text += " " + contact_sentence(str(contact["name"]), str(contact.get("phone", "")))
    return text


def contact_sentence(name: str, phone: str) -> str:
    """The Severity 1 contact reachable at all times, as the case and Care's alert say it."""
    return _("Contact reachable at all times: %(name)s, %(phone)s.") % {
        "name": name,
        "phone": phone,
    }


def _severity_requested(said: _Said) -> str:
    return _("%(who)s asked to change the severity from %(from)s to %(to)s.") % {
        "who": said.who,
        "from": said.severity(said.data.get("from")),
        "to": said.severity(said.data.get("to")),
    }


def _severity_declined(said: _Said) -> str:
    return _("%(who)s declined the request to change the severity to %(to)s.") % {
        "who": said.who,
        "to": said.severity(said.data.get("to")),
    }


def _responded(said: _Said) -> str:
    return _("%(who)s answered the customer: Care's first response.") % {"who": said.who}


def _incident_linked(said: _Said) -> str:
    return _("%(who)s linked the case to a platform incident that started %(when)s.") % {
        "who": said.who,
        "when": said.when(said.data.get("started_at")),
    }


def _comment(said: _Said) -> str:
    data = said.data
    if data.get("rca") == "initial":
        text = _("%(who)s gave the initial RCA in the closing status update.")
    elif not data.get("public"):
        text = _("%(who)s wrote an internal note.")
    elif data.get("by_care"):
        text = _("%(who)s replied to the customer.")
    else:
        text = _("%(who)s replied.")
    return text % {"who": said.who}


def _call_logged(said: _Said) -> str:
    return _("%(who)s logged a phone call with the customer.") % {"who": said.who}


def _follow_up_meeting_held(said: _Said) -> str:
    return _("%(who)s recorded the follow-up meeting, held %(when)s.") % {
        "who": said.who,
        "when": said.when(said.data.get("held_at")),
    }


def _linked(said: _Said) -> str:
    data = said.data
    values = {"who": said.who, "link": words.word(words.LINK_WORDS, data.get("kind", ""))}
    if "from" in data:
        values["other"] = data["from"]
        return _("%(who)s linked case %(other)s to this case (%(link)s).") % values
    values["other"] = data.get("to", "")
    return _("%(who)s linked this case to case %(other)s (%(link)s).") % values


def _assigned(said: _Said) -> str:
    assignee = said.data.get("assignee")
    if not assignee:
        return _("%(who)s removed the case's assignee.") % {"who": said.who}
    # The event keeps the assignee's user name; the sentence names the person.
    person = User.objects.filter(username=assignee).first()
    return _("%(who)s assigned the case to %(assignee)s.") % {
        "who": said.who,
        "assignee": words.person_name(person) if person else assignee,
    }


def _rca_due(said: _Said) -> str:
    return _("The comprehensive RCA of case %(number)s is due %(when)s.") % {
        "number": said.data.get("for_case", said.case.number),
        "when": said.when(said.data.get("due")),
    }


def _post_mortem_due(said: _Said) -> str:
    text = _("The post-mortem meeting is due %(when)s.") % {"when": said.when(said.data.get("due"))}
    if said.data.get("rca_discussed"):
        text += " " + _("The RCA is discussed there.")
    return text


def _post_mortem_held(said: _Said) -> str:
    return _("%(who)s recorded that the post-mortem meeting was held.") % {"who": said.who}


def _incident_report_requested(said: _Said) -> str:
    return _("%(who)s asked in writing for the Incident Report.") % {"who": said.who}


def _incident_report_due(said: _Said) -> str:
    return _("The Incident Report is due %(when)s.") % {"when": said.when(said.data.get("due"))}


def _incident_report_delivered(said: _Said) -> str:
    return _("%(who)s delivered the Incident Report.") % {"who": said.who}


def _escalated(said: _Said) -> str:
    data = said.data
    who = said.who
    if said.event.actor is None:  # the escalation service records who by role
        who = _("The customer") if data.get("by") == "contact" else _("Care")
    step = data.get("step")
    values = {"who": who, "mailbox": data.get("mailbox", ""), "when": said.when(data.get("due"))}
    if step == "case":
        text = _("%(who)s escalated the case with a request in the case.")
    elif step == "tam":
        text = _("%(who)s escalated the case to the Technical Account Manager.")
    elif step == "management-attention":
        text = _(
            "%(who)s escalated the case to the management-attention mailbox (%(mailbox)s); "
            "an answer is due %(when)s."
        )
    else:
        values["step"] = words.word({}, step)
        text = _("%(who)s escalated the case (%(step)s).")
    return text % values


def _escalation_acknowledged(said: _Said) -> str:
    who = said.who if said.event.actor is not None else _("Care management")
    return _("%(who)s acknowledged the escalation.") % {"who": who}


def _sla_warning(said: _Said) -> str:
    return _("SLA warning: %(level)s%% of the %(metric)s time used; due %(when)s.") % {
        "level": said.data.get("level"),
        "metric": _(str(said.data.get("metric"))),
        "when": said.when(said.data.get("due")),
    }


def _sla_breached(said: _Said) -> str:
    return _("SLA breached: the %(metric)s target was due %(when)s and was not met.") % {
        "metric": _(str(said.data.get("metric"))),
        "when": said.when(said.data.get("due")),
    }


def _stale_notice(said: _Said) -> str:
    return _("Advance notice of closure: the case closes %(when)s unless the customer replies.") % {
        "when": said.when(said.data.get("close_at"))
    }


def _deadline(said: _Said) -> str:
    values = {
        "name": words.word(words.DEADLINE_WORDS, said.data.get("deadline", "")),
        "when": said.when(said.data.get("due")),
    }
    if said.event.kind == EventKind.DEADLINE_OVERDUE:
        return _("Overdue: the %(name)s was due %(when)s.") % values
    return _("Reminder: the %(name)s is due %(when)s.") % values


def _rules_changed(said: _Said) -> str:
    before, after = said.data.get("from") or {}, said.data.get("to") or {}
    changes = [
        _("%(what)s changed from %(old)s to %(new)s.")
        % {"what": words.word(words.RULE_WORDS, key).capitalize(), "old": old, "new": new}
        for key, old, new in words.rule_changes(before, after)
    ]
    if not changes:
        return _("%(who)s re-applied the support policy %(policy)s to the case.") % {
            "who": said.who,
            "policy": words.policy_name(after),
        }
    opening = _("%(who)s changed the rules the case counts under.") % {"who": said.who}
    return " ".join([opening, *changes])


def _unknown(said: _Said) -> str:
    """A kind without a sentence of its own still reads as words."""
    return _("%(who)s: %(what)s.") % {"who": said.who, "what": words.word({}, said.event.kind)}


# Every event kind's sentence (a test checks that none is missing).
SENTENCES: dict[str, Sentence] = {
    EventKind.OPENED: _opened,
    EventKind.STATUS_CHANGED: _status,
    EventKind.SEVERITY_CHANGED: _severity,
    EventKind.SEVERITY_CHANGE_REQUESTED: _severity_requested,
    EventKind.SEVERITY_CHANGE_DECLINED: _severity_declined,
    EventKind.RESPONDED: _responded,
    EventKind.INCIDENT_LINKED: _incident_linked,
    EventKind.RULES_CHANGED: _rules_changed,
    EventKind.COMMENT: _comment,
    EventKind.CALL_LOGGED: _call_logged,
    EventKind.LINKED: _linked,
    EventKind.ASSIGNED: _assigned,
    EventKind.RCA_DUE: _rca_due,
    EventKind.POST_MORTEM_DUE: _post_mortem_due,
    EventKind.POST_MORTEM_HELD: _post_mortem_held,
    EventKind.INCIDENT_REPORT_REQUESTED: _incident_report_requested,
    EventKind.INCIDENT_REPORT_DUE: _incident_report_due,
    EventKind.INCIDENT_REPORT_DELIVERED: _incident_report_delivered,
    EventKind.FOLLOW_UP_MEETING_HELD: _follow_up_meeting_held,
    EventKind.ESCALATION_REQUESTED: _escalated,
    EventKind.ESCALATION_ACKNOWLEDGED: _escalation_acknowledged,
    EventKind.SLA_WARNING: _sla_warning,
    EventKind.SLA_BREACHED: _sla_breached,
    EventKind.STALE_NOTICE: _stale_notice,
    EventKind.DEADLINE_REMINDER: _deadline,
    EventKind.DEADLINE_OVERDUE: _deadline,
}


def said_now(case: Case, event: Event, zone: str) -> str:
    """One event's sentence in the active language, with its reason."""
    text = SENTENCES.get(event.kind, _unknown)(_Said(case, event, zone))
    if event.reason:
        text += " " + _("Reason: %(reason)s") % {"reason": _(event.reason)}
    return text


def event_texts(case: Case, events: Iterable[Event], *, language: str, zone: str) -> list[str]:
    """The sentences of ``events`` of ``case`` in ``language``, instants in ``zone``; the
    language is switched once for them all."""
    with translation.override(language):
        return [said_now(case, event, zone) for event in events]


def event_text(case: Case, event: Event, *, language: str, zone: str) -> str:
    return event_texts(case, [event], language=language, zone=zone)[0]
