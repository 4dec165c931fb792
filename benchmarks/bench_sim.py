"""The race simulator: a 60-minute race of 57 cars and a 24-hour race of 60 cars (issue 6 goals:
under 1 s and under 30 s), plus a whole weekend and its Al Kamel files for scale."""

from __future__ import annotations

import numpy as np

from benchmarks.common import best_of, figure
from chequered import rulebooks
from chequered.importers.alkamel.writer import analysis_csv
from chequered.seasons import load_season
from chequered.sim.grid import build_grid
from chequered.sim.laps import Dice
from chequered.sim.race import RaceLaps, plan_for, run_race
from chequered.sim.track import track_for
from chequered.sim.weekend import simulate_weekend


def _race(cars_wanted: int, hours: int, seed: int) -> RaceLaps:
    season = load_season("gt4-europe-2023")
    rules = rulebooks.load(season.rulebook)
    track = track_for(season.event(2).circuit)
    cars = build_grid(season, 2, seed, cars_wanted)
    plan = plan_for(rules, cars, hours * 3_600_000, {}, track.reference_ms)
    return run_race(track, cars, [c.car for c in cars], plan, Dice(np.random.default_rng(seed)), 0.5)


def main() -> None:
    laps = len(_race(57, 1, 1).laps)
    figure(
        f"60-minute race, 57 cars ({laps:,} laps)", best_of(5, lambda: _race(57, 1, 1)) * 1000, "ms", "< 1 s"
    )
    laps = len(_race(60, 24, 1).laps)
    figure(f"24-hour race, 60 cars ({laps:,} laps)", best_of(2, lambda: _race(60, 24, 1)), "s", "< 30 s")
    season = load_season("gt4-europe-2023")
    figure("whole weekend, 57 cars, 6 sessions", best_of(3, lambda: simulate_weekend(season, 2, 7)), "s")
    race = simulate_weekend(season, 2, 7).sessions[4]
    figure(
        "Al Kamel lap analysis of a race",
        best_of(3, lambda: analysis_csv(race.entries, race.laps)) * 1000,
        "ms",
    )


if __name__ == "__main__":
    main()
