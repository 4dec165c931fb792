"""Properties of points and standings, on random seasons and random rulebooks."""

from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType, award_points, award_session
from chequered.core.rulebook import Rulebook, parse_rulebook
from chequered.core.standings import driver_standings, team_standings

DRIVERS = [f"D{i}" for i in range(8)]


@st.composite
def rulebooks(draw: st.DrawFn) -> Rulebook:
    ties = draw(st.sampled_from(["share", "higher"]))
    places = draw(st.sampled_from(["passed_down", "withheld"]))
    share = draw(st.sampled_from(["full", "split"]))
    best = draw(st.one_of(st.none(), st.integers(1, 5)))
    dropped = f"[dropped]\nbest = {best}\n" if best else ""
    return parse_rulebook(
        f'[rulebook]\nid = "p"\n[points]\nscope = "class"\nrace = [10, 6, 4, 3, 2, 1]\nqualifying = [1]\n'
        f'ties = "{ties}"\nfastest_lap = 1\n[non_scoring]\nplaces = "{places}"\n'
        f'[scoring]\ncrew_share = "{share}"\nteam_cars_counted = 1\n{dropped}',
        "p.toml",
    )


@st.composite
def seasons(draw: st.DrawFn) -> list[SessionResult]:
    rows: list[SessionResult] = []
    cars = [str(n) for n in range(1, draw(st.integers(2, 6)) + 1)]
    classes = {car: draw(st.sampled_from(["Silver", "Am"])) for car in cars}
    for round_ in range(1, draw(st.integers(1, 4)) + 1):
        # a driver races one car at a time; crews change from round to round
        pool = draw(st.permutations(DRIVERS + [f"E{i}" for i in range(4)]))
        sizes = [draw(st.integers(1, 2)) for _ in cars]
        starts = [sum(sizes[:i]) for i in range(len(cars))]
        crews = {
            car: tuple(pool[start : start + size])
            for car, start, size in zip(cars, starts, sizes, strict=True)
        }
        for session, kind in (
            ("Q1", SessionType.QUALIFYING),
            ("R1", SessionType.RACE),
            ("R2", SessionType.RACE),
        ):
            if kind is SessionType.RACE and session == "R2" and draw(st.booleans()):
                continue
            fastest = draw(st.sampled_from(cars))
            for car in cars:
                status = draw(
                    st.sampled_from([Status.CLASSIFIED] * 4 + [Status.RETIRED, Status.DISQUALIFIED])
                )
                place = draw(st.integers(1, len(cars))) if status is Status.CLASSIFIED else None
                rows.append(
                    SessionResult(
                        round=round_,
                        session=session,
                        session_type=kind,
                        number=car,
                        car_class=classes[car],
                        team=f"T{int(car) % 3}",
                        drivers=crews[car],
                        position=place,
                        class_position=place,
                        status=status,
                        fastest_lap=car == fastest,
                        distance_fraction=draw(st.sampled_from([None, Fraction(1, 2)])),
                        scores=draw(st.sampled_from([True, True, True, False])),
                    )
                )
    return rows


@settings(max_examples=60, deadline=None)
@given(results=seasons(), rulebook=rulebooks())
def test_points_are_conserved(results: list[SessionResult], rulebook: Rulebook) -> None:
    """The standings add up to the points awarded to drivers, less the dropped results."""
    awards = award_points(results, rulebook)
    standings = driver_standings(awards, rulebook)
    awarded = sum((p for a in awards if a.result.scores for _, p in a.driver_points), start=Fraction(0))
    dropped = sum((line.points for s in standings for line in s.dropped), start=Fraction(0))
    assert sum((s.points for s in standings), start=Fraction(0)) == awarded - dropped
    teams = team_standings(awards, rulebook)
    team_dropped = sum((line.points for s in teams for line in s.dropped), start=Fraction(0))
    team_lines = sum((line.points for s in teams for line in s.lines), start=Fraction(0))
    assert sum((s.points for s in teams), start=Fraction(0)) == team_lines - team_dropped


@settings(max_examples=60, deadline=None)
@given(results=seasons(), rulebook=rulebooks(), seed=st.integers(0, 2**32))
def test_permuting_rows_changes_nothing(results: list[SessionResult], rulebook: Rulebook, seed: int) -> None:
    shuffled = list(results)
    random.Random(seed).shuffle(shuffled)
    assert award_points(shuffled, rulebook) == award_points(results, rulebook)
    assert driver_standings(award_points(shuffled, rulebook), rulebook) == driver_standings(
        award_points(results, rulebook), rulebook
    )


@settings(max_examples=60, deadline=None)
@given(results=seasons(), rulebook=rulebooks())
def test_a_dropped_result_is_one_of_the_worst(results: list[SessionResult], rulebook: Rulebook) -> None:
    standings = driver_standings(award_points(results, rulebook), rulebook)
    for s in standings:
        counted = [
            line.points for line in s.lines if line.session_type.is_race and line.scores and not line.dropped
        ]
        for line in s.dropped:
            assert line.session_type.is_race
            assert not counted or line.points <= min(counted)
        best = rulebook.dropped.best
        if best is not None:
            assert len(counted) <= best


@settings(max_examples=100, deadline=None)
@given(
    tied=st.integers(2, 4),
    place=st.integers(1, 7),
    ties=st.sampled_from(["share", "higher"]),
)
def test_tied_results_get_what_the_rules_say(tied: int, place: int, ties: str) -> None:
    """``tied`` cars share class place ``place`` behind ``place - 1`` others."""
    scale = [10, 6, 4, 3, 2, 1]
    rulebook = parse_rulebook(f'[rulebook]\nid = "t"\n[points]\nrace = {scale}\nties = "{ties}"\n', "t.toml")
    base = SessionResult(1, "R1", SessionType.RACE, "", "Am", "", ("x",), 1, 1, Status.CLASSIFIED)
    rows = [replace(base, number=f"a{i}", class_position=i + 1, drivers=(f"a{i}",)) for i in range(place - 1)]
    rows += [replace(base, number=f"t{i}", class_position=place, drivers=(f"t{i}",)) for i in range(tied)]
    points = {a.result.number: a.points for a in award_session(rows, rulebook)}
    spanned = [scale[p - 1] if p <= len(scale) else 0 for p in range(place, place + tied)]
    expected = Fraction(sum(spanned), tied) if ties == "share" else Fraction(spanned[0])
    assert all(points[f"t{i}"] == expected for i in range(tied))
    assert [points[f"a{i}"] for i in range(place - 1)] == scale[: place - 1] + [0] * max(
        0, place - 1 - len(scale)
    )


def test_crew_split_and_minimum_drive_time() -> None:
    rulebook = parse_rulebook(
        '[rulebook]\nid = "s"\n[points]\nrace = [25, 18]\n'
        '[scoring]\ncrew_share = "split"\nmin_drive_minutes = 25\n',
        "s.toml",
    )
    row = SessionResult(1, "R1", SessionType.RACE, "7", "Am", "", ("A", "B", "C"), 1, 1, Status.CLASSIFIED)
    (award,) = award_session([row], rulebook)
    assert dict(award.driver_points) == {"A": Fraction(25, 3), "B": Fraction(25, 3), "C": Fraction(25, 3)}
    timed = replace(row, drive_ms={"A": 30 * 60_000, "B": 29 * 60_000, "C": 60_000})
    (award,) = award_session([timed], rulebook)
    assert dict(award.driver_points) == {"A": Fraction(25, 2), "B": Fraction(25, 2), "C": 0}


def test_multiplier_half_points_and_fastest_lap_within() -> None:
    rulebook = parse_rulebook(
        '[rulebook]\nid = "m"\n[points]\nrace = [25, 18, 15]\nfastest_lap = 1\nfastest_lap_within = 2\n'
        "half_points_below = 0.75\nno_points_below = 0.25\n"
        '[[points.multipliers]]\nround = 6\nsession = "R2"\nfactor = 2\n',
        "m.toml",
    )
    row = SessionResult(
        6, "R2", SessionType.RACE, "1", "Am", "", ("A",), 1, 1, Status.CLASSIFIED, fastest_lap=True
    )
    second = replace(row, number="2", class_position=2, drivers=("B",), fastest_lap=False)
    third = replace(row, number="3", class_position=3, drivers=("C",), fastest_lap=False)
    awards = {a.result.number: a for a in award_session([row, second, third], rulebook)}
    assert (awards["1"].position_points, awards["1"].fastest_lap_points) == (50, 1)
    assert awards["3"].points == 30
    fastest_third = [replace(row, fastest_lap=False), second, replace(third, fastest_lap=True)]
    fast_third = {a.result.number: a for a in award_session(fastest_third, rulebook)}
    assert fast_third["3"].fastest_lap_points == 0  # third is outside the top two: no fastest-lap point
    short = replace(row, round=1, distance_fraction=Fraction(1, 2))
    assert award_session([short], rulebook)[0].position_points == Fraction(25, 2)
    too_short = replace(row, round=1, distance_fraction=Fraction(1, 5))
    assert award_session([too_short], rulebook)[0].position_points == 0


def test_dropped_scores_count_missed_races_first() -> None:
    """Best 2 of 3 races: a driver who missed one race keeps both results; one who ran all three drops
    the worst."""
    rulebook = parse_rulebook(
        '[rulebook]\nid = "d"\n[points]\nrace = [25, 18, 15]\n[dropped]\nbest = 2\n', "d.toml"
    )
    base = SessionResult(1, "R1", SessionType.RACE, "1", "Am", "", ("A",), 1, 1, Status.CLASSIFIED)
    rows = [
        base,
        replace(base, number="2", drivers=("B",), class_position=2),
        replace(base, round=2, number="2", drivers=("B",), class_position=1),
        replace(base, round=3, class_position=2),
        replace(base, round=3, number="2", drivers=("B",), class_position=1),
    ]
    table = {s.competitor: s for s in driver_standings(award_points(rows, rulebook), rulebook)}
    assert table["A"].points == 43 and table["A"].dropped == ()
    # B: 18 (round 1), 25 (round 2, alone in class and 1st), 25 (round 3): the 18 is dropped
    assert table["B"].points == 50
    assert [(line.round, line.points) for line in table["B"].dropped] == [(1, 18)]


def test_sprint_scale_and_overall_qualifying() -> None:
    rulebook = parse_rulebook(
        '[rulebook]\nid = "s"\n[points]\nscope = "class"\nrace = [25, 18]\nsprint = [8, 6]\n'
        'qualifying = [3, 2, 1]\nqualifying_scope = "overall"\n',
        "s.toml",
    )
    silver = SessionResult(1, "S", SessionType.SPRINT, "1", "Silver", "", ("A",), 2, 1, Status.CLASSIFIED)
    am = replace(silver, number="2", car_class="Am", drivers=("B",), position=1, class_position=1)
    sprint = {a.result.number: a.points for a in award_session([silver, am], rulebook)}
    assert sprint == {"1": 8, "2": 8}  # class scope: both win their class
    quali = [replace(r, session="Q", session_type=SessionType.QUALIFYING) for r in (silver, am)]
    points = {a.result.number: (a.points, a.pole) for a in award_session(quali, rulebook)}
    assert points == {"2": (3, True), "1": (2, False)}  # overall: the Am car was fastest
