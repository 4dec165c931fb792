"""Writing Al Kamel Systems CSV files in the SRO layout, the inverse of ``results`` / ``laps``.

The lap analysis is the "23_AnalysisEnduranceWithSections" layout (the WEC 2023 columns plus the SRO
sub-sector columns ``IM1a_time`` ... ``FL_elapsed``); the classification is the "03_Classification"
results layout (``POSITION;NUMBER;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;...;DRIVERn_...``). Both as
published: ``;`` separators, a trailing ``;``, UTF-8 with BOM, CRLF. Improvements are those of a
final file (2 = the car's best, 3 = the session's best); deleted laps are not marked, as in real files
— the decisions travel separately (``decisions_csv``, the format of ``importers.decisions``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from chequered.core.classification import Classification
from chequered.core.events import Decision, LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Entry, Lap, SessionKind, Status
from chequered.core.timefmt import format_duration

ANALYSIS_COLUMNS = (
    "NUMBER", "DRIVER_NUMBER", "LAP_NUMBER", "LAP_TIME", "LAP_IMPROVEMENT", "CROSSING_FINISH_LINE_IN_PIT",
    "S1", "S1_IMPROVEMENT", "S2", "S2_IMPROVEMENT", "S3", "S3_IMPROVEMENT", "KPH", "ELAPSED", "HOUR",
    "S1_LARGE", "S2_LARGE", "S3_LARGE", "TOP_SPEED", "DRIVER_NAME", "PIT_TIME", "CLASS", "GROUP", "TEAM",
    "MANUFACTURER", "FLAG_AT_FL", "S1_SECONDS", "S2_SECONDS", "S3_SECONDS",
    "IM1a_time", "IM1a_elapsed", "IM1_time", "IM1_elapsed", "IM2a_time", "IM2a_elapsed", "IM2_time",
    "IM2_elapsed", "IM3a_time", "IM3a_elapsed", "FL_time", "FL_elapsed",
)  # fmt: skip
RESULT_COLUMNS = (
    "POSITION", "NUMBER", "STATUS", "LAPS", "TOTAL_TIME", "GAP_FIRST", "GAP_PREVIOUS", "FL_LAPNUM",
    "FL_TIME", "FL_KPH", "TEAM", "CLASS", "GROUP", "DIVISION", "VEHICLE", "TIRES",
)  # fmt: skip
DRIVER_COLUMNS = ("FIRSTNAME", "SECONDNAME", "LICENSE", "HOMETOWN", "COUNTRY", "SHORTNAME")
STATUS_TEXT = {
    Status.CLASSIFIED: "Classified",
    Status.NOT_CLASSIFIED: "Not classified",
    Status.RETIRED: "Retired",
    Status.DID_NOT_START: "Not started",
    Status.DISQUALIFIED: "Disqualified",
    Status.EXCLUDED: "Excluded",
}
_BOM = "\ufeff"


def _header(columns: Sequence[str]) -> str:
    # as published: "; " after each of the first 15 names, ";" after the rest, trailing ";"
    return "".join(f"{name}; " if i < 14 else f"{name};" for i, name in enumerate(columns))


def _time(ms: int | None) -> str:
    return "" if ms is None else format_duration(ms)


def _large(ms: int | None) -> str:
    """Always ``M:SS.mmm`` (the ``S*_LARGE`` columns)."""
    if ms is None:
        return ""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest // 1000:02d}.{rest % 1000:03d}"


def _seconds(ms: int | None) -> str:
    return "" if ms is None else f"{ms / 1000:.3f}".rstrip("0").rstrip(".")


def _pit(ms: int | None) -> str:
    """Always ``H:MM:SS.mmm`` (the PIT_TIME column: ``0:01:27.261``)."""
    if ms is None:
        return ""
    hours, rest = divmod(ms, 3_600_000)
    return f"{hours}:{_large(rest).zfill(9)}"


def _improvements(laps: Sequence[Lap], index: int) -> list[int]:
    """2 where the lap (or sector ``index``) is its car's best, 3 where it is the session's best."""

    def value(lap: Lap) -> int | None:
        if index < 0:
            return lap.lap_time_ms
        return lap.sectors[index] if index < len(lap.sectors) else None

    car_best: dict[str, int] = {}
    session_best: int | None = None
    for lap in laps:
        v = value(lap)
        if v is None:
            continue
        if lap.car not in car_best or v < car_best[lap.car]:
            car_best[lap.car] = v
        if session_best is None or v < session_best:
            session_best = v
    marks = []
    for lap in laps:
        v = value(lap)
        marks.append(
            3 if v is not None and v == session_best else 2 if v is not None and v == car_best[lap.car] else 0
        )
    return marks


def analysis_csv(
    entries: Iterable[Entry],
    laps: Sequence[Lap],
    start: datetime | None = None,
    splits: tuple[float, float, float] | None = None,
) -> bytes:
    """The lap analysis of a session, laps in the order given. ``start`` (local wall-clock time of the
    session start) fills HOUR; ``splits`` (share of each sector to its intermediate) fills the IM columns."""
    by_car = {e.car: e for e in entries}
    marks = [_improvements(laps, i) for i in (-1, 0, 1, 2)]
    lines = [_BOM + _header(ANALYSIS_COLUMNS)]
    for n, lap in enumerate(laps):
        entry = by_car.get(lap.car, Entry(lap.car, lap.car))
        s = list(lap.sectors[:3]) + [None] * (3 - len(lap.sectors[:3]))
        hour = ""
        if start is not None:
            moment = start + timedelta(milliseconds=lap.elapsed_ms)
            hour = moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
        fields = [
            entry.number, str(lap.driver), str(lap.lap), _time(lap.lap_time_ms), str(marks[0][n]),
            "B" if lap.in_pit else "",
            _time(s[0]), str(marks[1][n]), _time(s[1]), str(marks[2][n]), _time(s[2]), str(marks[3][n]),
            "" if lap.kph is None else f"{lap.kph:.1f}", _time(lap.elapsed_ms), hour,
            _large(s[0]), _large(s[1]), _large(s[2]), "", lap.driver_name, _pit(lap.pit_time_ms),
            entry.car_class, entry.group, entry.team, entry.manufacturer, lap.flag,
            _seconds(s[0]), _seconds(s[1]), _seconds(s[2]),
            *_intermediates(s, lap.lap_time_ms, splits),
        ]  # fmt: skip
        lines.append(";".join(fields) + ";")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _intermediates(
    sectors: list[int | None], lap_ms: int | None, splits: tuple[float, float, float] | None
) -> list[str]:
    if splits is None or lap_ms is None or any(v is None for v in sectors):
        return [""] * 12
    s1, s2, s3 = (v or 0 for v in sectors)
    a, b, c = (round(v * share) for v, share in zip((s1, s2, s3), splits, strict=True))
    return [
        _seconds(a), _seconds(a), _seconds(s1 - a), _seconds(s1),
        _seconds(b), _time(s1 + b), _seconds(s2 - b), _time(s1 + s2),
        _seconds(c), _time(s1 + s2 + c), _seconds(s3 - c), _time(lap_ms),
    ]  # fmt: skip


def classification_csv(
    classification: Classification, kph: Mapping[tuple[str, int], float] | None = None
) -> bytes:
    """The classification as an Al Kamel results file, overall order, classes mixed. Races carry laps
    and total time; practice and qualifying their best lap and the gap on it."""
    race = classification.session.kind is SessionKind.RACE
    width = max((len(r.entry.drivers) for r in classification.results), default=0)
    columns = list(RESULT_COLUMNS)
    for slot in range(1, width + 1):
        columns.extend(f"DRIVER{slot}_{name}" for name in DRIVER_COLUMNS)
    lines = [_BOM + _header(columns)]
    for r in classification.results:
        started = r.status is not Status.DID_NOT_START
        gap = str(r.gap) if started else ""
        interval = str(r.interval) if started else ""
        speed = (kph or {}).get((r.entry.car, r.best_lap or 0))
        fields = [
            str(r.position) if started else "", r.entry.number, STATUS_TEXT[r.status],
            str(r.laps), _time(r.total_time_ms) if race else "", gap, interval,
            str(r.best_lap or ""), _time(r.best_lap_ms), "" if speed is None else f"{speed:.1f}",
            r.entry.team, r.entry.car_class, r.entry.group, "", r.entry.car_model, "",
        ]  # fmt: skip
        for slot in range(width):
            if slot < len(r.entry.drivers):
                d = r.entry.drivers[slot]
                first, _, last = d.name.partition(" ")
                category = d.category.value if d.category else ""
                fields.extend((first, last, category, "", d.nationality, d.short_name))
            else:
                fields.extend([""] * len(DRIVER_COLUMNS))
        lines.append(";".join(fields) + ";")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def decisions_csv(decisions: Iterable[Decision]) -> bytes:
    """Race-control decisions in the penalties format ``importers.decisions`` reads."""
    lines = ["car,kind,value,reason"]
    for d in decisions:
        if isinstance(d, LapDeleted):
            lines.append(f"{d.car},lap_deleted,{d.lap},{d.reason}")
        elif isinstance(d, TimePenalty):
            lines.append(f"{d.car},time,{format_duration(d.ms)},{d.reason}")
        elif isinstance(d, LapPenalty):
            lines.append(f"{d.car},laps,{d.laps},{d.reason}")
        elif isinstance(d, StatusChanged):
            lines.append(f"{d.car},status,{d.status.value},{d.reason}")
    return ("\n".join(lines) + "\n").encode("utf-8")
