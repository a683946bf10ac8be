"""Support policies as data: the shipped TOML files, validated on load.

A policy names its severities, per-plan targets for every case type and severity, the
channels each plan takes, aggregate targets, RCA / post-mortem / stale-case rules,
intake fields, routing refusals, maintenance windows and the escalation ladder. What a
policy says is in ``policy_data``, how a document is read and checked in ``policy_parse``;
this module loads the shipped files and is where the rest of CareDesk imports them from.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from caredesk.core.policy_data import (
    LANGUAGES,
    SCHEMA,
    SEVERITIES,
    Aggregate,
    Basis,
    CaseType,
    CaseTypeIntake,
    Channel,
    ClockRules,
    DesignatedContactRule,
    Escalation,
    Intake,
    IntakeField,
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
    check_severity,
    text_in,
)
from caredesk.core.policy_parse import parse_policy
from caredesk.core.tomlread import PolicyError

__all__ = [
    "LANGUAGES",
    "SCHEMA",
    "SEVERITIES",
    "Aggregate",
    "Basis",
    "CaseType",
    "CaseTypeIntake",
    "Channel",
    "ClockRules",
    "DesignatedContactRule",
    "Escalation",
    "Intake",
    "IntakeField",
    "LicensedChannel",
    "MaintenanceRule",
    "Metric",
    "Plan",
    "Policy",
    "PolicyError",
    "PortalHours",
    "PostMortemRule",
    "RcaRule",
    "RoutingRule",
    "Severity",
    "StaleRule",
    "TargetRow",
    "Text",
    "check_severity",
    "list_policies",
    "load",
    "load_file",
    "parse_policy",
    "text_in",
]


def load_file(path: Any) -> Policy:
    """Load and validate one policy file (a path or an importlib resource)."""
    name = getattr(path, "name", str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{name}: not valid TOML: {exc}") from None
    policy = parse_policy(data, name)
    expected = f"{policy.id}-v{policy.version}.toml"
    if name != expected:
        raise PolicyError(f"{name}: the file of policy {policy} must be named {expected!r}")
    return policy


@cache
def _shipped() -> tuple[Policy, ...]:
    folder = resources.files("caredesk") / "policies"
    found = [load_file(item) for item in folder.iterdir() if item.name.endswith(".toml")]
    return tuple(sorted(found, key=lambda p: (p.id, p.version)))


def list_policies() -> list[Policy]:
    """Every shipped policy version, by id then version."""
    return list(_shipped())


def load(name: str, *, version: int | None = None, on: date | None = None) -> Policy:
    """The shipped policy ``name``: the newest version, a given one, or the one in force ``on``."""
    versions = [p for p in _shipped() if p.id == name]
    if not versions:
        names = ", ".join(sorted({p.id for p in _shipped()}))
        raise ValueError(f"unknown policy {name!r}; expected one of: {names}")
    if version is not None:
        for p in versions:
            if p.version == version:
                return p
        raise ValueError(f"policy {name!r} has no version {version!r}")
    if on is not None:
        in_force = [p for p in versions if p.effective <= on]
        if not in_force:
            raise ValueError(
                f"policy {name!r} was not yet in force on {on.isoformat()}; its first version "
                f"is effective from {versions[0].effective.isoformat()}"
            )
        return max(in_force, key=lambda p: (p.effective, p.version))
    return versions[-1]
