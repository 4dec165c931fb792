"""Rulebook sections for what happens on track: classes and the FIA driver categories each admits, and
the pit-stop and driving-time rules a race is checked against."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from chequered.core.model import DriverCategory
from chequered.core.rulebook.reader import TableReader

_CATEGORIES = {c.value: c for c in DriverCategory}


@dataclass(frozen=True, slots=True)
class ClassRule:
    """A class and the crews it admits.

    ``crews`` lists the admitted combinations of FIA categories, in any order (``["Bronze", "Silver"]``
    admits a Silver with a Bronze); an empty list admits any crew. ``solo`` admits a one-driver crew whose
    category appears in an admitted combination.
    """

    id: str
    name: str
    crews: tuple[tuple[DriverCategory, ...], ...] = ()
    solo: bool = False

    def admits(self, categories: tuple[DriverCategory, ...]) -> bool:
        if not self.crews:
            return True
        wanted = Counter(categories)
        for crew in self.crews:
            if Counter(crew) == wanted:
                return True
            if self.solo and len(categories) == 1 and categories[0] in crew:
                return True
        return False


@dataclass(frozen=True, slots=True)
class PitRules:
    """Mandatory stops and driving times.

    The window opens and closes at race minutes ``window_open_min`` / ``window_close_min`` (pit entry
    must fall inside). A mandatory stop lasts at least ``min_stop_s`` from pit entry to pit exit, plus
    ``success_penalty_s[p-1]`` for a car that finished ``p``-th (by ``success_basis``) in the previous
    race. Each driver drives between ``min_drive_min`` and ``max_drive_min`` minutes.
    """

    mandatory_stops: int = 0
    driver_change: bool = False
    window_open_min: Fraction | None = None
    window_close_min: Fraction | None = None
    min_stop_s: Fraction | None = None
    success_penalty_s: tuple[Fraction, ...] = ()
    success_basis: str = "class"
    min_drive_min: Fraction | None = None
    max_drive_min: Fraction | None = None
    each_driver_must_drive: bool = False

    def stop_minimum_ms(self, previous_place: int | None) -> int | None:
        """The shortest legal mandatory stop for a car that finished ``previous_place`` last time."""
        if self.min_stop_s is None:
            return None
        extra = Fraction(0)
        if previous_place is not None and 1 <= previous_place <= len(self.success_penalty_s):
            extra = self.success_penalty_s[previous_place - 1]
        return int((self.min_stop_s + extra) * 1000)


def parse_classes(reader: TableReader, name: str) -> tuple[ClassRule, ...]:
    classes = []
    for table in reader.tables(name):
        crews = []
        raw_crews = table.raw("crews", [])
        if not isinstance(raw_crews, list):
            raise table.error("crews", "must be a list of lists of FIA categories")
        for i, crew in enumerate(raw_crews):
            if not isinstance(crew, list) or not crew:
                raise table.error(f"crews[{i}]", f"must be a list of FIA categories, not {crew!r}")
            for category in crew:
                if category not in _CATEGORIES:
                    raise table.error(
                        f"crews[{i}]",
                        f"{category!r} is not an FIA category ({', '.join(_CATEGORIES)})",
                    )
            crews.append(tuple(_CATEGORIES[c] for c in crew))
        identity = table.string("id", required=True)
        classes.append(
            ClassRule(
                id=identity,
                name=table.string("name", identity),
                crews=tuple(crews),
                solo=table.boolean("solo", False),
            )
        )
        table.finish()
    ids = [c.id for c in classes]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise reader.error(name, f"class {duplicate!r} is defined twice")
    return tuple(classes)


def _minutes(reader: TableReader, name: str) -> Fraction | None:
    value = reader.raw(name, None)
    return None if value is None else reader.amount(name, Fraction(0))


def parse_pit(reader: TableReader) -> PitRules:
    rules = PitRules(
        mandatory_stops=reader.integer("mandatory_stops", 0, minimum=0) or 0,
        driver_change=reader.boolean("driver_change", False),
        window_open_min=_minutes(reader, "window_open_min"),
        window_close_min=_minutes(reader, "window_close_min"),
        min_stop_s=_minutes(reader, "min_stop_s"),
        success_penalty_s=reader.amounts("success_penalty_s"),
        success_basis=reader.choice("success_basis", ("class", "overall"), "class"),
        min_drive_min=_minutes(reader, "min_drive_min"),
        max_drive_min=_minutes(reader, "max_drive_min"),
        each_driver_must_drive=reader.boolean("each_driver_must_drive", False),
    )
    if (
        rules.window_open_min is not None
        and rules.window_close_min is not None
        and rules.window_close_min <= rules.window_open_min
    ):
        raise reader.error("window_close_min", "must be after window_open_min")
    if (
        rules.min_drive_min is not None
        and rules.max_drive_min is not None
        and rules.max_drive_min < rules.min_drive_min
    ):
        raise reader.error("max_drive_min", "must not be below min_drive_min")
    reader.finish()
    return rules
