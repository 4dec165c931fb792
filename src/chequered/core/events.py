"""The event vocabulary: what can happen to a session after the timing itself.

Laps are events too (``LapCompleted``); penalties, status changes and publications are decisions added
later. A correction is a new event, never an edit, so a classification can be recomputed as of any point.
"""

from __future__ import annotations

from dataclasses import dataclass

from chequered.core.model import Lap, Status


@dataclass(frozen=True, slots=True)
class LapCompleted:
    lap: Lap


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


Decision = TimePenalty | LapDeleted | LapPenalty | StatusChanged
SessionEvent = LapCompleted | Decision
