"""Done-when 1: realism measured against real sessions, not asserted.

Each statistic of ``chequered.sim.realism`` is computed on the real Al Kamel race files below (read in
place) and on simulated races; the simulator's typical value (the median over its races) must fall
inside the range the real sessions span, and most single races too. docs/simulator-realism.md lists
the measured ranges and their sources.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.core.model import Timing
from chequered.importers import alkamel
from chequered.seasons import SeasonData
from chequered.sim import realism
from chequered.sim.weekend import SimulatedSession, simulate_weekend
from tests.conftest import GRCUP, IMSA, real_file

REAL_RACES = (
    GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv",
    GRCUP / "analysis_endurance/barber_r2_analysis_endurance.csv",
    GRCUP / "analysis_endurance/cota_r1_analysis_endurance.csv",
    GRCUP / "analysis_endurance/sonoma_r1_analysis_endurance.csv",
    IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv",
    IMSA / "2023/12-watkins-glen-international/202306251040-race-laps.csv",
    IMSA / "2024/05-sebring-international-raceway/202403160940-race-laps.csv",
)
RULES = rulebooks.load("gt4-europe-2023")


@pytest.fixture(scope="module")
def real() -> list[Timing]:
    return [alkamel.read_laps(real_file(path)) for path in REAL_RACES]


@pytest.fixture(scope="module")
def simulated(season: SeasonData) -> list[SimulatedSession]:
    races = []
    for round_ in (2, 4, 6):
        for seed in (1, 2):
            weekend = simulate_weekend(season, round_, seed)
            races.extend(s for s in weekend.sessions if s.session.id[-2] == "R")
    return races


def _inside(values: list[float], low: float, high: float, what: str) -> None:
    typical = statistics.median(values)
    share = sum(low <= v <= high for v in values) / len(values)
    assert low <= typical <= high, (
        f"{what}: simulated median {typical:.5f} outside real {low:.5f}..{high:.5f}"
    )
    assert share >= 0.75, f"{what}: only {share:.0%} of simulated races inside real {low:.5f}..{high:.5f}"


def _per_session(
    real: list[Timing], simulated: list[SimulatedSession], stat: Callable[[object, object], list[float]]
) -> tuple[list[float], list[float]]:
    measured = [statistics.median(v) for v in (stat(t.entries, t.laps) for t in real) if v]
    simulated_values = [statistics.median(stat(s.entries, s.laps)) for s in simulated]
    return measured, simulated_values


def test_spread_of_best_laps_within_a_class(real: list[Timing], simulated: list[SimulatedSession]) -> None:
    measured = [v for t in real for v in realism.best_lap_spread(t.entries, t.laps).values()]
    values = [v for s in simulated for v in realism.best_lap_spread(s.entries, s.laps).values()]
    _inside(values, min(measured), max(measured), "best-lap spread in class")


def test_lap_time_consistency_of_a_driver_in_a_stint(
    real: list[Timing], simulated: list[SimulatedSession]
) -> None:
    measured, values = _per_session(real, simulated, lambda e, laps: realism.stint_consistency(laps))  # type: ignore[arg-type]
    _inside(values, min(measured), max(measured), "stint consistency")


def test_pit_lane_times(real: list[Timing], simulated: list[SimulatedSession]) -> None:
    measured, values = _per_session(real, simulated, lambda e, laps: realism.pit_lane_ratio(laps))  # type: ignore[arg-type]
    _inside(values, min(measured), max(measured), "pit-lane time / lap")


def test_gaps_at_the_finish(real: list[Timing], simulated: list[SimulatedSession]) -> None:
    measured = [
        statistics.median(v) for t in real if (v := realism.finish_intervals(t.entries, t.laps, RULES))
    ]
    values = [
        statistics.median(realism.finish_intervals(s.entries, s.laps, RULES, s.session)) for s in simulated
    ]
    _inside(values, min(measured), max(measured), "interval at the finish / lap")


def test_share_of_cars_retiring(real: list[Timing], simulated: list[SimulatedSession]) -> None:
    measured = [realism.retired_share(t.entries, t.laps, RULES) for t in real]
    values = [realism.retired_share(s.entries, s.laps, RULES, s.session) for s in simulated]
    mean = statistics.fmean(values)
    assert min(measured) <= mean <= max(measured), (mean, min(measured), max(measured))


def test_the_statistics_tell_real_from_nonsense(real: list[Timing]) -> None:
    """A check that can fail: the same statistics reject a field of identical robots."""
    timing = real[0]
    robots = [lap._replace(lap_time_ms=100_000) for lap in timing.laps]
    assert realism.stint_consistency(robots) == [] or max(realism.stint_consistency(robots)) == 0.0
    assert all(v == 0.0 for v in realism.best_lap_spread(timing.entries, robots).values())


def test_real_files_are_the_documented_ones() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "simulator-realism.md").read_text(encoding="utf-8")
    for path in REAL_RACES:
        assert path.name in doc
