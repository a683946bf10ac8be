"""Stored identifiers in words, in the active language: statuses, case types, channels,
links, deadlines, the rules a case counts under (policies, plans, countries, working
hours) and people. The history's sentences (``history_text``) and the e-mails say them
through these, never as the identifiers or dictionaries the data keeps."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from holidays import registry

from caredesk.cases.models import EventKind
from caredesk.core import policy as policies
from caredesk.core.hours import describe_week, parse_week

# Stored identifiers said as words (translated where they are said).
STATUS_WORDS = {
    "new": gettext_noop("new"),
    "open": gettext_noop("open"),
    "waiting-on-customer": gettext_noop("waiting on the customer"),
    "restored": gettext_noop("restored"),
    "resolution-proposed": gettext_noop("resolution proposed"),
    "closed": gettext_noop("closed"),
}
CASE_TYPE_WORDS = {
    "incident": gettext_noop("incident"),
    "admin": gettext_noop("admin case"),
    "service-request": gettext_noop("service request"),
    "feature-request": gettext_noop("feature request"),
    "rca": gettext_noop("RCA follow-up"),
    "documentation": gettext_noop("documentation request"),
}
CHANNEL_WORDS = {
    "portal": gettext_noop("through the portal"),
    "api": gettext_noop("through the API"),
    "phone": gettext_noop("by phone"),
    "chat": gettext_noop("by chat"),
    "email": gettext_noop("by e-mail"),
}
LINK_WORDS = {
    "rca-follow-up": gettext_noop("RCA follow-up"),
    "documentation": gettext_noop("documentation request"),
    "duplicate": gettext_noop("duplicate"),
    "related": gettext_noop("related case"),
}
DEADLINE_WORDS = {
    EventKind.RCA_DUE.value: gettext_noop("comprehensive RCA"),
    EventKind.POST_MORTEM_DUE.value: gettext_noop("post-mortem meeting"),
    EventKind.INCIDENT_REPORT_DUE.value: gettext_noop("Incident Report"),
    "management-attention": gettext_noop("answer of the management-attention mailbox"),
}
# What a rules change changes, by the key its event stores (``sla.RULE_FIELDS``, and the
# working hours when an organisation's hours change).
RULE_WORDS = {
    "timezone": gettext_noop("Time zone"),
    "country": gettext_noop("Public holidays"),
    "plan": gettext_noop("Plan"),
    "policy": gettext_noop("Support policy"),
    "hours": gettext_noop("Working hours"),
    "business_hours": gettext_noop("Working hours"),
    "working_hours": gettext_noop("Working hours"),
}


def word(table: dict[str, str], value: object) -> str:
    """``value`` in words: its translated word, or the identifier with spaces."""
    text = str(value)
    return _(table[text]) if text in table else text.replace("-", " ").replace("_", " ")


def person_name(user: User | None) -> str:
    """How a person is named in a sentence; the automation is CareDesk."""
    if user is None:
        return _("CareDesk")
    return user.get_full_name() or user.email or user.get_username()


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """English country names by ISO code, from the holiday library's registry."""
    return {entry[1]: name.replace("_", " ").title() for name, entry in registry.COUNTRIES.items()}


def country_name(code: str, subdivision: str = "") -> str:
    if not code:
        return _("none")
    name = f"{_countries().get(code, code)} ({code})"
    return f"{name}, {subdivision}" if subdivision else name


def rule_changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, old, new) in words for each rule that differs between two rules records."""
    said: list[tuple[str, str, str]] = []
    if policy_name(before) != policy_name(after):
        said.append(("policy", policy_name(before), policy_name(after)))
    if before.get("plan") != after.get("plan"):
        said.append(("plan", plan_name(before), plan_name(after)))
    if before.get("timezone") != after.get("timezone"):
        said.append(("timezone", str(before.get("timezone")), str(after.get("timezone"))))
    where = [(r.get("country", ""), r.get("subdivision", "")) for r in (before, after)]
    if where[0] != where[1]:
        said.append(("country", country_name(*where[0]), country_name(*where[1])))
    known = {"policy", "policy_version", "plan", "timezone", "country", "subdivision"}
    for key in sorted((set(before) | set(after)) - known):
        if before.get(key) != after.get(key):
            said.append((key, _value_words(before.get(key)), _value_words(after.get(key))))
    return said


def policy_name(rules: dict[str, Any]) -> str:
    """``PureCloud Support, version 1``."""
    name, version = rules.get("policy"), rules.get("policy_version")
    try:
        title = policies.load(str(name), version=int(str(version))).title
    except (ValueError, LookupError):
        title = str(name)
    return _("%(title)s, version %(version)s") % {"title": title, "version": version}


def plan_name(rules: dict[str, Any]) -> str:
    plan = str(rules.get("plan"))
    try:
        policy = policies.load(str(rules.get("policy")), version=int(str(rules["policy_version"])))
        name = policy.plan(plan).name
    except (ValueError, LookupError):
        return plan
    return policies.text_in(name, translation.get_language() or "en")


def _value_words(value: object) -> str:
    """A rule's value as people write it: weekly hours as ``Mon-Fri 08:00-17:00``."""
    if isinstance(value, dict):
        try:
            return describe_week(parse_week(value))
        except (ValueError, TypeError):
            return ", ".join(f"{k} {_value_words(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(v) for v in value)
    return _("none") if value in (None, "") else str(value)
