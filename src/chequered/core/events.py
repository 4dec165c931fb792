"""The event vocabulary: everything that can happen to a session, each kind defined here once.

The log of a session is a sequence of these events and every result is a fold over it: laps
(``LapCompleted``), race-control decisions added later (penalties, deleted laps, status changes), what a
live feed says between laps (entries, the clock and flag, pit-lane and sector crossings, driver changes)
and the publication of results. A correction is a new event, never an edit, so a classification can be
recomputed as of any point. The classification reads laps and decisions; the live board reads all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chequered.core.model import Entry, Lap, Session, Status


@dataclass(frozen=True, slots=True)
class LapCompleted:
    lap: Lap


# ---- Decisions of race control


@dataclass(frozen=True, slots=True)
class TimePenalty:
    """Time added to a car's race time (a post-race penalty, or a drive-through not served)."""

    car: str
    ms: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LapDeleted:
    """A lap time struck out (track limits, causing a red flag): it no longer counts as a best lap."""

    car: str
    lap: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LapPenalty:
    """Laps taken off a car's race distance."""

    car: str
    laps: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """A car's status set by race control: retired, did not start, disqualified, excluded, or back to
    classified (a reinstatement, which lets the rulebook decide again)."""

    car: str
    status: Status
    reason: str = ""


# ---- What a live feed says besides laps


@dataclass(frozen=True, slots=True)
class SessionOpened:
    """The feed switched to a session (a new run in RMonitor); the live state starts empty. Not stored:
    the store keeps one log per session."""

    session: Session


@dataclass(frozen=True, slots=True)
class EntryRegistered:
    """A car entered, or its entry changed (class, crew), from a timing file, a feed or an administrator;
    registering the same entry again changes nothing."""

    entry: Entry


@dataclass(frozen=True, slots=True)
class ClockTicked:
    """The session clock: race time, time and laps to go (None when unknown), flag and track status."""

    elapsed_ms: int
    time_to_go_ms: int | None
    laps_to_go: int | None
    flag: str
    track_status: str = ""


class PitLine(StrEnum):
    IN = "pit_in"
    OUT = "pit_out"


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


# ---- Publication


class Publication(StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


@dataclass(frozen=True, slots=True)
class ResultsPublished:
    """Results published as they stood at log position ``as_of`` (a seq), provisional or final."""

    status: Publication
    as_of: int


# ---- Imports


@dataclass(frozen=True, slots=True)
class ImportWithdrawn:
    """A whole import of a timing file taken back (posted to the wrong session, the wrong file): every
    event it appended is passed over by every read from here on, and stays in the log."""

    import_id: str
    reason: str = ""


Decision = TimePenalty | LapDeleted | LapPenalty | StatusChanged
SessionEvent = LapCompleted | Decision
"""What the classification is folded from."""
TimingEvent = ClockTicked | PitCrossed | SectorCompleted | DriverChanged
"""What a live feed says between laps: shown on the live board, ignored by the classification."""
LogEvent = SessionEvent | EntryRegistered | ResultsPublished | ImportWithdrawn | TimingEvent
"""Every event the store's log holds."""
LiveEvent = SessionEvent | SessionOpened | EntryRegistered | TimingEvent
"""Every event the live state folds."""
