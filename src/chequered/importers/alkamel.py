"""Al Kamel Systems CSV exports: lap analysis ("23_" files) and results / classification ("03_", "05_").

Read by header name, never by position: WEC 2019 and 2023+, IMSA "Time Cards" re-written with commas,
and the SRO / GR Cup layout with sub-sector columns all share the column names. Car numbers stay strings.
The in-lap carries ``CROSSING_FINISH_LINE_IN_PIT = B``; the pit-lane time sits on the following out-lap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.model import Driver, DriverCategory, Entry, Lap, Timing
from chequered.core.timefmt import parse_duration
from chequered.importers.text import RowReader, decode, rows

LAP_COLUMNS = ("NUMBER", "LAP_NUMBER", "LAP_TIME", "ELAPSED")
RESULT_ALIASES = {
    "POSITION": ("POSITION", "POS"),
    "NUMBER": ("NUMBER",),
    "LAPS": ("LAPS", "LAP"),
    "TOTAL_TIME": ("TOTAL_TIME", "ELAPSED", "TIME"),
}
_SECTORS = ("S1", "S2", "S3")
_CATEGORIES = {c.value.lower(): c for c in DriverCategory}


@dataclass(frozen=True, slots=True)
class OfficialResult:
    """One row of an official results file, as published."""

    position: int | None
    number: str
    status: str
    laps: int | None
    total_time_ms: int | None
    best_lap: int | None
    best_lap_ms: int | None
    entry: Entry


class _Row:
    """Typed access to one CSV row by column name, turning every bad value into a ParseError."""

    __slots__ = ("index", "line", "memo", "row", "source")

    def __init__(self, source: str, index: dict[str, int]) -> None:
        self.source = source
        # Sector and lap times repeat across a long race; a parsed value is a dict lookup away.
        self.memo: dict[str, int] = {}
        self.index = index
        self.row: list[str] = []
        self.line = 0

    def text(self, column: str) -> str:
        i = self.index.get(column)
        if i is None or i >= len(self.row):
            return ""
        return self.row[i].strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise ParseError(self.source, self.line, column, "value is missing (truncated row?)")
        return value

    def convert(self, column: str, value: str, parse: Callable[[str], int], what: str) -> int:
        try:
            return parse(value)
        except ValueError:
            raise ParseError(self.source, self.line, column, f"{value!r} is not {what}") from None

    def time(self, column: str) -> int | None:
        value = self.text(column)
        return self.convert(column, value, parse_duration, "a time") if value else None

    def time_at(self, i: int) -> int | None:
        value = self.row[i]
        if not value:
            return None
        known = self.memo.get(value)
        if known is not None:
            return known
        try:
            parsed = self.memo[value] = parse_duration(value)
            return parsed
        except ValueError:
            try:
                return parse_duration(value.strip()) if value.strip() else None
            except ValueError:
                name = self.column_name(i)
                raise ParseError(self.source, self.line, name, f"{value!r} is not a time") from None

    def whole(self, i: int) -> int:
        value = self.row[i]
        if value.isdigit() and value.isascii():
            return int(value)
        return self.convert(self.column_name(i), value.strip(), _strict_int, "a whole number")

    def speed(self, i: int) -> float:
        try:
            return float(self.row[i])
        except ValueError:
            raise ParseError(
                self.source, self.line, self.column_name(i), f"{self.row[i]!r} is not a speed"
            ) from None

    def column_name(self, i: int) -> str:
        return next((name for name, j in self.index.items() if j == i), f"#{i + 1}")

    def integer(self, column: str) -> int | None:
        value = self.text(column)
        return self.convert(column, value, _strict_int, "a whole number") if value else None


def _strict_int(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(text)
    return int(text)


def _open(data: bytes, source: str, needed: Sequence[str], what: str) -> tuple[list[str], RowReader]:
    header, reader = rows(decode(data, source))
    missing = [name for name in needed if name not in header]
    if missing:
        raise ParseError(source, 1, missing[0], f"header is not an Al Kamel {what} header (no {missing[0]})")
    return header, reader


def parse_laps(data: bytes, source: str) -> Timing:
    """Read a lap analysis file into entries (one per car, crew from the drivers seen) and laps."""
    header, reader = _open(data, source, LAP_COLUMNS, "lap analysis")
    index = {name: i for i, name in enumerate(header)}
    row = _Row(source, index)
    width = max(index[name] for name in LAP_COLUMNS) + 1
    i_number, i_lap, i_time, i_elapsed = (index[name] for name in LAP_COLUMNS)
    # Optional columns point at a trailing empty field when absent, so the hot loop never branches on them.
    blank = len(header)
    i_driver, i_name, i_pit, i_pit_time, i_flag, i_kph = (
        index.get(name, blank)
        for name in (
            "DRIVER_NUMBER",
            "DRIVER_NAME",
            "CROSSING_FINISH_LINE_IN_PIT",
            "PIT_TIME",
            "FLAG_AT_FL",
            "KPH",
        )
    )
    sector_index = [index[name] for name in _SECTORS if name in index]
    padding = [""] * (blank + 1)
    time = row.time_at

    laps: list[Lap] = []
    append = laps.append
    cars: dict[str, str] = {}  # number -> key of the car currently reporting under it
    last_lap: dict[str, int] = {}
    crews: dict[str, dict[int, str]] = {}
    first_rows: dict[str, list[str]] = {}
    notes: list[str] = []
    previous_key = ""
    for fields in reader:
        if len(fields) <= blank:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) < width:
                raise ParseError(source, reader.line_num, header[len(fields)], "row is truncated")
            fields = fields + padding[len(fields) :]
        row.row, row.line = fields, reader.line_num
        number = fields[i_number].strip()
        if not number:
            raise ParseError(source, row.line, "NUMBER", "car number is missing")
        lap_no = row.whole(i_lap)
        key = cars.get(number, number)
        if key in last_lap and lap_no <= last_lap[key] and previous_key != key:
            # The same number again with its laps starting over: a second car under one number.
            key = f"{number}#{sum(1 for k in first_rows if k.split('#')[0] == number) + 1}"
            notes.append(f"two cars carry number {number}; the one from line {row.line} is keyed {key}")
        cars[number] = key
        last_lap[key] = lap_no
        previous_key = key
        if key not in first_rows:
            first_rows[key] = fields
        driver_text = fields[i_driver]
        driver = row.whole(i_driver) if driver_text else 1
        driver_name = fields[i_name].strip()
        crew = crews.get(key)
        if crew is None:
            crew = crews[key] = {}
        if driver not in crew:
            crew[driver] = driver_name
        elapsed = time(i_elapsed)
        if elapsed is None:
            raise ParseError(source, row.line, "ELAPSED", "value is missing (truncated row?)")
        kph = fields[i_kph]
        append(
            Lap(
                key,
                lap_no,
                time(i_time),
                elapsed,
                driver,
                driver_name,
                tuple([time(i) for i in sector_index]),
                fields[i_pit].strip() == "B",
                time(i_pit_time),
                fields[i_flag].strip(),
                row.speed(i_kph) if kph else None,
            )
        )
    if not laps:
        raise ParseError(source, reader.line_num + 1, None, "no lap rows after the header (truncated file?)")
    entries = []
    for key, fields in first_rows.items():
        row.row = fields
        entries.append(_lap_entry(key, row, crews[key]))
    return Timing(entries=tuple(entries), laps=tuple(laps), source=source, notes=tuple(notes))


def _lap_entry(key: str, row: _Row, crew: dict[int, str]) -> Entry:
    drivers = tuple(Driver(name=crew[slot]) for slot in sorted(crew)) if any(crew.values()) else ()
    return Entry(
        car=key,
        number=row.required("NUMBER"),
        car_class=row.text("CLASS"),
        team=row.text("TEAM"),
        group=row.text("GROUP"),
        manufacturer=row.text("MANUFACTURER"),
        drivers=drivers,
    )


def _resolve(header: Sequence[str], source: str) -> dict[str, str]:
    """Map canonical result columns to the names this file uses."""
    names: dict[str, str] = {}
    for canonical, aliases in RESULT_ALIASES.items():
        found = next((alias for alias in aliases if alias in header), None)
        if found is None:
            raise ParseError(
                source, 1, canonical, f"header is not an Al Kamel results header (no {canonical})"
            )
        names[canonical] = found
    return names


def parse_results(data: bytes, source: str) -> list[OfficialResult]:
    """Read an official results / classification file, rows in published order."""
    header, reader = rows(decode(data, source))
    names = _resolve(header, source)
    row = _Row(source, {name: i for i, name in enumerate(header)})
    results: list[OfficialResult] = []
    seen: dict[str, int] = {}
    for fields in reader:
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        row.row, row.line = fields, reader.line_num
        number = row.required(names["NUMBER"])
        seen[number] = seen.get(number, 0) + 1
        key = number if seen[number] == 1 else f"{number}#{seen[number]}"
        position_text = row.text(names["POSITION"])
        results.append(
            OfficialResult(
                position=row.integer(names["POSITION"]) if position_text.isdigit() else None,
                number=number,
                status=row.text("STATUS"),
                laps=row.integer(names["LAPS"]),
                total_time_ms=row.time(names["TOTAL_TIME"]),
                best_lap=row.integer("FL_LAPNUM") if "FL_LAPNUM" in header else row.integer("BEST_LAP_NUM"),
                best_lap_ms=row.time("FL_TIME") if "FL_TIME" in header else row.time("BEST_LAP_TIME"),
                entry=Entry(
                    car=key,
                    number=number,
                    car_class=row.text("CLASS"),
                    team=row.text("TEAM"),
                    car_model=row.text("VEHICLE"),
                    group=row.text("GROUP"),
                    drivers=_result_drivers(row),
                ),
            )
        )
    if not results:
        raise ParseError(
            source, reader.line_num + 1, None, "no result rows after the header (truncated file?)"
        )
    return results


def _result_drivers(row: _Row) -> tuple[Driver, ...]:
    drivers: list[Driver] = []
    for slot in range(1, 9):
        first, last = row.text(f"DRIVER{slot}_FIRSTNAME"), row.text(f"DRIVER{slot}_SECONDNAME")
        name = f"{first} {last}".strip() or row.text(f"DRIVER_{slot}")
        if not name:
            continue
        category = _CATEGORIES.get(row.text(f"DRIVER{slot}_LICENSE").lower())
        drivers.append(Driver(name=name, category=category, nationality=row.text(f"DRIVER{slot}_COUNTRY")))
    if not drivers and row.text("DRIVERS"):
        drivers = [Driver(name=name.strip()) for name in row.text("DRIVERS").split("/") if name.strip()]
    return tuple(drivers)


def merge_entries(timing: Timing, official: Sequence[OfficialResult]) -> tuple[Timing, dict[str, str]]:
    """Complete the entries of a lap file with an official file (team, model, crew, cars that never ran).

    Returns the merged timing and, for each official row key, the car key in the timing. Cars sharing one
    number (an anonymised data set) are told apart by their group, then by where they finished.
    """
    by_key = {entry.car: entry for entry in timing.entries}
    last: dict[str, Lap] = {}
    for lap in timing.laps:
        if lap.car not in last or lap.elapsed_ms >= last[lap.car].elapsed_ms:
            last[lap.car] = lap
    unclaimed = list(timing.entries)
    mapping: dict[str, str] = {}
    merged: dict[str, Entry] = {}
    for result in official:
        same_number = [e for e in unclaimed if e.number == result.number]
        match = min(same_number, key=lambda e: _likeness(e, last.get(e.car), result), default=None)
        key = match.car if match else result.entry.car
        if match:
            unclaimed.remove(match)
        while key in merged:  # an official-only duplicate number
            key += "'"
        mapping[result.entry.car] = key
        lap_entry = by_key.get(key)
        entry = result.entry
        merged[key] = Entry(
            car=key,
            number=result.number,
            car_class=entry.car_class or (lap_entry.car_class if lap_entry else ""),
            team=entry.team or (lap_entry.team if lap_entry else ""),
            car_model=entry.car_model,
            drivers=entry.drivers or (lap_entry.drivers if lap_entry else ()),
            group=entry.group or (lap_entry.group if lap_entry else ""),
            manufacturer=lap_entry.manufacturer if lap_entry else "",
        )
    for entry in unclaimed:
        merged[entry.car] = entry
    return Timing(tuple(merged.values()), timing.laps, timing.source, timing.notes), mapping


def _likeness(entry: Entry, last: Lap | None, result: OfficialResult) -> tuple[bool, bool, int]:
    """How unlike an official row a car of the lap file is: group, then laps, then finishing time."""
    laps = last.lap if last else 0
    elapsed = last.elapsed_ms if last else 0
    return (
        entry.group.strip() != result.entry.group.strip(),
        laps != (result.laps or 0),
        abs(elapsed - (result.total_time_ms or 0)),
    )


def is_results_file(data: bytes, source: str) -> bool:
    header, _ = rows(decode(data, source))
    return "LAP_NUMBER" not in header and any(alias in header for alias in RESULT_ALIASES["TOTAL_TIME"])


def read_laps(path: Path) -> Timing:
    return parse_laps(_read(path), str(path))


def read_results(path: Path) -> list[OfficialResult]:
    return parse_results(_read(path), str(path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
