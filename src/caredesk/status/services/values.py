"""Checks of the values Care writes into the status app, shared by its use-cases: each
refusal one sentence naming the bad value and what is expected (422)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from caredesk.core.calendar import require_aware
from caredesk.infra.errors import DomainError
from caredesk.status.catalogue import ServiceInfo, catalogue


def invalid(field: str, message: str) -> DomainError:
    return DomainError(message, errors=[{"field": field, "message": message}], status=422)


def aware(value: datetime, field: str) -> datetime:
    try:
        require_aware(value, field)
    except ValueError as exc:
        raise invalid(field, str(exc)) from None
    return value.astimezone(UTC)


def affected_services(ids: Sequence[str]) -> list[ServiceInfo]:
    known = {info.id: info for info in catalogue()}
    if not ids:
        raise invalid("services", "no service named; expected at least one service id")
    for sid in ids:
        if sid not in known:
            names = ", ".join(known)
            raise invalid("services", f"unknown service {sid!r}; expected services from: {names}")
    return [known[sid] for sid in dict.fromkeys(ids)]
