"""Scoring rules on constructed results: places as the results state them, non-scoring crews, fastest
laps, bonuses by session type, countback, distance tiers and dropped results per part of a season."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType, award_points, award_session
from chequered.core.rulebook import Rulebook, parse_rulebook
from chequered.core.standings import driver_standings, season_standings
from chequered.importers.results_csv import parse_results_csv

C = Status.CLASSIFIED


def rules(points: str = "", extra: str = "") -> Rulebook:
    return parse_rulebook(
        f'[rulebook]\nid = "t"\n[points]\nscope = "overall"\nrace = [25, 18, 15, 12, 10]\n{points}\n{extra}',
        "t.toml",
    )


def car(number: str, position: int | None, **kw: object) -> SessionResult:
    base = SessionResult(1, "R1", SessionType.RACE, number, "GT4", f"T{number}", (f"{number}a", f"{number}b"),
                         position, position, C if position else Status.RETIRED)  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


def points(awards: object) -> dict[str, object]:
    return {a.result.number: a.points for a in awards}  # type: ignore[attr-defined]


def test_a_lone_car_scores_the_place_it_is_given() -> None:
    data = (
        b"round,session,session_type,number,class,position,class_position,status\n"
        b"1,R1,race,5,Am,9,7,classified\n"
    )
    results = parse_results_csv(data, "r.csv")
    class_rules = parse_rulebook(
        '[rulebook]\nid = "c"\n[points]\nrace = [25, 18, 15, 12, 10, 8, 6, 4]\n', "c"
    )
    assert points(award_session(results, class_rules)) == {"5": 6}


def test_a_place_left_empty_stays_empty() -> None:
    """Official results leave 2nd empty (that car disqualified, nobody promoted): the car listed 3rd
    scores 3rd-place points, from the CSV's overall positions alike."""
    data = (
        b"round,session,session_type,number,class,position,status\n"
        b"1,R1,race,1,Am,1,classified\n1,R1,race,2,Am,,dsq\n1,R1,race,3,Am,3,classified\n"
    )
    results = parse_results_csv(data, "r.csv")
    assert points(award_session(results, rules())) == {"1": 25, "3": 15, "2": 0}
    # by class, the vacated place is the disqualified car's position as the results list it
    data = data.replace(b"2,Am,,dsq", b"2,Am,2,dsq")
    results = parse_results_csv(data, "r.csv")
    class_rules = parse_rulebook('[rulebook]\nid = "c"\n[points]\nrace = [25, 18, 15]\n', "c")
    assert points(award_session(results, class_rules)) == {"1": 25, "3": 15, "2": 0}


def test_a_non_scoring_crew_passes_its_place_down_or_withholds_it() -> None:
    field = [car("1", 1, scores=False), car("2", 2), car("3", 3)]
    passed = award_session(field, rules())
    assert points(passed) == {"1": 0, "2": 25, "3": 18}
    withheld = award_session(field, rules(extra='[non_scoring]\nplaces = "withheld"\n'))
    assert points(withheld) == {"1": 0, "2": 18, "3": 15}
    # neither driver of the non-scoring car stands in the table
    table = driver_standings(award_points(field, rules()), rules())
    assert {s.competitor for s in table} == {"2a", "2b", "3a", "3b"}


def test_fastest_lap_to_an_unclassified_car_when_the_rule_allows() -> None:
    field = [car("1", 1), car("2", None, fastest_lap=True)]
    strict = award_session(field, rules("fastest_lap = 1"))
    assert points(strict) == {"1": 25, "2": 0}
    allowed = award_session(field, rules("fastest_lap = 1\nfastest_lap_classified = false"))
    assert points(allowed) == {"1": 25, "2": 1}


def test_a_shared_fastest_lap_is_split_or_given_to_each() -> None:
    field = [car("1", 1, fastest_lap=True), car("2", 2, fastest_lap=True)]
    split = award_session(field, rules('fastest_lap = 1\nfastest_lap_ties = "split"'))
    assert points(split) == {"1": Fraction(51, 2), "2": Fraction(37, 2)}
    each = award_session(field, rules("fastest_lap = 1"))
    assert points(each) == {"1": 26, "2": 19}


def test_bonus_points_only_in_the_chosen_session_types() -> None:
    """Fastest lap in the main race, not the sprint; pole for the main race's qualifying only."""
    book = rules('sprint = [8, 7]\nqualifying = [2]\nfastest_lap = 1\nfastest_lap_sessions = ["race"]')
    sprint = [car("1", 1, session="S", session_type=SessionType.SPRINT, fastest_lap=True)]
    assert points(award_session(sprint, book)) == {"1": 8}
    race = [car("1", 1, fastest_lap=True)]
    assert points(award_session(race, book)) == {"1": 26}
    sq = [car("1", 1, session="SQ", session_type=SessionType.SPRINT_QUALIFYING)]
    assert points(award_session(sq, book)) == {"1": 0}
    q = [car("1", 1, session="Q", session_type=SessionType.QUALIFYING)]
    assert points(award_session(q, book)) == {"1": 2}


def test_countback_on_finishes_as_classified_including_non_scoring_entries() -> None:
    """A and B each win once and are level on 25 points. In round 3 B drove a non-scoring entry to a
    classified 3rd that scored nothing: countback on scoring places leaves them level; countback on
    finishing positions as classified puts B ahead."""
    results = [
        replace(car("1", 1), drivers=("A",)),
        replace(car("2", 8), drivers=("B",)),
        replace(car("2", 1), round=2, drivers=("B",)),
        replace(car("1", 8), round=2, drivers=("A",)),
        replace(car("9", 3), round=3, drivers=("B",), scores=False),
    ]
    scored = season_standings(results, rules(extra='[tie_break]\norder = ["countback"]\n'))
    assert [(s.position, s.competitor, s.points) for s in scored] == [(1, "A", 25), (1, "B", 25)]
    classified = rules(extra='[tie_break]\norder = ["countback"]\ncountback_places = "classified"\n')
    table = season_standings(results, classified)
    assert [(s.position, s.competitor) for s in table] == [(1, "B"), (2, "A")]
    assert [(line.finish, line.scores) for line in table[0].lines] == [(8, True), (1, True), (3, False)]


def test_countback_over_chosen_session_types() -> None:
    book = rules("sprint = [25, 18]", '[tie_break]\norder = ["countback"]\ncountback_sessions = ["race"]\n')
    results = [
        replace(car("1", 1), drivers=("A",)),
        replace(car("2", 2), drivers=("B",), session="S", session_type=SessionType.SPRINT, position=1,
                class_position=1),
    ]  # fmt: skip
    table = season_standings(results, book)
    # both 25 points; only the race win counts: A ahead
    assert [(s.position, s.competitor) for s in table] == [(1, "A"), (2, "B")]


def test_reduced_points_by_distance_tiers() -> None:
    book = rules(
        "min_green_laps = 2\n"
        "[[points.distance_tiers]]\nbelow = 0.25\nrace = [6, 4, 3, 2, 1]\n"
        "[[points.distance_tiers]]\nbelow = 0.5\nfactor = 0.5\n"
        "[[points.distance_tiers]]\nbelow = 0.75\nfactor = 0.75\n"
    )

    def first(fraction: Fraction | None, green: int | None = None) -> object:
        return points(award_session([car("1", 1, distance_fraction=fraction, green_laps=green)], book))["1"]

    assert first(Fraction(1, 5)) == 6
    assert first(Fraction(2, 5)) == Fraction(25, 2)
    assert first(Fraction(3, 5)) == Fraction(75, 4)
    assert first(Fraction(4, 5)) == 25
    assert first(None) == 25
    assert first(Fraction(1, 5), green=1) == 0  # fewer than two green-flag laps: nothing scored


def test_dropped_results_per_part_of_the_season() -> None:
    """Best 1 of rounds 1-2 plus best 1 of rounds 3-4."""
    book = rules(
        extra="[[dropped.parts]]\nrounds = [1, 2]\nbest = 1\n[[dropped.parts]]\nrounds = [3, 4]\nbest = 1\n"
    )
    places = {1: 1, 2: 3, 3: 2, 4: 5}
    results = [replace(car("1", p), round=r, drivers=("A",)) for r, p in places.items()]
    (a,) = season_standings(results, book)
    assert a.points == 25 + 18
    assert [line.round for line in a.dropped] == [2, 4]


def test_a_round_with_a_scale_of_its_own() -> None:
    """A longer race scores a published scale of its own (WEC 2024: 38-27-23... for 8 and 10 hours), not
    the normal points times a factor (37.5, 22.5...); a multiplier and a distance tier still apply to it."""
    book = rules(
        "[[points.round_scales]]\nround = 2\nrace = [38, 27, 23]\n"
        '[[points.round_scales]]\nround = 3\nsession = "R2"\nrace = [50, 36]\n'
        "[[points.multipliers]]\nround = 4\nfactor = 2\n"
        "[[points.distance_tiers]]\nbelow = 0.5\nfactor = 0.5\n"
    )
    results = [
        replace(car(n, p), round=r, session=s, distance_fraction=f)
        for r, s, n, p, f in [
            (1, "R1", "1", 3, None), (2, "R1", "1", 3, None), (2, "R1", "2", 4, None),
            (3, "R1", "1", 1, None), (3, "R2", "1", 2, None), (2, "R2", "1", 1, Fraction(2, 5)),
        ]
    ]  # fmt: skip
    awards = award_points(results, book)
    got = {(a.result.round, a.result.session, a.result.number): a.points for a in awards}
    assert got == {
        (1, "R1", "1"): 15,  # the normal scale
        (2, "R1", "1"): 23,
        (2, "R1", "2"): 0,  # beyond the round's own scale
        (3, "R1", "1"): 25,  # the round's other session keeps the normal scale
        (3, "R2", "1"): 36,
        (2, "R2", "1"): 19,  # half of 38 in a race run to less than half distance
    }
