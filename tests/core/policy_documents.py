"""The shipped policy documents as the parser reads them, for the tests of what they say and
of each mistake's message: ``document`` (a file's TOML, to change before parsing), ``fresh``
(a file parsed again, not the cached ``policies.load``) and ``refused`` (the message a
changed document is refused with)."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest

from caredesk.core.policy import Policy, PolicyError, parse_policy

RESELLER = "genesys-care-cloud-reseller-v4.toml"
SUPPORT = "purecloud-support-v1.toml"
CARE = "purecloud-customer-care-v1.toml"


def document(name: str) -> dict[str, Any]:
    text = (resources.files("caredesk") / "policies" / name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def fresh(name: str) -> Policy:
    return parse_policy(document(name), name)


def refused(doc: dict[str, Any]) -> str:
    """The message ``doc``, parsed as ``custom.toml``, is refused with (without the name)."""
    with pytest.raises(PolicyError) as err:
        parse_policy(doc, "custom.toml")
    return str(err.value).removeprefix("custom.toml: ")
