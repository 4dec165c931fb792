"""Classification: races (order, timed finish, thresholds, penalties) and practice/qualifying (best lap)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from chequered.core.classification import classify
from chequered.core.errors import UnknownCarError
from chequered.core.events import LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Entry, Finish, FinishMode, Lap, Session, SessionKind, Status
from chequered.core.rulebook import ClassificationRules, Rulebook

RACE = Session("r", "Race", SessionKind.RACE)
QUALI = Session("q", "Q1", SessionKind.QUALIFYING)
OPEN = Rulebook("open", "open")
STRICT = Rulebook("strict", "strict", classification=ClassificationRules(Fraction(3, 4), "overall", True))
HOUR = 3_600_000


def entries(*cars: str, car_class: str = "Silver") -> list[Entry]:
    return [Entry(car=c, number=c, car_class=car_class) for c in cars]


def run(car: str, *lap_times: int, start: int = 0, flag: str = "") -> list[Lap]:
    """Consecutive laps of one car from ``start`` with the given lap times."""
    laps, elapsed = [], start
    for number, time in enumerate(lap_times, start=1):
        elapsed += time
        laps.append(Lap(car, number, time, elapsed, flag=flag))
    return laps


def order(classification: object) -> list[str]:
    return [r.entry.car for r in classification.results]  # type: ignore[attr-defined]


def test_more_laps_first_then_earlier_time() -> None:
    laps = run("1", 100, 100, 100) + run("2", 90, 90) + run("3", 99, 100, 102)
    result = classify(RACE, entries("1", "2", "3"), laps, [], OPEN)
    assert order(result) == ["1", "3", "2"]
    first, second, third = result.results
    assert (str(first.gap), str(second.gap), str(second.interval), str(third.gap)) == (
        "-",
        "+0.001",
        "+0.001",
        "1 Lap",
    )
    assert third.interval.laps == 1


def test_timed_race_leader_flagged_after_time_others_at_next_crossing() -> None:
    session = Session("r", "Race 1", SessionKind.RACE, Finish(FinishMode.TIME, 60 * 60_000))
    leader = run("1", *[7 * 60_000] * 10)  # crosses at 56:00, 63:00 (flag), 70:00 (cool-down)
    second = run("2", *[7 * 60_000 + 30_000] * 10)  # 60:00 (before the flag), 67:30 (flagged), 75:00
    stopped = run("3", *[6 * 60_000] * 5)  # parked at 30:00
    result = classify(session, entries("1", "2", "3"), leader + second + stopped, [], OPEN)
    assert result.flag_ms == 63 * 60_000
    by_car = {r.entry.car: r for r in result.results}
    assert (by_car["1"].laps, by_car["1"].total_time_ms) == (9, 63 * 60_000)
    assert (by_car["2"].laps, by_car["2"].total_time_ms) == (9, 67 * 60_000 + 30_000)
    assert by_car["3"].took_flag is False and by_car["1"].took_flag and by_car["2"].took_flag
    assert by_car["3"].status is Status.CLASSIFIED  # the open rulebook classifies retirements
    strict = classify(session, entries("1", "2", "3"), leader + second + stopped, [], STRICT)
    assert strict.result("3").status is Status.RETIRED  # type: ignore[union-attr]
    assert order(strict) == ["1", "2", "3"]


def test_lap_race_and_time_plus_laps_finishes() -> None:
    laps = run("1", *[100] * 12) + run("2", *[101] * 12)
    by_laps = classify(
        Session("r", "R", SessionKind.RACE, Finish(FinishMode.LAPS, laps=10)),
        entries("1", "2"),
        laps,
        [],
        OPEN,
    )
    assert [r.laps for r in by_laps.results] == [10, 10]
    plus_one = Session("r", "R", SessionKind.RACE, Finish(FinishMode.TIME_AND_LAPS, duration_ms=450, laps=1))
    result = classify(plus_one, entries("1", "2"), laps, [], OPEN)
    assert result.flag_ms == 600  # leader crosses at 500 after time expires, then one more lap
    assert [r.laps for r in result.results] == [6, 6]


def test_without_a_finish_the_flag_comes_from_the_file() -> None:
    laps = run("1", 100, 100, 100, flag="GF") + run("2", 101, 101, 101, 101)
    laps[2] = laps[2]._replace(flag="FF")  # the leader took the flag at 300
    result = classify(RACE, entries("1", "2"), laps, [], OPEN)
    assert result.flag_ms == 300
    assert result.result("2").laps == 3  # type: ignore[union-attr]  # its 4th crossing is the cool-down lap


def test_threshold_of_the_overall_or_the_class_winner() -> None:
    session = Session("r", "R", SessionKind.RACE, Finish(FinishMode.TIME, 1950))  # leader flagged at 2000
    laps = run("1", *[100] * 20) + run("2", *[150] * 14) + run("3", *[135] * 15) + run("4", *[175] * 12)
    cars = entries("1", "2") + entries("3", "4", car_class="Am")
    overall = classify(
        session, cars, laps, [], Rulebook("o", "o", classification=ClassificationRules(Fraction(3, 4)))
    )
    assert all(r.took_flag for r in overall.results)
    assert {r.entry.car: r.status for r in overall.results} == {
        "1": Status.CLASSIFIED,
        "3": Status.CLASSIFIED,
        "2": Status.NOT_CLASSIFIED,
        "4": Status.NOT_CLASSIFIED,
    }
    assert order(overall) == ["1", "3", "2", "4"]  # not classified cars rank after the classified ones
    by_class = Rulebook("c", "c", classification=ClassificationRules(Fraction(3, 4), "class"))
    statuses = {r.entry.car: r.status for r in classify(session, cars, laps, [], by_class).results}
    assert statuses == {
        "1": Status.CLASSIFIED,
        "2": Status.NOT_CLASSIFIED,  # 14 of the Silver winner's 20 laps
        "3": Status.CLASSIFIED,
        "4": Status.CLASSIFIED,  # 12 of the Am winner's 15 laps
    }


def test_penalties_reorder_and_statuses() -> None:
    laps = run("1", 100, 100) + run("2", 101, 101) + run("3", 102, 102) + run("4", 50)
    cars = entries("1", "2", "3", "4", "5")
    decisions = [
        TimePenalty("1", 5, "pit lane speeding"),
        StatusChanged("2", Status.DISQUALIFIED, "technical"),
        LapPenalty("4", 1, "unserved drive-through"),
    ]
    result = classify(RACE, cars, laps, decisions, OPEN)
    assert order(result) == ["3", "1", "4", "5", "2"]
    assert result.result("1").total_time_ms == 205  # type: ignore[union-attr]
    assert result.result("1").penalty_ms == 5  # type: ignore[union-attr]
    assert result.result("2").status is Status.DISQUALIFIED  # type: ignore[union-attr]
    assert result.result("5").status is Status.DID_NOT_START  # type: ignore[union-attr]
    assert result.result("4").laps == 0  # type: ignore[union-attr]
    reinstated = classify(RACE, cars, laps, [*decisions, StatusChanged("2", Status.CLASSIFIED)], OPEN)
    assert order(reinstated)[:3] == ["2", "3", "1"]


def test_retirement_by_race_control_under_a_rule_that_needs_the_flag() -> None:
    laps = run("1", 100, 100) + run("2", 101, 101)
    result = classify(RACE, entries("1", "2"), laps, [StatusChanged("1", Status.RETIRED)], STRICT)
    assert result.result("1").status is Status.RETIRED  # type: ignore[union-attr]
    assert order(result) == ["2", "1"]


def test_class_positions_gaps_and_fastest_laps() -> None:
    laps = run("1", 100, 99) + run("2", 110, 108) + run("3", 101, 100) + run("4", 112, 107)
    cars = entries("1", "3") + entries("2", "4", car_class="Am")
    result = classify(RACE, cars, laps, [], OPEN)
    assert [(r.entry.car, r.class_position) for r in result.results] == [
        ("1", 1),
        ("3", 2),
        ("2", 1),
        ("4", 2),
    ]
    am_second = result.result("4")
    assert am_second is not None
    assert (str(am_second.class_gap), str(am_second.class_interval), str(am_second.gap)) == (
        "+0.001",
        "+0.001",
        "+0.020",
    )
    assert result.fastest_lap is not None and (result.fastest_lap.car, result.fastest_lap.ms) == ("1", 99)
    assert (result.class_fastest["Am"].car, result.class_fastest["Am"].ms) == ("4", 107)


def test_qualifying_best_lap_ties_deleted_laps_and_no_time() -> None:
    laps = (
        run("1", 120, 95, 97)  # 95 set at 215
        + run("2", 96, 95, start=200)  # 95 set at 391: later than car 1
        + run("3", 90, 99)  # 90 deleted for track limits
        + [Lap("4", 1, None, 500)]  # an out-lap only, no time
    )
    cars = entries("1", "2", "3", "4", "5")
    result = classify(QUALI, cars, laps, [LapDeleted("3", 1, "track limits")], OPEN)
    assert order(result) == ["1", "2", "3", "4", "5"]
    assert [r.best_lap_ms for r in result.results] == [95, 95, 99, None, None]
    assert [r.status for r in result.results][3:] == [Status.NOT_CLASSIFIED, Status.DID_NOT_START]
    assert str(result.results[1].gap) == "+0.000" and str(result.results[2].gap) == "+0.004"
    assert result.fastest_lap is not None and result.fastest_lap.car == "1"
    undeleted = classify(QUALI, cars, laps, [], OPEN)
    assert order(undeleted)[0] == "3"


def test_a_timed_qualifying_ignores_laps_started_after_the_flag() -> None:
    session = Session("q", "Q1", SessionKind.QUALIFYING, Finish(FinishMode.TIME, 1000))
    laps = run("1", 400, 400, 300, 50)  # crosses at 400, 800, 1100 (lap started before the flag), 1150
    result = classify(session, entries("1"), laps, [], OPEN)
    assert result.results[0].best_lap_ms == 300
    assert result.results[0].laps == 3


def test_unknown_cars_are_refused() -> None:
    with pytest.raises(UnknownCarError, match="'9'"):
        classify(RACE, entries("1"), run("9", 100), [], OPEN)
    with pytest.raises(UnknownCarError, match="TimePenalty"):
        classify(RACE, entries("1"), run("1", 100), [TimePenalty("9", 5)], OPEN)
