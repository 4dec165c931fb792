"""Read models: a session's state folded from its log, as of any point, cached by log position.

The log is append-only, so the events of a session up to seq N never change: a state folded at N is valid
for ever and the cache is keyed by (session, N). A new event moves the session's head to a new N, which is
how new events invalidate what readers see, in this process and in any other sharing the database.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from chequered.core.classification import Classification, classify
from chequered.core.events import Decision, EntryRegistered, LapCompleted, ResultsPublished
from chequered.core.model import Entry, Lap
from chequered.core.rulebook import Rulebook
from chequered.core.stints import CarStints, stints_by_car
from chequered.store.log import StoredEvent
from chequered.store.season import SessionInfo


@dataclass(frozen=True, slots=True)
class PublishedResults:
    seq: int
    publication: ResultsPublished
    actor: str
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class SessionState:
    """Everything known about a session at log position ``seq``."""

    info: SessionInfo
    seq: int
    entries: tuple[Entry, ...]
    laps: tuple[Lap, ...]
    decisions: tuple[Decision, ...]
    publications: tuple[PublishedResults, ...]
    classification: Classification
    entered: frozenset[str]  # every car entered, whether or not it ran

    def stints(self) -> dict[str, CarStints]:
        return stints_by_car(self.laps)


def fold(
    info: SessionInfo,
    season_entries: list[Entry],
    events: list[StoredEvent],
    rulebook: Rulebook,
    seq: int | None = None,
) -> SessionState:
    """Fold a session's events in log order (up to log position ``seq``; the last event's when None);
    entries registered in the log override the season's. The clock, pit-lane and sector events of a
    live feed are the live board's, not the classification's: they are passed over."""
    entries: dict[str, Entry] = {e.car: e for e in season_entries}
    laps: list[Lap] = []
    decisions: list[Decision] = []
    publications: list[PublishedResults] = []
    for stored in events:
        event = stored.event()
        if isinstance(event, LapCompleted):
            laps.append(event.lap)
        elif isinstance(event, EntryRegistered):
            entries[event.entry.car] = event.entry
        elif isinstance(event, ResultsPublished):
            publications.append(PublishedResults(stored.seq, event, stored.actor, stored.recorded_at))
        elif isinstance(event, Decision):
            decisions.append(event)
    cars = {lap.car for lap in laps} | {d.car for d in decisions}
    # A season's entry list names cars that never ran this session; they are not part of its result
    # (a car race control ruled on, such as a non-starter, is).
    listed = tuple(e for e in entries.values() if e.car in cars or not laps)
    classification = classify(info.session, listed, laps, decisions, rulebook)
    if seq is None:
        seq = events[-1].seq if events else 0
    return SessionState(
        info,
        seq,
        listed,
        tuple(laps),
        tuple(decisions),
        tuple(publications),
        classification,
        frozenset(entries),
    )


class Cache:
    """A small thread-safe LRU of folded states and rendered documents."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: two readers may build the same value, both correct
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> object | None:
        with self._lock:
            return self._items.get(key)

    def __len__(self) -> int:
        return len(self._items)
