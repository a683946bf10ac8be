"""Reading a policy document: one parser per section of the TOML, each validating its keys.

Every problem is a ``PolicyError`` naming the file and the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from caredesk.core.durations import Duration, parse_duration
from caredesk.core.hours import parse_week, standard_day_minutes
from caredesk.core.policy_data import (
    SCHEMA,
    SEVERITIES,
    Aggregate,
    Basis,
    CaseType,
    Channel,
    ClockRules,
    DesignatedContactRule,
    Escalation,
    LicensedChannel,
    MaintenanceRule,
    Metric,
    Plan,
    Policy,
    PortalHours,
    PostMortemRule,
    RcaRule,
    RoutingRule,
    Severity,
    StaleRule,
    TargetRow,
    Text,
    _enum,
)
from caredesk.core.policy_intake import parse_intake
from caredesk.core.policy_intake import parse_text as _text
from caredesk.core.tomlread import Table
from caredesk.core.zones import load_zone


def _duration(t: Table, key: str, default: Any = ...) -> Duration | None:
    raw = t.get(key, str, default)
    if raw is None:
        return None
    return t.convert(key, raw, parse_duration)


def _required_duration(t: Table, key: str) -> Duration:
    value = _duration(t, key)
    if value is None:
        raise t.error(key, "must be a duration, not n/a")
    return value


def _severity_keys(t: Table) -> dict[int, str]:
    levels: dict[int, str] = {}
    for key in t.names():
        if not key.isdigit() or int(key) not in SEVERITIES:
            raise t.error(key, "expected a severity 1, 2, 3 or 4")
        levels[int(key)] = key
    return levels


def _severity_list(t: Table, key: str, default: Any = ...) -> frozenset[int]:
    values = t.get(key, list, default)
    for v in values:
        if isinstance(v, bool) or v not in SEVERITIES:
            raise t.error(key, f"unknown severity {v!r}; expected 1, 2, 3 or 4")
    return frozenset(values)


def _per_severity(t: Table, key: str) -> dict[int, Duration]:
    sub = t.sub(key)
    result = {}
    for level, raw in _severity_keys(sub).items():
        result[level] = _required_duration(sub, raw)
    sub.done()
    return result


def _hours(t: Table, key: str) -> dict[str, str | list[str]]:
    raw = t.get(key, dict)
    t.convert(key, raw, parse_week)
    return dict(raw)


def _zone_name(t: Table, key: str, default: Any = ...) -> str:
    value: str = t.get(key, str, default)
    if value not in ("customer", "vendor"):
        t.convert(key, value, load_zone)
    return value


def _row(t: Table) -> TargetRow:
    row = TargetRow(
        response=_duration(t, "response"),
        restoration=_duration(t, "restoration"),
        resolution=_duration(t, "resolution"),
    )
    t.done()
    return row


def _targets(t: Table) -> dict[CaseType, dict[int, TargetRow]]:
    declared: dict[CaseType, Table] = {}
    for key in t.names():
        declared[t.convert(key, key, _enum(CaseType, "case type"))] = t.sub(key)
    missing = [c.value for c in CaseType if c not in declared]
    if missing:
        raise t.error(missing[0], "missing: every case type needs targets (or same_as)")
    rows: dict[CaseType, dict[int, TargetRow]] = {}
    aliases: dict[CaseType, tuple[Table, CaseType]] = {}
    for case_type, sub in declared.items():
        if sub.has("same_as"):
            other = sub.convert("same_as", sub.get("same_as", str), _enum(CaseType, "case type"))
            sub.done()
            aliases[case_type] = (sub, other)
        elif sub.has("all"):
            row = _row(sub.sub("all"))
            sub.done()
            rows[case_type] = dict.fromkeys(SEVERITIES, row)
        else:
            levels = _severity_keys(sub)
            lacking = [s for s in SEVERITIES if s not in levels]
            if lacking:
                raise sub.error(str(lacking[0]), "missing: targets are needed for severities 1-4")
            rows[case_type] = {lvl: _row(sub.sub(raw)) for lvl, raw in levels.items()}
            sub.done()
    for case_type, (sub, other) in aliases.items():
        if other not in rows:
            raise sub.error("same_as", f"{other.value!r} has no targets of its own")
        rows[case_type] = rows[other]
    return rows


def _channels(t: Table) -> dict[int, frozenset[Channel]]:
    levels = _severity_keys(t)
    lacking = [s for s in SEVERITIES if s not in levels]
    if lacking:
        raise t.error(str(lacking[0]), "missing: channels are needed for severities 1-4")
    parse = _enum(Channel, "channel")
    result = {
        lvl: frozenset(t.convert(raw, c, parse) for c in t.get(raw, list))
        for lvl, raw in levels.items()
    }
    t.done()
    return result


def _plan(plan_id: str, t: Table) -> Plan:
    licensed = []
    for lt in t.tables("licensed_channels"):
        licensed.append(
            LicensedChannel(
                channel=lt.convert("channel", lt.get("channel", str), _enum(Channel, "channel")),
                licence=lt.get("licence", str),
                severities=_severity_list(lt, "severities"),
                zone=_zone_name(lt, "zone"),
                hours=_hours(lt, "hours"),
            )
        )
        lt.done()
    plan = Plan(
        id=plan_id,
        name=_text(t, "name"),
        channels=_channels(t.sub("channels")),
        licensed_channels=tuple(licensed),
        targets=_targets(t.sub("targets")),
    )
    t.done()
    return plan


def _aggregate(t: Table) -> Aggregate:
    statistic = t.get("statistic", str)
    metric = t.convert("metric", t.get("metric", str), _enum(Metric, "metric"))
    severities = _severity_list(t, "severities")
    if statistic == "mean":
        agg = Aggregate(metric, severities, statistic, target=_required_duration(t, "target"))
    elif statistic == "share-within-target":
        share = t.get("share", float)
        if not 0 < share <= 1:
            raise t.error("share", f"expected a fraction between 0 and 1, got {share!r}")
        agg = Aggregate(metric, severities, statistic, share=share)
    else:
        raise t.error(
            "statistic",
            f"unknown statistic {statistic!r}; expected 'mean' or 'share-within-target'",
        )
    t.done()
    return agg


def parse_policy(data: Mapping[str, Any], source: str) -> Policy:
    """Validate a policy document; every problem names ``source`` and the key."""
    t = Table(dict(data), "", source)
    schema = t.get("schema", int)
    if schema != SCHEMA:
        raise t.error("schema", f"unsupported schema {schema!r}; expected {SCHEMA}")
    # Sections in this order: a document with several problems reports the first of them.
    severities = _severities(t.sub("severities"))
    clocks = _clock_rules(t.sub("clocks"))
    designated = _designated_contacts(t.sub("designated_contacts"))
    support_licences = _licences(t.sub("licences"))
    intake = parse_intake(t.sub("intake"))
    plans = _plans(t)
    rca = _rca(t.table("rca", optional=True))
    post_mortem = _post_mortem(t.table("post_mortem", optional=True))
    stale = _stale(t.table("stale", optional=True))
    escalation = _escalation(t.table("escalation", optional=True))
    products = _products(t.table("products", optional=True))
    routing = tuple(_routing(rt, products) for rt in t.tables("routing"))
    refused = _refused_requests(t.table("refused_requests", optional=True))
    maintenance = tuple(_maintenance(mt, products) for mt in t.tables("maintenance"))
    unplanned_notice = _unplanned(t.table("unplanned_maintenance", optional=True))
    portal = _portal(t.table("portal", optional=True), plans)
    policy = Policy(
        id=t.get("id", str),
        version=t.get("version", int),
        title=t.get("title", str),
        effective=t.get("effective", date),
        sources=tuple(t.get("sources", list)),
        business_hours=_hours(t, "business_hours"),
        severities=severities,
        clocks=clocks,
        designated_contacts=designated,
        support_licences=support_licences,
        intake=intake,
        plans=plans,
        aggregates=tuple(_aggregate(at) for at in t.tables("aggregates")),
        rca=rca,
        post_mortem=post_mortem,
        stale=stale,
        escalation=escalation,
        products=products,
        routing=routing,
        refused_requests=refused,
        maintenance=maintenance,
        unplanned_notice=unplanned_notice,
        portal=portal,
    )
    t.done()
    return policy


def _severities(t: Table) -> dict[int, Severity]:
    levels = _severity_keys(t)
    lacking = [s for s in SEVERITIES if s not in levels]
    if lacking:
        raise t.error(str(lacking[0]), "missing: severities 1-4 must all be defined")
    severities = {}
    for lvl, raw in levels.items():
        st = t.sub(raw)
        severities[lvl] = Severity(lvl, _text(st, "name"), _text(st, "definition"))
        st.done()
    t.done()
    return severities


def _clock_rules(ct: Table) -> ClockRules:
    metric = _enum(Metric, "metric")
    warnings = ct.get("warnings", list)
    if any(isinstance(w, bool) or not isinstance(w, int) or not 0 < w < 100 for w in warnings):
        raise ct.error("warnings", f"expected percentages between 1 and 99, got {warnings!r}")
    clocks = ClockRules(
        warnings=tuple(sorted(warnings)),
        pause_while_waiting=frozenset(
            ct.convert("pause_while_waiting", m, metric)
            for m in ct.get("pause_while_waiting", list)
        ),
        severity_change_basis=ct.convert(
            "severity_change_basis", ct.get("severity_change_basis", str), _enum(Basis, "basis")
        ),
        phone_raise_basis=ct.convert(
            "phone_raise_basis", ct.get("phone_raise_basis", str), _enum(Basis, "basis")
        ),
        platform_incident_start=frozenset(
            ct.convert("platform_incident_start", m, metric)
            for m in ct.get("platform_incident_start", list)
        ),
    )
    ct.done()
    return clocks


def _designated_contacts(dt: Table) -> DesignatedContactRule:
    designated = DesignatedContactRule(
        credentials_due=_required_duration(dt, "credentials_due"),
        minimum=dt.get("minimum", int),
        severity1_contact_available=dt.get("severity1_contact_available", bool),
    )
    dt.done()
    return designated


def _licences(lic: Table) -> tuple[str, ...]:
    support_licences = tuple(lic.get("support", list))
    lic.done()
    return support_licences


def _plans(t: Table) -> dict[str, Plan]:
    plans_t = t.sub("plans")
    plans = {pid: _plan(pid, plans_t.sub(pid)) for pid in plans_t.names()}
    if not plans:
        raise t.error("plans", "a policy needs at least one plan")
    plans_t.done()
    return plans


def _rca(rt: Table | None) -> RcaRule | None:
    if rt is None:
        return None
    rca = RcaRule(
        follow_up_severities=_severity_list(rt, "follow_up_severities"),
        follow_up_priority=rt.get("follow_up_priority", int),
        initial_rca_on_close=rt.get("initial_rca_on_close", bool),
        comprehensive_due=_per_severity(rt, "comprehensive_due"),
    )
    rt.done()
    return rca


def _post_mortem(pt: Table | None) -> PostMortemRule | None:
    if pt is None:
        return None
    post_mortem = PostMortemRule(
        meeting_due=_per_severity(pt, "meeting_due"),
        rca_discussed=_severity_list(pt, "rca_discussed", []),
        incident_report_due=_required_duration(pt, "incident_report_due"),
        incident_report_on_written_request=pt.get("incident_report_on_written_request", bool),
    )
    pt.done()
    return post_mortem


def _stale(sk: Table | None) -> StaleRule | None:
    if sk is None:
        return None
    stale = StaleRule(
        waiting_on_customer=_required_duration(sk, "waiting_on_customer"),
        notice_period=_required_duration(sk, "notice_period"),
        resolution_proposed=_required_duration(sk, "resolution_proposed"),
    )
    sk.done()
    return stale


def _escalation(et: Table | None) -> Escalation | None:
    if et is None:
        return None
    field_pairs = []
    for ft in et.tables("fields"):
        field_pairs.append((ft.get("key", str), ft.get("label", str)))
        ft.done()
    escalation = Escalation(
        steps=tuple(et.get("steps", list)),
        case_request_requires=tuple(et.get("case_request_requires", list)),
        mailbox=et.get("mailbox", str),
        mailbox_hours=_hours(et, "mailbox_hours"),
        mailbox_handling=_required_duration(et, "mailbox_handling"),
        subject=et.get("subject", str),
        fields=tuple(field_pairs),
        closing=et.get("closing", str),
    )
    et.done()
    return escalation


def _products(prt: Table | None) -> dict[str, Text]:
    products: dict[str, Text] = {}
    if prt is not None:
        for pid in prt.names():
            pt_ = prt.sub(pid)
            products[pid] = _text(pt_, "name")
            pt_.done()
        prt.done()
    return products


def _routing(rt_: Table, products: Mapping[str, Text]) -> RoutingRule:
    product = rt_.get("product", str)
    if product not in products:
        raise rt_.error("product", f"unknown product {product!r}; not in [products]")
    rule = RoutingRule(
        case_type=rt_.convert("case_type", rt_.get("case_type", str), _enum(CaseType, "case type")),
        product=product,
        refuse=_text(rt_, "refuse"),
    )
    rt_.done()
    return rule


def _refused_requests(rf: Table | None) -> dict[str, Text]:
    refused: dict[str, Text] = {}
    if rf is not None:
        refused = {key: _text(rf, key) for key in rf.names()}
        rf.done()
    return refused


def _maintenance(mt: Table, products: Mapping[str, Text]) -> MaintenanceRule:
    product = mt.get("product", str)
    if product not in products:
        raise mt.error("product", f"unknown product {product!r}; not in [products]")
    rule = MaintenanceRule(product, _zone_name(mt, "zone"), _hours(mt, "windows"))
    mt.done()
    return rule


def _unplanned(ut: Table | None) -> Duration | None:
    """``[unplanned_maintenance]``: the least notice of unplanned maintenance, clock time."""
    if ut is None:
        return None
    notice = _required_duration(ut, "notice")
    if notice.unit.is_business:
        raise ut.error("notice", f"{notice} is business time; expected clock time such as '48h'")
    ut.done()
    return notice


def _portal(pt: Table | None, plans: Mapping[str, Plan]) -> PortalHours | None:
    """``[portal]``: the hours Care staffs the web portal, and what is phoned in outside them."""
    if pt is None:
        return None
    if (zone := pt.get("zone", str)) != "customer":
        pt.convert("zone", zone, load_zone)
    hours = _hours(pt, "hours")
    pt.convert("hours", hours, lambda h: standard_day_minutes(parse_week(h)))
    parse = _enum(Channel, "channel")
    channels = frozenset(pt.convert("channels", c, parse) for c in pt.get("channels", list))
    if Channel.PHONE in channels:
        raise pt.error("channels", "the portal's channels cannot include 'phone'")
    phoned = _severity_list(pt, "phone_severities")
    for plan, severity in ((p, s) for p in plans.values() for s in sorted(phoned)):
        if Channel.PHONE not in plan.channels[severity]:
            message = f"severity {severity} is not taken by phone on plan {plan.id!r}"
            raise pt.error("phone_severities", message)
    portal = PortalHours(zone, hours, channels, phoned)
    pt.done()
    return portal
