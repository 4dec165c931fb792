"""RMonitor records → core events: sessions, entries, laps, clock and pit-lane crossings.

RMonitor sends state, not events: ``$G`` repeats a car's laps and race time in every refresh burst, and
``$I`` makes Orbits send everything again. A lap is therefore emitted once, when ``$G`` (or ``$COR``)
shows a lap count higher than the one already seen for that car in that session; the lap time is the
``$J`` passing with the same race time when there is one. Refreshes, resets and a session announced
again under a new run number change nothing; a feed started mid-session is ``resume``d from what was
said before (the session's log), so the refresh it gets on connecting changes nothing either. A line
that cannot be read is reported once (with its number and text) and skipped; the feed never stops for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from chequered.core.errors import ParseError
from chequered.core.events import (
    ClockTicked,
    EntryRegistered,
    LapCompleted,
    LapDeleted,
    LapPenalty,
    LiveEvent,
    PitCrossed,
    PitLine,
    SessionOpened,
)
from chequered.core.model import Entry, Lap, Session, SessionKind
from chequered.core.session_kind import kind_from_name
from chequered.importers.rmonitor.records import (
    ClassInfo,
    Competitor,
    Correction,
    Heartbeat,
    Init,
    LineCrossing,
    Passing,
    PracticeOrder,
    RaceOrder,
    RawLine,
    Record,
    Run,
    Unknown,
    parse_record,
)

_DAY_MS = 86_400_000
_PIT_IN = ("PIP", "PI", "PITIN", "PIT IN")
_PIT_OUT = ("POP", "PO", "PITOUT", "PIT OUT")
_FLAGS = {"green": "green", "yellow": "yellow", "red": "red", "finish": "finish", "": "none"}


@dataclass(frozen=True, slots=True)
class Problem:
    """A line the feed could not use: where it came from, its number, its text and why."""

    source: str
    line_no: int
    line: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}, line {self.line_no}: {self.message}: {self.line[:120]!r}"


_HOLD_AFTER_RESET = 5000
UNNAMED = "rmonitor-unnamed"  # the id of a session whose ``$B`` has not come yet
_NOT_READ = "record type not read by chequered (ignored from here on)"
_CORRECTION = "timing correction"  # the reason of the lap penalties the feed makes itself


def session_kind(name: str) -> SessionKind:
    """The kind of an Orbits run from its name (a live run has no laps yet to tell): a race unless the
    name says otherwise (see ``core.session_kind.kind_from_name``)."""
    return kind_from_name(name) or SessionKind.RACE


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "session"


@dataclass(slots=True)
class _Car:
    laps: int = 0
    taken_off: int = 0
    total_ms: int | None = None
    passing: Passing | None = None
    pit_in_ms: int | None = None
    pit_time_ms: int | None = None
    in_pit_lane: bool = False
    lap_times: dict[int, int] = field(default_factory=dict)
    last_lap: int = 0


@dataclass(slots=True)
class RMonitorFeed:
    """Turns RMonitor lines into core events; ``report`` hears each unreadable line once."""

    source: str = "rmonitor"
    report: Callable[[Problem], None] | None = None
    # told when the feed opens a named session, before any record of it is scored: the place to
    # ``resume`` the session from what an earlier process stored of it
    on_session: Callable[[Session], None] | None = None
    problems: list[Problem] = field(default_factory=list)
    session: Session | None = None
    _classes: dict[str, str] = field(default_factory=dict)
    _competitors: dict[str, Competitor] = field(default_factory=dict)
    _registered: dict[str, Entry] = field(default_factory=dict)
    _cars: dict[str, _Car] = field(default_factory=dict)
    _resumed_class: dict[str, str] = field(default_factory=dict)  # a resumed car's class, until its $A
    _seen_bad: set[str] = field(default_factory=set)
    _flag: str = ""
    _tod_offset_ms: int | None = None
    race_time_ms: int = 0  # the session clock of the last heartbeat: when a record came, in feed time
    _run: str = ""
    _unnamed: list[LiveEvent] | None = None
    _after_reset: list[Record] | None = None

    def feed_line(self, raw: RawLine) -> list[LiveEvent]:
        try:
            record = parse_record(raw.text, self.source, raw.line_no)
        except ParseError as exc:
            self.report_problem(raw, exc.message)
            return []
        if isinstance(record, Unknown):
            if record.command not in self._seen_bad:
                self._seen_bad.add(record.command)
                self.report_problem(raw, f"${record.command}: {_NOT_READ}")
            return []
        return self.feed(record)

    def flush(self) -> list[LiveEvent]:
        """The end of the stream: records held after a reset are scored in the current session."""
        held, self._after_reset = self._after_reset or [], None
        return [event for record in held for event in self.feed(record)]

    def report_problem(self, raw: RawLine, message: str) -> None:
        if raw.text in self._seen_bad:
            return
        self._seen_bad.add(raw.text)
        problem = Problem(self.source, raw.line_no, raw.text, message)
        self.problems.append(problem)
        if self.report is not None:
            self.report(problem)

    def feed(self, record: Record) -> list[LiveEvent]:
        """The events one record makes. Until the first ``$B`` names the session, events are kept and
        handed out again under the named session once it comes."""
        if self._after_reset is not None and not isinstance(record, Run | Init):
            # after ``$I`` Orbits re-sends its scoreboard, possibly of a new session whose ``$B`` comes
            # later: hold the records until the ``$B`` says which session they belong to
            self._after_reset.append(record)
            if len(self._after_reset) < _HOLD_AFTER_RESET:
                return []
            held, self._after_reset = self._after_reset, None
            return [event for r in held for event in self.feed(r)]
        held = []
        if isinstance(record, Init):
            self._after_reset = []
        elif isinstance(record, Run) and self._after_reset is not None:
            held, self._after_reset = self._after_reset, None
        out: list[LiveEvent] = []
        self._record(record, out)
        if self._unnamed is not None and not isinstance(record, Run):
            self._unnamed.extend(out)
        for r in held:
            out.extend(self.feed(r))
        return out

    def _record(self, record: Record, out: list[LiveEvent]) -> None:
        if isinstance(record, Run):
            self._open(record, out)
        elif isinstance(record, Heartbeat):
            self._heartbeat(record, out)
        elif isinstance(record, Competitor):
            self._competitor(record, out)
        elif isinstance(record, ClassInfo):
            self._class(record, out)
        elif isinstance(record, RaceOrder):
            if record.laps is not None:
                self._laps(record.reg_no, record.laps, record.total_time_ms, out)
            else:
                self._ensure(record.reg_no, out)
        elif isinstance(record, Correction):
            self._laps(record.reg_no, record.laps, record.total_time_ms, out)
        elif isinstance(record, Passing):
            self._ensure(record.reg_no, out)
            self._cars.setdefault(record.reg_no, _Car()).passing = record
        elif isinstance(record, LineCrossing):
            self._crossing(record, out)
        elif isinstance(record, Init):
            self._flag = ""  # the scoreboard is sent again; laps already seen stay seen
        elif isinstance(record, PracticeOrder):
            self._ensure(record.reg_no, out)
            self._best(record, out)

    def _open(self, run: Run, out: list[LiveEvent]) -> None:
        self._run = run.number
        if self.session is not None and self.session.name == run.description:
            return  # the same session announced again (refresh, or a new run number after a reset)
        self.session = Session(_slug(run.description), run.description, session_kind(run.description))
        out.append(SessionOpened(self.session))
        if self._unnamed is not None:
            out.extend(e for e in self._unnamed if not isinstance(e, SessionOpened))
            self._unnamed = None
            return
        self._registered, self._cars, self._resumed_class = {}, {}, {}
        if self.on_session is not None:
            self.on_session(self.session)

    def resume(self, said: Iterable[LiveEvent]) -> None:
        """Go on with the current session from what was said in it before, in log order (the session's
        log, stored by an ingest that stopped): each car's entry, laps completed, race time at its last
        crossing, lap times, lap-count corrections and pit lane, and the flag. Orbits' refresh on the
        next connection then re-sends laps already seen, and they are not emitted again. The ``$J``
        passing of a lap whose ``$G`` had not come yet is not in the log: that lap comes without its
        lap time."""
        for event in said:
            if isinstance(event, EntryRegistered):
                self._registered[event.entry.car] = event.entry
                self._resumed_class[event.entry.car] = event.entry.car_class
            elif isinstance(event, ClockTicked):
                self._flag = event.flag
            elif isinstance(event, LapCompleted):
                lap, car = event.lap, self._cars.setdefault(event.lap.car, _Car())
                if lap.lap > car.last_lap:
                    car.laps, car.last_lap = lap.lap - car.taken_off, lap.lap
                    car.total_ms, car.pit_time_ms = lap.elapsed_ms, None
                if lap.lap_time_ms is not None:
                    car.lap_times[lap.lap] = lap.lap_time_ms
            elif isinstance(event, LapDeleted):
                self._cars.setdefault(event.car, _Car()).lap_times.pop(event.lap, None)
            elif isinstance(event, LapPenalty) and event.reason.startswith(_CORRECTION):
                car = self._cars.setdefault(event.car, _Car())
                car.laps, car.taken_off = car.laps - event.laps, car.taken_off + event.laps
            elif isinstance(event, PitCrossed):
                self._pit(self._cars.setdefault(event.car, _Car()), event.line, event.elapsed_ms)

    def _ensure_session(self, out: list[LiveEvent]) -> None:
        if self.session is None:
            self.session = Session(UNNAMED, "RMonitor session", SessionKind.RACE)
            self._unnamed = []
            out.append(SessionOpened(self.session))

    def _entry(self, reg_no: str) -> Entry:
        c = self._competitors.get(reg_no)
        if c is None:
            return Entry(reg_no, reg_no)
        team = " ".join(part for part in (c.first_name.strip(), c.last_name.strip()) if part)
        return Entry(reg_no, c.number or reg_no, self._classes.get(c.class_no, c.class_no), team)

    def _register(self, reg_no: str, out: list[LiveEvent]) -> None:
        entry = self._entry(reg_no)
        if self._registered.get(reg_no) != entry:
            self._registered[reg_no] = entry
            out.append(EntryRegistered(entry))

    def _ensure(self, reg_no: str, out: list[LiveEvent]) -> None:
        self._ensure_session(out)
        if reg_no and reg_no not in self._registered:
            self._register(reg_no, out)

    def _competitor(self, c: Competitor, out: list[LiveEvent]) -> None:
        known = self._competitors.get(c.reg_no)
        if c.extended and known is not None:
            c = Competitor(c.reg_no, c.number, known.transponder, c.first_name, c.last_name,
                           known.nationality, c.class_no, c.additional, True)  # fmt: skip
        self._competitors[c.reg_no] = c
        resumed = self._resumed_class.pop(c.reg_no, None)
        if resumed is not None and c.class_no not in self._classes:
            # Orbits' refresh names the cars before their classes: a car's stored entry tells the
            # name of its class number, and the entry is not stored again with the bare number
            self._classes[c.class_no] = resumed
        self._ensure_session(out)
        self._register(c.reg_no, out)

    def _class(self, info: ClassInfo, out: list[LiveEvent]) -> None:
        if self._classes.get(info.number) == info.description:
            return
        self._classes[info.number] = info.description
        for reg_no in list(self._registered):
            if reg_no in self._competitors:  # a car known only by its number has no class to change
                self._register(reg_no, out)

    def _heartbeat(self, hb: Heartbeat, out: list[LiveEvent]) -> None:
        self._ensure_session(out)
        self._flag = _FLAGS.get(hb.flag.strip().lower(), hb.flag.strip().lower())
        self._tod_offset_ms = (hb.time_of_day_ms - hb.race_time_ms) % _DAY_MS
        self.race_time_ms = hb.race_time_ms
        laps_to_go = None if hb.laps_to_go >= 9999 else hb.laps_to_go
        out.append(ClockTicked(hb.race_time_ms, hb.time_to_go_ms, laps_to_go, self._flag))

    def _laps(self, reg_no: str, laps: int, total_ms: int, out: list[LiveEvent]) -> None:
        self._ensure(reg_no, out)
        car = self._cars.setdefault(reg_no, _Car())
        if total_ms <= 0 or laps == car.laps:
            return  # a refresh, a reset scoreboard, or a lap already emitted
        if laps < car.laps:
            # Orbits took laps off the count (a lap counted twice): the laps stay in the log, the count
            # is corrected by a lap penalty, and later laps keep rising numbers
            out.append(LapPenalty(reg_no, car.laps - laps, f"{_CORRECTION}: {car.laps} → {laps} laps"))
            car.taken_off += car.laps - laps
            car.laps, car.total_ms = laps, total_ms
            return
        lap_time: int | None = None
        if car.passing is not None and car.passing.total_time_ms == total_ms:
            lap_time = car.passing.lap_time_ms
        in_pit = car.in_pit_lane and car.pit_in_ms is not None
        lap = Lap(
            reg_no,
            laps + car.taken_off,
            lap_time,
            total_ms,
            in_pit=in_pit,
            pit_time_ms=car.pit_time_ms,
            flag="FF" if self._flag == "finish" else "",
        )
        car.laps, car.total_ms, car.pit_time_ms = laps, total_ms, None
        car.last_lap = lap.lap
        if lap_time is not None:
            car.lap_times[lap.lap] = lap_time
        out.append(LapCompleted(lap))

    def _best(self, order: PracticeOrder, out: list[LiveEvent]) -> None:
        """In practice and qualifying, ``$H`` is the timekeeper's best lap, sent right after the lap's
        ``$G``: a lap of ours faster than it (a short cut, a double crossing, an out-lap Orbits does
        not count) is deleted; no time in ``$H`` means none of the car's laps counts yet."""
        if self.session is None or self.session.kind is SessionKind.RACE:
            return
        car = self._cars.get(order.reg_no)
        if car is None:
            return
        best = order.best_lap_ms
        for number, ms in list(car.lap_times.items()):
            if best is None or ms < best:
                del car.lap_times[number]
                why = f"not the timekeeper's best lap ({'no time' if best is None else f'{best} ms'})"
                out.append(LapDeleted(order.reg_no, number, why))

    def _crossing(self, crossing: LineCrossing, out: list[LiveEvent]) -> None:
        """IMSA ``$L``: pit in (PIP) and pit out (POP); the time of day becomes race time via ``$F``."""
        name = crossing.timeline_name.strip().upper()
        if self._tod_offset_ms is None or name not in _PIT_IN + _PIT_OUT:
            return
        reg_no = next(
            (r for r, c in self._competitors.items() if c.number == crossing.number), crossing.number
        )
        self._ensure(reg_no, out)
        car = self._cars.setdefault(reg_no, _Car())
        elapsed = (crossing.time_of_day_ms - self._tod_offset_ms) % _DAY_MS
        line = PitLine.IN if name in _PIT_IN else PitLine.OUT
        self._pit(car, line, elapsed)
        out.append(PitCrossed(reg_no, line, elapsed))

    @staticmethod
    def _pit(car: _Car, line: PitLine, elapsed: int) -> None:
        if line is PitLine.IN:
            car.in_pit_lane, car.pit_in_ms = True, elapsed
            return
        if car.pit_in_ms is not None:
            car.pit_time_ms = elapsed - car.pit_in_ms
        car.in_pit_lane, car.pit_in_ms = False, None
