from __future__ import annotations

import itertools

from chequered.core.model import Lap
from chequered.core.stints import car_stints, laps_by_car, laps_by_car_moved_on, stints_by_car
from chequered.importers import alkamel
from tests.conftest import IMSA, real_file


def _lap(lap: int, elapsed: int, driver: int = 1, *, in_pit: bool = False, pit: int | None = None) -> Lap:
    return Lap("9", lap, 100_000, elapsed, driver, f"Driver {driver}", (), in_pit, pit)


def test_stop_with_driver_change_splits_the_stints() -> None:
    laps = [
        _lap(1, 100_000),
        _lap(2, 200_000, in_pit=True),
        _lap(3, 330_000, 2, pit=60_000),
        _lap(4, 430_000, 2),
    ]
    result = car_stints("9", laps)
    first, second = result.stints
    assert (first.driver, first.first_lap, first.last_lap, first.laps, first.time_ms) == (1, 1, 2, 2, 200_000)
    assert (second.driver, second.first_lap, second.last_lap, second.time_ms) == (2, 3, 4, 230_000)
    assert second.driving_ms == 170_000  # the pit-lane time of the out-lap is not driving
    (stop,) = result.stops
    assert (stop.in_lap, stop.out_lap, stop.pit_time_ms, stop.driver_change) == (2, 3, 60_000, True)


def test_retiring_in_the_pits_leaves_an_open_stop() -> None:
    result = car_stints("9", [_lap(1, 100_000), _lap(2, 200_000, in_pit=True)])
    (stop,) = result.stops
    assert stop.out_lap is None and stop.pit_time_ms is None and not stop.driver_change


def test_driver_change_without_a_recorded_stop_still_starts_a_stint() -> None:
    result = car_stints("9", [_lap(1, 100_000), _lap(2, 200_000, 2)])
    assert [s.driver for s in result.stints] == [1, 2]
    assert result.stops == ()


def test_duplicate_and_out_of_order_laps_are_put_right() -> None:
    laps = [_lap(2, 200_000), _lap(1, 100_000), _lap(2, 200_500)]
    assert [(lap.lap, lap.elapsed_ms) for lap in laps_by_car(laps)["9"]] == [(1, 100_000), (2, 200_000)]


def test_real_race_stints_cover_every_lap_once() -> None:
    timing = alkamel.read_laps(
        real_file(IMSA / "2023/12-watkins-glen-international/202306251040-race-laps.csv")
    )
    by_car = stints_by_car(timing.laps)
    for car, laps in laps_by_car(timing.laps).items():
        stints = by_car[car].stints
        assert sum(s.laps for s in stints) == len(laps)
        assert stints[-1].end_ms == laps[-1].elapsed_ms
        for stint, following in itertools.pairwise(stints):
            assert following.start_ms == stint.end_ms
        assert {s.driver_name for s in stints} == {lap.driver_name for lap in laps}


def test_grouping_moved_on_a_few_laps_at_a_time_equals_grouping_the_whole() -> None:
    """A live read model keeps the laps grouped per car and regroups only the cars with new laps: at
    every step the grouping is ``laps_by_car`` of every lap so far, out-of-order and repeated laps
    included (a real race, its laps as a feed sends them, then the same with laps sent twice and late)."""
    timing = alkamel.read_laps(
        real_file(IMSA / "2023/12-watkins-glen-international/202306251040-race-laps.csv")
    )
    in_order = sorted(timing.laps, key=lambda lap: lap.elapsed_ms)
    late = in_order[::37]  # every 37th lap sent again, after those that followed it
    disordered = [lap for i, lap in enumerate(in_order) if i % 37] + late + in_order[::53]
    for feed in (in_order, disordered):
        grouped: dict[str, list[Lap]] = {}
        for start in range(0, len(feed), 97):
            grouped = laps_by_car_moved_on(grouped, feed[start : start + 97])
            assert grouped == laps_by_car(feed[: start + 97])
    assert laps_by_car_moved_on({}, []) == {}
