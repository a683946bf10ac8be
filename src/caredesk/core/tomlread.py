"""Strict reading of TOML tables: unknown keys and wrong types are errors naming the key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class PolicyError(ValueError):
    """A policy file that does not say what CareDesk can run; names file and key."""


class Table:
    """A TOML table being read; remembers which keys were used to refuse the others."""

    def __init__(self, data: Any, where: str, source: str) -> None:
        if not isinstance(data, dict):
            raise PolicyError(f"{source}: {where}: expected a table, got {data!r}")
        self._data: dict[str, Any] = data
        self._used: set[str] = set()
        self.where = where
        self.source = source

    def _path(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def error(self, key: str, problem: str) -> PolicyError:
        return PolicyError(f"{self.source}: {self._path(key)}: {problem}")

    def has(self, key: str) -> bool:
        return key in self._data

    def names(self) -> list[str]:
        return list(self._data)

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: Any = ...) -> Any:
        self._used.add(key)
        if key not in self._data:
            if default is ...:
                raise self.error(key, "missing")
            return default
        value = self._data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            if isinstance(kind, type):
                names = kind.__name__
            else:
                names = " or ".join(k.__name__ for k in kind)
            raise self.error(key, f"expected {names}, got {value!r}")
        return value

    def table(self, key: str, optional: bool = False) -> Table | None:
        if optional and key not in self._data:
            self._used.add(key)
            return None
        return Table(self.get(key, dict), self._path(key), self.source)

    def sub(self, key: str) -> Table:
        table = self.table(key)
        assert table is not None
        return table

    def tables(self, key: str) -> list[Table]:
        items = self.get(key, list, [])
        return [Table(item, f"{self._path(key)}[{i}]", self.source) for i, item in enumerate(items)]

    def convert(self, key: str, value: Any, parse: Callable[[Any], T]) -> T:
        """``parse(value)``, turning its ``ValueError`` into one naming file and key."""
        try:
            return parse(value)
        except PolicyError:
            raise
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def done(self) -> None:
        unknown = sorted(set(self._data) - self._used)
        if unknown:
            raise self.error(unknown[0], "unknown key")
