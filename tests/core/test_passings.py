"""Passings: duplicates dropped, out-of-order put in place, late and unknown ones reported."""

from __future__ import annotations

import random

import pytest

from chequered.core.events import LapCompleted, LiveEvent, PitCrossed, SectorCompleted
from chequered.core.model import Lap
from chequered.core.passings import Passing, PassingAssembler, Timeline, passings_of
from chequered.importers import alkamel
from tests.conftest import IMSA, real_file

LONG_BEACH = "2023/08-long-beach-street-circuit/202304151405-race-laps.csv"


def laps_of(events: list[LiveEvent]) -> list[Lap]:
    return [e.lap for e in events if isinstance(e, LapCompleted)]


def test_a_lap_from_finish_sector_and_pit_passings() -> None:
    assembler = PassingAssembler({"7"})
    events: list[LiveEvent] = []
    for passing in [
        Passing("7", Timeline.FINISH, 100_000, driver="A"),
        Passing("7", Timeline.SECTOR, 130_000, sector=1),
        Passing("7", Timeline.SECTOR, 165_000, sector=2),
        Passing("7", Timeline.PIT_IN, 195_000),
        Passing("7", Timeline.FINISH, 199_000),
        Passing("7", Timeline.PIT_OUT, 240_000),
        Passing("7", Timeline.FINISH, 330_000, driver="B"),
    ]:
        events.extend(assembler.add(passing))
    laps = laps_of(events)
    assert [(lap.lap, lap.lap_time_ms, lap.elapsed_ms) for lap in laps] == [
        (1, 100_000, 100_000),
        (2, 99_000, 199_000),
        (3, 131_000, 330_000),
    ]
    assert laps[1].sectors == (30_000, 35_000, 34_000) and laps[1].in_pit and laps[1].driver_name == "A"
    assert laps[2].pit_time_ms == 45_000 and laps[2].driver_name == "B" and not laps[2].in_pit
    assert any(isinstance(e, SectorCompleted) for e in events)
    assert [e.line.value for e in events if isinstance(e, PitCrossed)] == ["pit_in", "pit_out"]


def test_duplicates_unknown_cars_and_late_passings_are_reported_not_scored() -> None:
    assembler = PassingAssembler({"7", "07"}, window_ms=0)
    assert laps_of(assembler.add(Passing("7", Timeline.FINISH, 100_000)))
    assert assembler.add(Passing("7", Timeline.FINISH, 100_000)) == []  # the same passing twice
    assert assembler.add(Passing("7", Timeline.FINISH, 100_200)) == []  # a second loop, 0.2 s later
    assert assembler.duplicates == 2
    assert assembler.add(Passing("99", Timeline.FINISH, 101_000)) == []
    assert laps_of(assembler.add(Passing("7", Timeline.FINISH, 200_000)))
    assert assembler.add(Passing("7", Timeline.FINISH, 150_000)) == []  # later than the window allows
    assert [str(r) for r in assembler.rejected] == [
        "passing car '99' finish at 101000 ms: no car with this number is entered",
        "passing car '7' finish at 150000 ms: later passings of the car were already scored (window 0 ms)",
    ]
    assert laps_of(assembler.add(Passing("07", Timeline.FINISH, 150_000)))  # "07" is another car


@pytest.mark.realdata
def test_shuffled_and_repeated_passings_make_the_same_laps() -> None:
    timing = alkamel.read_laps(real_file(IMSA / LONG_BEACH))
    passings = passings_of(timing.laps)
    cars = {e.car for e in timing.entries}
    in_order = PassingAssembler(cars)
    want = laps_of([e for p in passings for e in in_order.add(p)] + in_order.flush())
    rng = random.Random(5)
    noisy = [p for p in passings for _ in range(1 + (rng.random() < 0.2))]  # a fifth sent twice
    for i in range(0, len(noisy) - 8, 4):  # each batch of 8 arrives in any order (a bridge catching up)
        chunk = noisy[i : i + 8]
        rng.shuffle(chunk)
        noisy[i : i + 8] = chunk
    shuffled = PassingAssembler(cars, window_ms=30_000)
    got = laps_of([e for p in noisy for e in shuffled.add(p)] + shuffled.flush())
    assert sorted(got) == sorted(want)  # the same laps (released in time order, not arrival order)
    assert not shuffled.rejected and shuffled.duplicates > 0
    assert [(lap.car, lap.lap, lap.elapsed_ms) for lap in sorted(want)] == sorted(
        (lap.car, lap.lap, lap.elapsed_ms) for lap in timing.laps
    )


def test_an_assembler_resumed_from_its_events_continues_the_lap_in_progress() -> None:
    """After a restart the log is all there is: laps, pit-lane crossings and sector splits, in log order.
    A new assembler resumed from them makes the same next lap (splits, in-pit mark, pit time, driver)
    and takes a re-sent passing for a duplicate."""
    before = [
        Passing("7", Timeline.FINISH, 100_000, driver="A"),
        Passing("7", Timeline.SECTOR, 130_000, sector=1),
        Passing("7", Timeline.PIT_IN, 195_000),
        Passing("7", Timeline.FINISH, 199_000),
        Passing("7", Timeline.PIT_OUT, 240_000),
        Passing("7", Timeline.SECTOR, 270_000, sector=1),
    ]
    after = [
        Passing("7", Timeline.SECTOR, 270_000, sector=1),  # re-sent by the bridge after the restart
        Passing("7", Timeline.SECTOR, 300_000, sector=2),
        Passing("7", Timeline.FINISH, 330_000),
    ]
    straight = PassingAssembler({"7"})
    logged: list[LiveEvent] = [e for p in before for e in straight.add(p)]
    expected = [e for p in after for e in straight.add(p)]
    resumed = PassingAssembler({"7"})
    for event in logged:
        if isinstance(event, LapCompleted):
            resumed.resume(event.lap.car, event.lap.lap, event.lap.elapsed_ms, event.lap.driver_name)
        elif isinstance(event, PitCrossed | SectorCompleted):
            resumed.resume_crossing(event)
    got = [e for p in after for e in resumed.add(p)]
    assert got == expected
    lap = laps_of(got)[0]
    assert (lap.lap, lap.sectors, lap.pit_time_ms) == (3, (71_000, 30_000, 30_000), 45_000)
    assert lap.driver_name == "A"
    assert resumed.duplicates == straight.duplicates == 1
