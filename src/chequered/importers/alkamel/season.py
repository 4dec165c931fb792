"""A season directory of Al Kamel results files, read as championship results.

Each sub-directory holding results files is one round, in path order (``2023/08-long-beach`` before
``2023/12-watkins-glen``); each results file in it is one session, qualifying when its name says so,
else a race, named ``Q1``, ``Q2``... and ``R1``, ``R2``... in file order. Lap files are left alone.
Class positions come from the overall order within each class; the fastest lap of each points group
(class or overall) is the car with the best lap time in it. With ``drive_times``, each results file's
lap file (the same name with ``laps`` for ``results``) gives every driver's time at the wheel, for the
rulebook's minimum driving time to score.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType
from chequered.core.stints import stints_by_car
from chequered.importers.alkamel import results as alkamel
from chequered.importers.results_csv import fill_class_positions

_STATUSES = {
    "classified": Status.CLASSIFIED,
    "": Status.CLASSIFIED,
    "not classified": Status.NOT_CLASSIFIED,
    "nc": Status.NOT_CLASSIFIED,
    "retired": Status.RETIRED,
    "dnf": Status.RETIRED,
    "ret": Status.RETIRED,
    "not started": Status.DID_NOT_START,
    "dns": Status.DID_NOT_START,
    "disqualified": Status.DISQUALIFIED,
    "dsq": Status.DISQUALIFIED,
    "excluded": Status.EXCLUDED,
}


def results_files(directory: Path) -> list[Path]:
    """The results files under ``directory``, in path order."""
    found = []
    for path in sorted(directory.rglob("*")):
        if not path.is_file() or path.suffix.lower() != ".csv":
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ParseError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
        if alkamel.is_results_file(data, str(path)):
            found.append(path)
    return found


def _session_type(path: Path) -> SessionType:
    return SessionType.QUALIFYING if "qualif" in path.name.lower() else SessionType.RACE


def read_season_dir(
    directory: Path, fastest_scope: str = "class", drive_times: bool = False
) -> list[SessionResult]:
    """Every results file under ``directory`` as session results; ``ParseError`` names file and car."""
    files = results_files(directory)
    if not files:
        raise ParseError(str(directory), None, None, "no Al Kamel results files in this directory")
    rounds: dict[Path, int] = {}
    counters: dict[tuple[int, SessionType], int] = defaultdict(int)
    results: list[SessionResult] = []
    for path in files:
        round_ = rounds.setdefault(path.parent, len(rounds) + 1)
        session_type = _session_type(path)
        counters[(round_, session_type)] += 1
        prefix = "Q" if session_type is SessionType.QUALIFYING else "R"
        session = f"{prefix}{counters[(round_, session_type)]}"
        rows = _session(path, round_, session, session_type, fastest_scope)
        laps_file = path.with_name(path.name.replace("results", "laps"))
        if drive_times and laps_file != path and laps_file.exists():
            rows = _with_drive_times(rows, path, laps_file)
        results.extend(rows)
    return fill_class_positions(results)


def _with_drive_times(rows: list[SessionResult], results_file: Path, laps_file: Path) -> list[SessionResult]:
    """Each driver's driving time from the lap file, by crew slot, named from the official crew."""
    official = alkamel.read_results(results_file)
    timing, mapping = alkamel.merge_entries(alkamel.read_laps(laps_file), official)
    stints = stints_by_car(timing.laps)
    entries = {e.car: e for e in timing.entries}
    drive: dict[str, dict[str, int]] = {}
    for o in official:
        car = mapping[o.entry.car]
        totals: dict[str, int] = {}
        for stint in stints[car].stints if car in stints else ():
            crew = entries[car].drivers
            name = crew[stint.driver - 1].name if 1 <= stint.driver <= len(crew) else stint.driver_name
            totals[name] = totals.get(name, 0) + stint.driving_ms
        drive[o.number] = totals
    return [replace(r, drive_ms=drive.get(r.number, {})) for r in rows]


def _session(
    path: Path, round_: int, session: str, session_type: SessionType, fastest_scope: str
) -> list[SessionResult]:
    official = alkamel.read_results(path)
    rows: list[SessionResult] = []
    best: dict[str, tuple[int, str]] = {}
    for o in official:
        status = _STATUSES.get(o.status.strip().lower())
        if status is None:
            raise ParseError(str(path), None, "STATUS", f"car {o.number}: unknown status {o.status!r}")
        if status is Status.CLASSIFIED and o.position is None:
            status = Status.NOT_CLASSIFIED
        entry = o.entry
        group = entry.car_class if fastest_scope == "class" else ""
        if o.best_lap_ms is not None and (group not in best or o.best_lap_ms < best[group][0]):
            best[group] = (o.best_lap_ms, o.number)
        rows.append(
            SessionResult(
                round=round_,
                session=session,
                session_type=session_type,
                number=o.number,
                car_class=entry.car_class,
                team=entry.team,
                drivers=tuple(d.name for d in entry.drivers),
                position=o.position if status is Status.CLASSIFIED else None,
                class_position=None,
                status=status,
                laps=o.laps,
            )
        )
    fastest = {number for _, number in best.values()}
    return [replace(r, fastest_lap=True) if r.number in fastest else r for r in rows]
