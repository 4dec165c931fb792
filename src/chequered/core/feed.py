"""What a live timing feed says besides laps and decisions: entries, the clock, pit-lane and sector crossings.

These are events of the log like ``LapCompleted``: the live state is a fold over them, and the
classification ignores all but laps and decisions, so the two agree on the same events.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chequered.core.events import Decision, LapCompleted
from chequered.core.model import Entry, Session


class PitLine(StrEnum):
    IN = "pit_in"
    OUT = "pit_out"


@dataclass(frozen=True, slots=True)
class SessionOpened:
    """The feed switched to a session (a new run in RMonitor); the live state starts empty."""

    session: Session


@dataclass(frozen=True, slots=True)
class EntryRegistered:
    """A car entered, or its entry changed (class, crew); registering the same entry again changes nothing."""

    entry: Entry


@dataclass(frozen=True, slots=True)
class ClockTicked:
    """The session clock: race time, time and laps to go (None when unknown), flag and track status."""

    elapsed_ms: int
    time_to_go_ms: int | None
    laps_to_go: int | None
    flag: str
    track_status: str = ""


@dataclass(frozen=True, slots=True)
class PitCrossed:
    """A car crossed the pit-in or pit-out line at ``elapsed_ms`` session time."""

    car: str
    line: PitLine
    elapsed_ms: int


@dataclass(frozen=True, slots=True)
class SectorCompleted:
    """A car crossed a sector split: ``sector`` 1..n of its current lap, with the sector time."""

    car: str
    sector: int
    sector_ms: int
    elapsed_ms: int


@dataclass(frozen=True, slots=True)
class DriverChanged:
    """The driver in a car, as a decoder or the crew list tells it (laps carry it too)."""

    car: str
    driver_name: str
    elapsed_ms: int


FeedEvent = SessionOpened | EntryRegistered | ClockTicked | PitCrossed | SectorCompleted | DriverChanged
LiveEvent = LapCompleted | Decision | FeedEvent
