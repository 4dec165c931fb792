"""A season directory of Al Kamel results files, read as championship results.

Each sub-directory holding results files is one round, in path order (``2023/08-long-beach`` before
``2023/12-watkins-glen``); each results file in it is one session, qualifying when its name says so,
else a race, named ``Q1``, ``Q2``... and ``R1``, ``R2``... in file order. Lap files are left alone.
Class positions come from the overall order within each class; the fastest lap of each points group
(class or overall) is the car with the best lap time in it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType
from chequered.importers import alkamel
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


def read_season_dir(directory: Path, fastest_scope: str = "class") -> list[SessionResult]:
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
        results.extend(_session(path, round_, session, session_type, fastest_scope))
    return fill_class_positions(results)


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
