"""A synthetic GT4 season, scored by hand and checked to the point.

Six rounds of Q1, Q2, R1, R2 under gt4-europe-2023 (class scope, 25-18-15..., one point for the class
pole, half points below 75 % distance, places of non-scoring cars passed down, crews share full points).

Silver: #1 (A1, A2; A1 + H1 from round 4), #2 (B1, B2), #3 (C1, C2; C1 + A2 from round 4: A2 changes car).
Pro-Am: #10 (D1, D2), #11 (E1, E2). Am: #20 (F1, F2), #21 (G1, G2). Teams: T1 #1 #3, T2 #2 #11, T3 #10,
T4 #20 #21.

Every session, class order: odd rounds Silver 1-2-3, Pro-Am 10-11; even rounds Silver 2-3-1, Pro-Am
11-10; Am always 20-21. Qualifying order = race order. So per round a class winner takes 1+1+25+25 = 52,
second 18+18 = 36, third 15+15 = 30. Exceptions:
- round 2: invited GT4 Scandinavia cars #201 and #202 (Silver, scores=false) run Q1 (#201 fastest) and
  R1 (Silver order 201, 2, 202, 3, 1). Passed down, the scoring order is unchanged.
- round 3 R1: #2 disqualified (second on the road): #3 is second in class, 18 instead of 15.
- round 5 R2: stopped at half distance (distance_fraction 0.5): half points.
- round 6 R2: #21 retires: no points.

Cars, round by round:
  #1  52 + 30 + 52 + 30 + 39.5 + 30 = 233.5
  #2  36 + 52 + 18 + 52 + 27   + 52 = 237
  #3  30 + 36 + 33 + 36 + 22.5 + 36 = 193.5
  #10 52 + 36 + 52 + 36 + 39.5 + 36 = 251.5
  #11 36 + 52 + 36 + 52 + 27   + 52 = 255
  #20 52 + 52 + 52 + 52 + 39.5 + 52 = 299.5
  #21 36 + 36 + 36 + 36 + 27   + 18 = 189
Drivers: A1 233.5; A2 = #1 rounds 1-3 (134) + #3 rounds 4-6 (94.5) = 228.5; H1 = #1 rounds 4-6 = 99.5;
C1 193.5; C2 = #3 rounds 1-3 = 99; B1 = B2 = 237.
Teams (best two cars per class): T1 Silver 427, T2 Silver 237, T2 Pro-Am 255, T3 Pro-Am 251.5, T4 Am 488.5.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from chequered import rulebooks
from chequered.core.points import award_points
from chequered.core.rulebook.points import NonScoringRules
from chequered.core.standings import driver_standings, team_standings
from chequered.importers.results_csv import parse_results_csv

HEADER = (
    "round,session,session_type,number,class,team,drivers,position,class_position,status,laps,"
    "fastest_lap,distance_fraction,scores"
)
TEAMS = {
    "1": "T1",
    "3": "T1",
    "2": "T2",
    "11": "T2",
    "10": "T3",
    "20": "T4",
    "21": "T4",
    "201": "S",
    "202": "S",
}
CLASSES = {"1": "Silver", "2": "Silver", "3": "Silver", "201": "Silver", "202": "Silver"}
CLASSES |= {"10": "Pro-Am", "11": "Pro-Am", "20": "Am", "21": "Am"}


def crew(number: str, round_: int) -> str:
    late = round_ >= 4
    return {
        "1": "A1;H1" if late else "A1;A2",
        "2": "B1;B2",
        "3": "C1;A2" if late else "C1;C2",
        "10": "D1;D2",
        "11": "E1;E2",
        "20": "F1;F2",
        "21": "G1;G2",
        "201": "S1;S2",
        "202": "S3;S4",
    }[number]


def season_csv() -> str:
    rows = [HEADER]
    for round_ in range(1, 7):
        for session, kind in (("Q1", "qualifying"), ("Q2", "qualifying"), ("R1", "race"), ("R2", "race")):
            odd = round_ % 2 == 1
            silver = ["1", "2", "3"] if odd else ["2", "3", "1"]
            if round_ == 2 and session in ("Q1", "R1"):
                silver = ["201", "2", "202", "3", "1"] if session == "R1" else ["201", "2", "3", "1"]
            order = [*silver, *(["10", "11"] if odd else ["11", "10"]), "20", "21"]
            class_pos: dict[str, int] = {}
            for overall, number in enumerate(order, start=1):
                status = "classified"
                if round_ == 3 and session == "R1" and number == "2":
                    status = "dsq"
                if round_ == 6 and session == "R2" and number == "21":
                    status = "ret"
                car_class = CLASSES[number]
                position = cpos = ""
                if status == "classified":
                    class_pos[car_class] = class_pos.get(car_class, 0) + 1
                    position, cpos = str(overall), str(class_pos[car_class])
                fraction = "0.5" if (round_, session) == (5, "R2") else ""
                scores = "false" if number.startswith("20") and len(number) == 3 else ""
                rows.append(
                    f"{round_},{session},{kind},{number},{car_class},{TEAMS[number]},{crew(number, round_)},"
                    f"{position},{cpos},{status},30,false,{fraction},{scores}"
                )
    return "\n".join(rows) + "\n"


def _points(standings: tuple, name: str, car_class: str) -> Fraction:  # type: ignore[type-arg]
    return next(Fraction(s.points) for s in standings if (s.competitor, s.car_class) == (name, car_class))


def test_the_synthetic_season_matches_the_hand_worked_points() -> None:
    rules = rulebooks.load("gt4-europe-2023")
    results = parse_results_csv(season_csv().encode(), "season.csv")
    awards = award_points(results, rules)
    cars: dict[str, Fraction] = {}
    for a in awards:
        cars[a.result.number] = cars.get(a.result.number, Fraction(0)) + a.points
    expected_cars = {"1": 233.5, "2": 237, "3": 193.5, "10": 251.5, "11": 255, "20": 299.5, "21": 189}
    assert {k: v for k, v in cars.items() if k in expected_cars} == {
        k: Fraction(str(v)) for k, v in expected_cars.items()
    }
    assert cars["201"] == cars["202"] == 0

    drivers = driver_standings(awards, rules, car_class="Silver")
    table = [(s.position, s.competitor, Fraction(s.points)) for s in drivers]
    assert table == [
        (1, "B1", 237),
        (1, "B2", 237),
        (3, "A1", Fraction(467, 2)),
        (4, "A2", Fraction(457, 2)),
        (5, "C1", Fraction(387, 2)),
        (6, "H1", Fraction(199, 2)),
        (7, "C2", 99),
    ]
    everyone = driver_standings(awards, rules)
    assert _points(everyone, "D1", "Pro-Am") == Fraction(503, 2)
    assert _points(everyone, "E2", "Pro-Am") == 255
    assert _points(everyone, "F1", "Am") == Fraction(599, 2)
    assert _points(everyone, "G2", "Am") == 189
    assert not any(s.competitor.startswith("S") for s in everyone)

    teams = {(s.competitor, s.car_class): Fraction(s.points) for s in team_standings(awards, rules)}
    assert teams == {
        ("T1", "Silver"): 427,
        ("T2", "Silver"): 237,
        ("T2", "Pro-Am"): 255,
        ("T3", "Pro-Am"): Fraction(503, 2),
        ("T4", "Am"): Fraction(977, 2),
    }


def test_the_breakdown_shows_the_car_change_dsq_half_points_and_poles() -> None:
    rules = rulebooks.load("gt4-europe-2023")
    awards = award_points(parse_results_csv(season_csv().encode(), "season.csv"), rules)
    by_name = {s.competitor: s for s in driver_standings(awards, rules, car_class="Silver")}
    a2 = by_name["A2"]
    assert [(line.round, line.number) for line in a2.lines if line.session == "R1"] == [
        (1, "1"),
        (2, "1"),
        (3, "1"),
        (4, "3"),
        (5, "3"),
        (6, "3"),
    ]
    b1 = {(line.round, line.session): line for line in by_name["B1"].lines}
    assert (b1[(3, "R1")].status, b1[(3, "R1")].points, b1[(3, "R1")].place) == ("dsq", 0, None)
    assert b1[(2, "Q1")].pole and b1[(2, "R1")].place == 1 and b1[(2, "R1")].points == 25
    a1 = {(line.round, line.session): line for line in by_name["A1"].lines}
    assert a1[(5, "R2")].points == Fraction(25, 2)
    assert by_name["B1"].wins == 6  # both races of rounds 2, 4 and 6


def test_withheld_places_of_invited_cars_score_nobody() -> None:
    """Round 2 with places withheld: R1 Silver 201, 2, 202, 3, 1 gives #2 18 (not 25), #3 12 (not 18),
    #1 10 (not 15); Q1 201, 2, 3, 1 gives the pole to nobody (#2 loses 1)."""
    rules = replace(rulebooks.load("gt4-europe-2023"), non_scoring=NonScoringRules("withheld"))
    awards = award_points(parse_results_csv(season_csv().encode(), "season.csv"), rules)
    cars: dict[str, Fraction] = {}
    for a in awards:
        cars[a.result.number] = cars.get(a.result.number, Fraction(0)) + a.points
    assert (cars["1"], cars["2"], cars["3"]) == (Fraction(457, 2), 229, Fraction(375, 2))
