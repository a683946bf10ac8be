"""What the portal tells a customer of their policy, in their language: how to reach Care
for each severity (the phone line where the policy says to call), the severities with their
definitions, the response targets of their plan in words, and a service's field refusals
as sentences that name the field the way the form does."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.core import policy as policies
from caredesk.core.durations import Duration, Unit
from caredesk.core.policy import CaseType, Channel, Metric, Policy, text_in
from caredesk.infra.speech import phrase_text


def duration_words(target: Duration | None) -> str:
    """A target as the policy pages say it: "1 business hour", "4 hours (24x7)"."""
    if target is None:
        return _("no target")
    # Singular and plural as two messages: the catalogue keeps no plural forms.
    n = target.amount
    if target.unit is Unit.MINUTES:
        said = _("1 minute (24x7)") if n == 1 else _("%(n)d minutes (24x7)")
    elif target.unit is Unit.HOURS:
        said = _("1 hour (24x7)") if n == 1 else _("%(n)d hours (24x7)")
    elif target.unit is Unit.BUSINESS_HOURS:
        said = _("1 business hour") if n == 1 else _("%(n)d business hours")
    else:
        said = _("1 business day") if n == 1 else _("%(n)d business days")
    return said % {"n": n} if n != 1 else said


def _phone(policy: Policy, language: str) -> str:
    line = policy.intake.phone_line
    return text_in(line, language) if line else _("Care's phone line")


def _channel_name(channel: Channel) -> str:
    names = {
        Channel.PHONE: _("by phone"),
        Channel.CHAT: _("by chat"),
        Channel.EMAIL: _("by e-mail"),
        Channel.PORTAL: _("in the portal"),
        Channel.API: _("through the API"),
    }
    return names[channel]


def _reach(policy: Policy, org: Organisation, level: int, language: str) -> str:
    """How a case of severity ``level`` reaches Care on the organisation's plan."""
    channels = policy.plan(org.plan).channels[level]
    phone = _phone(policy, language)
    if level == 1 and policy.intake.severity1_by_phone_raise:
        return _(
            "Submit the case here as Severity 2 (High), then call Care to raise it to "
            "Critical (%(phone)s): the Critical targets count from the call."
        ) % {"phone": phone}
    if Channel.PHONE not in channels:
        return _("Open the case here.")
    portal = policy.portal
    if portal is not None and level in portal.phone_severities:
        calendar = portal.calendar(
            org.timezone, country=org.country or None, subdivision=org.subdivision or None
        )
        if not calendar.is_always_open:
            return _(
                "Open the case here or call Care at any hour (%(phone)s); outside the hours "
                "Care staffs the portal (%(hours)s), call as well."
            ) % {"phone": phone, "hours": phrase_text(calendar.describe_phrase(), language)}
    return _("Open the case here, or call Care (%(phone)s).") % {"phone": phone}


def channel_guidance(policy: Policy, org: Organisation, language: str) -> dict[int, str]:
    """Per severity: how to reach Care, with what the organisation's licences add."""
    plan = policy.plan(org.plan)
    guidance = {}
    for level in sorted(policy.severities):
        said = [_reach(policy, org, level, language)]
        for extra in plan.licensed_channels:
            if extra.licence not in org.licences or level not in extra.severities:
                continue
            zone = org.timezone if extra.zone in ("customer", "vendor") else extra.zone
            said.append(
                _("Your %(licence)s licence adds support %(channel)s, %(hours)s.")
                % {
                    "licence": extra.licence,
                    "channel": _channel_name(extra.channel),
                    "hours": phrase_text(
                        accounts.hours_calendar(zone, extra.hours).describe_phrase(), language
                    ),
                }
            )
        guidance[level] = " ".join(said)
    return guidance


@dataclass(frozen=True)
class SeverityTargets:
    level: int
    name: str
    definition: str
    reach: str
    # Per case type shown: the response, restoration and resolution targets in words.
    rows: list[tuple[str, list[str]]]


def plan_targets(policy: Policy, org: Organisation, language: str) -> list[SeverityTargets]:
    """The severities of the organisation's plan with their targets in words; admin cases
    shown apart where their targets differ from incidents'."""
    plan = policy.plan(org.plan)
    reach = channel_guidance(policy, org, language)
    found = []
    for level, severity in sorted(policy.severities.items()):
        rows = []
        incident = plan.targets[CaseType.INCIDENT][level]
        for case_type in (CaseType.INCIDENT, CaseType.ADMIN):
            row = plan.targets[case_type][level]
            if case_type is not CaseType.INCIDENT and row == incident:
                continue
            rows.append((_(case_type.value), [duration_words(row.get(m)) for m in Metric]))
        found.append(
            SeverityTargets(
                level,
                text_in(severity.name, language),
                text_in(severity.definition, language),
                reach[level],
                rows,
            )
        )
    return found


def severity_label(policy: Policy, level: int, language: str) -> str:
    return f"{level} - {text_in(policy.severities[level].name, language)}"


def field_error_text(label: str, value: str, field: str, policy: policies.Policy) -> str:
    """A service's refusal of one form field as a sentence for its reader: the field named
    by its label (never the service's key), the bad value and what is expected."""
    if not value.strip():
        return _("%(label)s is required: please fill it in.") % {"label": label}
    if field == "severity" and policy.intake.severity1_by_phone_raise:
        return _(
            "Severity 1 (Critical) is not submitted directly on your plan: choose Severity 2 "
            "(High), submit, then call Care to raise it to Critical."
        )
    if field == "critical_contact_phone":
        return _(
            "%(value)s is not a phone number that can be called; give the number with its "
            "country code, such as +81 3 1234 5678."
        ) % {"value": value}
    if field.startswith("intake_original_case"):
        return _(
            "%(value)s is not a case of yours; give the number of the case this request is "
            "about, such as CD0000123."
        ) % {"value": value}
    return _("%(value)s is not an answer %(label)s takes; choose or write another.") % {
        "value": value,
        "label": label,
    }
