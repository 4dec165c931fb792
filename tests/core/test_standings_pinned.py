"""The exact points and standings of busy random seasons, pinned, so that reworking the scoring code for
speed cannot change a single result.

The properties in ``test_points.py`` check invariants and ``test_standings.py`` a season worked by hand;
neither pins every position, tie-break, dropped result and the type of each value (``25`` vs
``Fraction(25, 1)``) on a large field. These seasons have it all: qualifying, races and a sprint, three
classes, invited cars that do not score, cars tied on a place, retirements and disqualifications, shortened
races, drive times below the minimum, crews that change, an unnamed crew, a car without a team, cars that
miss races. Each season is scored under several rulebooks and the whole output is reduced to a digest.
Places are the positions each result states (a tie stated as 2, 2, 3 scores 3rd for the car after the
tie), as the results say, and results in non-scoring entries stay in a driver's lines with no points.

When a digest changes on purpose, print the output before and after the change with
``python -m tests.core.test_standings_pinned VARIANT`` and compare the two.
"""

from __future__ import annotations

import hashlib
import random
import sys
from dataclasses import replace
from fractions import Fraction

import pytest

from chequered import rulebooks
from chequered.core.model import Status
from chequered.core.points import Award, SessionResult, SessionType, award_points
from chequered.core.rulebook import Rulebook
from chequered.core.rulebook.points import DropPart, DroppedRules, Multiplier
from chequered.core.standings import Standing, driver_standings, team_standings

CLASSES = ("Silver", "Pro-Am", "Am")
SESSIONS = (
    ("Q1", SessionType.QUALIFYING),
    ("Q2", SessionType.QUALIFYING),
    ("R1", SessionType.RACE),
    ("R2", SessionType.RACE),
)


def busy_season(seed: int, rounds: int = 8, cars: int = 24) -> list[SessionResult]:
    rng = random.Random(seed)
    numbers = [str(n) for n in range(1, cars + 1)] + ["201", "202"]  # 201 and 202 are invited
    classes = {n: CLASSES[i % 3] for i, n in enumerate(numbers)}
    teams = {n: "" if n == "7" else f"Team {int(n) % 7}" for n in numbers}
    rows: list[SessionResult] = []
    for round_ in range(1, rounds + 1):
        crews = {n: (f"{n}a", f"{n}b") if int(n) % 5 else (f"{n}a",) for n in numbers}
        if round_ > rounds // 2:
            crews["1"] = ("1a", "X")  # a new driver in car 1
            crews["3"] = ("3a", "1b")  # 1b changes car
        crews["9"] = ()  # an anonymised crew
        sessions = list(SESSIONS)
        if round_ % 3 == 0:
            sessions.append(("S", SessionType.SPRINT))
        for session, kind in sessions:
            entered = [n for n in numbers if rng.random() > 0.08 and (n[0] != "2" or round_ in (2, 5))]
            rng.shuffle(entered)
            fraction = rng.choice([None, None, None, Fraction(1, 2), Fraction(4, 5)])
            position = 0
            class_place = dict.fromkeys(CLASSES, 0)
            for number in entered:
                car_class = classes[number]
                status = rng.choice([Status.CLASSIFIED] * 12 + [Status.RETIRED, Status.DISQUALIFIED])
                if status is Status.CLASSIFIED:
                    # now and then a car is given the place of the car ahead: a tie
                    if not (position and rng.random() < 0.1):
                        position += 1
                    if not (class_place[car_class] and rng.random() < 0.1):
                        class_place[car_class] += 1
                drive = None
                if kind is SessionType.RACE and rng.random() < 0.3:
                    drive = {d: rng.choice([10, 30, 40]) * 60_000 for d in crews[number]}
                rows.append(
                    SessionResult(
                        round=round_,
                        session=session,
                        session_type=kind,
                        number=number,
                        car_class=car_class,
                        team=teams[number],
                        drivers=crews[number],
                        position=position if status is Status.CLASSIFIED else None,
                        class_position=class_place[car_class] if status is Status.CLASSIFIED else None,
                        status=status,
                        fastest_lap=rng.random() < 0.05,
                        distance_fraction=fraction if kind is not SessionType.QUALIFYING else None,
                        scores=number[0] != "2" or len(number) < 3,
                        drive_ms=drive,
                    )
                )
    return rows


def _variants() -> dict[str, Rulebook]:
    base = rulebooks.load("gt4-europe-2023")
    overall = replace(
        base,
        points=replace(
            base.points,
            scope="overall",
            qualifying_scope="overall",
            qualifying=(Fraction(3), Fraction(2), Fraction(1)),
            ties="higher",
            fastest_lap=Fraction(1),
            fastest_lap_within=10,
            multipliers=(Multiplier(8, None, Fraction(2)), Multiplier(3, "R2", Fraction(3, 2))),
            sprint=(Fraction(8), Fraction(6), Fraction(4), Fraction(2)),
        ),
        scoring=replace(base.scoring, crew_share="split", team_cars_counted=None, team_scope="overall"),
        non_scoring=replace(base.non_scoring, places="withheld"),
        dropped=DroppedRules(best=12),
    )
    parts = replace(
        base,
        points=replace(base.points, fastest_lap=Fraction(1, 2)),
        scoring=replace(base.scoring, crew_share="split", team_cars_counted=1),
        dropped=DroppedRules(best=13, parts=(DropPart((1, 2, 3, 4), 7), DropPart((5, 6, 7, 8), 6))),
        tie_break=("earliest_best", "countback"),
    )
    no_tie_break = replace(base, tie_break=(), scoring=replace(base.scoring, min_drive_minutes=None))
    return {"gt4-europe-2023": base, "overall": overall, "parts": parts, "no-tie-break": no_tie_break}


VARIANTS = _variants()


def _award_text(award: Award) -> str:
    r = award.result
    points = (award.position_points, award.fastest_lap_points, award.pole, award.driver_points)
    return repr((r.round, r.session, r.number, award.place, *points))


def _standing_text(standing: Standing) -> str:
    lines = [
        (
            line.round,
            line.session,
            str(line.session_type),
            line.number,
            line.place,
            str(line.status),
            line.points,
            line.pole,
            line.fastest_lap,
            line.dropped,
        )
        for line in standing.lines
    ]
    return repr((standing.position, standing.competitor, standing.car_class, standing.points, lines))


def season_text(variant: str) -> str:
    """Everything the scoring computes for two busy seasons under one rulebook, one item a line."""
    rulebook = VARIANTS[variant]
    out: list[str] = []
    for seed in (1, 2):
        awards = award_points(busy_season(seed), rulebook)
        out.extend(_award_text(a) for a in awards)
        for after_round, car_class in ((None, None), (5, None), (None, "Am"), (3, "Silver")):
            out.append(f"-- seed {seed}, after round {after_round}, class {car_class}")
            for table in (driver_standings, team_standings):
                out.extend(_standing_text(s) for s in table(awards, rulebook, after_round, car_class))
    return "\n".join(out)


PINNED = {
    "gt4-europe-2023": "0db93f60747a0a01ef923449b3195967d7797a3732bcdb88bbacf9eb6dabe8f5",
    "overall": "e141dfe833db3cb486675edb445417524fa63ef2ca426d4f6d1c43afe0f4b192",
    "parts": "1b183269d408f1377962d221185c6b805ac8430051cf17bd00a8610195c87579",
    "no-tie-break": "a706b4659342a364d6b8af5e7d0a4f4609d11063693cb896d7ff9414cee87e88",
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_busy_seasons_score_exactly_as_pinned(variant: str) -> None:
    assert hashlib.sha256(season_text(variant).encode()).hexdigest() == PINNED[variant]


@pytest.mark.parametrize("variant", ["gt4-europe-2023", "parts"])
def test_the_order_of_the_awards_changes_no_standing(variant: str) -> None:
    """The standings read the awards session by session; awards in any order give the same tables."""
    rulebook = VARIANTS[variant]
    awards = award_points(busy_season(3), rulebook)
    shuffled = list(awards)
    random.Random(7).shuffle(shuffled)
    for after_round, car_class in ((None, None), (5, None), (None, "Am")):
        for table in (driver_standings, team_standings):
            assert table(shuffled, rulebook, after_round, car_class) == table(
                awards, rulebook, after_round, car_class
            )


if __name__ == "__main__":
    for name in sys.argv[1:] or sorted(VARIANTS):
        if len(sys.argv) > 1:
            print(season_text(name))
        else:
            print(f'    "{name}": "{hashlib.sha256(season_text(name).encode()).hexdigest()}",')
