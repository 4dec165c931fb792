"""Al Kamel lap analysis ("23_Analysis", "23_Time Cards", "23_AnalysisEnduranceWithSections").

One row per crossing of the line, read by header name. The in-lap carries
``CROSSING_FINISH_LINE_IN_PIT = B``; the pit-lane time sits on the following out-lap.
"""

from __future__ import annotations

from chequered.core.errors import ParseError
from chequered.core.model import Driver, Entry, Lap, Timing
from chequered.core.timefmt import parse_duration
from chequered.importers.rows import Column, Table, whole_number

LAP_COLUMNS = ("NUMBER", "LAP_NUMBER", "LAP_TIME", "ELAPSED")
ENTRY_COLUMNS = ("CLASS", "TEAM", "GROUP", "MANUFACTURER")
SECTORS = ("S1", "S2", "S3")


def parse_laps(data: bytes, source: str, *, sectors: bool = True) -> Timing:
    """Read a lap analysis file into entries (one per car, crew from the drivers seen) and laps.

    ``sectors=False`` leaves the sector times unread (each lap's ``sectors`` empty): a classification
    has no use for them, and they are a third of the times in a long race file."""
    table = Table(data, source)
    missing = [name for name in LAP_COLUMNS if name not in table]
    if missing:
        raise ParseError(
            source, 1, missing[0], f"header is not an Al Kamel lap analysis header (no {missing[0]})"
        )
    splits = [Column(name, "a time", parse_duration) for name in SECTORS if sectors and name in table]
    columns = [
        Column("NUMBER", "car number", required=True),
        Column("LAP_NUMBER", "a lap number", whole_number, required=True),
        Column("LAP_TIME", "a time", parse_duration),
        Column("ELAPSED", "a time", parse_duration, required=True),
        Column("DRIVER_NUMBER", "a driver number", whole_number),
        Column("DRIVER_NAME", "a driver name"),
        Column("CROSSING_FINISH_LINE_IN_PIT", "a pit mark"),
        Column("PIT_TIME", "a time", parse_duration),
        Column("FLAG_AT_FL", "a flag"),
        Column("KPH", "a speed", float),
        Column("LAP_IMPROVEMENT", "an improvement mark", whole_number),
        *(Column(name, name.lower()) for name in ENTRY_COLUMNS),
        *splits,
    ]
    lines, values = table.columns(columns)
    cars = _Cars()
    laps = []
    for line, number, lap, lap_time, elapsed, driver, name, pit, pit_time, flag, kph, _, *rest in zip(
        lines, *values, strict=True
    ):
        entry, times = rest[: len(ENTRY_COLUMNS)], rest[len(ENTRY_COLUMNS) :]
        laps.append(
            Lap(
                car=cars.key(line, number, lap, driver or 1, name, entry),
                lap=lap,
                lap_time_ms=lap_time,
                elapsed_ms=elapsed,
                driver=driver or 1,
                driver_name=name,
                sectors=tuple(times),
                in_pit=pit == "B",
                pit_time_ms=pit_time,
                flag=flag,
                kph=kph,
            )
        )
    if not laps:
        raise ParseError(source, 2, None, "no lap rows after the header (truncated file?)")
    if "LAP_IMPROVEMENT" in table:
        laps = _counted(laps, values[10])
    return Timing(entries=cars.entries(), laps=tuple(laps), source=source, notes=tuple(cars.notes))


def _counted(laps: list[Lap], marks: list[int | None]) -> list[Lap]:
    """Laps whose time the timing system did not count, from what each row says about itself.

    Al Kamel marks a lap that improved a best (``LAP_IMPROVEMENT`` above 0), and every car that sets a
    time has its first timed lap marked at least; a car whose times were all deleted (Road Atlanta 2023
    qualifying: #59 and #63, classified without a time) has no mark left. The marks are not kept
    reliably otherwise (#47's counted 1:24.981 is unmarked there), so they are read for that only."""
    marked = {lap.car for lap, mark in zip(laps, marks, strict=True) if mark}
    return [lap if lap.car in marked else lap._replace(counts=False) for lap in laps]


class _Cars:
    """The cars of a file as its rows are read: the car key of each row, each car's entry and crew."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self._last_lap: dict[str, int] = {}  # by car key
        self._current: dict[str, str] = {}  # the key a number stands for now
        self._previous = ""  # the number of the row before
        self._entries: dict[str, tuple[str, ...]] = {}  # key: number, class, team, group, manufacturer
        self._crews: dict[str, dict[int, str]] = {}

    def key(self, line: int, number: str, lap: int, driver: int, name: str, entry: list[str]) -> str:
        """The car key of a row. A number whose laps start over after another car's rows is a second
        car under the same number (anonymised data sets have them); it is keyed ``number#2``."""
        key = self._current.get(number, number)
        if number != self._previous and key in self._last_lap and lap <= self._last_lap[key]:
            count = sum(1 for k in self._last_lap if k.split("#")[0] == number) + 1
            key = f"{number}#{count}"
            self.notes.append(f"two cars carry number {number}; the one from line {line} is keyed {key}")
        if key not in self._entries:
            self._entries[key] = (number, *entry)
        self._current[number] = key
        self._previous = number
        self._last_lap[key] = lap
        self._crews.setdefault(key, {}).setdefault(driver, name)
        return key

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
