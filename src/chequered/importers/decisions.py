"""A penalties file: race-control decisions as CSV, one per line.

    car,kind,value,reason
    77,time,35.000,post-race penalty
    12,lap_deleted,7,track limits
    5,laps,1,unserved drive-through
    9,status,dsq,technical infringement

``kind`` is ``time`` (seconds or M:SS.mmm added to race time), ``lap_deleted`` (the lap number),
``laps`` (laps taken off) or ``status`` (ret, dns, dsq, excluded, nc, classified).
"""

from __future__ import annotations

from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.events import Decision, LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Status
from chequered.core.timefmt import parse_duration
from chequered.importers.rows import Table

COLUMNS = ("car", "kind", "value")


def parse_decisions(data: bytes, source: str) -> list[Decision]:
    table = Table(data, source, separator=",", lower=True)
    table.require(COLUMNS, (*COLUMNS, "reason"))
    header = table.header
    decisions: list[Decision] = []
    for row in table.filled_rows():
        line = row.line
        if len(row.fields) < len(header) - ("reason" in table):
            raise ParseError(source, line, header[len(row.fields)], "row is truncated")
        car, kind, value = (row.text(c) for c in COLUMNS)
        reason = row.text("reason")
        if not car:
            raise ParseError(source, line, "car", "car number is missing")
        decisions.append(_decision(source, line, car, kind, value, reason))
    return decisions


def _decision(source: str, line: int, car: str, kind: str, value: str, reason: str) -> Decision:
    try:
        if kind == "time":
            return TimePenalty(car, parse_duration(value), reason)
        if kind == "lap_deleted":
            return LapDeleted(car, _positive(value), reason)
        if kind == "laps":
            return LapPenalty(car, _positive(value), reason)
        if kind == "status":
            return StatusChanged(car, Status(value.lower()), reason)
    except ValueError:
        raise ParseError(source, line, "value", f"{value!r} is not valid for a {kind} decision") from None
    raise ParseError(source, line, "kind", f"{kind!r} is not one of time, lap_deleted, laps, status")


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ValueError(text)
    return int(text)


def read_decisions(path: Path) -> list[Decision]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(str(path), None, None, f"cannot read the file: {exc.strerror}") from None
    return parse_decisions(data, str(path))
