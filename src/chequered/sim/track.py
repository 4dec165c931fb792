"""The circuit as the simulator sees it: a reference GT4 lap time from length and character, sector
splits, the pit lane, and the weekend's conditions.

Character is corners per kilometre: a GT4 car averages about 177 km/h at Monza (1.9 corners/km, a lap
near 1:58) and about 143 km/h at Misano (3.9 corners/km, near 1:42); the reference speed is the line
through those two (208 - 16.5 x corners/km km/h), which puts Paul Ricard near 2:07 and Barcelona
near 1:46 — the order of the published GT4 lap times at those circuits.

Heat is the seeds' Misano weekend (shared/seeds, 004): "the extreme heat causes you to lose engine
power and braking efficiency", worst "when you are close to other cars", and it made overtaking hard.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from chequered.core.model import Circuit

# Circuits where the seeds report a hot weekend, and the air temperature the simulator uses there.
HOT_WEEKENDS = {"misano": 34.0}
DEFAULT_AIR_C = 24.0
REFERENCE_CORNERS_PER_KM = 3.0


@dataclass(frozen=True, slots=True)
class Track:
    """The simulator's view of a circuit for one weekend."""

    circuit: Circuit
    reference_ms: int
    sector_shares: tuple[float, float, float]
    split_shares: tuple[float, float, float]
    pit_lane_ms: int
    air_c: float

    @property
    def length_m(self) -> int:
        return self.circuit.length_m or 5000

    @property
    def hot(self) -> bool:
        return self.air_c >= 30.0

    @property
    def heat_loss(self) -> float:
        """Share of lap time lost to heat (engine power, brakes), 0 below 30 °C."""
        return max(0.0, self.air_c - 30.0) * 0.0015

    @property
    def heat_following_loss(self) -> float:
        """Extra share lost when running in another car's wake, on top of the usual dirty air."""
        return 0.004 if self.hot else 0.0

    def kph(self, lap_ms: int) -> float:
        return round(self.length_m / lap_ms * 3600.0, 1)


def _shares(seed: int) -> tuple[float, float, float]:
    """Three shares summing to 1, stable per circuit (a CRC, not the session RNG)."""
    a = 0.30 + (seed % 97) / 97 * 0.08
    b = 0.32 + (seed // 97 % 89) / 89 * 0.08
    return (a, b, 1.0 - a - b)


def track_for(circuit: Circuit, air_c: float | None = None) -> Track:
    length = circuit.length_m or 5000
    corners = circuit.corners or round(length / 1000 * REFERENCE_CORNERS_PER_KM)
    kph = 208.0 - 16.5 * corners / (length / 1000)
    reference = round(length / (kph / 3.6) * 1000)
    crc = zlib.crc32(circuit.id.encode())
    return Track(
        circuit=circuit,
        reference_ms=reference,
        sector_shares=_shares(crc),
        split_shares=(0.45 + crc % 7 / 70, 0.4 + crc % 11 / 110, 0.5 + crc % 5 / 50),
        pit_lane_ms=round(reference * 0.22),
        air_c=HOT_WEEKENDS.get(circuit.id, DEFAULT_AIR_C) if air_c is None else air_c,
    )
