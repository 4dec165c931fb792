"""Hypothesis properties of the classification, over random multi-class races and qualifying sessions."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chequered.core.classification import Classification, classify
from chequered.core.events import TimePenalty
from chequered.core.model import Entry, Lap, Session, SessionKind, Status
from chequered.core.rulebook import ClassificationRules, Rulebook

OPEN = Rulebook("open", "open")
THRESHOLD = Rulebook("t", "t", classification=ClassificationRules(Fraction(1, 2), "class", True))


@st.composite
def sessions(draw: st.DrawFn) -> tuple[list[Entry], list[Lap]]:
    count = draw(st.integers(min_value=1, max_value=12))
    entries = [
        Entry(
            car=f"{n:02d}" if draw(st.booleans()) else str(n),
            number=str(n),
            car_class=draw(st.sampled_from("SPA")),
        )
        for n in range(count)
    ]
    entries = list({e.car: e for e in entries}.values())
    laps: list[Lap] = []
    for entry in entries:
        elapsed = 0
        for number in range(1, draw(st.integers(min_value=0, max_value=15)) + 1):
            time = draw(st.integers(min_value=80_000, max_value=130_000))
            elapsed += time
            laps.append(Lap(entry.car, number, time, elapsed))
    return entries, laps


def _positions(c: Classification) -> dict[str, int]:
    return {r.entry.car: r.position for r in c.results}


RACE = Session("r", "Race", SessionKind.RACE)
QUALI = Session("q", "Qualifying", SessionKind.QUALIFYING)


@settings(max_examples=200, deadline=None)
@given(sessions(), st.sampled_from([OPEN, THRESHOLD]), st.sampled_from([RACE, QUALI]))
def test_a_permutation_of_the_entries_with_contiguous_positions(
    race: tuple[list[Entry], list[Lap]], rules: Rulebook, session: Session
) -> None:
    entries, laps = race
    result = classify(session, entries, laps, [], rules)
    assert sorted(r.entry.car for r in result.results) == sorted(e.car for e in entries)
    assert [r.position for r in result.results] == list(range(1, len(entries) + 1))


@settings(max_examples=200, deadline=None)
@given(sessions())
def test_more_laps_never_ranks_behind_fewer(race: tuple[list[Entry], list[Lap]]) -> None:
    entries, laps = race
    results = classify(RACE, entries, laps, [], OPEN).results
    for ahead, behind in itertools.pairwise(results):
        assert ahead.laps >= behind.laps
        if ahead.laps == behind.laps and ahead.total_time_ms is not None and behind.total_time_ms is not None:
            assert ahead.total_time_ms <= behind.total_time_ms


@settings(max_examples=200, deadline=None)
@given(sessions(), st.data())
def test_a_time_penalty_never_improves_a_position(
    race: tuple[list[Entry], list[Lap]], data: st.DataObject
) -> None:
    entries, laps = race
    car = data.draw(st.sampled_from([e.car for e in entries]))
    seconds = data.draw(st.integers(min_value=1, max_value=300_000))
    rules = data.draw(st.sampled_from([OPEN, THRESHOLD]))
    before = _positions(classify(RACE, entries, laps, [], rules))
    after = _positions(classify(RACE, entries, laps, [TimePenalty(car, seconds)], rules))
    assert after[car] >= before[car]
    for (
        other,
        position,
    ) in before.items():  # nobody else loses more than the one place the penalised car gives
        if other != car:
            assert after[other] <= position


@settings(max_examples=200, deadline=None)
@given(sessions(), st.sampled_from([OPEN, THRESHOLD]), st.sampled_from([RACE, QUALI]))
def test_class_order_agrees_with_overall_order(
    race: tuple[list[Entry], list[Lap]], rules: Rulebook, session: Session
) -> None:
    entries, laps = race
    result = classify(session, entries, laps, [], rules)
    for car_class in {e.car_class for e in entries}:
        in_class = result.in_class(car_class)
        assert [r.class_position for r in in_class] == list(range(1, len(in_class) + 1))
        assert [r.position for r in in_class] == sorted(r.position for r in in_class)


@settings(max_examples=200, deadline=None)
@given(sessions())
def test_qualifying_is_ordered_by_best_lap_with_no_time_last(race: tuple[list[Entry], list[Lap]]) -> None:
    entries, laps = race
    results = classify(QUALI, entries, laps, [], OPEN).results
    timed = [r.best_lap_ms for r in results if r.best_lap_ms is not None]
    assert timed == sorted(timed)
    seen_untimed = False
    for r in results:
        seen_untimed = seen_untimed or r.best_lap_ms is None
        assert not (seen_untimed and r.best_lap_ms is not None)
        assert (r.status is Status.CLASSIFIED) == (r.best_lap_ms is not None)
