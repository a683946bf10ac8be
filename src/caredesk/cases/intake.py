"""Intake rules of a support policy: what a new case must contain and how it may arrive.

Every check collects what is wrong so that the refusal names each problem at once.
Nothing here writes; ``services.open_case`` calls it before storing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import phonenumbers
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.accounts import services as accounts
from caredesk.accounts.models import Organisation
from caredesk.core import policy as policies
from caredesk.core.calendar import BusinessCalendar
from caredesk.core.hours import describe_week
from caredesk.core.policy import CaseType, Channel, LicensedChannel, Policy, text_in
from caredesk.infra.errors import DomainError, named
from caredesk.infra.speech import phrase_text

# Intake fields that are columns of the case rather than free-form intake values.
COLUMN_FIELDS = {"product": "product", "description": "description"}


@dataclass(frozen=True)
class Submission:
    case_type: str
    severity: int
    priority: int
    channel: str
    product: str
    subject: str
    description: str
    intake: dict[str, Any]
    critical_contact_name: str
    critical_contact_phone: str
    request_kind: str | None


def _field_error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def _language() -> str:
    """The reader's language (activated by the page or the API), for the policy's texts."""
    return (translation.get_language() or "en").split("-")[0]


def _choices(names: list[str]) -> str:
    """``1, 2 or 3``: a list of expected values in the reader's language."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s or %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _every(names: list[str]) -> str:
    """``rca and documentation``: all of ``names`` in the reader's language."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def submission(*, intake: dict[str, Any], **columns: Any) -> Submission:
    """A new case's submission, the intake answers that are columns of the case (product,
    description) taken as those columns and stored once, there: an answer given only in
    the intake is the column's value; given in both places, the two must agree."""
    answers = dict(intake)
    for key, column in COLUMN_FIELDS.items():
        given = str(answers.pop(key, "")).strip()
        current = columns[column]
        if given and not current:
            columns[column] = given
        elif given and given != current:
            message = _(
                "intake.%(key)s %(given)s differs from %(column)s %(current)s; "
                "give the %(column)s once"
            ) % {"key": key, "given": named(given), "column": column, "current": named(current)}
            raise DomainError(message, errors=[_field_error(f"intake.{key}", message)], status=422)
    return Submission(intake=answers, **columns)


PRIORITIES = (1, 2, 3, 4)  # the customer's own ranking of its cases, 1 highest


def severity_error(policy: Policy, severity: object) -> str | None:
    """Why ``severity`` is not one of ``policy``'s severities (None: it is one)."""
    is_int = isinstance(severity, int) and not isinstance(severity, bool)
    if is_int and severity in policy.severities:
        return None
    expected = _choices([str(level) for level in sorted(policy.severities)])
    return _("unknown severity %(severity)r; expected %(expected)s") % {
        "severity": severity,
        "expected": expected,
    }


def check_shape(policy: Policy, sub: Submission) -> list[dict[str, str]]:
    errors = []
    if sub.case_type not in CaseType._value2member_map_:
        names = ", ".join(c.value for c in CaseType)
        errors.append(
            _field_error(
                "case_type",
                _("unknown case type %(value)s; expected one of: %(names)s")
                % {"value": named(sub.case_type), "names": names},
            )
        )
    if (problem := severity_error(policy, sub.severity)) is not None:
        errors.append(_field_error("severity", problem))
    if sub.priority not in PRIORITIES:
        errors.append(
            _field_error(
                "priority",
                _("unknown priority %(value)r; expected 1 (highest) to 4")
                % {"value": sub.priority},
            )
        )
    if sub.channel not in Channel._value2member_map_:
        names = ", ".join(c.value for c in Channel)
        errors.append(
            _field_error(
                "channel",
                _("unknown channel %(value)s; expected one of: %(names)s")
                % {"value": named(sub.channel), "names": names},
            )
        )
    if not sub.subject.strip():
        errors.append(_field_error("subject", _("subject is required")))
    if not sub.description.strip():
        errors.append(_field_error("description", _("description is required")))
    return errors


def _unknown_field(policy: Policy, sub: Submission, key: str, known: set[str]) -> str:
    """Why ``key`` is refused: asked only of other case types, or of none."""
    askers = [
        case_type
        for case_type, extra in policy.intake.case_types.items()
        if key in {f.key for f in extra.fields}
    ]
    if askers:
        sentence = (
            _(
                "intake field %(key)s is asked only of %(askers)s cases, "
                "not of an %(case_type)s case"
            )
            if sub.case_type[0] in "aeiou"
            else _(
                "intake field %(key)s is asked only of %(askers)s cases, "
                "not of a %(case_type)s case"
            )
        )
        return sentence % {
            "key": named(key),
            "askers": _every(askers),
            "case_type": sub.case_type,
        }
    expected = ", ".join(sorted(known))
    return _("unknown intake field %(key)s for policy %(policy)s; expected: %(expected)s") % {
        "key": named(key),
        "policy": policy.id,
        "expected": expected,
    }


def check_fields(policy: Policy, sub: Submission) -> list[dict[str, str]]:
    """Required intake fields of the policy and of the case type, every missing one named;
    unknown ones refused."""
    fields = policy.intake.fields_for(sub.case_type)
    known = {f.key for f in fields}
    errors = [
        _field_error(f"intake.{key}", _unknown_field(policy, sub, key, known))
        for key in sorted(set(sub.intake) - known)
    ]
    for field in fields:
        column = COLUMN_FIELDS.get(field.key)
        name = field.key if column else f"intake.{field.key}"
        value = getattr(sub, column) if column else sub.intake.get(field.key)
        label = f"{text_in(field.label, _language())} ({field.key})"
        if value is None or (isinstance(value, str) and not value.strip()):
            if field.required:
                errors.append(_field_error(name, _("%(label)s is required") % {"label": label}))
        elif field.choices and value not in field.choices:
            expected = ", ".join(field.choices)
            errors.append(
                _field_error(
                    name,
                    _("unknown answer %(value)r to %(label)s; expected one of: %(expected)s")
                    % {"value": value, "label": label, "expected": expected},
                )
            )
    return errors


def check_product(policy: Policy, sub: Submission) -> None:
    """A case concerns one of the products its policy knows, or none in particular."""
    if not sub.product or sub.product in policy.products:
        return
    if policy.products:
        expected = _("expected one of: %(names)s") % {"names": ", ".join(policy.products)}
    else:
        expected = _("it names no products: leave product empty")
    message = _("unknown product %(product)s for policy %(policy)s; %(expected)s") % {
        "product": named(sub.product),
        "policy": policy.id,
        "expected": expected,
    }
    raise DomainError(message, errors=[_field_error("product", message)], status=422)


def check_routing(policy: Policy, sub: Submission) -> None:
    """Requests Care does not process: statement-of-work changes, MAC/D by product."""
    if sub.request_kind is not None:
        refusal = policy.refused_requests.get(sub.request_kind)
        if refusal is not None:
            raise DomainError(text_in(refusal, _language()), status=422)
        known = ", ".join(policy.refused_requests) or _("none")
        raise DomainError(
            _("unknown request kind %(kind)s; known: %(known)s")
            % {"kind": named(sub.request_kind), "known": known}
        )
    for rule in policy.routing:
        if rule.case_type.value == sub.case_type and rule.product == sub.product:
            raise DomainError(text_in(rule.refuse, _language()), status=422)


def _not_staffed(zone: str, channel: LicensedChannel, now: datetime) -> str | None:
    """Why a licensed channel is not staffed at ``now``; ``None`` when it is. Care staffs it
    in its hours except on the vendor holidays Care declares (all day, or from an early
    closing); a channel open round the clock, every day of the year, is staffed through
    them."""
    weekly = accounts.hours_calendar(zone, channel.hours)
    staffed = _("%(channel)s (%(licence)s) is staffed %(week)s %(zone)s") % {
        "channel": channel.channel.value,
        "licence": channel.licence,
        "week": describe_week(weekly.week),
        "zone": zone,
    }
    if not weekly.is_open(now):
        return staffed
    if weekly.is_always_open:
        return None
    # An interval past midnight belongs to the day before: its holiday counts too.
    day = weekly.local(now).date() - timedelta(days=1)
    closures = accounts.vendor_closures(since=day)
    if not closures or accounts.hours_calendar(zone, channel.hours, closures).is_open(now):
        return None
    holiday = accounts.vendor_holiday_on(day + timedelta(days=1)) or accounts.vendor_holiday_on(day)
    closed_for = f"{holiday.name} ({holiday.day.isoformat()})" if holiday else _("a vendor holiday")
    return _("%(staffed)s, closed for %(holiday)s") % {"staffed": staffed, "holiday": closed_for}


def allowed_channels(
    policy: Policy, org: Organisation, severity: int, now: datetime
) -> tuple[set[str], list[str]]:
    """Channels open to this organisation for this severity now; and notes on licensed
    channels that exist but are closed at this hour."""
    plan = policy.plan(org.plan)
    allowed = {c.value for c in plan.channels[severity]}
    notes = []
    for extra in plan.licensed_channels:
        if extra.licence not in org.licences or severity not in extra.severities:
            continue
        zone = org.timezone if extra.zone in ("customer", "vendor") else extra.zone
        closed = _not_staffed(zone, extra, now)
        if closed is None:
            allowed.add(extra.channel.value)
        else:
            notes.append(closed)
    return allowed, notes


def check_entitlement(policy: Policy, org: Organisation, sub: Submission, now: datetime) -> None:
    if policy.support_licences and not set(policy.support_licences) & set(org.licences):
        raise DomainError(
            _(
                "%(organisation)s holds no support licence; one of %(licences)s is needed "
                "to open cases"
            )
            % {"organisation": org.name, "licences": ", ".join(policy.support_licences)},
            status=403,
        )
    if sub.severity == 1 and policy.intake.severity1_by_phone_raise:
        raise DomainError(
            _(
                "Severity 1 (Critical) cannot be submitted directly: submit the case as "
                "Severity 2 (High) in the portal, then call Care to raise it to Critical"
            ),
            errors=[_field_error("severity", _("submit as 2, then raise by phone"))],
            status=422,
        )
    allowed, notes = allowed_channels(policy, org, sub.severity, now)
    if sub.channel not in allowed:
        plan_name = text_in(policy.plan(org.plan).name, _language())
        offered = _choices(sorted(allowed))
        extra = f" ({'; '.join(notes)})" if notes else ""
        message = _(
            "Severity %(severity)s cases on %(plan)s are taken through %(offered)s, "
            "not by %(channel)s%(notes)s."
        ) % {
            "severity": sub.severity,
            "plan": plan_name,
            "offered": offered,
            "channel": sub.channel,
            "notes": extra,
        }
        if "portal" in allowed:
            message = _("%(refusal)s Open it in the portal.") % {"refusal": message}
        raise DomainError(
            message,
            errors=[
                _field_error(
                    "channel", _("%(channel)s not allowed") % {"channel": named(sub.channel)}
                )
            ],
            status=422,
        )


@lru_cache(maxsize=256)
def _portal_calendar(
    policy_id: str, version: int, timezone: str, country: str, subdivision: str
) -> BusinessCalendar:
    # Shared, as the staffed-hours calendars above.
    portal = policies.load(policy_id, version=version).portal
    assert portal is not None
    return portal.calendar(timezone, country=country or None, subdivision=subdivision or None)


def unstaffed_portal(
    policy: Policy,
    *,
    severity: int,
    channel: str,
    at: datetime,
    timezone: str,
    country: str,
    subdivision: str,
) -> BusinessCalendar | None:
    """The hours Care staffs the portal when a case submitted ``at`` through ``channel``
    came in outside them with a severity to phone in as well; else ``None``."""
    portal = policy.portal
    if portal is None or severity not in portal.phone_severities or channel not in portal.channels:
        return None
    calendar = _portal_calendar(policy.id, policy.version, timezone, country, subdivision)
    if not portal.phone_instead(severity=severity, channel=channel, at=at, calendar=calendar):
        return None
    return calendar


def portal_hours_notice(hours: BusinessCalendar, severity: int, language: str) -> str:
    """What the opener of a case that came in while the portal was unstaffed is told: the
    staffed ``hours`` described in ``language`` too."""
    with translation.override(language):
        return _(
            "Care staffs the web portal %(hours)s, and this Severity %(severity)s case came in "
            "outside those hours: phone Care as well (phone support takes Severity "
            "%(severity)s at any hour) so that an engineer takes it at once."
        ) % {"hours": phrase_text(hours.describe_phrase(), language), "severity": severity}


def check_critical_contact(policy: Policy, org: Organisation, sub: Submission) -> None:
    """Severity 1: a designated contact reachable at all times, by name and phone."""
    if not policy.designated_contacts.severity1_contact_available:
        return
    errors = []
    if not sub.critical_contact_name.strip():
        errors.append(
            _field_error(
                "critical_contact_name",
                _("a Severity 1 case names the contact reachable at all times"),
            )
        )
    phone = sub.critical_contact_phone.strip()
    if not phone:
        errors.append(
            _field_error(
                "critical_contact_phone",
                _("a Severity 1 case gives a phone number reachable at all times"),
            )
        )
    elif not valid_phone(phone, org.country):
        errors.append(
            _field_error(
                "critical_contact_phone",
                _("phone number %(phone)s is not a valid number") % {"phone": named(phone)},
            )
        )
    if errors:
        raise DomainError("; ".join(e["message"] for e in errors), errors=errors)


def valid_phone(text: str, country: str) -> bool:
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))
