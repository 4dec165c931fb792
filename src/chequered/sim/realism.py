"""Statistics that say whether a session looks real, computed the same way on real timing files and on
simulated sessions (docs/simulator-realism.md lists the real sessions and the ranges they give).

Every statistic is a pure function of the entries and laps of one session:

- ``best_lap_spread``: per class with at least five cars, the median of each car's best lap over the
  class best, minus one;
- ``stint_consistency``: per stint of at least six green racing laps (no lap 1, in-lap, out-lap or
  yellow lap, none 5 % over the stint's median), the coefficient of variation of its lap times;
- ``pit_lane_ratio``: each stop's pit-lane time over the median green lap time of the race;
- ``finish_intervals``: the interval between consecutive cars that finished on the same lap, over the
  median green lap time;
- ``retired_share``: the share of starters that did not take the chequered flag.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence

from chequered.core.classification import classify
from chequered.core.model import Entry, Lap, Session, SessionKind
from chequered.core.rulebook import Rulebook
from chequered.core.stints import laps_by_car, stints_by_car

GREEN = ("", "GF")


def _green_laps(laps: Sequence[Lap]) -> list[int]:
    return [
        lap.lap_time_ms
        for lap in laps
        if lap.lap_time_ms and lap.lap > 1 and not lap.in_pit and not lap.pit_time_ms and lap.flag in GREEN
    ]


def median_green_lap(laps: Sequence[Lap]) -> float:
    return statistics.median(_green_laps(laps))


def best_lap_spread(entries: Sequence[Entry], laps: Sequence[Lap], min_cars: int = 5) -> dict[str, float]:
    classes = {e.car: e.car_class for e in entries}
    best: dict[str, int] = {}
    for car, car_laps in laps_by_car(laps).items():
        times = [lap.lap_time_ms for lap in car_laps if lap.lap_time_ms]
        if times:
            best[car] = min(times)
    spread: dict[str, float] = {}
    for car_class in sorted(set(classes.values())):
        times = [ms for car, ms in best.items() if classes.get(car) == car_class]
        if len(times) >= min_cars:
            fastest = min(times)
            spread[car_class] = statistics.median(ms / fastest - 1 for ms in times)
    return spread


def stint_consistency(laps: Sequence[Lap], min_laps: int = 6) -> list[float]:
    by_lap = {(lap.car, lap.lap): lap for lap in laps}
    values: list[float] = []
    for car, car_stints in stints_by_car(laps).items():
        for stint in car_stints.stints:
            stint_laps = [
                by_lap[(car, n)] for n in range(stint.first_lap, stint.last_lap + 1) if (car, n) in by_lap
            ]
            times = _green_laps(stint_laps)
            if len(times) < min_laps:
                continue
            middle = statistics.median(times)
            kept = [t for t in times if t <= middle * 1.05]
            if len(kept) >= min_laps:
                values.append(statistics.pstdev(kept) / statistics.fmean(kept))
    return values


def pit_lane_ratio(laps: Sequence[Lap]) -> list[float]:
    lap = median_green_lap(laps)
    return [p.pit_time_ms / lap for s in stints_by_car(laps).values() for p in s.stops if p.pit_time_ms]


def _race(session_id: str) -> Session:
    return Session(session_id, session_id, SessionKind.RACE)


def finish_intervals(
    entries: Sequence[Entry], laps: Sequence[Lap], rules: Rulebook, session: Session | None = None
) -> list[float]:
    result = classify(session or _race("race"), entries, laps, (), rules)
    lap = median_green_lap(laps)
    finishers = [(r.laps, r.total_time_ms) for r in result.results if r.took_flag and r.total_time_ms]
    return [(b[1] - a[1]) / lap for a, b in itertools.pairwise(finishers) if a[0] == b[0]]


def retired_share(
    entries: Sequence[Entry], laps: Sequence[Lap], rules: Rulebook, session: Session | None = None
) -> float:
    result = classify(session or _race("race"), entries, laps, (), rules)
    started = [r for r in result.results if r.laps > 0]
    return sum(1 for r in started if not r.took_flag) / len(started)
