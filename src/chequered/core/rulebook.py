"""The rules of a series as data: a TOML rulebook, validated into frozen dataclasses.

Every key is checked for type and range, unknown keys are refused (a typo must not silently fall back
to a default), and each error names the key and why it is wrong. Values that no source confirms are
listed under ``[assumptions]`` with the reason, so a reader can tell a rule from a guess.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chequered.core.errors import RulebookError


@dataclass(frozen=True, slots=True)
class ClassificationRules:
    """Who is classified.

    ``min_distance`` is the fraction of the winner's laps a car must cover (0 = no threshold);
    ``distance_basis`` says whose laps: the overall winner's or the car's class winner's.
    ``must_take_flag``: a car that did not cross the line under the chequered flag is not classified.
    """

    min_distance: Fraction = Fraction(0)
    distance_basis: str = "overall"
    must_take_flag: bool = False


@dataclass(frozen=True, slots=True)
class Rulebook:
    id: str
    name: str
    season: int | None = None
    classification: ClassificationRules = field(default_factory=ClassificationRules)
    assumptions: Mapping[str, str] = field(default_factory=dict)


DEFAULT_RULEBOOK = Rulebook(id="default", name="No threshold, flag not required")


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


def _classification(reader: TableReader) -> ClassificationRules:
    rules = ClassificationRules(
        min_distance=reader.fraction("min_distance", Fraction(0)),
        distance_basis=reader.choice("distance_basis", ("overall", "class"), "overall"),
        must_take_flag=reader.boolean("must_take_flag", False),
    )
    reader.finish()
    return rules


def parse_rulebook(text: str, source: str = "<rulebook>") -> Rulebook:
    """Parse and validate a rulebook; raise ``RulebookError`` naming the key on any problem."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(source, "(file)", f"not valid TOML: {exc}") from None
    root = TableReader(source, document, "")
    head = root.table_("rulebook")
    identity = head.string("id", required=True)
    name = head.string("name", identity)
    season = head.integer("season", None, minimum=1900)
    head.finish()
    classification = _classification(root.table_("classification"))
    assumptions_reader = root.table_("assumptions")
    assumptions: dict[str, str] = {}
    for key in list(assumptions_reader.table):
        assumptions[key] = assumptions_reader.string(key)
    root.finish()
    return Rulebook(
        id=identity, name=name, season=season, classification=classification, assumptions=assumptions
    )
