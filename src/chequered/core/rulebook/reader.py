"""Typed, key-by-key reading of rulebook TOML tables: every error names the key and why it is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from chequered.core.errors import RulebookError


class TableReader:
    """Reads one TOML table, key by key, and refuses keys nobody asked for."""

    def __init__(self, source: str, table: Mapping[str, Any], path: str) -> None:
        self.source = source
        self.table = table
        self.path = path
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, message: str) -> RulebookError:
        return RulebookError(self.source, self.key(name), message)

    def raw(self, name: str, default: Any = None, *, required: bool = False) -> Any:
        self.seen.add(name)
        if name not in self.table:
            if required:
                raise self.error(name, "is required")
            return default
        return self.table[name]

    def string(self, name: str, default: str = "", *, required: bool = False) -> str:
        value = self.raw(name, default, required=required)
        if not isinstance(value, str):
            raise self.error(name, f"must be a string, not {value!r}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, f"must be true or false, not {value!r}")
        return value

    def integer(self, name: str, default: int | None = None, *, minimum: int | None = None) -> int | None:
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"must be a whole number, not {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return value

    def number(
        self, name: str, default: float | None = None, *, minimum: float | None = None
    ) -> float | None:
        value = self.raw(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"must be a number, not {value!r}")
        if minimum is not None and value < minimum:
            raise self.error(name, f"must be at least {minimum}, not {value}")
        return float(value)

    def fraction(self, name: str, default: Fraction) -> Fraction:
        value = self.raw(name, None)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"must be a fraction between 0 and 1, not {value!r}")
        result = Fraction(str(value))
        if not 0 <= result <= 1:
            raise self.error(name, f"must be between 0 and 1, not {value}")
        return result

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def table_(self, name: str) -> TableReader:
        value = self.raw(name, {})
        if not isinstance(value, dict):
            raise self.error(name, "must be a table")
        return TableReader(self.source, value, self.key(name))

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            raise self.error(unknown[0], "is not a known key")

    def amount(self, name: str, default: Fraction) -> Fraction:
        """A non-negative number (points, factors, seconds) kept exact: ``16.5`` is 33/2."""
        value = self.raw(name, None)
        if value is None:
            return default
        return self._amount(name, value)

    def _amount(self, name: str, value: Any) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"must be a number, not {value!r}")
        if value < 0:
            raise self.error(name, f"must not be negative, not {value}")
        return Fraction(str(value))

    def amounts(self, name: str, default: tuple[Fraction, ...] = ()) -> tuple[Fraction, ...]:
        """A list of non-negative numbers, such as a points scale."""
        value = self.raw(name, None)
        if value is None:
            return default
        if not isinstance(value, list):
            raise self.error(name, f"must be a list of numbers, not {value!r}")
        return tuple(self._amount(f"{name}[{i}]", item) for i, item in enumerate(value))

    def strings(self, name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(name, None)
        if value is None:
            return default
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(name, f"must be a list of strings, not {value!r}")
        return tuple(value)

    def tables(self, name: str) -> list[TableReader]:
        """An array of tables (``[[name]]``), each read by its own reader."""
        value = self.raw(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(name, "must be an array of tables")
        return [TableReader(self.source, item, f"{self.key(name)}[{i}]") for i, item in enumerate(value)]
