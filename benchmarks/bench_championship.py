"""Championship: points and standings for 20 seasons of 24 races x 60 cars, and exact title scenarios
for a three-way fight with two races left."""

from __future__ import annotations

import random

from benchmarks.common import best_of, figure, instructions
from chequered import rulebooks
from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType, award_points
from chequered.core.rulebook import Rulebook
from chequered.core.scenarios import title_scenarios
from chequered.core.standings import driver_standings, team_standings

CLASSES = ("Silver", "Pro-Am", "Am")


def season(seed: int, races: int = 24, cars: int = 60) -> list[SessionResult]:
    """A season of ``races`` races (a qualifying before each pair) with ``cars`` two-driver crews."""
    rng = random.Random(seed)
    numbers = [str(n) for n in range(1, cars + 1)]
    classes = {n: CLASSES[i % 3] for i, n in enumerate(numbers)}
    rows: list[SessionResult] = []
    for race in range(races):
        round_, session = race // 2 + 1, f"R{race % 2 + 1}"
        order = numbers[:]
        rng.shuffle(order)
        class_place = dict.fromkeys(CLASSES, 0)
        for position, number in enumerate(order, start=1):
            status = Status.RETIRED if rng.random() < 0.05 else Status.CLASSIFIED
            car_class = classes[number]
            if status is Status.CLASSIFIED:
                class_place[car_class] += 1
            rows.append(
                SessionResult(
                    round=round_,
                    session=session,
                    session_type=SessionType.RACE,
                    number=number,
                    car_class=car_class,
                    team=f"Team {int(number) % 20}",
                    drivers=(f"{number}a", f"{number}b"),
                    position=position if status is Status.CLASSIFIED else None,
                    class_position=class_place[car_class] if status is Status.CLASSIFIED else None,
                    status=status,
                    fastest_lap=position == 1,
                )
            )
    return rows


def title_fight() -> tuple[list[SessionResult], Rulebook, int]:
    """Five rounds of six run in a 20-car Silver class: cars 1, 2 and 3 share the wins and podiums
    (within a few points of each other), the rest finish behind; Q1, Q2, R1 and R2 of round 6 left."""
    rulebook = rulebooks.load("gt4-europe-2023")
    rng = random.Random(3)
    rows: list[SessionResult] = []
    for round_ in range(1, 6):
        for session, kind in (
            ("Q1", SessionType.QUALIFYING),
            ("Q2", SessionType.QUALIFYING),
            ("R1", SessionType.RACE),
            ("R2", SessionType.RACE),
        ):
            leaders = ["1", "2", "3"]
            rng.shuffle(leaders)
            field = [str(n) for n in range(4, 21)]
            rng.shuffle(field)
            for place, number in enumerate(leaders + field, start=1):
                rows.append(
                    SessionResult(
                        round_,
                        session,
                        kind,
                        number,
                        "Silver",
                        f"Team {number}",
                        (f"{number}a", f"{number}b"),
                        place,
                        place,
                        Status.CLASSIFIED,
                    )
                )
    return rows, rulebook, 5


def standings_all(seasons: list[list[SessionResult]], rulebook: Rulebook) -> None:
    for results in seasons:
        awards = award_points(results, rulebook)
        driver_standings(awards, rulebook)
        team_standings(awards, rulebook)


# The 20 seasons' standings, run once before the counted run.
_COUNTED = """
import sys
from benchmarks.bench_championship import season, standings_all
from chequered import rulebooks
rulebook = rulebooks.load("gt4-europe-2023")
seasons = [season(seed) for seed in range(20)]
standings_all(seasons, rulebook)
if sys.argv[1] == "standings": standings_all(seasons, rulebook)
"""


def main() -> None:
    rulebook = rulebooks.load("gt4-europe-2023")
    seasons = [season(seed) for seed in range(20)]
    rows = sum(len(s) for s in seasons)
    elapsed = best_of(7, lambda: standings_all(seasons, rulebook))
    figure(f"standings, 20 seasons x 24 races x 60 cars ({rows:,} results)", elapsed * 1000, "ms", "< 100 ms")
    figure("standings, one season of 24 races x 60 cars", elapsed * 1000 / 20, "ms", "< 100 ms")
    counts = instructions(_COUNTED, ("standings",))
    if counts is not None:
        figure("standings, 20 seasons: instructions (callgrind)", counts["standings"] / 1e6, "M")

    results, fight_rules, after = title_fight()
    report = title_scenarios(results, fight_rules, after, "Silver")
    contenders = [c for c in report.contenders if c.can_win]
    elapsed = best_of(5, lambda: title_scenarios(results, fight_rules, after, "Silver"))
    figure(
        f"title scenarios, {len(contenders)} contenders, {len(report.remaining)} sessions left",
        elapsed * 1000,
        "ms",
        "< 100 ms",
    )
    for c in contenders[:3]:
        print(f"    {c.describe()}")
