"""The simulated weekend: its shape, its grid, its crews, and determinism."""

from __future__ import annotations

import numpy as np
import pytest

from chequered.core.events import LapCompleted, LapDeleted
from chequered.core.model import DriverCategory, SessionKind, Status
from chequered.core.stints import stints_by_car
from chequered.seasons import SeasonData
from chequered.sim.grid import CREWS, GRID_SIZES, build_grid
from chequered.sim.weekend import SimulatedWeekend, simulate_weekend

B, S = DriverCategory.BRONZE, DriverCategory.SILVER


def test_a_weekend_has_the_seeds_format(paul_ricard: SimulatedWeekend) -> None:
    ids = [s.session.id.rsplit("-", 1)[-1] for s in paul_ricard.sessions]
    assert ids == ["FP1", "FP2", "Q1", "Q2", "R1", "R2"]
    assert len(paul_ricard.cars) == 57  # seed 000: "57 of Europe's fastest GT4 cars"
    for simulated in paul_ricard.sessions:
        assert simulated.laps, simulated.session.id
        times = [lap.elapsed_ms for lap in simulated.laps]
        assert times == sorted(times)


@pytest.mark.parametrize("round_", sorted(GRID_SIZES))
def test_grids_are_43_to_57_crews_of_two_that_fit_their_class(season: SeasonData, round_: int) -> None:
    cars = build_grid(season, round_, 1)
    assert 43 <= len(cars) <= 57
    assert len({c.entry.number for c in cars}) == len(cars)
    for car in cars:
        assert len(car.crew) == 2 and car.entry.number
        if car.entry.car_class in CREWS:
            assert sorted(d.driver.category or S for d in car.crew) == sorted(CREWS[car.entry.car_class])


def test_pace_and_consistency_follow_the_fia_category(season: SeasonData) -> None:
    drivers = [d for c in build_grid(season, 2, 5) for d in c.crew]
    silver = [d for d in drivers if d.driver.category is S]
    bronze = [d for d in drivers if d.driver.category is B]
    assert np.mean([d.pace for d in silver]) < np.mean([d.pace for d in bronze]) - 0.01
    assert max(d.spread for d in silver) < min(d.spread for d in bronze)


def test_known_entries_keep_their_names_and_gaps_are_filled_and_said(season: SeasonData) -> None:
    grid = build_grid(season, 2, 2)
    backman = next(c for c in grid if c.entry.team == "racing one")
    assert [d.driver.name for d in backman.crew] == ["Andreas Bäckman", "Jessica Bäckman"]
    assert backman.entry.number == "19" and not backman.notes
    tba = next(c for c in grid if c.entry.number == "230")  # GT4 Scandinavia: the second driver was "tba"
    assert tba.crew[0].driver.name == "Mikael Brunnhagen"
    assert any("second driver" in note for note in tba.notes)


def test_qualifying_is_one_driver_per_session_practice_both(paul_ricard: SimulatedWeekend) -> None:
    by_id = {s.session.id.rsplit("-", 1)[-1]: s for s in paul_ricard.sessions}
    # the #19's crew order is swapped by the season file (Jessica, its second driver, drove Q1: seed 001)
    per_car: dict[str, set[int]] = {}
    for q, slot in (("Q1", 1), ("Q2", 2)):
        per_car = {}
        for lap in by_id[q].laps:
            per_car.setdefault(lap.car, set()).add(lap.driver)
        assert all(len(slots) == 1 for slots in per_car.values())
        assert {car for car, slots in per_car.items() if slots != {slot}} == {"19"}
    assert {lap.driver for lap in by_id["FP1"].laps} == {1, 2}


def test_race_grids_come_from_qualifying(paul_ricard: SimulatedWeekend) -> None:
    by_id = {s.session.id.rsplit("-", 1)[-1]: s for s in paul_ricard.sessions}
    for q, r in (("Q1", "R1"), ("Q2", "R2")):
        pole = by_id[q].classify(paul_ricard.rulebook).results[0].entry.car
        first_lap = sorted((lap for lap in by_id[r].laps if lap.lap == 1), key=lambda lap: lap.elapsed_ms)
        # an Am crew with a lucky qualifying lap can lose a few places on lap 1 of a 57-car field; a grid
        # not drawn from qualifying would put the pole car in the first 8 only one time in seven
        assert pole in [lap.car for lap in first_lap[:8]]


def test_races_have_stops_with_driver_changes_yellows_and_retirements(season: SeasonData) -> None:
    retired = yellows = 0
    for seed in range(4):
        weekend = simulate_weekend(season, 2, seed)
        for simulated in weekend.sessions:
            if simulated.session.kind is not SessionKind.RACE:
                continue
            result = simulated.classify(weekend.rulebook)
            retired += sum(1 for r in result.results if r.status is Status.RETIRED)
            yellows += len(simulated.yellows)
            stops = stints_by_car(simulated.laps)
            changes = [car for car, s in stops.items() if any(p.driver_change for p in s.stops)]
            assert len(changes) > 40
            assert any(lap.flag == "FF" for lap in simulated.laps)
    assert retired > 0 and yellows > 0


def test_track_limits_delete_laps_as_decisions(paul_ricard: SimulatedWeekend) -> None:
    q1 = paul_ricard.sessions[2]
    deleted = [d for d in q1.decisions if isinstance(d, LapDeleted)]
    assert deleted and all(d.reason == "track limits" for d in deleted)
    events = list(q1.events())
    assert sum(isinstance(e, LapCompleted) for e in events) == len(q1.laps)
    assert {e for e in events if isinstance(e, LapDeleted)} == set(deleted)
    for at, event in enumerate(events):
        if isinstance(event, LapDeleted):  # right after the lap it strikes out
            before = next(e for e in reversed(events[:at]) if isinstance(e, LapCompleted))
            assert (before.lap.car, before.lap.lap) == (event.car, event.lap)


def test_heat_makes_misano_slower_and_costs_more_in_the_wake(misano: SimulatedWeekend) -> None:
    assert misano.track.hot and misano.track.heat_loss > 0 and misano.track.heat_following_loss > 0


def test_same_seed_same_weekend_other_seed_other_weekend(season: SeasonData) -> None:
    a, b, c = (simulate_weekend(season, 6, seed) for seed in (11, 11, 12))
    assert [s.laps for s in a.sessions] == [s.laps for s in b.sessions]
    assert [s.decisions for s in a.sessions] == [s.decisions for s in b.sessions]
    assert [s.laps for s in a.sessions] != [s.laps for s in c.sessions]
