"""The shape of a live board row: field names, plain values for JSON, gap texts, the faster of two laps."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from chequered.core.classification import Gap

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
