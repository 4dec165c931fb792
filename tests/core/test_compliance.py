from __future__ import annotations

import pytest

from chequered import rulebooks
from chequered.core.compliance import check_race, compliance_document, success_places
from chequered.core.model import Driver, DriverCategory, Entry, Lap, Session, SessionKind
from chequered.core.rulebook import parse_rulebook
from chequered.importers import alkamel
from tests.conftest import GRCUP, IMSA, real_file

LONG_BEACH = IMSA / "2023" / "08-long-beach-street-circuit"
RACE = Session(id="race", name="Race", kind=SessionKind.RACE)

STRICT = """
[rulebook]
id = "strict"
[[classes]]
id = "GTP"
crews = [["Platinum", "Gold"]]
[pit]
mandatory_stops = 1
driver_change = true
window_open_min = 25
window_close_min = 35
min_stop_s = 70
success_penalty_s = [10, 5]
min_drive_min = 25
max_drive_min = 80
each_driver_must_drive = true
"""


@pytest.mark.realdata
def test_long_beach_car_31_checked_by_hand() -> None:
    """#31 (Sims / Derani, GTP, both Platinum) at Long Beach 2023, from the raw lap file:
    - lap 6 is an in-lap (B) by Sims at 12:00.912; lap 7 by Derani carries PIT_TIME 1:08.045: the only
      stop with a driver change, 13 minutes before a 25-35 minute window;
    - a winner of the previous race must stop 70 + 10 = 80 s: 1:08.045 is short;
    - Sims drove laps 1-6 = 12:00.912 (< 25 min);
    - Derani: 12:00.912 -> 1:09:19.814 (in-lap 52) less 1:08.045 = 56:10.857, then 1:09:19.814 ->
      1:43:04.277 (the flag, lap 78) less the lap-53 pit time 1:04.662 = 32:39.801; 1:28:50.658 > 80 min;
    - a Platinum + Platinum crew is not the admitted Platinum + Gold."""
    laps_file = real_file(LONG_BEACH / "202304151405-race-laps.csv")
    timing, _ = alkamel.merge_entries(
        alkamel.read_laps(laps_file), alkamel.read_results(LONG_BEACH / "202304151405-race-results.csv")
    )
    rules = parse_rulebook(STRICT, "strict.toml")
    report = check_race(RACE, timing.entries, timing.laps, rules, {"31": 1})
    found = {(v.rule, v.measured, v.limit) for v in report.for_car("31")}
    assert found == {
        ("pit window", "stop at 12:00.912", "1 in 25:00.000-35:00.000"),
        ("minimum stop time", "1:08.045", "1:20.000"),
        ("minimum driving time", "12:00.912", "25:00.000"),
        ("maximum driving time", "1:28:50.658", "1:20:00.000"),
        ("class eligibility", "Platinum + Platinum", "Platinum + Gold"),
    }
    messages = [v.message for v in report.for_car("31")]
    assert "Alexander Sims drove 12:00.912, minimum 25:00.000" in messages
    assert "Pipo Derani drove 1:28:50.658, maximum 1:20:00.000" in messages
    assert any("incl. success penalty for P1" in m for m in messages)
    # under the IMSA preset (no window, no minimum stop, no crew limits) the car is clean
    imsa = check_race(RACE, timing.entries, timing.laps, rulebooks.load("imsa-2023"))
    assert imsa.for_car("31") == ()
    assert imsa.cars == 25


@pytest.mark.realdata
@pytest.mark.parametrize("race", ["08-long-beach-street-circuit", "12-watkins-glen-international"])
def test_imsa_races_run_under_the_imsa_rulebook(race: str) -> None:
    directory = IMSA / "2023" / race
    laps_file = real_file(next(directory.glob("*-race-laps.csv")))
    timing, _ = alkamel.merge_entries(
        alkamel.read_laps(laps_file), alkamel.read_results(next(directory.glob("*-race-results.csv")))
    )
    report = check_race(RACE, timing.entries, timing.laps, rulebooks.load("imsa-2023"))
    # every crew listed in the official results drove: IMSA's own rule holds in its own data
    assert [v for v in report.violations if v.rule == "each driver must drive"] == []
    assert report.cars > 20
    assert compliance_document(report)["rulebook"] == "imsa-2023"


@pytest.mark.realdata
def test_gr_cup_race_under_a_window_rule() -> None:
    """GR Cup sprints have no mandatory stop; under the GT4 rules every finisher misses the window.
    Car 13, the Barber race 1 winner, never pitted."""
    laps_file = real_file(GRCUP / "analysis_endurance" / "barber_r1_analysis_endurance.csv")
    timing = alkamel.read_laps(laps_file)
    clean = check_race(RACE, timing.entries, timing.laps, rulebooks.load("grcup-2024"))
    assert clean.violations == ()
    strict = check_race(RACE, timing.entries, timing.laps, rulebooks.load("gt4-europe-2023"))
    winner = [v for v in strict.violations if v.number == "13"]
    assert [(v.rule, v.measured) for v in winner] == [("mandatory stop", "0 stops with a driver change")]


def _lap(
    car: str, lap: int, elapsed_s: int, driver: int, in_pit: bool = False, pit_s: int | None = None
) -> Lap:
    return Lap(
        car,
        lap,
        60_000,
        elapsed_s * 1000,
        driver=driver,
        in_pit=in_pit,
        pit_time_ms=pit_s * 1000 if pit_s is not None else None,
    )


def test_synthetic_race_each_rule() -> None:
    """A 10-lap race of one-minute laps: #1 stops at minute 5 (window 4-6) for 50 s and changes driver,
    #2 never changes driver, #3 retires at minute 3 without stopping."""
    rules = parse_rulebook(
        '[rulebook]\nid = "t"\n[pit]\nmandatory_stops = 1\ndriver_change = true\nwindow_open_min = 4\n'
        "window_close_min = 6\nmin_stop_s = 45\nsuccess_penalty_s = [10]\neach_driver_must_drive = true\n",
        "t.toml",
    )
    silver = Driver("A", DriverCategory.SILVER), Driver("B", DriverCategory.SILVER)
    entries = [Entry("1", "1", "Silver", drivers=silver), Entry("2", "2", "Silver", drivers=silver)]
    entries.append(Entry("3", "3", "Silver", drivers=silver))
    laps = []
    for n in range(1, 11):
        laps.append(_lap("1", n, n * 60 + 1, 1 if n <= 5 else 2, in_pit=n == 5, pit_s=50 if n == 6 else None))
        laps.append(_lap("2", n, n * 60 + 2, 1))
    laps += [_lap("3", n, n * 60 + 3, 1) for n in range(1, 4)]
    fine = check_race(RACE, entries, laps, rules, {})
    assert fine.for_car("1") == ()
    assert {v.rule for v in fine.for_car("2")} == {"mandatory stop", "each driver must drive"}
    assert fine.for_car("3") == ()  # retired before the window: not held to what it had no time to do
    winner = check_race(RACE, entries, laps, rules, {"1": 1})
    assert [(v.rule, v.measured, v.limit) for v in winner.for_car("1")] == [
        ("minimum stop time", "50.000", "55.000")
    ]


def test_the_packaged_season_entries_are_eligible() -> None:
    from chequered.core.compliance import check_entries
    from chequered.seasons import load_season

    data = load_season("gt4-europe-2023")
    rules = rulebooks.load(data.rulebook)
    violations, notes = check_entries(data.entries, rules)
    assert violations == ()  # the Bäckmans: Silver + Silver in the Silver Cup
    assert any("'GT4 Scandinavia' is not one of the rulebook's classes" in n for n in notes)
    backman = next(e for e in data.entries if e.car == "racing-one-backman")
    mixed = Entry(
        backman.car,
        backman.number,
        "Silver",
        drivers=(backman.drivers[0], Driver("X", DriverCategory.BRONZE)),
    )
    (found,) = check_entries([mixed], rules)[0]
    assert (found.rule, found.measured, found.limit) == (
        "class eligibility",
        "Silver + Bronze",
        "Silver + Silver",
    )
    assert rules.class_rule("Pro-Am") is not None and rules.class_rule("Pro-Am").admits(  # type: ignore[union-attr]
        (DriverCategory.SILVER, DriverCategory.BRONZE)
    )


def test_success_places_count_within_the_class_or_overall() -> None:
    """The previous race's order (cars with a position), as an official results file gives it: in class
    for a class basis (GT4 Europe), overall for an overall basis."""
    official = alkamel.read_results(real_file(LONG_BEACH / "202304151405-race-results.csv"))
    placed = sorted((o for o in official if o.position is not None), key=lambda o: o.position or 0)
    finishers = [(o.number, o.entry.car_class) for o in placed]
    by_class = success_places(finishers, rulebooks.load("gt4-europe-2023"))
    overall = success_places(
        finishers, parse_rulebook('[rulebook]\nid = "o"\n[pit]\nsuccess_basis = "overall"\n')
    )
    assert sorted(overall.values()) == list(range(1, len(finishers) + 1))
    for car_class in {c for _, c in finishers}:
        in_class = [n for n, c in finishers if c == car_class]
        assert [by_class[n] for n in in_class] == list(range(1, len(in_class) + 1))
    assert by_class != overall
