"""Read-only API over the shipped support policies (the core's data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from caredesk.core import policy as policies
from caredesk.site.errors import NotFound

router = Router(tags=["policies"])


def _describe(policy: policies.Policy) -> dict[str, Any]:
    return {
        "id": policy.id,
        "version": policy.version,
        "title": policy.title,
        "effective": policy.effective.isoformat(),
        "severities": {
            str(s.level): {"name": dict(s.name), "definition": dict(s.definition)}
            for s in policy.severities.values()
        },
        "plans": {
            plan.id: {
                "name": dict(plan.name),
                "channels": {str(k): sorted(c.value for c in v) for k, v in plan.channels.items()},
                "targets": {
                    case_type.value: {
                        str(sev): {
                            m: (str(d) if (d := row.get(policies.Metric(m))) else None)
                            for m in ("response", "restoration", "resolution")
                        }
                        for sev, row in rows.items()
                    }
                    for case_type, rows in plan.targets.items()
                },
            }
            for plan in policy.plans.values()
        },
        "intake_fields": [
            {"key": f.key, "label": dict(f.label), "required": f.required}
            for f in policy.intake.fields
        ],
    }


@router.get("", summary="List the shipped support policies")
def list_policies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_describe(p) for p in policies.list_policies()]


@router.get("/{policy_id}", summary="One policy (its newest version)")
def get_policy(request: HttpRequest, policy_id: str) -> dict[str, Any]:
    try:
        return _describe(policies.load(policy_id))
    except ValueError as exc:
        raise NotFound(str(exc)) from None
