"""The service catalogue: ``services.toml`` beside this module, validated on load.

Pure Python like the policies (no Django): the command line reads it without a database,
and the ``Service`` table mirrors it (``models.sync_services``). A service sold under a
policy's product takes the product's names and planned maintenance windows from the
policy, so they are written once.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from caredesk.core import policy as policies
from caredesk.core.maintenance import WindowRule
from caredesk.core.policy import LANGUAGES, PolicyError, Text
from caredesk.core.policy_intake import parse_text
from caredesk.core.tomlread import Table

SCHEMA = 1
SOURCE = "services.toml"


@dataclass(frozen=True)
class ServiceInfo:
    """A platform service: its identifier, names, and planned maintenance rule (if any)."""

    id: str
    name: Text
    rule: WindowRule | None
    policy: str | None = None  # the policy whose product it is, which holds its windows
    product: str | None = None  # that policy's product id (a case's ``product``)

    def name_in(self, language: str) -> str:
        return policies.text_in(self.name, language)


def parse_catalogue(data: Mapping[str, Any], source: str = SOURCE) -> tuple[ServiceInfo, ...]:
    """Every service of a catalogue document, in its order; a ``PolicyError`` names the key."""
    top = Table(dict(data), "", source)
    if top.get("schema", int) != SCHEMA:
        raise top.error("schema", f"unsupported schema; expected {SCHEMA}")
    table = top.sub("services")
    found = tuple(_service(sid, table.sub(sid)) for sid in table.names())
    table.done()
    top.done()
    if not found:
        raise top.error("services", "names no service")
    return found


def _service(sid: str, st: Table) -> ServiceInfo:
    if not sid.replace("-", "").isalnum() or sid != sid.lower():
        raise st.error("", f"service identifier {sid!r} is not lower-case letters, digits and '-'")
    policy_id = st.get("policy", str, None)
    if policy_id is not None:
        return _from_policy(sid, st, policy_id)
    name = parse_text(st, "name")
    missing = [lang for lang in LANGUAGES if lang not in name]
    if missing:
        raise st.error("name", f"needs a name in {', '.join(missing)}")
    rule = None
    if st.has("windows"):
        zone = st.get("zone", str)
        windows = st.get("windows", dict)
        rule = st.convert("windows", windows, lambda w: WindowRule.parse(_zone(zone), w))
    st.done()
    return ServiceInfo(sid, name, rule)


def _from_policy(sid: str, st: Table, policy_id: str) -> ServiceInfo:
    policy = st.convert("policy", policy_id, policies.load)
    product = st.get("product", str)
    if product not in policy.products:
        raise st.error("product", f"unknown product {product!r}; not a product of {policy}")
    for key in ("name", "zone", "windows"):
        if st.has(key):
            raise st.error(key, f"comes from the product {product!r} of {policy}")
    st.done()
    rules = [m for m in policy.maintenance if m.product == product]
    if len(rules) > 1:
        raise st.error("product", f"{policy} has {len(rules)} maintenance rules for {product!r}")
    rule = None
    if rules:
        zone = rules[0].zone
        rule = st.convert("product", rules[0].windows, lambda w: WindowRule.parse(_zone(zone), w))
    return ServiceInfo(sid, dict(policy.products[product]), rule, policy.id, product)


def _zone(zone: str) -> str | None:
    """``"customer"``: the customer's local time; anything else is an IANA zone."""
    return None if zone == "customer" else zone


@cache
def catalogue() -> tuple[ServiceInfo, ...]:
    """The shipped catalogue, loaded and validated once."""
    item = resources.files("caredesk.status") / SOURCE
    try:
        data = tomllib.loads(item.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{SOURCE}: not valid TOML: {exc}") from None
    return parse_catalogue(data)


def service(service_id: str) -> ServiceInfo:
    """The service ``service_id``, or ``ValueError`` naming it and the known ones."""
    for found in catalogue():
        if found.id == service_id:
            return found
    names = ", ".join(s.id for s in catalogue())
    raise ValueError(f"unknown service {service_id!r}; expected one of: {names}")
