"""The Al Kamel writer is the inverse of the reader: simulated sessions written and read back give the
same laps and the same classification."""

from __future__ import annotations

from datetime import datetime

import pytest

from chequered.core.classification import classify
from chequered.core.model import Driver, DriverCategory, Entry, Lap, Session, SessionKind
from chequered.importers import alkamel
from chequered.importers.alkamel.writer import (
    ANALYSIS_COLUMNS,
    analysis_csv,
    classification_csv,
    decisions_csv,
)
from chequered.importers.decisions import parse_decisions
from chequered.seasons import load_season
from chequered.sim.weekend import SimulatedWeekend, simulate_weekend


@pytest.fixture(scope="module")
def paul_ricard() -> SimulatedWeekend:
    return simulate_weekend(load_season("gt4-europe-2023"), 2, 7)


def _strip(lap: Lap) -> Lap:
    return lap._replace(kph=round(lap.kph, 1) if lap.kph is not None else None)


@pytest.mark.parametrize("index", range(6))
def test_laps_survive_the_round_trip(paul_ricard: SimulatedWeekend, index: int) -> None:
    simulated = paul_ricard.sessions[index]
    data = analysis_csv(simulated.entries, simulated.laps, datetime(2023, 6, 3, 14, 50), (0.5, 0.4, 0.5))
    timing = alkamel.parse_laps(data, "sim.CSV")
    assert timing.laps == tuple(_strip(lap) for lap in simulated.laps)
    by_car = {e.car: e for e in timing.entries}
    for entry in simulated.entries:
        if entry.car in by_car:
            assert by_car[entry.car].car_class == entry.car_class
            assert by_car[entry.car].team == entry.team


@pytest.mark.parametrize("index", range(6))
def test_classification_reads_back_to_the_same_result(paul_ricard: SimulatedWeekend, index: int) -> None:
    simulated = paul_ricard.sessions[index]
    rules = paul_ricard.rulebook
    mine = simulated.classify(rules)
    official = alkamel.parse_results(classification_csv(mine), "03_Classification.CSV")
    decisions = parse_decisions(decisions_csv(simulated.decisions), "decisions.csv")
    assert tuple(decisions) == simulated.decisions
    timing = alkamel.parse_laps(analysis_csv(simulated.entries, simulated.laps), "23_Analysis.CSV")
    timing, _ = alkamel.merge_entries(timing, official)
    # read back as a file is: no session metadata, the flag from the FF crossings
    bare = Session(simulated.session.id, simulated.session.name, simulated.session.kind)
    again = classify(bare, timing.entries, timing.laps, decisions, rules)
    assert [(r.entry.number, r.position, r.laps, r.total_time_ms, r.best_lap_ms) for r in again.results] == [
        (r.entry.number, r.position, r.laps, r.total_time_ms, r.best_lap_ms) for r in mine.results
    ]
    assert [(o.number, o.position, o.laps) for o in official] == [
        (r.entry.number, r.position if r.status.value != "dns" else None, r.laps) for r in mine.results
    ]
    by_number = {o.number: o for o in official}
    for r in mine.results:
        crew = by_number[r.entry.number].entry.drivers
        assert [(d.name, d.category) for d in crew] == [(d.name, d.category) for d in r.entry.drivers]


def test_the_files_are_laid_out_as_published() -> None:
    entry = Entry("07", "07", "Am", "Team", "Model", (Driver("Ann Lee", DriverCategory.BRONZE, "SWE"),))
    laps = (
        Lap("07", 1, 125_000, 125_000, 1, "Ann Lee", (40_000, 45_000, 40_000), True, None, "GF", 160.0),
        Lap(
            "07",
            2,
            3_725_500,
            3_850_500,
            1,
            "Ann Lee",
            (3_640_000, 45_000, 40_500),
            False,
            3_600_000,
            "FF",
            5.4,
        ),
    )
    data = analysis_csv((entry,), laps, datetime(2023, 6, 3, 23, 59))
    text = data.decode("utf-8")
    assert text.startswith("\ufeffNUMBER; DRIVER_NUMBER; ") and text.endswith(";\r\n")
    header, first, second = text.rstrip("\r\n").split("\r\n")
    assert header.rstrip(";").split(";")[14:16] == [" HOUR", "S1_LARGE"]
    assert len(header.split(";")) == len(ANALYSIS_COLUMNS) + 1
    row = second.split(";")
    assert row[0] == "07" and row[3] == "1:02:05.500" and row[13] == "1:04:10.500"
    assert row[14] == "01:03:10.500"  # HOUR: local time of day, past midnight
    assert row[20] == "1:00:00.000"  # PIT_TIME as H:MM:SS.mmm
    assert first.split(";")[5] == "B"
    results = classification_csv(
        classify(Session("R", "Race", SessionKind.RACE), (entry,), laps, (), _rules())
    ).decode("utf-8")
    assert "DRIVER1_LICENSE" in results and ";Bronze;" in results and ";Classified;" in results


def _rules():  # type: ignore[no-untyped-def]
    from chequered import rulebooks

    return rulebooks.load("gt4-europe-2023")
