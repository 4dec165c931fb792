"""The race model's mechanisms, each measured on simulated laps: heat, overtaking by pace difference,
tyre warm-up, full-course yellows, first-lap incidents, long races."""

from __future__ import annotations

import statistics

import numpy as np

from chequered import rulebooks
from chequered.core.model import Lap
from chequered.core.stints import stints_by_car
from chequered.seasons import SeasonData
from chequered.sim.grid import SimCar, build_grid
from chequered.sim.laps import Dice, Yellow, under_yellow
from chequered.sim.race import RaceLaps, failure_chance, plan_for, run_race
from chequered.sim.track import Track, track_for

RULES = rulebooks.load("gt4-europe-2023")


def _race(
    season: SeasonData, track: Track, seed: int, order: str = "pace", hours: int = 1
) -> tuple[list[SimCar], RaceLaps]:
    cars = list(build_grid(season, 4, seed))
    pace = {c.car: c.crew[0].pace + c.car_pace for c in cars}
    grid = sorted(pace, key=pace.__getitem__, reverse=order == "reversed")
    plan = plan_for(RULES, cars, hours * 3_600_000, {}, track.reference_ms)
    return cars, run_race(track, cars, grid, plan, Dice(np.random.default_rng(seed)), 0.0)


def _green(laps: list[Lap]) -> list[int]:
    return [
        lap.lap_time_ms
        for lap in laps
        if lap.lap > 1 and lap.flag == "GF" and not lap.in_pit and not lap.pit_time_ms and lap.lap_time_ms
    ]


def test_heat_costs_lap_time(season: SeasonData) -> None:
    circuit = season.event(4).circuit
    hot, mild = track_for(circuit), track_for(circuit, air_c=22.0)
    assert hot.hot and not mild.hot
    slow = statistics.median(_green(_race(season, hot, 3)[1].laps))
    fast = statistics.median(_green(_race(season, mild, 3)[1].laps))
    assert slow > fast * 1.004


def _position_changes(result: RaceLaps) -> int:
    first = {lap.car: lap.elapsed_ms for lap in result.laps if lap.lap == 1}
    start = sorted(first, key=first.__getitem__)
    lap_10 = {lap.car: lap.elapsed_ms for lap in result.laps if lap.lap == 10}
    end = sorted(lap_10, key=lap_10.__getitem__)
    return sum(abs(start.index(car) - end.index(car)) for car in end)


def test_overtaking_depends_on_the_pace_difference(season: SeasonData) -> None:
    track = track_for(season.event(6).circuit)
    in_order = _position_changes(_race(season, track, 5, "pace")[1])
    reversed_grid = _position_changes(_race(season, track, 5, "reversed")[1])
    assert reversed_grid > 3 * in_order


def test_cold_tyres_cost_time_on_the_first_flying_lap(season: SeasonData) -> None:
    from chequered.sim.weekend import simulate_weekend

    q1 = simulate_weekend(season, 2, 3).sessions[2]
    by_lap = {(lap.car, lap.lap): lap.lap_time_ms or 0 for lap in q1.laps}
    cost = [
        by_lap[(car, 2)] / min(by_lap[(car, n)] for n in (3, 4, 5)) - 1
        for car in {lap.car for lap in q1.laps}
        if all((car, n) in by_lap for n in (2, 3, 4, 5))
    ]
    assert len(cost) > 30
    assert statistics.median(cost) > 0.005


def test_a_yellow_slows_the_lap_by_the_time_it_is_out() -> None:
    assert under_yellow(0, 100_000, ()) == 100_000
    assert under_yellow(0, 100_000, (Yellow(50_000, 80_000, 2.0),)) == 115_000
    assert under_yellow(60_000, 100_000, (Yellow(50_000, 80_000, 2.0),)) == 110_000
    assert under_yellow(0, 100_000, (Yellow(200_000, 300_000, 2.0),)) == 100_000


def test_yellows_show_as_fcy_crossings(season: SeasonData) -> None:
    for seed in range(10):
        _, result = _race(season, track_for(season.event(2).circuit), seed)
        if result.yellows:
            y = result.yellows[0]
            flagged = [lap for lap in result.laps if lap.flag == "FCY"]
            assert flagged and all(y.start_ms <= lap.elapsed_ms < y.end_ms for lap in flagged[:5])
            return
    raise AssertionError("no yellow in ten races")


def test_long_races_rotate_drivers_at_fuel_stops_and_lose_more_cars() -> None:
    assert 0.03 < failure_chance(3_600_000) < 0.07
    assert 0.15 < failure_chance(24 * 3_600_000) < 0.3


def test_a_24_hour_race_has_stints_of_about_an_hour(season: SeasonData) -> None:
    _, result = _race(season, track_for(season.event(2).circuit), 1, hours=24)
    stints = stints_by_car(result.laps)
    finishers = [s for s in stints.values() if s.stints[-1].end_ms > 23 * 3_600_000]
    assert finishers
    for car in finishers:
        assert 20 <= len(car.stops) <= 26
        assert all(p.driver_change for p in car.stops if p.out_lap)
