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

import csv
import io
from pathlib import Path

from chequered.core.errors import ParseError
from chequered.core.events import Decision, LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Status
from chequered.core.timefmt import parse_duration
from chequered.importers.text import decode

COLUMNS = ("car", "kind", "value")


def parse_decisions(data: bytes, source: str) -> list[Decision]:
    reader = csv.reader(io.StringIO(decode(data, source), newline=""))
    header = [name.strip().lower() for name in next(reader)]
    for column in COLUMNS:
        if column not in header:
            raise ParseError(
                source, 1, column, f"header must name the columns {', '.join(COLUMNS)} (and reason)"
            )
    at = {name: i for i, name in enumerate(header)}
    decisions: list[Decision] = []
    for fields in reader:
        if not any(field.strip() for field in fields):
            continue
        line = reader.line_num
        if len(fields) < len(header) - ("reason" in at):
            raise ParseError(source, line, header[len(fields)], "row is truncated")
        car, kind, value = (fields[at[c]].strip() for c in COLUMNS)
        reason = fields[at["reason"]].strip() if "reason" in at and at["reason"] < len(fields) else ""
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
