"""Live state throughput: events per second folded by ``LiveState`` for a 60-car race on one core.

The race is generated (60 cars in four classes, three sectors, pit stops with driver changes, 6 hours)
and fed as passings, so the events are what a decoder produces: sector splits, pit in/out, laps. The
events are built first; only ``LiveState.apply`` is timed. A real race (IMSA Sebring 12 h, 16,836 laps)
is measured the same way when the shared data is present.
"""

from __future__ import annotations

import random
import time

from benchmarks.common import ALKAMEL, figure, needs
from chequered import rulebooks
from chequered.core.feed import LiveEvent
from chequered.core.live import LiveState
from chequered.core.model import Entry, Lap, Session, SessionKind
from chequered.core.passings import PassingAssembler, passings_of

CLASSES = ("GT3 Pro", "GT3 Am", "GT4", "Cup")


def generated_race(cars: int = 60, hours: int = 6, seed: int = 60) -> tuple[list[Entry], list[Lap]]:
    rng = random.Random(seed)
    entries = [Entry(str(n + 1), str(n + 1), CLASSES[n % 4]) for n in range(cars)]
    laps: list[Lap] = []
    for index, entry in enumerate(entries):
        pace = 100_000 + 2_500 * (index % 4) + rng.randint(0, 3_000)
        elapsed, lap, driver = 0, 0, 1
        while elapsed < hours * 3_600_000:
            lap += 1
            s = [pace // 3 + rng.randint(-400, 900) for _ in range(3)]
            in_pit = lap % 30 == 0
            pit_time = 60_000 + rng.randint(0, 20_000) if lap % 30 == 1 and lap > 1 else None
            if pit_time:
                s[0] += pit_time
                driver = driver % 3 + 1
            elapsed += sum(s)
            name = f"Driver {entry.car}.{driver}"
            laps.append(Lap(entry.car, lap, sum(s), elapsed, driver, name, tuple(s), in_pit, pit_time))
    return entries, laps


def events_of(entries: list[Entry], laps: list[Lap]) -> list[LiveEvent]:
    assembler = PassingAssembler({e.car for e in entries})
    events: list[LiveEvent] = []
    for passing in passings_of(laps):
        events.extend(assembler.add(passing))
    return events + assembler.flush()


def fold(entries: list[Entry], events: list[LiveEvent], kind: SessionKind = SessionKind.RACE) -> float:
    """Seconds to fold all events (best of three)."""
    rules = rulebooks.load("imsa-2023")
    best = float("inf")
    for _ in range(3):
        live = LiveState(Session("bench", "Bench", kind), rules, entries)
        apply = live.apply
        start = time.process_time()
        for event in events:
            apply(event)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    entries, laps = generated_race()
    events = events_of(entries, laps)
    seconds = fold(entries, events)
    figure("live state, generated 60-car 6 h race: events", len(events), "events")
    figure("live state, generated 60-car race (a)", len(events) / seconds, "events/s", ">= 20,000")
    sebring = (
        ALKAMEL / "imsa-tobi-imsa_data/data/2024/05-sebring-international-raceway/202403160940-race-laps.csv"
    )
    if needs(sebring):
        from chequered.importers import alkamel

        timing = alkamel.read_laps(sebring)
        real = events_of(list(timing.entries), list(timing.laps))
        seconds = fold(list(timing.entries), real)
        figure("live state, IMSA Sebring 12 h as passings", len(real) / seconds, "events/s", ">= 20,000")


if __name__ == "__main__":
    main()
