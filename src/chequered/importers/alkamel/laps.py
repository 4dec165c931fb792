"""Al Kamel lap analysis ("23_Analysis", "23_Time Cards", "23_AnalysisEnduranceWithSections").

One row per crossing of the line. Read by header name, column at a time (see ``columns``). The in-lap
carries ``CROSSING_FINISH_LINE_IN_PIT = B``; the pit-lane time sits on the following out-lap.
"""

from __future__ import annotations

import itertools
from functools import partial

from chequered.core.errors import ParseError
from chequered.core.model import Driver, Entry, Lap, Timing
from chequered.importers.columns import Table, blocks, collection_paused

LAP_COLUMNS = ("NUMBER", "LAP_NUMBER", "LAP_TIME", "ELAPSED")
ENTRY_COLUMNS = ("CLASS", "TEAM", "GROUP", "MANUFACTURER")
SECTORS = ("S1", "S2", "S3")
READ = (
    *LAP_COLUMNS,
    *SECTORS,
    "DRIVER_NUMBER",
    "DRIVER_NAME",
    "CROSSING_FINISH_LINE_IN_PIT",
    "PIT_TIME",
    "FLAG_AT_FL",
    "KPH",
    *ENTRY_COLUMNS,
)
_new_lap = partial(tuple.__new__, Lap)


def parse_laps(data: bytes, source: str) -> Timing:
    """Read a lap analysis file into entries (one per car, crew from the drivers seen) and laps."""
    with collection_paused():
        return _parse_laps(data, source)


def _parse_laps(data: bytes, source: str) -> Timing:
    header, tables = blocks(source, data, wanted=READ)
    missing = [name for name in LAP_COLUMNS if name not in header]
    if missing:
        raise ParseError(
            source, 1, missing[0], f"header is not an Al Kamel lap analysis header (no {missing[0]})"
        )
    cars = _Cars()
    laps: list[Lap] = []
    for table in tables:  # a block at a time: its strings are freed while they are still in cache
        laps += _laps(table, cars)
    if not laps:
        raise ParseError(source, 2, None, "no lap rows after the header (truncated file?)")
    return Timing(entries=cars.entries(), laps=tuple(laps), source=source, notes=tuple(cars.notes))


def _laps(table: Table, cars: _Cars) -> list[Lap]:
    numbers = table.required_text("NUMBER", "car number")
    lap_numbers = table.whole_numbers("LAP_NUMBER", "a lap number", required=True)
    # Elapsed first: a row cut short by a truncated file is missing its last required field.
    elapsed = table.durations("ELAPSED", required=True)
    keys = cars.keys(table, numbers, lap_numbers)
    drivers = [d or 1 for d in table.whole_numbers("DRIVER_NUMBER", "a driver number")]
    names = cars.shared(table.text("DRIVER_NAME"))
    cars.crews(keys, drivers, names)
    sectors = list(zip(*(table.durations(s) for s in SECTORS if table.has(s)), strict=True))
    return list(
        map(
            _new_lap,
            zip(
                keys,
                lap_numbers,
                table.durations("LAP_TIME"),
                elapsed,
                drivers,
                names,
                sectors or [()] * table.count,
                map("B".__eq__, table.text("CROSSING_FINISH_LINE_IN_PIT")),
                table.durations("PIT_TIME"),
                cars.shared(table.text("FLAG_AT_FL")),
                table.decimals("KPH", "a speed"),
                strict=True,
            ),
        )
    )


class _Cars:
    """The cars of a file as its blocks are read: the car key of each row, each car's entry and crew."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self._last_lap: dict[str, int] = {}  # by car key
        self._current: dict[str, str] = {}  # the key a number stands for now
        self._previous = ""  # the number of the row before this block
        self._entries: dict[str, tuple[str, ...]] = {}  # key: number, class, team, group, manufacturer
        self._crews: dict[str, dict[int, str]] = {}
        self._texts: dict[str, str] = {}

    def shared(self, values: list[str]) -> list[str]:
        """One string for every repeat of a value (a driver's name, a flag): the laps hold a few hundred
        strings instead of one each, and each block's copies are freed while still in cache."""
        return list(map(self._texts.setdefault, values, values))

    def keys(self, table: Table, numbers: list[str], lap_numbers: list[int | None]) -> list[str]:
        """The car key of each row. A number whose laps start over after another car's rows is a second
        car under the same number (anonymised data sets have them); it is keyed ``number#2``."""
        keys: list[str] = []
        start = 0
        for number, block in itertools.groupby(numbers):
            size = sum(1 for _ in block)
            key = self._current.get(number, number)
            first = lap_numbers[start] or 0
            continued = start == 0 and number == self._previous  # the same car across two blocks
            if not continued and key in self._last_lap and first <= self._last_lap[key]:
                count = sum(1 for k in self._last_lap if k.split("#")[0] == number) + 1
                key = f"{number}#{count}"
                self.notes.append(
                    f"two cars carry number {number}; the one from line {table.lines[start]} is keyed {key}"
                )
            if key not in self._entries:
                self._entries[key] = tuple(table.value(name, start) for name in ("NUMBER", *ENTRY_COLUMNS))
            self._current[number] = key
            self._last_lap[key] = lap_numbers[start + size - 1] or 0
            keys.extend([key] * size)
            start += size
        self._previous = numbers[-1] if numbers else self._previous
        return keys

    def crews(self, keys: list[str], drivers: list[int], names: list[str]) -> None:
        for key, slot, name in dict.fromkeys(zip(keys, drivers, names, strict=True)):
            self._crews.setdefault(key, {}).setdefault(slot, name)

    def entries(self) -> tuple[Entry, ...]:
        entries = []
        for key, crew in self._crews.items():
            number, car_class, team, group, manufacturer = self._entries[key]
            entries.append(
                Entry(
                    car=key,
                    number=number,
                    car_class=car_class,
                    team=team,
                    group=group,
                    manufacturer=manufacturer,
                    drivers=tuple(Driver(name=crew[slot]) for slot in sorted(crew))
                    if any(crew.values())
                    else (),
                )
            )
        return tuple(entries)
