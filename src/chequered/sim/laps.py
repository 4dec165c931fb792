"""Shared pieces of every simulated session: random draws in blocks, lap records with sector splits,
and full-course-yellow time.

Random numbers come from one injected ``numpy.random.Generator`` per session, drawn in blocks (a
per-lap NumPy call would cost more than the lap itself); the order of draws is fixed, so the same seed
gives the same laps byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chequered.core.model import Lap
from chequered.sim.grid import SimCar
from chequered.sim.track import Track

BLOCK = 4096
OUT_LAP_COLD = 0.015  # share of lap time lost on the track part of an out-lap (tyres and brakes cold)


class Dice:
    """Normal and uniform draws handed out one at a time from NumPy blocks."""

    __slots__ = ("_ni", "_normals", "_rng", "_ui", "_uniforms")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._normals: list[float] = []
        self._uniforms: list[float] = []
        self._ni = self._ui = 0

    @property
    def rng(self) -> np.random.Generator:
        return self._rng

    def normal(self) -> float:
        if self._ni >= len(self._normals):
            self._normals = self._rng.standard_normal(BLOCK).tolist()
            self._ni = 0
        self._ni += 1
        return self._normals[self._ni - 1]

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        if self._ui >= len(self._uniforms):
            self._uniforms = self._rng.random(BLOCK).tolist()
            self._ui = 0
        self._ui += 1
        return low + (high - low) * self._uniforms[self._ui - 1]

    def chance(self, p: float) -> bool:
        return self.uniform() < p

    def pick(self, n: int) -> int:
        return min(n - 1, int(self.uniform() * n))


@dataclass(frozen=True, slots=True)
class Yellow:
    """A full-course-yellow period in session time; cars run at ``ratio`` times their green lap time."""

    start_ms: int
    end_ms: int
    ratio: float = 1.9


def under_yellow(start: int, green_ms: int, yellows: Sequence[Yellow]) -> int:
    """The lap time of a lap begun at ``start`` that takes ``green_ms`` at green, slowed by the yellows:
    track progress runs at 1/ratio of its green rate while a yellow is out."""
    t = start
    left = float(green_ms)
    for y in yellows:
        if y.end_ms <= t:
            continue
        if y.start_ms >= t + left:
            break
        green_before = max(0, y.start_ms - t)
        t += green_before
        left -= green_before
        slow_span = y.end_ms - t
        progress = slow_span / y.ratio
        if progress >= left:
            return round(t + left * y.ratio) - start
        t = y.end_ms
        left -= progress
    return round(t + left) - start


def flag_at(elapsed: int, yellows: Sequence[Yellow]) -> str:
    return "FCY" if any(y.start_ms <= elapsed < y.end_ms for y in yellows) else "GF"


def make_lap(
    track: Track,
    car: SimCar,
    slot: int,
    number: int,
    lap_ms: int,
    elapsed: int,
    dice: Dice,
    *,
    in_pit: bool = False,
    pit_ms: int | None = None,
    flag: str = "GF",
) -> Lap:
    """A crossing with sectors that add up to the lap time."""
    a, b, _ = track.sector_shares
    s1 = round(lap_ms * a * (1.0 + 0.004 * dice.normal()))
    s2 = round(lap_ms * b * (1.0 + 0.004 * dice.normal()))
    if pit_ms:
        # The pit lane sits across the line: the stop, the pit lane and the slow exit all fall in the
        # first sector of the out-lap. The second and third are driven on track on cold tyres, a little
        # slower than the driver's pace: never a share of the shortened lap (that made them ~8 s too fast
        # and the session's best sectors).
        _, _, c = track.sector_shares
        d = car.crew[slot - 1]
        share = 1.0 + d.pace + car.car_pace + track.heat_loss + OUT_LAP_COLD
        s2 = round(track.reference_ms * b * share * (1.0 + 0.004 * abs(dice.normal())))
        s3 = round(track.reference_ms * c * share * (1.0 + 0.004 * abs(dice.normal())))
        s1 = max(pit_ms, lap_ms - s2 - s3)
        s2 = lap_ms - s1 - s3 if s1 == pit_ms else s2
    s3 = lap_ms - s1 - s2
    return Lap(
        car.car,
        number,
        lap_ms,
        elapsed,
        slot,
        car.crew[slot - 1].driver.name,
        (s1, s2, s3),
        in_pit,
        pit_ms,
        flag,
        track.kph(lap_ms),
    )
