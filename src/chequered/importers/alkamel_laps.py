"""Al Kamel lap analysis ("23_Analysis", "23_Time Cards", "23_AnalysisEnduranceWithSections").

One row per crossing of the line. Read by header name, column at a time (see ``columns``). The in-lap
carries ``CROSSING_FINISH_LINE_IN_PIT = B``; the pit-lane time sits on the following out-lap.
"""

from __future__ import annotations

import itertools
from functools import partial

from chequered.core.errors import ParseError
from chequered.core.model import Driver, Entry, Lap, Timing
from chequered.importers.columns import Table, collection_paused
from chequered.importers.text import decode

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
    table = Table.read(source, decode(data, source), wanted=READ)
    missing = [name for name in LAP_COLUMNS if name not in table.header]
    if missing:
        raise ParseError(
            source, 1, missing[0], f"header is not an Al Kamel lap analysis header (no {missing[0]})"
        )
    if table.count == 0:
        raise ParseError(source, 2, None, "no lap rows after the header (truncated file?)")
    numbers = table.required_text("NUMBER", "car number")
    lap_numbers = table.whole_numbers("LAP_NUMBER", "a lap number", required=True)
    # Elapsed first: a row cut short by a truncated file is missing its last required field.
    elapsed = table.durations("ELAPSED", required=True)
    keys, notes = _car_keys(numbers, lap_numbers, table)
    drivers = [d or 1 for d in table.whole_numbers("DRIVER_NUMBER", "a driver number")]
    names = table.text("DRIVER_NAME")
    sectors = list(zip(*(table.durations(s) for s in SECTORS if table.has(s)), strict=True))
    laps = list(
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
                table.text("FLAG_AT_FL"),
                table.convert("KPH", float, "a speed"),
                strict=True,
            ),
        )
    )
    return Timing(entries=_entries(table, keys, drivers, names), laps=tuple(laps), source=source, notes=notes)


def _car_keys(
    numbers: list[str], lap_numbers: list[int | None], table: Table
) -> tuple[list[str], tuple[str, ...]]:
    """The car key of each row. A number whose laps start over after another car's rows is a second car
    under the same number (anonymised data sets have them); it is keyed ``number#2``."""
    keys: list[str] = []
    last_lap: dict[str, int] = {}
    current: dict[str, str] = {}
    notes: list[str] = []
    start = 0
    for number, block in itertools.groupby(numbers):
        size = sum(1 for _ in block)
        key = current.get(number, number)
        first = lap_numbers[start] or 0
        if key in last_lap and first <= last_lap[key]:
            count = sum(1 for k in last_lap if k.split("#")[0] == number) + 1
            key = f"{number}#{count}"
            notes.append(
                f"two cars carry number {number}; the one from line {table.lines[start]} is keyed {key}"
            )
        current[number] = key
        last_lap[key] = lap_numbers[start + size - 1] or 0
        keys.extend([key] * size)
        start += size
    return keys, tuple(notes)


def _entries(table: Table, keys: list[str], drivers: list[int], names: list[str]) -> tuple[Entry, ...]:
    crews: dict[str, dict[int, str]] = {}
    for key, slot, name in dict.fromkeys(zip(keys, drivers, names, strict=True)):
        crews.setdefault(key, {}).setdefault(slot, name)
    first_row = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
    entries = []
    for key, crew in crews.items():
        i = first_row[key]
        entries.append(
            Entry(
                car=key,
                number=table.value("NUMBER", i),
                car_class=table.value("CLASS", i),
                team=table.value("TEAM", i),
                group=table.value("GROUP", i),
                manufacturer=table.value("MANUFACTURER", i),
                drivers=tuple(Driver(name=crew[slot]) for slot in sorted(crew)) if any(crew.values()) else (),
            )
        )
    return tuple(entries)
