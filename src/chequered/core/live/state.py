"""The incremental live state of a session: one event in, only what changed out.

Each event updates the cars it touches in place: the order overall and per class is a sorted list of
rank keys where a car is taken out and put back (a binary search, no re-sort), and gaps are recomputed
only where positions moved, or for everybody when the leader changed. The standing of a car is the one
``classification.classify`` computes (same counting at the flag, same statuses, same keys, entry order
as the last tie-break), so ``LiveState.classification()`` equals ``classify`` on the same events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chequered.core.classification import Classification, classification_of, rank_key
from chequered.core.errors import UnknownCarError
from chequered.core.events import (
    ClockTicked,
    DriverChanged,
    EntryRegistered,
    LapCompleted,
    LapDeleted,
    LapPenalty,
    LiveEvent,
    PitCrossed,
    PitLine,
    SectorCompleted,
    SessionOpened,
    StatusChanged,
    TimePenalty,
)
from chequered.core.live.car import CarState, other_status, race_status
from chequered.core.live.flag import FlagInstant
from chequered.core.live.order import RunningOrder
from chequered.core.live.sectors import SectorBests
from chequered.core.live.view import ROW_FIELDS, as_row, entry_row, plain, row_values
from chequered.core.model import Entry, FinishMode, Lap, Session, SessionKind, Status
from chequered.core.rulebook import Rulebook

Row = dict[str, Any]
RECENT_MESSAGES = 20  # race control notes a snapshot carries, as many as a board's ticker keeps


@dataclass(frozen=True, slots=True)
class LiveDelta:
    """What one event changed: session fields, per car the fields of its row that changed, and race
    control's decisions applied (``messages``: car, number, kind, text, seq and the figure ruled on),
    for a board's ticker."""

    seq: int
    session: Row = field(default_factory=dict)
    cars: dict[str, Row] = field(default_factory=dict)
    messages: tuple[Row, ...] = ()


class LiveState:
    """The live timing board of one session, folded event by event."""

    def __init__(self, session: Session, rules: Rulebook, entries: Iterable[Entry] = ()) -> None:
        self.rules = rules
        self.seq = 0
        self._open(session)
        for entry in entries:
            self._register(entry)
        self._touched.clear()
        for car, state in self._cars.items():
            self._rows[car] = row_values(state)

    def _open(self, session: Session) -> None:
        self.session = session
        self._race = session.kind is SessionKind.RACE
        self._cars: dict[str, CarState] = {}
        self._order = RunningOrder(session.kind, self._cars, self._emit)
        self._rows: dict[str, tuple[Any, ...]] = {}
        self._clock: Row = {
            "elapsed_ms": 0,
            "time_to_go_ms": None,
            "laps_to_go": None,
            "flag": "",
            "track_status": "",
        }
        self._session_row: Row = {}
        self._fed_clock = False  # a clock from the feed (ticks) rules; else it is worked out from laps
        self.flag_ms: int | None = None
        self._flag = FlagInstant(session)
        self.sectors = SectorBests()
        self._changes: dict[str, Row] = {}
        self._touched: dict[str, bool] = {}
        self._session_changes: Row = {}
        self._messages: list[Row] = []
        # race control's last notes (decisions, flag changes), newest last: a board joined late has them
        self._recent: deque[Row] = deque(maxlen=RECENT_MESSAGES)

    # -- applying events -------------------------------------------------------------------------

    def apply(self, event: LiveEvent) -> LiveDelta | None:
        """Fold one event; the delta of what changed, or None. Unknown cars raise ``UnknownCarError``
        before anything is touched."""
        self._changes, self._session_changes, self._touched = {}, {}, {}
        self._messages = []
        if isinstance(event, LapCompleted):
            self._lap(event.lap)
        elif isinstance(event, ClockTicked):
            self._tick(event)
        elif isinstance(event, EntryRegistered):
            if self._register(event.entry):
                self._emit(self._cars[event.entry.car], full=True)
        elif isinstance(event, SessionOpened):
            self._open(event.session)
            self._session_changes = {"reset": True, **self.session_row()}
        elif isinstance(event, PitCrossed | SectorCompleted | DriverChanged):
            self._car_event(event)
        else:
            self._decision(event)
        self._flush()
        if not self._changes and not self._session_changes and not self._messages:
            return None
        self.seq += 1
        for message in self._messages:
            message["seq"] = self.seq
            self._recent.append(message)
        if self._session_changes.get("flag"):
            self._recent.append({"kind": "flag", "flag": self._session_changes["flag"], "seq": self.seq})
        return LiveDelta(self.seq, self._session_changes, self._changes, tuple(self._messages))

    def _car(self, car: str, what: str) -> CarState:
        state = self._cars.get(car)
        if state is None:
            raise UnknownCarError(car, f"{what} in live session {self.session.id}")
        return state

    def _register(self, entry: Entry) -> bool:
        state = self._cars.get(entry.car)
        if state is not None:
            if state.entry == entry:
                return False
            old_class, state.entry = state.entry.car_class, entry
            if old_class != entry.car_class:
                self._order.change_class(state, old_class)
            self._order.rewrite_class(entry.car_class)
            return True
        state = CarState(entry=entry, index=len(self._cars))
        state.key = rank_key(self.session.kind, state)
        self._cars[entry.car] = state
        self._order.add(state)
        self._order.move([state])
        return True

    def _lap(self, lap: Lap) -> None:
        car = self._car(lap.car, f"lap {lap.lap}")
        in_order = car.laps_log.add(lap)
        changed_flag = self._update_flag(lap, in_order)
        self._show_lap(car, lap)
        self._restand(list(self._cars.values()) if changed_flag else [car])
        if lap.elapsed_ms > self._clock["elapsed_ms"]:
            self._set_clock("elapsed_ms", lap.elapsed_ms)
        if not self._fed_clock:
            self._clock_from_laps()

    def _clock_from_laps(self) -> None:
        """With no clock from the feed (passings from a decoder, laps from a file), the session's finish
        gives what is left: time to go in a timed session, laps to go for the leader in a lap race, and
        the chequered flag once the classification's flag instant has come."""
        finish = self.session.finish
        if finish is not None and finish.duration_ms:
            self._set_clock("time_to_go_ms", max(0, finish.duration_ms - self._clock["elapsed_ms"]))
        if finish is not None and finish.mode is FinishMode.LAPS and finish.laps:
            leader = next(iter(self._order), None)
            self._set_clock("laps_to_go", max(0, finish.laps - (leader.laps if leader else 0)))
        if self.flag_ms is not None:
            self._set_clock("flag", "finish")

    def _update_flag(self, lap: Lap, in_order: bool) -> bool:
        before = self.flag_ms
        self.flag_ms = self._flag.crossed(lap, in_order, self._cars_laps)
        if self.flag_ms != before:
            self._set_session("flag_ms", self.flag_ms)
            return True
        return False

    def _cars_laps(self) -> dict[str, list[Lap]]:
        return {car: state.laps_log.laps for car, state in self._cars.items()}

    def _show_lap(self, car: CarState, lap: Lap) -> None:
        """What the board shows of the newest crossing: times, sectors, pit and driver."""
        if car.last_elapsed_ms is not None and lap.elapsed_ms < car.last_elapsed_ms:
            return  # a late crossing changes the standing, not the newest times
        car.last_lap_ms, car.last_elapsed_ms = lap.lap_time_ms, lap.elapsed_ms
        car.stopped = False
        if lap.sectors:
            car.sectors = list(lap.sectors)
            if self.sectors.record_lap(car, lap.sectors):
                self._session_bests()
            car.marks = self.sectors.marks(car)
        if lap.in_pit:
            if not car.in_pit:
                car.stops += 1
                car.in_pit, car.pit_in_ms = True, lap.elapsed_ms
            car.out_lap = False
        else:
            car.in_pit = car.out_lap = False
        if lap.driver_name and lap.driver_name != car.driver:
            if car.driver:
                car.stint_start_ms = car.pit_in_ms if car.pit_in_ms is not None else lap.elapsed_ms
            car.driver = lap.driver_name

    def _car_event(self, event: PitCrossed | SectorCompleted | DriverChanged) -> None:
        car = self._car(event.car, type(event).__name__)
        if isinstance(event, PitCrossed):
            if event.line is PitLine.IN and not car.in_pit:
                car.stops += 1
                car.in_pit, car.out_lap, car.pit_in_ms = True, False, event.elapsed_ms
            elif event.line is PitLine.OUT:
                car.in_pit, car.out_lap = False, True
        elif isinstance(event, SectorCompleted):
            if event.sector <= 1 or event.sector <= len(car.sectors):
                car.sectors = []  # a sector the car already has: a new lap began
            while len(car.sectors) < event.sector - 1:
                car.sectors.append(None)
            car.sectors[event.sector - 1 :] = [event.sector_ms]
            if self.sectors.record_sector(car, event.sector, event.sector_ms):
                self._session_bests()
            car.marks = self.sectors.marks(car)
        elif event.driver_name != car.driver:
            car.driver, car.stint_start_ms = event.driver_name, event.elapsed_ms
        car.stopped = False
        self._emit(car)

    def _decision(self, event: TimePenalty | LapDeleted | LapPenalty | StatusChanged) -> None:
        car = self._car(event.car, type(event).__name__)
        message: Row = {"car": car.car, "number": car.entry.number, "text": event.reason}
        if isinstance(event, TimePenalty):
            car.penalty_ms += event.ms
            message.update(kind="time_penalty", ms=event.ms)
        elif isinstance(event, LapPenalty):
            car.lap_penalty += event.laps
            message.update(kind="lap_penalty", laps=event.laps)
        elif isinstance(event, LapDeleted):
            car.laps_log.delete(event.lap)
            message.update(kind="lap_deleted", lap=event.lap)
        else:
            car.ruled = None if event.status is Status.CLASSIFIED else event.status
            message.update(kind="status", status=event.status.value)
        self._messages.append(message)
        self._restand(list(self._cars.values()))

    def _tick(self, tick: ClockTicked) -> None:
        self._fed_clock = True
        for name in ("elapsed_ms", "time_to_go_ms", "laps_to_go", "flag", "track_status"):
            self._set_clock(name, getattr(tick, name))
        for car in self._cars.values():
            stopped = self._is_stopped(car, tick.elapsed_ms)
            if stopped != car.stopped:
                car.stopped = stopped
                self._emit(car)

    @staticmethod
    def _is_stopped(car: CarState, now_ms: int) -> bool:
        """No crossing for twice the car's best lap (five minutes without one), out of the pits."""
        if car.in_pit or car.last_elapsed_ms is None or car.status is not Status.CLASSIFIED:
            return False
        best = car.best.lap_time_ms if car.best is not None and car.best.lap_time_ms else 150_000
        return now_ms - car.last_elapsed_ms > 2 * best

    # -- order, positions and gaps ---------------------------------------------------------------

    def _restand(self, dirty: list[CarState]) -> None:
        kind = self.session.kind
        for car in dirty:
            car.restand(self.flag_ms, kind)
        everybody = len(dirty) == len(self._cars)
        if self._race and self.rules.classification.min_distance > 0 and not everybody:
            dirty, everybody = list(self._cars.values()), True
        self._statuses(dirty, everybody)
        self._order.move(dirty)
        for car in dirty:
            self._emit(car)

    def _statuses(self, dirty: list[CarState], everybody: bool) -> None:
        if not self._race:
            for car in dirty:
                car.status = other_status(car)
            return
        rules = self.rules.classification
        overall, per_class = 0, dict[str, int]()
        if rules.min_distance > 0:
            out = (Status.DISQUALIFIED, Status.EXCLUDED)
            running = [c for c in self._cars.values() if c.ruled not in out]
            overall = max((c.laps for c in running), default=0)
            for c in running:
                per_class[c.entry.car_class] = max(per_class.get(c.entry.car_class, 0), c.laps)
        for car in dirty:
            winner = per_class.get(car.entry.car_class, 0) if rules.distance_basis == "class" else overall
            car.status = race_status(car, winner, rules)

    # -- output ----------------------------------------------------------------------------------

    def _row(self, car: CarState) -> Row:
        return as_row(row_values(car))

    def _emit(self, car: CarState, full: bool = False) -> None:
        """Mark a car's row for the delta; rows are built once per event, in ``_flush``."""
        self._touched[car.car] = self._touched.get(car.car, False) or full

    def _flush(self) -> None:
        for name, full in self._touched.items():
            car = self._cars.get(name)
            if car is None:
                continue
            values = row_values(car)
            old = self._rows.get(name)
            if old is None or full:
                self._changes[name] = {**as_row(values), **entry_row(car.entry)}
            elif values != old:
                pairs = enumerate(zip(values, old, strict=True))
                self._changes[name] = {ROW_FIELDS[i]: plain(new) for i, (new, was) in pairs if new != was}
            self._rows[name] = values

    def _set_clock(self, name: str, value: object) -> None:
        if self._clock.get(name) != value:
            self._clock[name] = value
            self._session_changes[name] = value

    def _set_session(self, name: str, value: object) -> None:
        self._session_changes[name] = value

    def _session_bests(self) -> None:
        bests = self.sectors.session_row()
        if bests != self._session_row:
            self._session_row = bests
            self._session_changes.update(bests)

    def session_row(self) -> Row:
        return {
            "id": self.session.id,
            "name": self.session.name,
            "kind": self.session.kind.value,
            "flag_ms": self.flag_ms,
            **self._clock,
            **self.sectors.session_row(),
        }

    def snapshot(self) -> Row:
        """The whole board: session fields, every car's row in overall order, and race control's last
        notes (``messages``, oldest first: decisions as in a delta, and ``{"kind": "flag"}`` changes)."""
        rows = [{"car": car.car, **entry_row(car.entry), **self._row(car)} for car in self._order]
        return {
            "seq": self.seq,
            "session": self.session_row(),
            "cars": rows,
            "messages": [dict(message) for message in self._recent],
        }

    def classification(self) -> Classification:
        """The live order as a ``Classification``: equal to ``classify`` on the same events."""
        return classification_of(self.session, self._order, self.flag_ms if self._flag.any_lap else None)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(state.entry for state in self._cars.values())
