"""Events as stored rows: a kind, a JSON payload and a stable identity.

The identity of an event is a hash of its kind and content, unless the source supplies its own id (a feed's
message id, a steward's decision number): appending the same event twice, from a re-sent feed or a
re-imported file, stores it once. Besides the core's session events the log holds what a live feed says
between laps (the session clock and flag, pit-lane crossings, sector splits, driver changes: the live
board folds them, the classification does not) and the store's own facts: an entry registered for the
session, and the publication of provisional or final results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from chequered.core.events import (
    LapCompleted,
    LapDeleted,
    LapPenalty,
    SessionEvent,
    StatusChanged,
    TimePenalty,
)
from chequered.core.feed import ClockTicked, DriverChanged, PitCrossed, PitLine, SectorCompleted
from chequered.core.model import Driver, DriverCategory, Entry, Lap, Status


class Publication(StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ResultsPublished:
    """Results published as they stood at log position ``as_of`` (a seq), provisional or final."""

    status: Publication
    as_of: int


@dataclass(frozen=True, slots=True)
class EntryRegistered:
    """A car entered in the session (from a timing file's entry list, or by an administrator)."""

    entry: Entry


TimingEvent = ClockTicked | PitCrossed | SectorCompleted | DriverChanged
LogEvent = SessionEvent | ResultsPublished | EntryRegistered | TimingEvent

SCORING_KINDS = ("lap", "time_penalty", "lap_deleted", "lap_penalty", "status", "published", "entry")
"""The kinds the classification and every read model but the live board are folded from."""
TIMING_KINDS = ("clock", "pit", "sector", "driver")
"""What a live feed says between laps: stored so the live board shows it, ignored by the classification."""
KINDS = SCORING_KINDS + TIMING_KINDS
"""Every kind of event the log holds."""


def _entry_payload(entry: Entry) -> dict[str, Any]:
    return {
        "car": entry.car,
        "number": entry.number,
        "class": entry.car_class,
        "team": entry.team,
        "car_model": entry.car_model,
        "group": entry.group,
        "manufacturer": entry.manufacturer,
        "drivers": [
            {
                "name": d.name,
                "category": d.category.value if d.category else None,
                "nationality": d.nationality,
                "short_name": d.short_name,
            }
            for d in entry.drivers
        ],
    }


def entry_from_payload(p: Mapping[str, Any]) -> Entry:
    return Entry(
        car=p["car"],
        number=p["number"],
        car_class=p["class"],
        team=p["team"],
        car_model=p["car_model"],
        group=p["group"],
        manufacturer=p["manufacturer"],
        drivers=tuple(
            Driver(
                name=d["name"],
                category=DriverCategory(d["category"]) if d["category"] else None,
                nationality=d["nationality"],
                short_name=d["short_name"],
            )
            for d in p["drivers"]
        ),
    )


def encode(event: LogEvent) -> tuple[str, dict[str, Any]]:
    """The kind and the JSON-ready payload of an event."""
    if isinstance(event, LapCompleted):
        return "lap", event.lap._asdict()
    if isinstance(event, TimePenalty):
        return "time_penalty", {"car": event.car, "ms": event.ms, "reason": event.reason}
    if isinstance(event, LapDeleted):
        return "lap_deleted", {"car": event.car, "lap": event.lap, "reason": event.reason}
    if isinstance(event, LapPenalty):
        return "lap_penalty", {"car": event.car, "laps": event.laps, "reason": event.reason}
    if isinstance(event, StatusChanged):
        return "status", {"car": event.car, "status": event.status.value, "reason": event.reason}
    if isinstance(event, ResultsPublished):
        return "published", {"status": event.status.value, "as_of": event.as_of}
    if isinstance(event, EntryRegistered):
        return "entry", _entry_payload(event.entry)
    if isinstance(event, ClockTicked):
        return "clock", {
            "elapsed_ms": event.elapsed_ms,
            "time_to_go_ms": event.time_to_go_ms,
            "laps_to_go": event.laps_to_go,
            "flag": event.flag,
            "track_status": event.track_status,
        }
    if isinstance(event, PitCrossed):
        return "pit", {"car": event.car, "line": event.line.value, "elapsed_ms": event.elapsed_ms}
    if isinstance(event, SectorCompleted):
        return "sector", {
            "car": event.car,
            "sector": event.sector,
            "sector_ms": event.sector_ms,
            "elapsed_ms": event.elapsed_ms,
        }
    if isinstance(event, DriverChanged):
        return "driver", {"car": event.car, "driver_name": event.driver_name, "elapsed_ms": event.elapsed_ms}
    raise TypeError(f"not a session event: {event!r}")


def decode(kind: str, p: Mapping[str, Any]) -> LogEvent:
    if kind == "lap":
        return LapCompleted(
            Lap(
                p["car"],
                p["lap"],
                p["lap_time_ms"],
                p["elapsed_ms"],
                p["driver"],
                p["driver_name"],
                tuple(p["sectors"]),
                p["in_pit"],
                p["pit_time_ms"],
                p["flag"],
                p["kph"],
            )
        )
    if kind == "time_penalty":
        return TimePenalty(p["car"], p["ms"], p["reason"])
    if kind == "lap_deleted":
        return LapDeleted(p["car"], p["lap"], p["reason"])
    if kind == "lap_penalty":
        return LapPenalty(p["car"], p["laps"], p["reason"])
    if kind == "status":
        return StatusChanged(p["car"], Status(p["status"]), p["reason"])
    if kind == "published":
        return ResultsPublished(Publication(p["status"]), p["as_of"])
    if kind == "entry":
        return EntryRegistered(entry_from_payload(p))
    if kind == "clock":
        return ClockTicked(p["elapsed_ms"], p["time_to_go_ms"], p["laps_to_go"], p["flag"], p["track_status"])
    if kind == "pit":
        return PitCrossed(p["car"], PitLine(p["line"]), p["elapsed_ms"])
    if kind == "sector":
        return SectorCompleted(p["car"], p["sector"], p["sector_ms"], p["elapsed_ms"])
    if kind == "driver":
        return DriverChanged(p["car"], p["driver_name"], p["elapsed_ms"])
    raise ValueError(f"unknown event kind {kind!r} in the log")


def dumps(payload: Mapping[str, Any]) -> str:
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()


def identity(kind: str, payload_json: str, source_id: str | None = None) -> str:
    """The stable identity: ``src:<id>`` for a source-supplied id, else a 128-bit hash of the content."""
    if source_id is not None:
        return f"src:{source_id}"
    return hashlib.sha256(f"{kind}\0{payload_json}".encode()).hexdigest()[:32]
