from __future__ import annotations

from fractions import Fraction

import pytest

from chequered.core.errors import ParseError
from chequered.core.model import Status
from chequered.core.points import SessionType, award_points
from chequered.core.rulebook import parse_rulebook
from chequered.importers.results_csv import parse_results_csv


def test_a_full_row_and_derived_class_positions() -> None:
    text = (
        "round,session,session_type,number,class,team,drivers,position,class_position,status,laps,"
        "fastest_lap,distance_fraction,scores\n"
        "2,R1,race,01,Silver,racing one,Andreas Bäckman; Jessica Bäckman,3,,classified,30,true,0.5,\n"
        "2,R1,race,1,Am,X,A,1,,classified,31,,,false\n"
        "2,R1,race,7,Silver,Y,B,2,,classified,31,,,\n"
        "2,R1,race,9,Silver,Z,C,,,ret,1,,,\n"
    )
    rows = {r.number: r for r in parse_results_csv(text.encode(), "r.csv")}
    first = rows["01"]
    assert first.session_type is SessionType.RACE and first.status is Status.CLASSIFIED
    assert first.drivers == ("Andreas Bäckman", "Jessica Bäckman")
    assert (first.position, first.class_position) == (3, 2)  # behind #7 in Silver
    assert first.fastest_lap and first.distance_fraction == Fraction(1, 2) and first.scores
    assert rows["1"].scores is False and rows["1"].class_position == 1
    assert rows["9"].status is Status.RETIRED and rows["9"].class_position is None
    assert "01" in rows and "1" in rows  # car numbers are strings


def test_green_laps_reach_the_minimum_green_flag_laps_rule() -> None:
    """A race stopped after one green-flag lap scores nothing under ``min_green_laps = 2``; the column
    is optional (blank = not known, the rule not checked) and must be a whole number."""
    text = (
        "round,session,session_type,number,position,status,distance_fraction,green_laps\n"
        "1,R1,race,1,1,classified,0.1,1\n"
        "2,R1,race,1,1,classified,0.1,2\n"
        "3,R1,race,1,1,classified,0.1,\n"
    )
    rows = parse_results_csv(text.encode(), "r.csv")
    assert [r.green_laps for r in rows] == [1, 2, None]
    book = parse_rulebook(
        '[rulebook]\nid = "t"\n[points]\nscope = "overall"\nrace = [25, 18]\nmin_green_laps = 2\n'
        "[[points.distance_tiers]]\nbelow = 0.25\nfactor = 0.25\n",
        "t.toml",
    )
    assert [a.points for a in award_points(rows, book)] == [0, Fraction(25, 4), Fraction(25, 4)]
    with pytest.raises(ParseError, match=r"r.csv, line 2, column green_laps: .two. is not a whole number"):
        parse_results_csv(text.replace(",1\n", ",two\n", 1).encode(), "r.csv")
