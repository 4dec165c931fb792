"""RESULTS.csv: one row per car per scoring session, the input of ``chequered standings``.

    round,session,session_type,number,class,team,drivers,position,class_position,status,laps,fastest_lap,distance_fraction,scores
    1,R1,race,22,Silver,Allied Racing,Hartvig;Schaap,2,1,classified,31,false,,true

``drivers`` are ``;``-separated in driving order; ``status`` is classified, nc, ret, dns, dsq (or
excluded); ``fastest_lap`` marks the car that set the fastest lap of its points group (its class when
points are scored by class); ``distance_fraction`` (0..1, blank = full) is the part of the planned race
that was run; ``scores`` false marks an entry that races but does not score; ``green_laps`` (optional,
blank = not known) is the number of laps the race ran under green, for the rulebook's minimum before
anything is scored (``points.min_green_laps``). Points follow the
positions as stated: a lone car with class position 7 scores 7th, and a place the official results
leave empty (a car disqualified, nobody promoted) stays empty, so the car listed 3rd scores 3rd. A
blank ``class_position`` is worked out from ``position`` among the class's cars listed. Every error
names the file, line and column.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType
from chequered.importers.rows import Row, Table

COLUMNS = (
    "round",
    "session",
    "session_type",
    "number",
    "class",
    "team",
    "drivers",
    "position",
    "class_position",
    "status",
    "laps",
    "fastest_lap",
    "distance_fraction",
    "scores",
    "green_laps",
)
REQUIRED = ("round", "session", "session_type", "number", "status")
_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
_STATUSES = {s.value: s for s in Status} | {"dnf": Status.RETIRED, "dq": Status.DISQUALIFIED}


def _whole(row: Row, column: str, *, required: bool = False, minimum: int = 0) -> int | None:
    value = row.text(column)
    if not value:
        if required:
            raise row.error(column, "value is missing")
        return None
    if not (value.isascii() and value.isdigit()) or int(value) < minimum:
        raise row.error(column, f"{value!r} is not a whole number of at least {minimum}")
    return int(value)


def _boolean(row: Row, column: str, default: bool) -> bool:
    value = row.text(column).lower()
    if not value:
        return default
    if value not in _BOOLEANS:
        raise row.error(column, f"{value!r} is not true or false")
    return _BOOLEANS[value]


def _row(fields: Row) -> SessionResult:
    round_ = _whole(fields, "round", required=True, minimum=1) or 0
    session = fields.text("session")
    if not session:
        raise fields.error("session", "value is missing")
    kind = fields.text("session_type").lower()
    try:
        session_type = SessionType(kind)
    except ValueError:
        raise fields.error("session_type", f"{kind!r} is not race, sprint or qualifying") from None
    number = fields.text("number")
    if not number:
        raise fields.error("number", "car number is missing")
    status_text = fields.text("status").lower()
    status = _STATUSES.get(status_text)
    if status is None:
        raise fields.error("status", f"{status_text!r} is not classified, nc, ret, dns or dsq")
    fraction_text = fields.text("distance_fraction")
    distance: Fraction | None = None
    if fraction_text:
        try:
            distance = Fraction(fraction_text)
        except (ValueError, ZeroDivisionError):
            raise fields.error("distance_fraction", f"{fraction_text!r} is not a number") from None
        if not 0 <= distance <= 1:
            raise fields.error("distance_fraction", f"{fraction_text} is not between 0 and 1")
    position = _whole(fields, "position", minimum=1)
    if status is Status.CLASSIFIED and position is None and fields.text("class_position") == "":
        raise fields.error("position", "a classified car needs a position or a class_position")
    return SessionResult(
        round=round_,
        session=session,
        session_type=session_type,
        number=number,
        car_class=fields.text("class"),
        team=fields.text("team"),
        drivers=tuple(d.strip() for d in fields.text("drivers").split(";") if d.strip()),
        position=position,
        class_position=_whole(fields, "class_position", minimum=1),
        status=status,
        laps=_whole(fields, "laps"),
        fastest_lap=_boolean(fields, "fastest_lap", False),
        distance_fraction=distance,
        scores=_boolean(fields, "scores", True),
        green_laps=_whole(fields, "green_laps"),
    )


def parse_results_csv(data: bytes, source: str) -> list[SessionResult]:
    """Read RESULTS.csv; raise ``ParseError`` naming file, line and column on the first bad value."""
    table = Table(data, source, separator=",", lower=True)
    table.require(REQUIRED, COLUMNS)
    header = table.header
    for column in header:
        if column not in COLUMNS:
            raise ParseError(source, 1, column, f"unknown column {column!r} (columns: {', '.join(COLUMNS)})")
    results: list[SessionResult] = []
    seen: dict[tuple[int, str, str], int] = {}
    for row in table.filled_rows():
        line = row.line
        if len(row.fields) != table.width:
            raise ParseError(source, line, None, f"{len(row.fields)} fields, the header has {table.width}")
        result = _row(row)
        key = (result.round, result.session, result.number)
        if key in seen:
            raise ParseError(
                source,
                line,
                "number",
                f"car {result.number} appears twice in round {result.round} "
                f"{result.session} (first on line {seen[key]})",
            )
        seen[key] = line
        results.append(result)
    if not results:
        raise ParseError(source, 2, None, "no result rows after the header")
    return fill_class_positions(results)


def fill_class_positions(results: list[SessionResult]) -> list[SessionResult]:
    """Work out blank class positions from the overall positions the results state, within each
    session and class: one more than the class's cars listed ahead. Stated positions are kept as
    they are (a lone car 7th in class stays 7th; a place left empty stays empty)."""
    groups: dict[tuple[int, str, str], list[int]] = defaultdict(list)
    for r in results:
        if r.position is not None:
            groups[(r.round, r.session, r.car_class)].append(r.position)
    filled = []
    for r in results:
        if r.class_position is None and r.position is not None:
            better = sum(1 for p in groups[(r.round, r.session, r.car_class)] if p < r.position)
            r = replace(r, class_position=better + 1)
        filled.append(r)
    return filled


def read_results_csv(path: Path) -> list[SessionResult]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
    return parse_results_csv(data, str(path))
