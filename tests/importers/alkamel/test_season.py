from __future__ import annotations

from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.core.errors import ParseError
from chequered.core.points import SessionType, award_points
from chequered.core.standings import driver_standings
from chequered.importers.alkamel.season import read_season_dir, session_type
from tests.conftest import GRCUP, real_file
from tests.importers.alkamel.season_dirs import imsa_three_races


@pytest.mark.realdata
def test_imsa_directory_is_three_rounds_in_path_order(tmp_path: Path) -> None:
    results = read_season_dir(imsa_three_races(tmp_path))
    assert sorted({(r.round, r.session) for r in results}) == [(1, "R1"), (2, "R1"), (3, "R1")]
    winner = next(r for r in results if (r.round, r.number) == (1, "6"))
    assert (winner.position, winner.class_position, winner.car_class) == (1, 1, "GTP")
    assert winner.drivers == ("Nick Tandy", "Mathieu Jaminet")
    # one fastest lap per class per race
    for round_ in (1, 2, 3):
        flagged = [r.car_class for r in results if r.round == round_ and r.fastest_lap]
        assert sorted(flagged) == sorted(set(flagged))


@pytest.mark.realdata
def test_anonymised_gr_cup_results_stand_under_the_car_number() -> None:
    """The four GR Cup provisional results sit in one folder: one round of four races (barber r1, barber
    r2, cota r1, sonoma r1 in path order). #13 was 1st, 1st, 6th and 2nd in Am: 25 + 25 + 8 + 18 = 76."""
    results = read_season_dir(real_file(GRCUP / "provisional_results"))
    rules = rulebooks.load("gt4-europe-2023")
    table = driver_standings(award_points(results, rules), rules, car_class="Am")
    assert (table[0].competitor, table[0].points) == ("#13", 76)
    assert [line.place for line in table[0].lines] == [1, 1, 6, 2]


def test_a_directory_without_results_files(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ParseError, match="no Al Kamel results files"):
        read_season_dir(tmp_path)


def test_a_simulated_season_is_read_as_its_rounds_and_sessions(tmp_path: Path) -> None:
    """Two rounds written by ``chequered simulate weekend --out``: each round's session folders are its
    sessions (Q1, Q2, R1, R2); practice scores nothing and is left out."""
    from chequered.cli.simulate import write_weekend
    from chequered.seasons import load_season
    from chequered.sim.weekend import simulate_weekend

    data = load_season("gt4-europe-2023")
    for round_ in (1, 2):
        write_weekend(simulate_weekend(data, round_, seed=round_), tmp_path / f"round-{round_}")
    results = read_season_dir(tmp_path)
    sessions = sorted({(r.round, r.session, r.session_type.value) for r in results})
    assert sessions == [
        (round_, name, kind)
        for round_ in (1, 2)
        for name, kind in (("Q1", "qualifying"), ("Q2", "qualifying"), ("R1", "race"), ("R2", "race"))
    ]


def test_session_kinds_from_names() -> None:
    assert session_type("202304211125_Free Practice 1") is None
    assert session_type("202301271825-practice-5-results") is None
    assert session_type("x-warm-up-results") is None
    assert session_type("202310131520-qualifying-results") is SessionType.QUALIFYING
    assert session_type("202304221315_Race 1") is SessionType.RACE
    assert session_type("Sprint Race") is SessionType.SPRINT
    assert session_type("Sprint Qualifying") is SessionType.SPRINT_QUALIFYING
