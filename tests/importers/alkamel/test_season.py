from __future__ import annotations

from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.core.errors import ParseError
from chequered.core.points import award_points
from chequered.core.standings import driver_standings
from chequered.importers.alkamel.season import read_season_dir
from tests.conftest import GRCUP, IMSA, real_file


@pytest.mark.realdata
def test_imsa_directory_is_three_rounds_in_path_order() -> None:
    results = read_season_dir(real_file(IMSA))
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
