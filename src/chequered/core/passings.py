"""Passings — a car crossing a timeline — turned into the laps the core classifies.

A decoder or a bridge reports a passing per car and timeline (finish line, a sector split, pit in, pit
out) with the session time and, when it knows, the driver. Passings can arrive twice (two loops, a
re-sent batch) or out of order (several decoders, a bridge catching up): duplicates within
``duplicate_ms`` of the same car and timeline are dropped, and passings are held for ``window_ms`` of
feed time and released in time order, so anything that arrives up to that late is put in its place.
A passing later than that, or for a car without an entry, cannot be placed: it is reported, and the
laps already made stay as they are (the log is append-only).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field, replace
from enum import StrEnum

from chequered.core.events import LapCompleted, LiveEvent, PitCrossed, PitLine, SectorCompleted
from chequered.core.model import Lap


class Timeline(StrEnum):
    FINISH = "finish"
    SECTOR = "sector"
    PIT_IN = "pit_in"
    PIT_OUT = "pit_out"


@dataclass(frozen=True, slots=True)
class Passing:
    """``at_ms`` is session time; ``sector`` numbers a sector split (1 = the end of sector 1)."""

    car: str
    timeline: Timeline
    at_ms: int
    sector: int = 0
    driver: str = ""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A passing that could not be used, and why."""

    passing: Passing
    reason: str

    def __str__(self) -> str:
        p = self.passing
        return f"passing car {p.car!r} {p.timeline.value} at {p.at_ms} ms: {self.reason}"


@dataclass(slots=True)
class _CarTiming:
    laps: int = 0
    last_finish_ms: int | None = None
    released_ms: int = -1
    sectors: list[int | None] = field(default_factory=list)
    last_split_ms: int | None = None
    in_pit_lane: bool = False
    pit_in_ms: int | None = None
    pit_time_ms: int | None = None
    driver: str = ""
    last_seen: dict[tuple[Timeline, int], int] = field(default_factory=dict)
    exact: set[tuple[Timeline, int, int]] = field(default_factory=set)


class PassingAssembler:
    """Passings in, ``LapCompleted`` / ``SectorCompleted`` / ``PitCrossed`` events out, in time order."""

    def __init__(
        self, cars: set[str], window_ms: int = 0, duplicate_ms: int = 500, start_ms: int = 0
    ) -> None:
        self.cars = set(cars)
        self.window_ms = window_ms
        self.duplicate_ms = duplicate_ms
        self.start_ms = start_ms
        self.rejected: list[Rejected] = []
        self.duplicates = 0
        self._timing: dict[str, _CarTiming] = {}
        self._pending: list[tuple[int, int, Passing]] = []
        self._seq = 0
        self._newest = -1

    def resume(self, car: str, laps: int, last_finish_ms: int, driver: str = "") -> None:
        """Continue a car's laps from the log (after a restart): its lap count, last line crossing and
        driver. The lap consumed the sector splits and pit time before it, as a lap made here does."""
        timing = self._timing.setdefault(car, _CarTiming())
        timing.laps, timing.last_finish_ms = laps, last_finish_ms
        timing.driver = driver or timing.driver
        timing.last_split_ms, timing.sectors, timing.pit_time_ms = None, [], None
        timing.released_ms = max(timing.released_ms, last_finish_ms)
        timing.last_seen[(Timeline.FINISH, 0)] = last_finish_ms
        timing.exact.add((Timeline.FINISH, 0, last_finish_ms))

    def resume_crossing(self, event: PitCrossed | SectorCompleted) -> None:
        """Continue a car's current lap from the log: a pit-lane crossing or sector split stored before
        a restart (in log order with ``resume``), so the next lap keeps its splits, in-pit mark and pit
        time, and the same passing sent again is a duplicate."""
        if isinstance(event, SectorCompleted):
            passing = Passing(event.car, Timeline.SECTOR, event.elapsed_ms, event.sector)
        else:
            line = Timeline.PIT_IN if event.line is PitLine.IN else Timeline.PIT_OUT
            passing = Passing(event.car, line, event.elapsed_ms)
        timing = self._timing.setdefault(event.car, _CarTiming())
        timing.released_ms = max(timing.released_ms, passing.at_ms)
        timing.last_seen[(passing.timeline, passing.sector)] = passing.at_ms
        timing.exact.add((passing.timeline, passing.sector, passing.at_ms))
        self._score(passing, timing)

    def fork(self, cars: set[str]) -> PassingAssembler:
        """A new assembler continuing from this one's state of ``cars`` (entered ones), which this one
        keeps unchanged: passings are tried on the fork, and only what the log committed moves on.
        Counts of duplicates and rejections start at zero."""
        fork = PassingAssembler(self.cars, self.window_ms, self.duplicate_ms, self.start_ms)
        for car in cars & self._timing.keys():
            t = self._timing[car]
            fork._timing[car] = replace(
                t, sectors=list(t.sectors), last_seen=dict(t.last_seen), exact=set(t.exact)
            )
        return fork

    def add(self, passing: Passing) -> list[LiveEvent]:
        """Take one passing; the events of every passing that is now due."""
        if passing.car not in self.cars:
            self._reject(passing, "no car with this number is entered")
            return []
        timing = self._timing.setdefault(passing.car, _CarTiming())
        exact = (passing.timeline, passing.sector, passing.at_ms)
        if exact in timing.exact:
            self.duplicates += 1  # re-sent: already placed
            return []
        if passing.at_ms < timing.released_ms:
            late = f"later passings of the car were already scored (window {self.window_ms} ms)"
            self._reject(passing, late)
            return []
        key = (passing.timeline, passing.sector)
        seen = timing.last_seen.get(key)
        if seen is not None and abs(seen - passing.at_ms) <= self.duplicate_ms:
            self.duplicates += 1
            return []
        timing.last_seen[key] = passing.at_ms
        timing.exact.add(exact)
        self._seq += 1
        heapq.heappush(self._pending, (passing.at_ms, self._seq, passing))
        self._newest = max(self._newest, passing.at_ms)
        return self._release(self._newest - self.window_ms)

    def flush(self) -> list[LiveEvent]:
        """Release everything still held (the end of the session)."""
        return self._release(None)

    def _reject(self, passing: Passing, reason: str) -> None:
        self.rejected.append(Rejected(passing, reason))

    def _release(self, until: int | None) -> list[LiveEvent]:
        out: list[LiveEvent] = []
        while self._pending and (until is None or self._pending[0][0] <= until):
            _, _, passing = heapq.heappop(self._pending)
            timing = self._timing[passing.car]
            timing.released_ms = passing.at_ms
            out.extend(self._score(passing, timing))
        return out

    def _score(self, p: Passing, t: _CarTiming) -> list[LiveEvent]:
        if p.timeline is Timeline.SECTOR:
            start = t.last_split_ms if t.last_split_ms is not None else t.last_finish_ms
            start = start if start is not None else self.start_ms
            while len(t.sectors) < p.sector - 1:
                t.sectors.append(None)
            t.sectors[p.sector - 1 :] = [p.at_ms - start]
            t.last_split_ms = p.at_ms
            return [SectorCompleted(p.car, p.sector, p.at_ms - start, p.at_ms)]
        if p.timeline is Timeline.PIT_IN:
            t.in_pit_lane, t.pit_in_ms = True, p.at_ms
            return [PitCrossed(p.car, PitLine.IN, p.at_ms)]
        if p.timeline is Timeline.PIT_OUT:
            if t.pit_in_ms is not None:
                t.pit_time_ms = p.at_ms - t.pit_in_ms
            t.in_pit_lane, t.pit_in_ms = False, None
            return [PitCrossed(p.car, PitLine.OUT, p.at_ms)]
        if p.driver:
            t.driver = p.driver
        start = t.last_finish_ms if t.last_finish_ms is not None else self.start_ms
        last_sector: list[int | None] = []
        if t.sectors:
            split = t.last_split_ms if t.last_split_ms is not None else start
            last_sector = [p.at_ms - split]
        t.laps += 1
        lap = Lap(
            p.car,
            t.laps,
            p.at_ms - start,
            p.at_ms,
            driver_name=t.driver,
            sectors=tuple(t.sectors + last_sector),
            in_pit=t.in_pit_lane,
            pit_time_ms=t.pit_time_ms,
        )
        t.last_finish_ms, t.last_split_ms, t.sectors, t.pit_time_ms = p.at_ms, None, [], None
        return [LapCompleted(lap)]


def passings_of(laps: list[Lap] | tuple[Lap, ...]) -> list[Passing]:
    """The passings a decoder would have sent for these laps, in time order: sector splits from the
    sector times, pit in just before an in-lap's line, pit out after the pit time, the finish line with
    the driver. Used to drive the live path from lap files (tests, benchmarks, the simulator)."""
    out: list[Passing] = []
    previous: dict[str, int] = {}
    pit_in: dict[str, int] = {}
    for lap in sorted(laps, key=lambda lap: (lap.elapsed_ms, lap.car)):
        start = previous.get(lap.car, 0)
        if lap.pit_time_ms and lap.car in pit_in:
            at = min(pit_in.pop(lap.car) + lap.pit_time_ms, lap.elapsed_ms - 1)
            out.append(Passing(lap.car, Timeline.PIT_OUT, max(at, start + 1)))
        split = start
        for number, ms in enumerate(lap.sectors[:-1], start=1):
            if ms is None or split + ms >= lap.elapsed_ms:
                break
            split += ms
            out.append(Passing(lap.car, Timeline.SECTOR, split, sector=number))
        if lap.in_pit:
            pit_in[lap.car] = lap.elapsed_ms - 1
            out.append(Passing(lap.car, Timeline.PIT_IN, lap.elapsed_ms - 1))
        out.append(Passing(lap.car, Timeline.FINISH, lap.elapsed_ms, driver=lap.driver_name))
        previous[lap.car] = lap.elapsed_ms
    out.sort(key=lambda p: p.at_ms)
    return out
