"""Done-when 2: every simulated race passes its rulebook's compliance report, except the violations the
simulator commits on purpose, which the report must find — no more, no fewer."""

from __future__ import annotations

from importlib import resources

import pytest

from chequered import rulebooks
from chequered.core.compliance import check_race
from chequered.core.model import SessionKind
from chequered.core.rulebook import parse_rulebook
from chequered.core.stints import stints_by_car
from chequered.seasons import SeasonData
from chequered.sim.weekend import SimulatedSession, simulate_weekend


def _findings(simulated: SimulatedSession, rules_name: str = "gt4-europe-2023") -> set[tuple[str, str]]:
    report = check_race(
        simulated.session,
        simulated.entries,
        simulated.laps,
        rulebooks.load(rules_name),
        simulated.previous_places,
    )
    return {(v.car, v.rule) for v in report.violations}


def _races(season: SeasonData, round_: int, seed: int, **kwargs: object) -> list[SimulatedSession]:
    weekend = simulate_weekend(season, round_, seed, **kwargs)  # type: ignore[arg-type]
    return [s for s in weekend.sessions if s.session.kind is SessionKind.RACE]


@pytest.mark.parametrize(("round_", "seed"), [(r, s) for r in (1, 2, 3, 4, 5, 6) for s in (1, 2)])
def test_races_comply_except_the_injected_violations(season: SeasonData, round_: int, seed: int) -> None:
    for simulated in _races(season, round_, seed):
        assert _findings(simulated) == {(i.car, i.rule) for i in simulated.injected}


def test_injected_violations_are_found_over_a_few_weekends(season: SeasonData) -> None:
    rules: set[str] = set()
    for seed in range(4):
        for simulated in _races(season, 4, seed, infractions=1.0):
            found = _findings(simulated)
            assert found == {(i.car, i.rule) for i in simulated.injected}
            rules |= {rule for _, rule in found}
    assert rules == {"minimum stop time", "pit window", "minimum driving time"}


def test_without_infractions_every_race_is_clean(season: SeasonData) -> None:
    for seed in range(3):
        for simulated in _races(season, 2, seed, infractions=0.0):
            assert simulated.injected == ()
            assert _findings(simulated) == set()


def test_success_penalties_lengthen_race_2_stops(season: SeasonData) -> None:
    text = resources.files("chequered.rulebooks").joinpath("gt4-europe-2023.toml").read_text("utf-8")
    text = text.replace("success_penalty_s = []", "success_penalty_s = [15, 10, 5]")
    rules = parse_rulebook(text, "gt4-success.toml")
    weekend = simulate_weekend(season, 2, 4, infractions=0.0, rulebook=rules)
    race_2 = weekend.sessions[5]
    winners = {number for number, place in race_2.previous_places.items() if place == 1}
    assert len(winners) >= 3  # one per class
    stops = stints_by_car(race_2.laps)
    stopped = [car for car in winners if any(s.pit_time_ms for s in stops[car].stops)]
    assert len(stopped) >= 3  # a winner may retire in the pits in Race 2 (no stop completed)
    for car in stopped:
        times = [s.pit_time_ms for s in stops[car].stops if s.pit_time_ms]
        assert min(times) >= 88_000 + 15_000
    report = check_race(race_2.session, race_2.entries, race_2.laps, rules, race_2.previous_places)
    assert report.violations == ()
    # the same stops checked without knowing Race 1 would be fine; with it, a plain 88 s stop is not
    assert check_race(race_2.session, race_2.entries, race_2.laps, rules, {}).violations == ()
