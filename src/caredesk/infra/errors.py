"""Errors that services raise for people: one clear sentence, and an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a message for the user; ``errors`` lists field-level problems."""

    status = 400

    def __init__(
        self, message: str, *, errors: list[dict[str, str]] | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        if status is not None:
            self.status = status


class PermissionDenied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409
