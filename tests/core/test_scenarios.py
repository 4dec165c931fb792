from __future__ import annotations

from itertools import product

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from chequered.core.model import Status
from chequered.core.points import SessionResult, SessionType, award_points
from chequered.core.rulebook import Rulebook, parse_rulebook
from chequered.core.scenarios import title_scenarios
from chequered.core.standings import driver_standings

F1 = "[25, 18, 15, 12, 10, 8, 6, 4, 2, 1]"


def rules(
    scale: str = F1,
    tie_break: str = '["countback", "earliest_best"]',
    rounds: int = 4,
    races: int = 1,
    best: int | None = None,
) -> Rulebook:
    sessions = ", ".join(f'{{ session = "R{i}", type = "race" }}' for i in range(1, races + 1))
    return parse_rulebook(
        f'[rulebook]\nid = "t"\n[points]\nscope = "overall"\nrace = {scale}\n'
        f"[tie_break]\norder = {tie_break}\n[calendar]\nrounds = {rounds}\nsessions = [{sessions}]\n"
        + (f"[dropped]\nbest = {best}\n" if best else ""),
        "t.toml",
    )


def race(round_: int, order: list[str], session: str = "R1") -> list[SessionResult]:
    return [
        SessionResult(round_, session, SessionType.RACE, car, "", "", (car,), place, place, Status.CLASSIFIED)
        for place, car in enumerate(order, start=1)
    ]


def by_driver(report: object) -> dict[str, object]:
    return {c.drivers[0]: c for c in report.contenders}  # type: ignore[attr-defined]


def test_one_race_left_with_a_countback_tie_in_the_standings() -> None:
    """Round 1: A B C D; round 2: B A C D; round 3: C D A B. A 58, B 55, C 55 (B ahead of C on
    countback: one win and one second against one win and no second), D 42. One race left, 25 to win.
    A wins the title by winning (83 against 55 + 18); second (76) loses to a rival's win (80).
    B or C win the title by winning (80 against A's 58 + 18 = 76). D can reach 67 but a win is not
    enough on its own (A would take 18)."""
    results = race(1, ["A", "B", "C", "D"]) + race(2, ["B", "A", "C", "D"]) + race(3, ["C", "D", "A", "B"])
    rulebook = rules()
    standing = driver_standings(award_points(results, rulebook), rulebook)
    assert [(s.position, s.competitor, s.points) for s in standing] == [
        (1, "A", 58),
        (2, "B", 55),
        (3, "C", 55),
        (4, "D", 42),
    ]
    report = title_scenarios(results, rulebook, after=3)
    assert report.available == 25
    c = by_driver(report)
    assert c["A"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]
    assert c["B"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]
    assert c["C"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]
    assert c["D"].can_win and not c["D"].clinched  # type: ignore[attr-defined]
    assert c["D"].needs[0].startswith("needs help: must outscore A by more than 16")  # type: ignore[attr-defined]


def test_a_tie_on_points_decided_by_countback() -> None:
    """X 50 (a win, a third, a fifth), Y 43 (a win and a second). If Y wins the final (68) and X is
    second (68), Y has two wins to X's one: Y is champion. So X needs to win."""
    results = race(1, ["X", "Y", "Z"]) + race(2, ["Y", "W", "X"]) + race(3, ["V", "W", "U", "T", "X"])
    rulebook = rules(rounds=4)
    c = by_driver(title_scenarios(results, rulebook, after=3))
    assert (c["X"].points, c["Y"].points, c["W"].points) == (50, 43, 36)  # type: ignore[attr-defined]
    assert c["X"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]
    # and Y, winning with X second, is level on points and ahead on countback: a win is enough
    assert c["Y"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]
    assert c["W"].can_win and not c["W"].clinched  # 61 at best: only if X and Y fail  # type: ignore[attr-defined]


def test_a_tie_on_points_and_countback_decided_by_the_earliest_best_result() -> None:
    """X wins rounds 1 and 2 (50), Y is second in round 1 and wins round 3 (43). Y winning the final and
    X second: 68 each, two wins and a second each; X's first win (round 1) came before Y's (round 3):
    X is champion with second place. Without the earliest-best rule the tie stands and X must win."""
    results = race(1, ["X", "Y", "A"]) + race(2, ["X", "B", "C"]) + race(3, ["Y", "D", "E"])
    c = by_driver(title_scenarios(results, rules(), after=3))
    assert c["X"].needs == ("wins the title if they finish 2nd or better in round 4 R1",)  # type: ignore[attr-defined]
    c = by_driver(title_scenarios(results, rules(tie_break='["countback"]'), after=3))
    assert c["X"].needs == ("wins the title if they win round 4 R1",)  # type: ignore[attr-defined]


def test_champion_already_and_out_of_contention() -> None:
    """A 75 (three wins), B 48, C 48: 25 left, neither can pass A (73 at best)."""
    results = race(1, ["A", "B", "C"]) + race(2, ["A", "B", "C"]) + race(3, ["A", "C", "D", "B"])
    report = title_scenarios(results, rules(), after=3)
    c = by_driver(report)
    assert c["A"].clinched and c["A"].needs == ("champion whatever happens",)  # type: ignore[attr-defined]
    assert not c["C"].can_win  # type: ignore[attr-defined]
    assert c["C"].needs == ("can no longer win: 2 short at best",)  # type: ignore[attr-defined]
    assert report.summary == "A cannot be caught"


def test_two_races_left_either_race() -> None:
    """A 75 (three wins), B 51 (18 + 18 + 15) with two races left (50 available). A finishing p in one
    race and out of the points in the other: 75 + s(p) against B's best answer 51 + 25 + (18 if A won,
    else 25). A win: 100 > 94. Second: 93 < 101. So A needs a win in either race."""
    results = race(1, ["A", "B"]) + race(2, ["A", "B"]) + race(3, ["A", "C", "B"])
    rulebook = rules(rounds=4, races=2)
    c = by_driver(title_scenarios(results, rulebook, after=3))
    assert (c["A"].points, c["B"].points) == (75, 51)  # type: ignore[attr-defined]
    assert c["A"].needs == ("wins the title if they win either race",)  # type: ignore[attr-defined]


def _champion(results: list[SessionResult], rulebook: Rulebook, names: set[str]) -> str | None:
    table = [s for s in driver_standings(award_points(results, rulebook), rulebook) if s.competitor in names]
    if len(table) > 1 and (table[0].points, table[0].position) == (table[1].points, table[1].position):
        return None
    return table[0].competitor


def _endings(names: list[str], places: int) -> list[dict[str, int]]:
    """Every way the named cars can finish a race: a scoring place each (distinct) or out of the points."""
    found = []
    for chosen in product(range(places + 1), repeat=len(names)):
        taken = [p for p in chosen if p]
        if len(taken) == len(set(taken)):
            found.append(dict(zip(names, chosen, strict=True)))
    return found


def _race(round_: int, session: str, ending: dict[str, int], places: int) -> list[SessionResult]:
    """The named cars where the ending puts them, anonymous cars in the other scoring places, the rest
    out of the points (retired)."""
    by_place = {p: car for car, p in ending.items() if p}
    rows = []
    for place in range(1, places + 1):
        car = by_place.get(place, f"filler{place}")
        rows.append(
            SessionResult(
                round_, session, SessionType.RACE, car, "", "", (car,), place, place, Status.CLASSIFIED
            )
        )
    rows += [
        SessionResult(round_, session, SessionType.RACE, car, "", "", (car,), None, None, Status.RETIRED)
        for car, p in ending.items()
        if not p
    ]
    return rows


@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(
    history=st.lists(st.permutations(["A", "B", "C", "D"]), min_size=2, max_size=4),
    best=st.sampled_from([None, None, 3, 4]),
)
def test_scenarios_agree_with_every_possible_ending(history: list[list[str]], best: int | None) -> None:
    """Four contenders, scale 2-1, two races left: the verdicts match a brute force over every ending
    (each contender in a scoring place or out of the points, anonymous cars filling the rest)."""
    rulebook = rules(scale="[2, 1]", rounds=len(history) + 1, races=2, best=best)
    past = [r for i, order in enumerate(history, start=1) for r in race(i, list(order))]
    report = title_scenarios(past, rulebook, after=len(history))
    final_round = len(history) + 1
    names = ["A", "B", "C", "D"]
    outcomes = []
    for first, second in product(_endings(names, 2), repeat=2):
        results = past + _race(final_round, "R1", first, 2) + _race(final_round, "R2", second, 2)
        outcomes.append((first, second, _champion(results, rulebook, set(names))))
    for contender in report.contenders:
        name = contender.drivers[0]
        assert contender.can_win == any(champion == name for _, _, champion in outcomes), name
        assert contender.clinched == all(champion == name for _, _, champion in outcomes), name
        need = contender.needs[0]
        if need.endswith("either race"):
            threshold = 1 if " win " in need else int(need.split("finish ")[1][0])
            for first, second, champion in outcomes:
                if 0 < first[name] <= threshold or 0 < second[name] <= threshold:
                    assert champion == name, (need, first, second)


def test_a_leader_who_can_clinch_with_three_races_left_is_told_how() -> None:
    """A won rounds 1-3, B was second each time: A 75, B 54, three races left (75 available). A does
    not clinch with one race alone, but does by winning two (B at best 54 + 18 + 18 + 25 = 115 < 125),
    or by finishing second or better in every race (129 each at worst, A ahead on countback)."""
    results = [row for r in (1, 2, 3) for row in race(r, ["A", "B", "C"])]
    report = title_scenarios(results, rules(rounds=6), after=3)
    a = by_driver(report)["A"]
    assert a.can_win and not a.clinched  # type: ignore[attr-defined]
    assert a.needs == (  # type: ignore[attr-defined]
        "wins the title if they finish 2nd or better in every remaining race, "
        "or win round 4 R1 and round 5 R1",
    )
