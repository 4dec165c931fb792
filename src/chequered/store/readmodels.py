"""Read models: a session's state folded from its log, as of any point, cached by log position.

The log is append-only, so the events of a session up to seq N never change: a state folded at N is valid
for ever and the cache is keyed by (session, N). A new event moves the session's head to a new N, which is
how new events invalidate what readers see, in this process and in any other sharing the database.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime

from chequered.core.classification import Classification, classify
from chequered.core.events import Decision, EntryRegistered, LapCompleted, ResultsPublished
from chequered.core.model import Entry, Lap
from chequered.core.rulebook import Rulebook
from chequered.core.stints import CarStints, laps_by_car, laps_by_car_moved_on, stints_by_car
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
    registered: dict[str, Entry] = field(default_factory=dict, compare=False)
    """Entries registered in the log (they override the season's), kept to move the state on."""
    by_car: dict[str, list[Lap]] = field(default_factory=dict, compare=False)
    """``laps_by_car(laps)``, kept to move the state on: only the cars with new laps are grouped again."""

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
    return _folded(info, entries, [], [], [], events, rulebook, seq)


def fold_more(
    state: SessionState, season_entries: list[Entry], events: list[StoredEvent], rulebook: Rulebook, seq: int
) -> SessionState:
    """``state`` moved on by the events after it (up to ``seq``): what a live session's reads do at
    each new log position, instead of reading and decoding the whole log again."""
    entries: dict[str, Entry] = {e.car: e for e in season_entries}
    entries.update(state.registered)
    return _folded(
        state.info,
        entries,
        list(state.laps),
        list(state.decisions),
        list(state.publications),
        events,
        rulebook,
        seq,
        dict(state.registered),
        state.by_car,
    )


def _folded(
    info: SessionInfo,
    entries: dict[str, Entry],
    laps: list[Lap],
    decisions: list[Decision],
    publications: list[PublishedResults],
    events: list[StoredEvent],
    rulebook: Rulebook,
    seq: int | None,
    registered: dict[str, Entry] | None = None,
    by_car_before: dict[str, list[Lap]] | None = None,
) -> SessionState:
    registered = {} if registered is None else registered
    new_laps: list[Lap] = []
    for stored in events:
        event = stored.event()
        if isinstance(event, LapCompleted):
            new_laps.append(event.lap)
        elif isinstance(event, EntryRegistered):
            entries[event.entry.car] = registered[event.entry.car] = event.entry
        elif isinstance(event, ResultsPublished):
            publications.append(PublishedResults(stored.seq, event, stored.actor, stored.recorded_at))
        elif isinstance(event, Decision):
            decisions.append(event)
    laps.extend(new_laps)
    moved_on = by_car_before is not None
    by_car = laps_by_car_moved_on(by_car_before or {}, new_laps) if moved_on else laps_by_car(laps)
    ruled = {d.car for d in decisions}
    # A season's entry list names cars that never ran this session; they are not part of its result
    # (a car race control ruled on, such as a non-starter, is).
    listed = tuple(e for e in entries.values() if e.car in by_car or e.car in ruled or not laps)
    classification = classify(info.session, listed, laps, decisions, rulebook, by_car)
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
        registered,
        by_car,
    )


class Cache:
    """A small thread-safe LRU of folded states and rendered documents. Concurrent misses of one key
    share one build: the first builds, the others wait for its value (or its error).

    ``size`` bounds the entries; ``max_bytes`` also bounds the bytes of the values that are ``bytes``
    (rendered documents: a live session renders one per log position, tens of kilobytes each).
    A key ``(*read, n)`` whose last part is an int is read ``read`` at log position ``n``: of one read
    only the latest ``positions`` are kept. A live session moves on a lap a second, and what its old
    positions hold (every lap so far) would otherwise fill the cache with copies of one session."""

    def __init__(self, size: int, max_bytes: int | None = None, positions: int | None = None) -> None:
        self._size = size
        self._max_bytes = max_bytes
        self._positions = positions
        self._bytes = 0
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._held: dict[tuple[Hashable, ...], list[int]] = {}
        """For each read, the positions held, in order."""
        self._building: dict[Hashable, _Build] = {}
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            pending = self._building.get(key)
            if pending is None:
                pending = self._building[key] = _Build()
                mine = True
            else:
                mine = False
        if not mine:
            pending.done.wait()
            if pending.error is not None:
                raise pending.error
            return pending.value
        try:
            value = build()
        except BaseException as error:
            pending.error = error
            raise
        else:
            pending.value = value
            with self._lock:
                self._put(key, value)
        finally:
            with self._lock:
                del self._building[key]
            pending.done.set()
        return value

    def _put(self, key: Hashable, value: object) -> None:
        self._items[key] = value
        self._bytes += _weight(value)
        read = _read_of(key)
        if read is not None:
            held = self._held.setdefault(read[0], [])
            insort(held, read[1])
            while self._positions is not None and len(held) > self._positions:
                self._drop((*read[0], held[0]))
        while len(self._items) > self._size or (
            self._max_bytes is not None and self._bytes > self._max_bytes and len(self._items) > 1
        ):
            self._drop(next(iter(self._items)))

    def _drop(self, key: Hashable) -> None:
        self._bytes -= _weight(self._items.pop(key))
        read = _read_of(key)
        if read is not None:
            held = self._held[read[0]]
            held.remove(read[1])
            if not held:
                del self._held[read[0]]

    @property
    def held_bytes(self) -> int:
        """The bytes of the ``bytes`` values held."""
        return self._bytes

    def building(self, key: Hashable) -> bool:
        """Whether a build of ``key`` is under way."""
        with self._lock:
            return key in self._building

    def peek(self, key: Hashable) -> object | None:
        with self._lock:
            return self._items.get(key)

    def latest(self, read: tuple[Hashable, ...], below: int) -> tuple[int, object] | None:
        """The cached value of ``read`` at the latest position below ``below``: key ``(*read, n)``."""
        with self._lock:
            held = self._held.get(read, [])
            at = bisect_left(held, below)
            if at == 0:
                return None
            return held[at - 1], self._items[(*read, held[at - 1])]

    def __len__(self) -> int:
        return len(self._items)


@dataclass(slots=True)
class _Build:
    done: threading.Event = field(default_factory=threading.Event)
    value: object = None
    error: BaseException | None = None


def _weight(value: object) -> int:
    return len(value) if isinstance(value, bytes) else 0


def _read_of(key: Hashable) -> tuple[tuple[Hashable, ...], int] | None:
    """``(read, position)`` of a key ``(*read, position)``; None for a key of no log position."""
    if isinstance(key, tuple) and key and type(key[-1]) is int:
        return key[:-1], key[-1]
    return None
