"""Simulated sessions pinned to the season's known results; the grid is the season's, stable."""

from __future__ import annotations

from chequered import rulebooks
from chequered.core.model import SessionKind, Status
from chequered.seasons import SeasonData
from chequered.sim.grid import build_grid
from chequered.sim.weekend import SimulatedWeekend, simulate_weekend


def test_the_grid_is_the_entry_list_and_each_car_is_the_same_car_every_round(season: SeasonData) -> None:
    seen: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
    for event in season.season.events:
        grid = build_grid(season, event.round, 7)
        entered = {e.car for e in season.entries_at(event.round)}
        assert {c.season_car for c in grid if c.season_car} == entered
        for car in grid:
            e = car.entry
            identity = (e.team, e.car_class, e.car_model, tuple(d.driver.name for d in car.crew))
            assert seen.setdefault(e.number, identity) == identity, (event.round, e.number)


def test_known_results_hold_the_rest_simulated(season: SeasonData, paul_ricard: SimulatedWeekend) -> None:
    rules = rulebooks.load(season.rulebook)
    by_session = {s.session.id: s for s in paul_ricard.sessions}
    number = next(c.car for c in paul_ricard.cars if c.season_car == "racing-one-backman")
    checked = 0
    for known in season.known_results:
        if known.session not in by_session or known.car != "racing-one-backman":
            continue
        simulated = by_session[known.session]
        result = simulated.classify(rules).result(number)
        assert result is not None, known
        if known.position is not None:
            assert result.position == known.position, known
        if known.status is not None:
            assert result.status is known.status, known
        if known.laps is not None:
            assert result.laps == known.laps
        checked += 1
    assert checked == 6  # FP1 7th, FP2 45th, Q1 42nd, Q2 13th, R1 DNF on lap 1, R2 DNS
    race_2 = by_session["2023-paul-ricard-R2"]
    assert not [lap for lap in race_2.laps if lap.car == number]


def test_a_class_place_in_a_race_holds_with_a_legal_race(
    season: SeasonData, misano: SimulatedWeekend
) -> None:
    rules = rulebooks.load(season.rulebook)
    race_2 = next(s for s in misano.sessions if s.session.id == "2023-misano-R2")
    number = next(c.car for c in misano.cars if c.season_car == "racing-one-backman")
    result = race_2.classify(rules).result(number)
    assert result is not None and result.status is Status.CLASSIFIED and result.class_position == 18
    race_1 = next(s for s in misano.sessions if s.session.id == "2023-misano-R1")
    assert race_1.classify(rules).result(number).status is Status.RETIRED  # type: ignore[union-attr]


def test_same_seed_same_season(season: SeasonData) -> None:
    a, b = simulate_weekend(season, 4, 11), simulate_weekend(season, 4, 11)
    for x, y in zip(a.sessions, b.sessions, strict=True):
        assert x.laps == y.laps and x.decisions == y.decisions
    assert [s.session.kind for s in a.sessions].count(SessionKind.RACE) == 2


def _first_driver(weekend: SimulatedWeekend, session_id: str, car: str) -> set[str]:
    """Who drove the car's first lap, and in qualifying who set its laps."""
    simulated = next(s for s in weekend.sessions if s.session.id == session_id)
    laps = [lap for lap in simulated.laps if lap.car == car]
    if simulated.session.kind is SessionKind.QUALIFYING:
        return {lap.driver_name for lap in laps}
    return {laps[0].driver_name}


def test_the_named_driver_starts_the_session(season: SeasonData, paul_ricard: SimulatedWeekend) -> None:
    # seed 001: Jessica qualified in Q1 and started Race 1, Andreas drove Q2
    number = next(c.car for c in paul_ricard.cars if c.season_car == "racing-one-backman")
    assert _first_driver(paul_ricard, "2023-paul-ricard-Q1", number) == {"Jessica Bäckman"}
    assert _first_driver(paul_ricard, "2023-paul-ricard-Q2", number) == {"Andreas Bäckman"}
    assert _first_driver(paul_ricard, "2023-paul-ricard-R1", number) == {"Jessica Bäckman"}


def test_the_named_driver_starts_each_race(season: SeasonData, misano: SimulatedWeekend) -> None:
    # seed 004: Andreas started Race 1 and Jessica Race 2, whatever the alternation would give
    number = next(c.car for c in misano.cars if c.season_car == "racing-one-backman")
    assert _first_driver(misano, "2023-misano-R1", number) == {"Andreas Bäckman"}
    assert _first_driver(misano, "2023-misano-R2", number) == {"Jessica Bäckman"}
    # and the crew changes at the stop: the second stint is the other driver's
    race_2 = next(s for s in misano.sessions if s.session.id == "2023-misano-R2")
    assert {lap.driver_name for lap in race_2.laps if lap.car == number} == {
        "Jessica Bäckman",
        "Andreas Bäckman",
    }
