"""A stored session's classification as points input: the fastest-lap flag follows the rulebook's
points scope, and the season's non-scoring cars are marked; the season's published results are folded
once per set of publications."""

from __future__ import annotations

from dataclasses import replace

from chequered import rulebooks
from chequered.core.classification import classify
from chequered.core.events import LapCompleted, Publication, TimePenalty
from chequered.store.championship import session_results
from chequered.store.store import Store
from tests.conftest import FixedClock
from tests.store import season_fixture


def test_fastest_lap_by_class_or_overall_as_the_rulebook_scores() -> None:
    event = season_fixture.season().events[0]
    race = event.sessions[1]
    laps = season_fixture.race_laps(30)
    laps[-1] = laps[-1]._replace(lap_time_ms=119_000)  # 07 (Pro-Am) sets the fastest lap of the race
    rulebook = rulebooks.load("gt4-europe-2023")
    classification = classify(race, season_fixture.entries(), laps, [], rulebook)

    by_class = session_results(event, "r1-ricard-r1", race.kind, classification, rulebook, {"21"})
    assert {r.number: (r.fastest_lap, r.scores) for r in by_class} == {
        "7": (True, True),
        "21": (False, False),
        "07": (True, True),
    }
    overall = replace(rulebook, points=replace(rulebook.points, scope="overall"))
    flagged = session_results(event, "r1-ricard-r1", race.kind, classification, overall)
    assert [r.number for r in flagged if r.fastest_lap] == ["07"]


def test_the_season_results_are_built_once_per_set_of_publications(database_url: str) -> None:
    """A standings read asks for the season's results each time; they are folded again only when a
    publication changes which log positions count."""
    store = Store.open(database_url, FixedClock(), rulebooks.load)
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    race, season = "r1-ricard-r1", "gt4-test-2023"
    store.append(race, [LapCompleted(lap) for lap in season_fixture.race_laps(10)], "feed")
    assert store.season_results(season).results == []  # nothing published
    store.publish(race, Publication.PROVISIONAL, "steward")
    first = store.season_results(season)
    assert first.results and first.provisional == ((1, "r1"),)
    store.append(race, [TimePenalty("7", 5_000, "track limits")], "steward")  # not published yet
    assert store.season_results(season) is first
    store.publish(race, Publication.FINAL, "steward")
    final = store.season_results(season)
    assert final is not first and final.provisional == () and final.key != first.key
    # seeded again (by another process, say) with car 21 invited: its results score nothing from now
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023", {"21"})
    invited = store.season_results(season)
    assert invited is not final and not any(r.scores for r in invited.results if r.number == "21")
    assert store.heads([race, "r1-ricard-q1", "no-such-session"]) == {race: store.latest(race)}
    store.close()
