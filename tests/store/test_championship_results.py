"""A stored session's classification as points input: the fastest-lap flag follows the rulebook's
points scope, and the season's non-scoring cars are marked."""

from __future__ import annotations

from dataclasses import replace

from chequered import rulebooks
from chequered.core.classification import classify
from chequered.store.championship import session_results
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
