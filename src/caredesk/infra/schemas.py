"""What every request body of the API is held to."""

from __future__ import annotations

from ninja import Schema
from pydantic import ConfigDict


class Strict(Schema):
    """A request body as a client must send it: no unknown field, and no value of another
    JSON type taken for the one asked (``true`` is not severity 1, ``"2"`` is not 2)."""

    model_config = ConfigDict(extra="forbid", strict=True)
