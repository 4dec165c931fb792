"""A timed race: rolling start, first-lap incidents, overtaking by pace difference, pit stops with the
driver change inside the rulebook's window and at least its minimum stop time (plus any success
penalty), retirements and damage, full-course yellows, heat.

Crossings are processed in time order from a heap. A car that catches the car that crossed the line
just ahead of it must pass it on the lap: the chance grows with the pace difference, is high when
lapping (blue flags), lower in the heat, nil under yellow; a failed attempt puts the car a few tenths
behind at the line. Running in another car's wake costs time, more in the heat.

Deliberate infractions (``infractions`` > 0) make a chosen car stop too briefly or before the window
opens; they are returned so that a compliance report can be checked against them.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from chequered.core.events import LapDeleted
from chequered.core.rulebook import Rulebook
from chequered.sim.grid import SimCar
from chequered.sim.laps import Dice, Yellow, flag_at, make_lap, under_yellow
from chequered.sim.running import TRACK_LIMITS, SessionLaps, flying_ms
from chequered.sim.track import Track

CLOSE_MS = 1_000  # within this at the line a car runs in the wake of the one ahead
MIN_GAP_MS = 250
FUEL_SHARE = 0.006  # a full tank costs this share of lap time; it burns off over the stint
ENDURANCE_STINT_MS = 62 * 60_000
MECHANICAL_PER_HOUR = 0.05


@dataclass(frozen=True, slots=True)
class Infraction:
    """A violation the simulator committed on purpose: the car and what it did (or the rule it breaks)."""

    car: str
    rule: str


SHORT_STOP = "short stop"
EARLY_STOP = "stop before the window"


@dataclass(slots=True)
class RaceLaps(SessionLaps):
    intended: list[Infraction] = field(default_factory=list)
    yellows: list[Yellow] = field(default_factory=list)
    wrecked: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Car:
    sim: SimCar
    slot: int
    laps: int = 0
    last: int = 0
    k: int = 0
    damage: float = 0.0
    stops_done: int = 0
    next_stop_ms: int = 1 << 62
    latest_stop_ms: int = 1 << 62
    stop_ms: int = 0
    in_lap: bool = False
    retire_at: int = 1 << 62
    done: bool = False
    ahead: int | None = None
    ahead_laps: int = 0
    seq: int = 0
    start: int = 0
    green: int = 0
    extra: int = 0
    planned: int = 0
    pit: int | None = None


@dataclass(frozen=True, slots=True)
class RacePlan:
    """The pit rules as the cars plan them, in race time."""

    duration_ms: int
    window: tuple[int, int] | None
    stop_minimum_ms: Mapping[str, int]
    endurance: bool


def plan_for(
    rules: Rulebook, cars: Sequence[SimCar], duration_ms: int, previous: Mapping[str, int], lap_ms: int
) -> RacePlan:
    pit = rules.pit
    endurance = duration_ms > 2 * 3_600_000 or not pit.mandatory_stops
    minimum = {c.car: pit.stop_minimum_ms(previous.get(c.entry.number)) or 60_000 for c in cars}
    window = None
    if not endurance:
        opens = int((pit.window_open_min or 0) * 60_000)
        closes = int(pit.window_close_min * 60_000) if pit.window_close_min is not None else duration_ms
        drive = int((pit.min_drive_min or 0) * 60_000)
        latest = min(closes, duration_ms - drive - max(minimum.values(), default=0)) - 60_000
        window = (opens + 20_000, max(opens + 30_000, latest - lap_ms - 15_000))
    return RacePlan(duration_ms, window, minimum, endurance)


def run_race(
    track: Track,
    cars: Sequence[SimCar],
    grid: Sequence[str],
    plan: RacePlan,
    dice: Dice,
    infractions: float = 0.0,
    first_slot: int = 1,
    starters: Mapping[str, int] | None = None,
) -> RaceLaps:
    """Simulate a race from ``grid`` (car keys in starting order; cars absent from it do not start),
    each car starting with the driver in ``first_slot``, or in the slot ``starters`` names for it."""
    by_key = {c.car: c for c in cars}
    starters = starters or {}
    state = [
        _Car(by_key[key], slot=min(starters.get(key, first_slot), len(by_key[key].crew))) for key in grid
    ]
    out = RaceLaps()
    ref = track.reference_ms
    n = len(state)
    heap: list[tuple[int, int, int]] = []
    short_car, early_car = _infractors(n, infractions, dice)
    if short_car is not None:
        out.intended.append(Infraction(state[short_car].sim.car, SHORT_STOP))
    if early_car is not None:
        out.intended.append(Infraction(state[early_car].sim.car, EARLY_STOP))
    for i, car in enumerate(state):
        _plan_stops(car, plan, dice, early=i == early_car)
        car.stop_ms = _stop_time(car, plan, dice, short=i == short_car)
        if dice.chance(failure_chance(plan.duration_ms)):
            car.retire_at = round(dice.uniform(0.03, 0.97) * plan.duration_ms)
        row_delay = (i // 2) * 450
        green = flying_ms(track, car.sim, 1, 0, dice, 0.025 + FUEL_SHARE) + row_delay
        incident = dice.chance(0.012 + 0.05 * i / max(1, n))
        if incident:
            green = _first_lap_incident(car, green, ref, dice, out)
        car.ahead = i - 1 if i > 0 else None
        car.start, car.green = 0, green
        _schedule(car, i, heap, out.yellows)
    if out.wrecked and dice.chance(0.6):
        _add_yellow(out, state, heap, round(ref * dice.uniform(0.3, 0.8)), dice)
    leader_laps = 0
    flag_ms: int | None = None
    last_car: int | None = None
    last_time = -CLOSE_MS
    while heap:
        t, seq, i = heapq.heappop(heap)
        car = state[i]
        if seq != car.seq:
            continue
        if _held_up(state, i, t, heap, dice, track, out.yellows):
            continue
        car.laps += 1
        lap_ms = t - car.last
        flag = "FF" if flag_ms is not None or (t >= plan.duration_ms and car.laps > leader_laps) else ""
        if flag and flag_ms is None:
            flag_ms = t
        leader_laps = max(leader_laps, car.laps)
        lap = make_lap(
            track,
            car.sim,
            car.slot,
            car.laps,
            lap_ms,
            t,
            dice,
            in_pit=car.in_lap,
            pit_ms=car.pit,
            flag=flag or flag_at(t, out.yellows),
        )
        out.laps.append(lap)
        if not car.in_lap and car.pit is None and dice.chance(car.sim.crew[car.slot - 1].track_limits * 0.5):
            out.decisions.append(LapDeleted(car.sim.car, car.laps, TRACK_LIMITS))
        close = last_car is not None and t - last_time < CLOSE_MS * 1.5
        car.ahead, car.ahead_laps = (
            (last_car, state[last_car].laps) if close and last_car is not None else (None, 0)
        )
        last_car, last_time = i, t
        car.last = t
        if flag or car.done:
            car.done = True
            continue
        _next_lap(car, i, t, plan, track, dice, out, state, heap)
    out.laps.sort(key=lambda lap: (lap.elapsed_ms, lap.car))
    return out


def failure_chance(duration_ms: int) -> float:
    """Chance that a car breaks down in a race this long: about 5 % in one hour, growing with the
    square root of the duration (22 % in 24 hours) as the real files' retirement shares do — 4-13 %
    in sprints, 20-22 % at 6 and 12 hours (docs/simulator-realism.md)."""
    return 1.0 - math.exp(-MECHANICAL_PER_HOUR * math.sqrt(duration_ms / 3_600_000))


def _infractors(n: int, rate: float, dice: Dice) -> tuple[int | None, int | None]:
    short = dice.pick(n) if n and dice.chance(rate) else None
    early = dice.pick(n) if n and dice.chance(rate) else None
    return short, (early if early != short else None)


def _plan_stops(car: _Car, plan: RacePlan, dice: Dice, early: bool) -> None:
    if plan.endurance:
        car.next_stop_ms = round(ENDURANCE_STINT_MS * dice.uniform(0.9, 1.0))
        return
    if plan.window is None:
        return
    opens, latest = plan.window
    car.next_stop_ms = round(dice.uniform(opens, latest))
    car.latest_stop_ms = latest
    if early:
        car.next_stop_ms = opens - round(dice.uniform(150_000, 240_000))
        car.latest_stop_ms = car.next_stop_ms + 60_000


def _stop_time(car: _Car, plan: RacePlan, dice: Dice, short: bool) -> int:
    minimum = plan.stop_minimum_ms[car.sim.car]
    if plan.endurance:
        return minimum + round(dice.uniform(0, 15_000))
    if short:
        return minimum - round(dice.uniform(400, 2500))
    return minimum + 150 + round(-900 * _log(dice.uniform(0.001, 1.0)))


def _log(x: float) -> float:
    return math.log(x)


def _first_lap_incident(car: _Car, green: int, ref: int, dice: Dice, out: RaceLaps) -> int:
    roll = dice.uniform()
    if (
        roll < 0.3
    ):  # front damage, back to the pits and out (seed 001: "retire ... directly on the first lap")
        car.in_lap = True
        car.retire_at = 0
        if dice.chance(0.5):
            out.wrecked.add(car.sim.car)
        return green + round(ref * dice.uniform(0.25, 0.6))
    if roll < 0.75:
        car.damage = dice.uniform(0.006, 0.03)
        return green + round(dice.uniform(2_000, 12_000))
    return green + round(dice.uniform(3_000, 20_000))  # a spin


def _schedule(car: _Car, i: int, heap: list[tuple[int, int, int]], yellows: Sequence[Yellow]) -> None:
    car.planned = car.start + under_yellow(car.start, car.green, yellows) + car.extra
    car.seq += 1
    heapq.heappush(heap, (car.planned, car.seq, i))


def _add_yellow(
    out: RaceLaps, state: list[_Car], heap: list[tuple[int, int, int]], at: int, dice: Dice
) -> None:
    """Neutralise the track from ``at``: every lap under way slows from then on."""
    if any(y.start_ms <= at < y.end_ms for y in out.yellows):
        return
    out.yellows.append(Yellow(at, at + round(dice.uniform(90_000, 240_000))))
    out.yellows.sort(key=lambda y: y.start_ms)
    for i, car in enumerate(state):
        if not car.done and car.planned > at:
            _schedule(car, i, heap, out.yellows)


def _held_up(
    state: list[_Car],
    i: int,
    t: int,
    heap: list[tuple[int, int, int]],
    dice: Dice,
    track: Track,
    yellows: list[Yellow],
) -> bool:
    """Re-schedule car ``i`` behind the car ahead when it fails to pass it."""
    car = state[i]
    j = car.ahead
    if j is None or car.in_lap or car.pit is not None:
        return False
    other = state[j]
    if other.done or other.laps != car.ahead_laps or other.in_lap or other.pit is not None:
        return False
    if other.planned < t - MIN_GAP_MS:
        return False
    if flag_at(t, yellows) == "FCY":
        chance = 0.0
    elif car.laps > other.laps:
        chance = 0.9
    else:
        delta = _pace(other) - _pace(car)
        chance = min(0.85, max(0.04, delta / 0.012)) * (0.5 if track.hot else 1.0)
    if dice.chance(chance):
        return False
    car.extra += other.planned + round(dice.uniform(MIN_GAP_MS, 700)) - t
    _schedule(car, i, heap, yellows)
    return True


def _pace(car: _Car) -> float:
    return car.sim.crew[car.slot - 1].pace + car.sim.car_pace + car.damage


def _next_lap(
    car: _Car,
    i: int,
    t: int,
    plan: RacePlan,
    track: Track,
    dice: Dice,
    out: RaceLaps,
    state: list[_Car],
    heap: list[tuple[int, int, int]],
) -> None:
    """Decide and schedule the lap after a crossing at ``t``: retire, in-lap, out-lap or a racing lap."""
    ref = track.reference_ms
    was_in_lap = car.in_lap
    car.in_lap, car.pit, car.extra, car.start = False, None, 0, t
    if t >= car.retire_at:
        car.done = True
        if not was_in_lap:
            if dice.chance(0.5):  # stopped on track
                if dice.chance(0.7):
                    _add_yellow(out, state, heap, t + round(ref * dice.uniform(0.2, 0.8)), dice)
            else:  # back to the pits, and out of the race there
                car.in_lap, car.green, car.done = True, round(ref * dice.uniform(1.1, 1.5)), False
                car.retire_at = 0
                _schedule(car, i, heap, out.yellows)
        return
    if was_in_lap:
        car.pit = car.stop_ms
        car.stops_done += 1
        car.slot = car.slot % len(car.sim.crew) + 1
        car.k = 0
        car.green = car.pit + round(ref * (0.8 + _pace(car) + 0.02))
        if not plan.endurance:
            car.next_stop_ms = 1 << 62
        else:
            car.next_stop_ms = t + round(ENDURANCE_STINT_MS * dice.uniform(0.9, 1.0))
        _schedule(car, i, heap, out.yellows)
        return
    car.k += 1
    fuel = FUEL_SHARE * max(0.0, 1.0 - (t % ENDURANCE_STINT_MS) / ENDURANCE_STINT_MS)
    wake = track.heat_following_loss + 0.0015 if car.ahead is not None else 0.0
    extra = fuel + car.damage + wake
    green = flying_ms(track, car.sim, car.slot, car.k, dice, extra)
    yellow = flag_at(t, out.yellows) == "FCY"
    if car.stops_done < 1 or plan.endurance:
        due = t + green >= car.next_stop_ms
        late = t + 2 * green > car.latest_stop_ms
        window_open = plan.window is not None and t + green >= plan.window[0]
        opportunist = (
            yellow
            and not plan.endurance
            and window_open
            and t + 2 * green < car.latest_stop_ms
            and dice.chance(0.7)
        )
        if due or late or opportunist:
            car.in_lap = True
            green = round(green * 1.02)
    if car.ahead is not None and dice.chance(0.0008):
        car.damage += dice.uniform(0.004, 0.02)  # contact
    car.green = green
    _schedule(car, i, heap, out.yellows)
