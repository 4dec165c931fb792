"""Every kind of the log survives encode → JSON → decode unchanged, and its identity is its content."""

from __future__ import annotations

import orjson
import pytest

from chequered.core.events import (
    ClockTicked,
    DriverChanged,
    LapCompleted,
    LogEvent,
    PitCrossed,
    PitLine,
    SectorCompleted,
    StatusChanged,
)
from chequered.core.model import Lap, Status
from chequered.store.codec import (
    SCORING_KINDS,
    TIMING_KINDS,
    decode,
    dumps,
    encode,
    identity,
)

TIMING: list[LogEvent] = [
    ClockTicked(3_600_000, 1_800_000, None, "green"),
    ClockTicked(90_061_001, None, 3, "yellow", "FCY"),  # race time past 24 h, a lap-limited session
    ClockTicked(0, None, None, ""),
    PitCrossed("07", PitLine.IN, 1_234_567),
    PitCrossed("7", PitLine.OUT, 1_322_000),
    SectorCompleted("21", 2, 38_512, 2_000_100),
    SectorCompleted("001", 1, 4_000_000, 4_000_000),  # a sector of over an hour (a red flag)
    DriverChanged("07", "Dora Delta", 1_322_000),
]


@pytest.mark.parametrize("event", TIMING, ids=lambda e: type(e).__name__)
def test_timing_events_round_trip_through_json(event: LogEvent) -> None:
    kind, payload = encode(event)
    assert kind in TIMING_KINDS and kind not in SCORING_KINDS
    text = dumps(payload)
    assert decode(kind, orjson.loads(text)) == event


def test_identity_is_the_content() -> None:
    def ident(event: LogEvent) -> str:
        kind, payload = encode(event)
        return identity(kind, dumps(payload))

    # the same heartbeat sent twice (a stopped clock, a re-sent burst) is one event; a new second is another
    assert ident(ClockTicked(1000, None, None, "red")) == ident(ClockTicked(1000, None, None, "red"))
    assert ident(ClockTicked(1000, None, None, "red")) != ident(ClockTicked(2000, None, None, "red"))
    # "7" and "07" are different cars
    assert ident(PitCrossed("7", PitLine.IN, 5)) != ident(PitCrossed("07", PitLine.IN, 5))
    assert ident(PitCrossed("7", PitLine.IN, 5)) != ident(PitCrossed("7", PitLine.OUT, 5))


def test_scoring_kinds_still_round_trip() -> None:
    for event in (
        LapCompleted(Lap("7", 3, 100_000, 300_000, sectors=(30_000, None, 40_000), in_pit=True)),
        StatusChanged("7", Status.RETIRED, "accident"),
    ):
        kind, payload = encode(event)
        assert kind in SCORING_KINDS
        assert decode(kind, orjson.loads(dumps(payload))) == event
