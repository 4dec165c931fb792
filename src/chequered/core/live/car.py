"""One car in the live state: its crossings, what counts of them at the flag, and its standing.

The classification counts a car's laps up to its first crossing at or after the flag and takes the best
lap among those; the live state keeps each car's crossings sorted with a running best, so the same
answer is a binary search instead of a pass over the laps.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from chequered.core import classification
from chequered.core.classification import GROUP, Placing, RankKey
from chequered.core.model import Lap, SessionKind, Status
from chequered.core.rulebook import ClassificationRules
from chequered.core.stints import laps_by_car


def _better(lap: Lap, best: Lap | None) -> bool:
    if lap.lap_time_ms is None or not lap.counts:  # a deleted time is no best lap
        return False
    return best is None or (lap.lap_time_ms, lap.elapsed_ms) < (best.lap_time_ms or 0, best.elapsed_ms)


@dataclass(slots=True)
class CarLaps:
    """A car's crossings in the order the classification reads them, with the best lap up to each."""

    received: list[Lap] = field(default_factory=list)
    laps: list[Lap] = field(default_factory=list)
    elapsed: list[int] = field(default_factory=list)
    prefix_best: list[Lap | None] = field(default_factory=list)
    deleted: set[int] = field(default_factory=set)

    def add(self, lap: Lap) -> bool:
        """Append a crossing (True); one out of order or a repeated lap number re-reads the car's laps
        whole, as the classification does (False)."""
        self.received.append(lap)
        last = self.laps[-1] if self.laps else None
        if last is not None and (last.lap >= lap.lap or last.elapsed_ms > lap.elapsed_ms):
            self.rebuild()
            return False
        self._push(lap)
        return True

    def _push(self, lap: Lap) -> None:
        previous = self.prefix_best[-1] if self.prefix_best else None
        self.laps.append(lap)
        self.elapsed.append(lap.elapsed_ms)
        ok = lap.lap not in self.deleted and _better(lap, previous)
        self.prefix_best.append(lap if ok else previous)

    def rebuild(self) -> None:
        ordered = laps_by_car(self.received).get(self.received[0].car, []) if self.received else []
        self.laps, self.elapsed, self.prefix_best = [], [], []
        for lap in ordered:
            self._push(lap)

    def delete(self, lap_number: int) -> None:
        self.deleted.add(lap_number)
        self.rebuild()

    def counted(self, flag_ms: int | None) -> tuple[int, bool]:
        """Index of the last counted crossing (-1: none) and whether the car took the flag."""
        if flag_ms is None:
            return len(self.laps) - 1, False
        index = bisect_left(self.elapsed, flag_ms)
        if index < len(self.laps):
            return index, True
        return len(self.laps) - 1, False


@dataclass(slots=True)
class CarState(Placing):
    """Everything the live board shows of one car: its placing (kept as the classification computes
    it, crossing by crossing), what that placing is made from, and what the board shows besides."""

    laps_log: CarLaps = field(default_factory=CarLaps)
    key: RankKey = (2, 0, 0, 0, 0)
    lap_penalty: int = 0
    ruled: Status | None = None
    texts: tuple[str, str, str, str] = ("-", "-", "-", "-")
    marks: tuple[str, ...] = ()
    # what the board shows besides
    last_lap_ms: int | None = None
    last_elapsed_ms: int | None = None
    sectors: list[int | None] = field(default_factory=list)
    best_sectors: list[int | None] = field(default_factory=list)
    in_pit: bool = False
    out_lap: bool = False
    stopped: bool = False
    stops: int = 0
    pit_in_ms: int | None = None
    driver: str = ""
    stint_start_ms: int = 0

    @property
    def car(self) -> str:
        return self.entry.car

    @property
    def group(self) -> int:
        return GROUP[self.status]

    def restand(self, flag_ms: int | None, kind: SessionKind) -> None:
        """Recompute laps, time, best and flag from the crossings (the key waits for the status)."""
        index, self.took_flag = self.laps_log.counted(flag_ms)
        if index < 0:
            self.laps, self.time_ms, self.best = 0, None, None
            return
        last = self.laps_log.laps[index]
        self.laps = max(0, last.lap - self.lap_penalty)
        self.time_ms = last.elapsed_ms + self.penalty_ms if kind is SessionKind.RACE else None
        self.best = self.laps_log.prefix_best[index]


def race_status(car: CarState, winner_laps: int, rules: ClassificationRules) -> Status:
    """The classification's race status rule, for one car."""
    return classification.race_status(car.laps, car.took_flag, winner_laps, rules, car.ruled)


def other_status(car: CarState) -> Status:
    """The classification's practice and qualifying status rule, for one car."""
    return classification.practice_status(car.laps, car.best, car.ruled)
