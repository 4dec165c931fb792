"""Al Kamel Systems CSV exports: lap analysis ("23_" files) and results / classification ("03_", "05_").

Read by header name, never by position: WEC 2019 and 2023+, IMSA "Time Cards" re-written with commas,
and the SRO / GR Cup layout with sub-sector columns all share the column names. Car numbers stay strings.
Lap analysis parsing lives in ``laps``; this module reads results and joins the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.model import Driver, DriverCategory, Entry, Lap, Timing
from chequered.importers.alkamel.laps import parse_laps
from chequered.importers.rows import Row, Table

RESULT_ALIASES = {
    "POSITION": ("POSITION", "POS"),
    "NUMBER": ("NUMBER",),
    "LAPS": ("LAPS", "LAP"),
    "TOTAL_TIME": ("TOTAL_TIME", "ELAPSED", "TIME"),
}
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
    table = Table(data, source)
    header = table.header
    names = _resolve(header, source)
    results: list[OfficialResult] = []
    seen: dict[str, int] = {}
    for row in table:
        number = row.required(names["NUMBER"], "car number")
        seen[number] = seen.get(number, 0) + 1
        key = number if seen[number] == 1 else f"{number}#{seen[number]}"
        position_text = row.text(names["POSITION"])
        results.append(
            OfficialResult(
                position=row.whole(names["POSITION"]) if position_text.isdigit() else None,
                number=number,
                status=row.text("STATUS"),
                laps=row.whole(names["LAPS"]),
                total_time_ms=row.time(names["TOTAL_TIME"]),
                best_lap=(row.whole("FL_LAPNUM") if "FL_LAPNUM" in header else row.whole("BEST_LAP_NUM"))
                or None,
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
        raise ParseError(source, table.line + 1, None, "no result rows after the header (truncated file?)")
    return results


def _result_drivers(row: Row) -> tuple[Driver, ...]:
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
    header = Table(data, source).header
    return "LAP_NUMBER" not in header and any(alias in header for alias in RESULT_ALIASES["TOTAL_TIME"])


def read_laps(path: Path, *, sectors: bool = True) -> Timing:
    return parse_laps(_read(path), str(path), sectors=sectors)


def read_results(path: Path) -> list[OfficialResult]:
    return parse_results(_read(path), str(path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
