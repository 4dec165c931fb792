"""What the live state shows: a car's board row (field names, plain values for JSON, gap texts)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chequered.core.classification import Gap
from chequered.core.live.car import CarState
from chequered.core.model import Entry

Row = dict[str, Any]

ROW_FIELDS = (
    "position",
    "class_position",
    "laps",
    "status",
    "total_time_ms",
    "gap",
    "interval",
    "class_gap",
    "class_interval",
    "last_lap_ms",
    "best_lap_ms",
    "best_lap",
    "sectors",
    "sector_marks",
    "in_pit",
    "out_lap",
    "stopped",
    "stops",
    "driver",
    "stint_start_ms",
)


def plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def as_row(values: tuple[Any, ...]) -> Row:
    return {name: plain(value) for name, value in zip(ROW_FIELDS, values, strict=True)}


@lru_cache(maxsize=65536)
def text(gap: Gap) -> str:
    return str(gap)


def row_values(car: CarState) -> tuple[Any, ...]:
    """The board row of a car as a tuple in ``ROW_FIELDS`` order (cheap to build and compare)."""
    best = car.best
    return (
        car.position,
        car.class_position,
        car.laps,
        car.status.value,
        car.time_ms,
        *car.texts,
        car.last_lap_ms,
        best.lap_time_ms if best else None,
        best.lap if best else None,
        tuple(car.sectors),
        car.marks,
        car.in_pit,
        car.out_lap,
        car.stopped,
        car.stops,
        car.driver,
        car.stint_start_ms,
    )


def entry_row(entry: Entry) -> Row:
    """The fields of a board row that come from the entry (sent in full rows only)."""
    return {
        "number": entry.number,
        "class": entry.car_class,
        "team": entry.team,
        "car_model": entry.car_model,
        "drivers": [d.name for d in entry.drivers],
    }
