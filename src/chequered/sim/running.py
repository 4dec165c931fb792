"""Free practice and qualifying: runs from the garage, out-laps, flying laps, in-laps.

Practice: both drivers share the car, swapping at each visit to the garage. Qualifying: one driver per
session (slot 1 in Q1, slot 2 in Q2), an out-lap then push laps, some cars pitting once for fresh tyres.
Traffic spoils a flying lap more often the more cars there are per kilometre (57 cars at Paul Ricard:
"all of the 57 cars on the track made it difficult to get clear laps", seed 001); a lap over the track
limits is deleted by race control (a ``LapDeleted`` decision), as the seeds' qualifying describes.
After the time expires each car ends at its next crossing (flag ``FF``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from chequered.core.events import Decision, LapDeleted
from chequered.core.model import Lap, SessionKind
from chequered.sim.grid import SimCar
from chequered.sim.laps import Dice, make_lap
from chequered.sim.track import Track

WARM_UP = (0.012, 0.002)  # extra share on the first and second flying lap of a run (tyres not in window)
WEAR_PER_LAP = 0.0004
PRACTICE_FUEL = 0.004
TRACK_LIMITS = "track limits"


@dataclass(slots=True)
class SessionLaps:
    """What a simulated session produced: laps in crossing order and race-control decisions."""

    laps: list[Lap] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def traffic_chance(track: Track, cars: int) -> float:
    return min(0.45, 0.035 * cars / (track.length_m / 1000))


def flying_ms(track: Track, car: SimCar, slot: int, k: int, dice: Dice, extra: float) -> int:
    """A lap at pace: reference x (driver + car + heat + tyres + extra) plus the driver's spread."""
    d = car.crew[slot - 1]
    warm = WARM_UP[k] if k < len(WARM_UP) else 0.0
    share = 1.0 + d.pace + car.car_pace + track.heat_loss + warm + WEAR_PER_LAP * k + extra
    noise = max(-2.2, dice.normal()) * d.spread
    ms = track.reference_ms * (share + noise)
    if dice.chance(d.mistakes):
        ms += track.reference_ms * dice.uniform(0.008, 0.035)
    return round(ms)


def run_session(
    track: Track,
    cars: Sequence[SimCar],
    kind: SessionKind,
    duration_ms: int,
    slot: int | None,
    dice: Dice,
    starters: Mapping[str, int] | None = None,
) -> SessionLaps:
    """Simulate a practice (``slot`` None: drivers alternate) or qualifying session (one ``slot``).
    ``starters`` names, by car, the crew slot that drives first (in qualifying: the one who qualifies),
    where a source says who did; it overrides ``slot`` for that car."""
    out = SessionLaps()
    spoil = traffic_chance(track, len(cars))
    practice = kind is SessionKind.PRACTICE
    extra = PRACTICE_FUEL if practice else 0.0
    starters = starters or {}
    for car in cars:
        first = starters.get(car.car)
        own = slot if first is None or (practice and slot is None) else first
        _run_car(track, car, practice, duration_ms, own, spoil, extra, dice, out, first)
    out.laps.sort(key=lambda lap: (lap.elapsed_ms, lap.car))
    return out


def _run_car(
    track: Track,
    car: SimCar,
    practice: bool,
    duration_ms: int,
    slot: int | None,
    spoil: float,
    extra: float,
    dice: Dice,
    out: SessionLaps,
    first: int | None = None,
) -> None:
    ref = track.reference_ms
    current = min(first or slot or 1, len(car.crew))
    t = round(dice.uniform(0, 480_000 if practice else 150_000))
    number = 0
    pit_ms: int | None = None
    runs = 0
    while t < duration_ms:
        runs += 1
        # the out-lap: from the garage (first run: the lap time runs from the session start)
        out_ms = round(ref * (1.08 + car.crew[current - 1].pace)) + (pit_ms or 0)
        number += 1
        lap_ms = out_ms if number > 1 else t + out_ms
        t += out_ms
        out.laps.append(
            make_lap(track, car, current, number, lap_ms, t, dice, pit_ms=pit_ms, flag=_flag(t, duration_ms))
        )
        if t >= duration_ms:
            return
        pushes = 3 + dice.pick(6) if practice else (3 + dice.pick(3) if dice.chance(0.4) else 20)
        for k in range(pushes):
            lap_ms = flying_ms(track, car, current, k, dice, extra)
            cool = practice and k % 3 == 2 and dice.chance(0.5)
            if cool:
                lap_ms = round(lap_ms * 1.06)
            elif dice.chance(spoil):
                lap_ms += round(dice.uniform(300, 2500))
            number += 1
            t += lap_ms
            out.laps.append(
                make_lap(track, car, current, number, lap_ms, t, dice, flag=_flag(t, duration_ms))
            )
            if not cool and dice.chance(car.crew[current - 1].track_limits):
                out.decisions.append(LapDeleted(car.car, number, TRACK_LIMITS))
            if t >= duration_ms:
                return
        in_ms = round(ref * (1.07 + car.crew[current - 1].pace))
        number += 1
        t += in_ms
        out.laps.append(
            make_lap(track, car, current, number, in_ms, t, dice, in_pit=True, flag=_flag(t, duration_ms))
        )
        if t >= duration_ms:
            return
        garage = round(dice.uniform(180_000, 720_000) if practice else dice.uniform(60_000, 180_000))
        pit_ms = garage + track.pit_lane_ms
        if practice and slot is None:
            current = 2 if current == 1 else 1
        if t + pit_ms + ref > duration_ms + ref // 2 and (not practice or runs > 1):
            return  # no time left for another run


def _flag(elapsed: int, duration_ms: int) -> str:
    return "FF" if elapsed >= duration_ms else "GF"
