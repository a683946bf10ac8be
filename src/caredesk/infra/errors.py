"""Errors that services raise for people: one clear sentence, and an HTTP status.

A refusal's sentence is written with gettext and built where it is raised, inside the
request, after the reader's language was activated (the pages: their profile's; the API:
the caller's profile's), so it reads in that language. Its ``status`` and the ``field`` of
its ``errors`` stay the same in every language: programs decide on those."""

from __future__ import annotations

from django.utils.translation import gettext


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


def named(value: object, words: str | None = None, *, quoted: bool = True) -> str:
    """A value named in a refusal: quoted as it was sent (``'waiting-on-customer'``), which
    is what an API caller types; where the reader's language has its own word for it
    (``words``: the catalogue's source string), that word with the value beside it."""
    text = str(value)
    if words is not None:
        said = gettext(words)
        if said != words:
            return gettext("“%(words)s” (%(value)s)") % {"words": said, "value": text}
    return repr(text) if quoted else text
