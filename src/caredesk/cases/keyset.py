"""The lists' two orders and their cursors.

A page after a cursor starts where the previous one ended, found by the sort key of its
last case (keyset pagination): the database seeks in the order's index instead of walking
``offset`` rows, so a page costs the same on the first page and the thousandth, and cases
opened meanwhile neither repeat nor vanish between pages. A cursor is opaque to clients:
the order's letter and the last case's key, base64url-encoded; instants travel as integer
microseconds since the epoch, so no time zone can be misread.

Each order is written twice, as SQL for the hand-written page of an unfiltered list
(``store.unfiltered_page``, from ``columns``) and as querysets for filtered lists
(``fields``); a test compares every page.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from caredesk.cases.models import Case, queue_due
from caredesk.infra.errors import DomainError, named

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _instant(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _aware(value: datetime | str) -> datetime:
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Order:
    """One order of the lists: its letter in cursors, the columns of its key (the last is
    the case id, which makes every key unique), each ascending or not."""

    letter: str
    columns: tuple[str, ...]  # as selected from ``cases_case c``; ``store`` fills ``{never}``
    fields: tuple[str, ...]  # the same keys for querysets (``due`` is ``queue_due()``)
    ascending: bool
    instants: tuple[int, ...]  # which key positions are instants

    def order_by(self, columns: list[str]) -> str:
        """The order over ``columns``, the key's columns as selected (e.g. aliased)."""
        way = "ASC" if self.ascending else "DESC"
        return ", ".join(f"{c} {way}" for c in columns)

    def ordered(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        if "due" in self.fields:
            qs = qs.annotate(due=queue_due())
        return qs.order_by(*(f if self.ascending else f"-{f}" for f in self.fields))

    def key_of(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The key among a row of ``columns`` as read by ``infra.rows.fetch``: SQLite gives
        instants naive, in UTC (a column as a datetime, an expression as the stored text)."""
        return tuple(_aware(v) if i in self.instants else v for i, v in enumerate(row))

    def after(self, qs: QuerySet[Case], key: tuple[Any, ...]) -> QuerySet[Case]:
        """``qs`` (already ``ordered``) past ``key``: (a, b, c) > (x, y, z) spelt out as
        a > x, or a = x and b > y, or a = x and b = y and c > z."""
        way = "gt" if self.ascending else "lt"
        past = Q()
        for i, name in enumerate(self.fields):
            step = Q(**{f"{name}__{way}": key[i]})
            for j in range(i):
                step &= Q(**{self.fields[j]: key[j]})
            past |= step
        return qs.filter(past)

    def key_values(self, qs: QuerySet[Case]) -> QuerySet[Case, tuple[Any, ...]]:
        """The id and the key of each case of ``qs`` (already ``ordered``)."""
        return qs.values_list("id", *self.fields)

    def encode(self, key: tuple[Any, ...]) -> str:
        parts = [self.letter]
        for i, value in enumerate(key):
            parts.append(str(_micros(value) if i in self.instants else value))
        return base64.urlsafe_b64encode(".".join(parts).encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, ...]:
        """The key in ``cursor``; a cursor this order did not give is refused."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
            letter, *parts = text.split(".")
            if letter != self.letter or len(parts) != len(self.columns):
                raise ValueError(text)
            numbers = [int(p) for p in parts]
            return tuple(_instant(n) if i in self.instants else n for i, n in enumerate(numbers))
        except (ValueError, UnicodeError, binascii.Error, OverflowError):
            raise DomainError(
                _(
                    "after %(cursor)s is not a cursor this list gave; pass the 'next' of one "
                    "of its pages, or leave 'after' out to start again"
                )
                % {"cursor": named(cursor)}
            ) from None


NEWEST = Order(
    letter="n",
    columns=("c.opened_at", "c.id"),
    fields=("opened_at", "id"),
    ascending=False,
    instants=(0,),
)
QUEUE = Order(
    letter="q",
    columns=("c.severity", "c.priority", "COALESCE(c.next_due, {never})", "c.id"),
    fields=("severity", "priority", "due", "id"),
    ascending=True,
    instants=(2,),
)
