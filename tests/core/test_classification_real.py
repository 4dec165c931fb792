"""Practice/qualifying-style classification on real laps: best-lap order, ties and deleted laps."""

from __future__ import annotations

from chequered.core.classification import classify
from chequered.core.events import LapDeleted
from chequered.core.model import Session, SessionKind
from chequered.core.rulebook import DEFAULT_RULEBOOK
from chequered.importers import alkamel
from tests.conftest import GRCUP, IMSA, real_file

QUALI = Session("q", "Qualifying", SessionKind.QUALIFYING)


def _barber() -> tuple[alkamel.Timing, list[alkamel.OfficialResult]]:
    timing = alkamel.read_laps(real_file(GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv"))
    official = alkamel.read_results(
        real_file(GRCUP / "provisional_results/barber_r1_provisional_results.csv")
    )
    return timing, official


def test_best_lap_of_every_car_is_the_official_fastest_lap() -> None:
    for laps_file, results_file in [
        (
            GRCUP / "analysis_endurance/barber_r1_analysis_endurance.csv",
            GRCUP / "provisional_results/barber_r1_provisional_results.csv",
        ),
        (
            IMSA / "2023/08-long-beach-street-circuit/202304151405-race-laps.csv",
            IMSA / "2023/08-long-beach-street-circuit/202304151405-race-results.csv",
        ),
    ]:
        timing = alkamel.read_laps(real_file(laps_file))
        official = alkamel.read_results(real_file(results_file))
        timing, mapping = alkamel.merge_entries(timing, official)
        result = classify(QUALI, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
        for line in official:
            mine = result.result(mapping[line.entry.car])
            assert mine is not None
            assert (mine.best_lap_ms, mine.best_lap) == (line.best_lap_ms, line.best_lap), line.number
        timed = [r.best_lap_ms for r in result.results if r.best_lap_ms is not None]
        assert timed == sorted(timed)
        assert result.fastest_lap is not None and result.fastest_lap.ms == timed[0]


def test_a_deleted_lap_drops_the_car_to_its_next_best_lap() -> None:
    timing, _ = _barber()
    before = classify(QUALI, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
    pole = before.results[0]
    assert pole.best_lap is not None
    after = classify(
        QUALI, timing.entries, timing.laps, [LapDeleted(pole.car, pole.best_lap)], DEFAULT_RULEBOOK
    )
    pole_after = after.result(pole.car)
    assert pole_after is not None
    own = sorted(
        lap.lap_time_ms
        for lap in timing.laps
        if lap.car == pole.car and lap.lap_time_ms and lap.lap != pole.best_lap
    )
    assert pole_after.best_lap_ms == own[0]
    assert pole_after.position == 1 + sum(
        1 for r in before.results if r.best_lap_ms and r.best_lap_ms < own[0] and r.car != pole.car
    )
    others = [r.car for r in before.results if r.car != pole.car]
    assert [r.car for r in after.results if r.car != pole.car] == others


def test_deleting_every_lap_faster_than_the_next_car_loses_pole() -> None:
    timing, _ = _barber()
    before = classify(QUALI, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
    pole, second = before.results[0], before.results[1]
    assert second.best_lap_ms is not None
    deleted = [
        LapDeleted(pole.car, lap.lap, "track limits")
        for lap in timing.laps
        if lap.car == pole.car and lap.lap_time_ms is not None and lap.lap_time_ms <= second.best_lap_ms
    ]
    assert deleted
    after = classify(QUALI, timing.entries, timing.laps, deleted, DEFAULT_RULEBOOK)
    assert after.results[0].car == second.car
    assert after.fastest_lap is not None and after.fastest_lap.car == second.car
    assert (after.result(pole.car) or pole).position > 1


def test_equal_best_laps_go_to_whoever_set_it_first() -> None:
    timing, _ = _barber()
    before = classify(QUALI, timing.entries, timing.laps, [], DEFAULT_RULEBOOK)
    first, second = before.results[0], before.results[1]
    # Give the second car exactly the pole time, on the same lap it set its own best.
    laps = [
        lap._replace(lap_time_ms=first.best_lap_ms)
        if (lap.car, lap.lap) == (second.car, second.best_lap)
        else lap
        for lap in timing.laps
    ]
    tied = classify(QUALI, timing.entries, laps, [], DEFAULT_RULEBOOK)
    set_at = {
        lap.car: lap.elapsed_ms
        for lap in laps
        if (lap.car, lap.lap) in {(first.car, first.best_lap), (second.car, second.best_lap)}
    }
    earlier = min(set_at, key=lambda car: set_at[car])
    assert tied.results[0].car == earlier
    assert tied.results[0].best_lap_ms == tied.results[1].best_lap_ms
    assert str(tied.results[1].gap) == "+0.000"
