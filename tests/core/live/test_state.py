"""The live state equals the classification at every point of three real IMSA races fed as passings."""

from __future__ import annotations

import os
import random

import pytest

from chequered import rulebooks
from chequered.core.classification import classify
from chequered.core.errors import UnknownCarError
from chequered.core.events import (
    ClockTicked,
    EntryRegistered,
    LapCompleted,
    LapDeleted,
    LapPenalty,
    PitCrossed,
    PitLine,
    SectorCompleted,
    SessionOpened,
    StatusChanged,
    TimePenalty,
)
from chequered.core.live import LiveState
from chequered.core.live.state import RECENT_MESSAGES
from chequered.core.model import Entry, Finish, FinishMode, Lap, Session, SessionKind, Status
from chequered.core.passings import PassingAssembler, passings_of
from chequered.importers import alkamel
from tests.conftest import IMSA, real_file

RACES = [
    ("2023/08-long-beach-street-circuit/202304151405-race-laps.csv", 100, 11),
    ("2023/12-watkins-glen-international/202306251040-race-laps.csv", 360, 67),
    ("2024/05-sebring-international-raceway/202403160940-race-laps.csv", 720, 113),
]
SAMPLED = 20  # prefixes checked at seeded random points of the race, plus the last laps
FINISH = 10


def _checkpoints(total: int, every: int | None, seed: str) -> set[int]:
    """After which lap (counted) the live order is compared with ``classify``: every ``every`` laps and the
    last 60 (the full sweep), or ``SAMPLED`` seeded points and the last ``FINISH`` laps."""
    if every is not None:
        return {n for n in range(1, total + 1) if n % every == 0 or n > total - 60}
    return set(random.Random(seed).sample(range(1, total + 1), SAMPLED)) | set(
        range(total - FINISH + 1, total + 1)
    )


@pytest.mark.realdata
@pytest.mark.parametrize(("path", "minutes", "every"), RACES, ids=["long-beach", "watkins-glen", "sebring"])
@pytest.mark.parametrize("timed", [False, True], ids=["no-finish", "timed"])
def test_live_equals_classification_through_imsa_race(
    path: str, minutes: int, every: int, timed: bool
) -> None:
    """A sample of the race's prefixes; the full sweep is ``test_live_equals_classification_full_sweep``."""
    _replay_and_compare(path, minutes, None, timed)


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.skipif(not os.environ.get("CHEQUERED_FULL_SWEEP"), reason="full sweep: CHEQUERED_FULL_SWEEP=1")
@pytest.mark.parametrize(("path", "minutes", "every"), RACES, ids=["long-beach", "watkins-glen", "sebring"])
@pytest.mark.parametrize("timed", [False, True], ids=["no-finish", "timed"])
def test_live_equals_classification_full_sweep(path: str, minutes: int, every: int, timed: bool) -> None:
    """About 150 points spread over the race, and every lap of the finish."""
    _replay_and_compare(path, minutes, every, timed)


def _replay_and_compare(path: str, minutes: int, every: int | None, timed: bool) -> None:
    timing = alkamel.read_laps(real_file(IMSA / path))
    checkpoints = _checkpoints(len(timing.laps), every, f"{path}:{timed}")
    rules = rulebooks.load("imsa-2023")
    finish = Finish(FinishMode.TIME, minutes * 60_000) if timed else None
    session = Session("race", "Race", SessionKind.RACE, finish)
    live = LiveState(session, rules, timing.entries)
    assembler = PassingAssembler({e.car for e in timing.entries})
    laps: list[Lap] = []
    checked = 0
    passings = passings_of(timing.laps)
    for passing in passings:
        for event in assembler.add(passing):
            live.apply(event)
            if isinstance(event, LapCompleted):
                laps.append(event.lap)
                if len(laps) in checkpoints:
                    assert live.classification() == classify(session, timing.entries, laps, [], rules)
                    checked += 1
    assert not assembler.rejected
    # the laps the passings make are the laps of the file: same cars, numbers and crossing times
    assert sorted((lap.car, lap.lap, lap.elapsed_ms) for lap in laps) == sorted(
        (lap.car, lap.lap, lap.elapsed_ms) for lap in timing.laps
    )
    assert checked == len(checkpoints)
    final = classify(session, timing.entries, laps, [], rules)
    assert live.classification() == final
    assert live.snapshot()["cars"][0]["car"] == final.results[0].car


def _entries() -> list[Entry]:
    return [
        Entry("1", "1", "GT3"),
        Entry("01", "01", "GT3"),
        Entry("7", "7", "GT4"),
        Entry("77", "77", "GT4"),
    ]


def _lap(car: str, lap: int, elapsed: int, time_ms: int, **kw: object) -> Lap:
    return Lap(car, lap, time_ms, elapsed, **kw)  # type: ignore[arg-type]


def test_decisions_and_deltas_follow_the_classification() -> None:
    rules = rulebooks.load("imsa-2023")
    session = Session("r", "R", SessionKind.RACE)
    live = LiveState(session, rules, _entries())
    events: list[object] = [
        LapCompleted(_lap("1", 1, 100_000, 100_000)),
        LapCompleted(_lap("01", 1, 101_000, 101_000)),
        LapCompleted(_lap("7", 1, 110_000, 110_000, sectors=(30_000, 40_000, 40_000))),
        LapCompleted(_lap("1", 2, 199_000, 99_000)),
        LapCompleted(_lap("01", 2, 198_500, 97_500, in_pit=True)),
        TimePenalty("01", 5_000, "pit lane speeding"),
        LapDeleted("1", 2, "track limits"),
        StatusChanged("7", Status.DISQUALIFIED, "technical"),
        LapPenalty("1", 1, "jump start"),
        StatusChanged("7", Status.CLASSIFIED, "appeal upheld"),
    ]
    laps: list[Lap] = []
    decisions = []
    for event in events:
        delta = live.apply(event)  # type: ignore[arg-type]
        assert delta is not None
        if isinstance(event, LapCompleted):
            laps.append(event.lap)
        else:
            decisions.append(event)
        assert live.classification() == classify(session, _entries(), laps, decisions, rules)  # type: ignore[arg-type]
    assert live.snapshot()["cars"][0]["car"] == live.classification().results[0].car


def test_a_decision_puts_a_message_in_its_delta() -> None:
    rules = rulebooks.load("imsa-2023")
    live = LiveState(Session("r", "R", SessionKind.RACE), rules, _entries())
    lap = live.apply(LapCompleted(_lap("1", 1, 100_000, 100_000)))
    assert lap is not None and lap.messages == ()
    decisions = [
        (TimePenalty("01", 5_000, "pit lane speeding"), {"kind": "time_penalty", "ms": 5_000}),
        (LapDeleted("1", 1, "track limits"), {"kind": "lap_deleted", "lap": 1}),
        (LapPenalty("1", 1, "jump start"), {"kind": "lap_penalty", "laps": 1}),
        (StatusChanged("7", Status.DISQUALIFIED, "technical"), {"kind": "status", "status": "dsq"}),
    ]
    for event, expected in decisions:
        delta = live.apply(event)
        assert delta is not None and len(delta.messages) == 1
        message = delta.messages[0]
        assert message["car"] == event.car and message["text"] == event.reason and message["seq"] == delta.seq
        assert message["number"] == next(e.number for e in _entries() if e.car == event.car)
        assert {k: message[k] for k in expected} == expected
    # a decision that changes no row still reaches the board's ticker
    again = live.apply(TimePenalty("7", 1_000, "already out"))
    assert again is not None and again.messages[0]["kind"] == "time_penalty"


def test_a_snapshot_carries_race_controls_last_notes() -> None:
    rules = rulebooks.load("imsa-2023")
    session = Session("r", "R", SessionKind.RACE, finish=Finish(FinishMode.TIME, 3_600_000))
    live = LiveState(session, rules, _entries())
    live.apply(LapCompleted(_lap("1", 1, 100_000, 100_000)))
    assert live.snapshot()["messages"] == []
    live.apply(ClockTicked(elapsed_ms=101_000, time_to_go_ms=None, laps_to_go=None, flag="yellow"))
    penalty = live.apply(TimePenalty("01", 5_000, "pit lane speeding"))
    assert penalty is not None
    notes = live.snapshot()["messages"]
    assert [n["kind"] for n in notes] == ["flag", "time_penalty"]  # oldest first
    assert notes[0]["flag"] == "yellow" and notes[1] == {**penalty.messages[0]}
    for n in range(RECENT_MESSAGES + 5):
        live.apply(TimePenalty("7", 1_000, f"penalty {n}"))
    notes = live.snapshot()["messages"]
    assert len(notes) == RECENT_MESSAGES and notes[-1]["text"] == f"penalty {RECENT_MESSAGES + 4}"
    live.apply(SessionOpened(session))  # a restarted session starts clean
    assert live.snapshot()["messages"] == []


def test_deltas_rebuild_the_snapshot_and_carry_only_changes() -> None:
    rules = rulebooks.load("imsa-2023")
    live = LiveState(Session("r", "R", SessionKind.RACE), rules, _entries())
    board = {row["car"]: dict(row) for row in live.snapshot()["cars"]}
    session_fields = dict(live.snapshot()["session"])
    events = [
        ClockTicked(50_000, 3_550_000, None, "green"),
        SectorCompleted("7", 1, 31_000, 31_000),
        LapCompleted(_lap("7", 1, 100_000, 100_000, sectors=(31_000, 35_000, 34_000))),
        LapCompleted(_lap("1", 1, 101_000, 101_000, sectors=(30_000, 36_000, 35_000))),
        PitCrossed("77", PitLine.IN, 102_000),
        PitCrossed("77", PitLine.OUT, 130_000),
        LapCompleted(_lap("77", 1, 140_000, 140_000, pit_time_ms=28_000, driver_name="A. Driver")),
        ClockTicked(60_000, 3_540_000, None, "yellow"),
    ]
    for event in events:
        delta = live.apply(event)
        assert delta is not None
        for car, changes in delta.cars.items():
            for name, value in changes.items():
                assert board[car].get(name) != value or name in ("number", "class", "team"), (car, name)
            board[car].update(changes)
        session_fields.update(delta.session)
    final = live.snapshot()
    assert {row["car"]: row for row in final["cars"]} == board
    assert final["session"] == session_fields
    row7 = board["7"]
    assert row7["position"] == 1 and row7["sector_marks"][2] == "session"
    assert board["1"]["sector_marks"][0] == "session" and board["1"]["gap"] == "+1.000"
    assert board["77"]["stops"] == 1 and not board["77"]["in_pit"] and board["77"]["driver"] == "A. Driver"
    assert final["session"]["flag"] == "yellow"
    # an event that changes nothing makes no delta
    assert live.apply(EntryRegistered(_entries()[0])) is None


def test_unknown_car_is_refused_before_anything_changes() -> None:
    live = LiveState(Session("r", "R", SessionKind.RACE), rulebooks.load("imsa-2023"), _entries())
    before = live.snapshot()
    with pytest.raises(UnknownCarError, match="'99'"):
        live.apply(LapCompleted(_lap("99", 1, 100_000, 100_000)))
    assert live.snapshot() == before


def test_practice_orders_by_best_lap_like_the_classification() -> None:
    rules = rulebooks.load("imsa-2023")
    session = Session("p", "P", SessionKind.PRACTICE, Finish(FinishMode.TIME, 3_600_000))
    live = LiveState(session, rules, _entries())
    laps = [
        _lap("1", 1, 100_000, 100_000),
        _lap("01", 1, 99_000, 99_000),
        _lap("1", 2, 195_000, 95_000),
        _lap("7", 1, 120_000, None),  # type: ignore[arg-type]
        LapDeleted("1", 2, "track limits"),
    ]
    done: list[Lap] = []
    decisions = []
    for item in laps:
        if isinstance(item, Lap):
            live.apply(LapCompleted(item))
            done.append(item)
        else:
            live.apply(item)
            decisions.append(item)
        assert live.classification() == classify(session, _entries(), done, decisions, rules)


def test_without_a_feed_clock_time_and_laps_to_go_come_from_the_finish() -> None:
    rules = rulebooks.load("imsa-2023")
    timed = Session("r", "R", SessionKind.RACE, finish=Finish(FinishMode.TIME, duration_ms=250_000))
    live = LiveState(timed, rules, _entries()[:2])
    live.apply(LapCompleted(_lap("1", 1, 100_000, 100_000)))
    assert live.session_row()["time_to_go_ms"] == 150_000 and live.session_row()["flag"] == ""
    live.apply(LapCompleted(_lap("1", 2, 200_000, 100_000)))
    delta = live.apply(LapCompleted(_lap("1", 3, 300_000, 100_000)))  # the leader past the time: flagged
    assert delta is not None and delta.session["time_to_go_ms"] == 0 and delta.session["flag"] == "finish"

    laps = Session("r", "R", SessionKind.RACE, finish=Finish(FinishMode.LAPS, laps=10))
    live = LiveState(laps, rules, _entries()[:2])
    live.apply(LapCompleted(_lap("01", 1, 100_000, 100_000)))
    live.apply(LapCompleted(_lap("01", 2, 200_000, 100_000)))
    assert live.session_row()["laps_to_go"] == 8

    # a clock from the feed is what the board shows, from then on
    live.apply(ClockTicked(210_000, None, 5, "yellow"))
    live.apply(LapCompleted(_lap("01", 3, 300_000, 100_000)))
    assert (live.session_row()["laps_to_go"], live.session_row()["flag"]) == (5, "yellow")
