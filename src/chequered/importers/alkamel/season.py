"""A season directory of Al Kamel results files, read as championship results.

A round is a directory holding results files, or holding session folders as Al Kamel and
``chequered simulate weekend --out`` write them (``202304221315_Race 1/03_Classification_Race 1.CSV``):
a session folder's name starts with its local start time, ``yyyymmddhhmm_``. Rounds are in path order
(``2023/08-long-beach`` before ``2023/12-watkins-glen``). Each results file is one session: practice,
warm-up and test sessions score nothing and are left out; a qualifying session is named ``Q1``, ``Q2``...,
a sprint ``S1``..., a race ``R1``, ``R2``..., by the number in its name (``Race 2`` is R2), else in path
order. Lap files are left alone. Class positions, where the files give none, come from the overall
positions within each class; the fastest lap of each points group
(class or overall) is the car with the best lap time in it. With ``drive_times``, each results file's
lap file (the same name with ``laps`` for ``results``) gives every driver's time at the wheel, for the
rulebook's minimum driving time to score.
"""

from __future__ import annotations

import re
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


_SESSION_FOLDER = re.compile(r"^\d{12}_")
_NOT_SCORED = ("practice", "warm", "test", "shakedown", "session-", "session ")
_NUMBER = re.compile(r"(?:race|qualifying|sprint|r|q|s)[ _-]*(\d+)", re.IGNORECASE)


def session_type(name: str) -> SessionType | None:
    """The scoring session a results file holds, from its name (and its session folder's): None for
    practice, warm-up and test sessions, which score nothing."""
    lowered = name.lower().replace("_", " ")
    if any(word in lowered for word in _NOT_SCORED) or re.search(r"\bfp\s*\d", lowered):
        return None
    if "sprint" in lowered and "qualif" in lowered:
        return SessionType.SPRINT_QUALIFYING
    if "qualif" in lowered and "race" not in lowered:
        return SessionType.QUALIFYING
    if "sprint" in lowered:
        return SessionType.SPRINT
    return SessionType.RACE


def round_directory(path: Path) -> Path:
    """The round a results file belongs to: its directory, or the one above its session folder."""
    parent = path.parent
    return parent.parent if _SESSION_FOLDER.match(parent.name) else parent


def _session_name(path: Path) -> str:
    """The session's own name: its session folder's (after the start time), else the file's."""
    if _SESSION_FOLDER.match(path.parent.name):
        return path.parent.name[13:]
    return path.stem


_PREFIX = {
    SessionType.QUALIFYING: "Q",
    SessionType.SPRINT_QUALIFYING: "SQ",
    SessionType.SPRINT: "S",
    SessionType.RACE: "R",
}


def read_season_dir(
    directory: Path, fastest_scope: str = "class", drive_times: bool = False
) -> list[SessionResult]:
    """Every scoring session under ``directory`` as session results; ``ParseError`` names file and car."""
    files = results_files(directory)
    if not files:
        raise ParseError(str(directory), None, None, "no Al Kamel results files in this directory")
    rounds: dict[Path, int] = {}
    counters: dict[tuple[int, SessionType], int] = defaultdict(int)
    taken: set[tuple[int, str]] = set()
    results: list[SessionResult] = []
    for path in files:
        name = _session_name(path)
        kind = session_type(f"{path.parent.name} {name}" if _SESSION_FOLDER.match(path.parent.name) else name)
        if kind is None:
            continue
        round_ = rounds.setdefault(round_directory(path), len(rounds) + 1)
        counters[(round_, kind)] += 1
        number = _NUMBER.search(name.replace("_", " ").split("results")[0])
        session = f"{_PREFIX[kind]}{number.group(1) if number else counters[(round_, kind)]}"
        if (round_, session) in taken:
            session = f"{_PREFIX[kind]}{counters[(round_, kind)]}"
        if (round_, session) in taken:
            raise ParseError(str(path), None, None, f"a second {session} in round {round_}")
        taken.add((round_, session))
        rows = _session(path, round_, session, kind, fastest_scope)
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
